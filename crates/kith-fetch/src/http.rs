//! One API request, tried until it succeeds, is refused for good, or runs out of tries.
//!
//! The transport is ureq (blocking, rustls). What a reply *means* is platform business:
//! each connector passes a `classify` function that reads status, headers and body and
//! returns a [`Verdict`]. This module does the waiting — the server's `Retry-After` (or
//! the platform's own reset header, turned into a hint by `classify`), else exponential
//! backoff with jitter — and the pacing a connector asks for after a success (usage
//! headers close to their limit). The token is attached here and nowhere else, and only
//! the method and path are logged, never the query (it may carry an API key).

use std::time::Duration;

use kith_core::Platform;

use crate::backoff::{self, RetryPolicy};
use crate::clock::Clock;
use crate::error::FetchError;
use crate::secret::Token;

/// The largest response body read; more is an error, not an allocation.
pub const MAX_BODY_BYTES: u64 = 16 * 1024 * 1024;

/// How the token travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Auth {
    /// `Authorization: Bearer TOKEN`.
    Bearer,
    /// A query parameter with this name (YouTube API keys: `key`).
    Query(&'static str),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub post: bool,
    pub url: String,
    pub query: Vec<(String, String)>,
    /// A JSON body, for POST.
    pub body: Option<String>,
}

impl Request {
    pub fn get(url: impl Into<String>) -> Request {
        Request {
            post: false,
            url: url.into(),
            query: Vec::new(),
            body: None,
        }
    }

    pub fn post_json(url: impl Into<String>, body: &serde_json::Value) -> Request {
        Request {
            post: true,
            url: url.into(),
            query: Vec::new(),
            body: Some(body.to_string()),
        }
    }

    pub fn query(mut self, key: &str, value: impl Into<String>) -> Request {
        self.query.push((key.to_owned(), value.into()));
        self
    }
}

/// A reply: status, headers (names lower-cased) and body text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body as JSON, if it is.
    pub fn json(&self) -> Option<serde_json::Value> {
        serde_json::from_str(&self.body).ok()
    }
}

/// What a reply means.
#[derive(Debug)]
pub enum Verdict {
    /// Use it; then wait this long before the next request, if given.
    Done { pause: Option<Duration> },
    /// Try again, after the server's hint if it gave one.
    Retry { hint: Option<Duration>, why: String },
    /// This handle cannot be fetched (missing, private): record it and go on.
    Skip(String),
    /// Nothing more can be fetched in this run.
    Fatal(FetchError),
}

/// Why a request gave no usable reply.
#[derive(Debug)]
pub enum Stop {
    Skip(String),
    /// Out of tries on a transient problem: the handle is retried on the next run.
    Failed(String),
    Fatal(FetchError),
}

/// Called when the client waits, so a progress bar can say why.
pub type WaitHook<'a> = &'a mut dyn FnMut(&str, Duration);

/// The HTTP client of one run.
pub struct Http<'a> {
    agent: ureq::Agent,
    token: &'a Token,
    auth: Auth,
    pub platform: Platform,
    pub clock: &'a dyn Clock,
    policy: RetryPolicy,
    rng: fastrand::Rng,
    on_wait: Option<WaitHook<'a>>,
}

impl std::fmt::Debug for Http<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Http")
            .field("platform", &self.platform)
            .field("auth", &self.auth)
            .field("policy", &self.policy)
            .finish_non_exhaustive()
    }
}

impl<'a> Http<'a> {
    pub fn new(
        platform: Platform,
        token: &'a Token,
        auth: Auth,
        clock: &'a dyn Clock,
        policy: RetryPolicy,
        seed: u64,
    ) -> Http<'a> {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(60)))
            .user_agent(concat!("kith/", env!("CARGO_PKG_VERSION")))
            .build()
            .into();
        Http {
            agent,
            token,
            auth,
            platform,
            clock,
            policy,
            rng: fastrand::Rng::with_seed(seed),
            on_wait: None,
        }
    }

    pub fn on_wait(&mut self, hook: WaitHook<'a>) {
        self.on_wait = Some(hook);
    }

    pub fn token(&self) -> &Token {
        self.token
    }

    fn wait(&mut self, why: &str, d: Duration) {
        tracing::info!(platform = %self.platform, wait_ms = d.as_millis() as u64, why, "waiting");
        if let Some(hook) = self.on_wait.as_mut() {
            hook(why, d);
        }
        self.clock.sleep(d);
    }

    fn send(&self, req: &Request) -> Result<Reply, String> {
        let mut query = req.query.clone();
        if let Auth::Query(name) = self.auth {
            query.push((name.to_owned(), self.token.expose().to_owned()));
        }
        let path = req.url.split('?').next().unwrap_or_default();
        tracing::debug!(post = req.post, path, "request");
        let result = if req.post {
            let mut r = self
                .agent
                .post(&req.url)
                .query_pairs(query.iter().map(|(k, v)| (k.as_str(), v.as_str())));
            if self.auth == Auth::Bearer {
                r = r.header("Authorization", format!("Bearer {}", self.token.expose()));
            }
            r.content_type("application/json")
                .send(req.body.clone().unwrap_or_default())
        } else {
            let mut r = self
                .agent
                .get(&req.url)
                .query_pairs(query.iter().map(|(k, v)| (k.as_str(), v.as_str())));
            if self.auth == Auth::Bearer {
                r = r.header("Authorization", format!("Bearer {}", self.token.expose()));
            }
            r.call()
        };
        // Transport errors can quote the URL, and the URL can hold an API key.
        let response = result.map_err(|e| self.token.redact(&e.to_string()))?;
        let status = response.status().as_u16();
        let headers = response
            .headers()
            .iter()
            .map(|(n, v)| {
                (
                    n.as_str().to_ascii_lowercase(),
                    v.to_str().unwrap_or_default().to_owned(),
                )
            })
            .collect();
        let body = response
            .into_body()
            .with_config()
            .limit(MAX_BODY_BYTES)
            .read_to_string()
            .map_err(|e| self.token.redact(&e.to_string()))?;
        Ok(Reply {
            status,
            headers,
            body,
        })
    }

    /// Sends `req` until `classify` accepts the reply or gives up on it.
    pub fn call(
        &mut self,
        req: &Request,
        classify: &dyn Fn(&Reply, &Http) -> Verdict,
    ) -> Result<Reply, Stop> {
        let mut last = String::new();
        for attempt in 0..self.policy.attempts {
            if attempt > 0 {
                tracing::debug!(attempt, "retrying");
            }
            let (hint, why) = match self.send(req) {
                Err(e) => (None, format!("connection failed: {e}")),
                Ok(reply) => match classify(&reply, self) {
                    Verdict::Done { pause } => {
                        if let Some(p) = pause.filter(|p| !p.is_zero()) {
                            let p = p.min(self.policy.max_wait);
                            self.wait("close to the rate limit", p);
                        }
                        return Ok(reply);
                    }
                    Verdict::Skip(reason) => return Err(Stop::Skip(self.token.redact(&reason))),
                    Verdict::Fatal(e) => return Err(Stop::Fatal(e)),
                    Verdict::Retry { hint, why } => (hint, self.token.redact(&why)),
                },
            };
            last = why;
            if attempt + 1 == self.policy.attempts {
                break;
            }
            let d = self.policy.delay(attempt, hint, &mut self.rng);
            // Only a server's own hint can ask for too long; backoff is capped below it.
            if hint.is_some_and(|h| h > self.policy.max_wait) {
                return Err(Stop::Fatal(FetchError::RateLimited {
                    platform: self.platform,
                    wait_secs: hint.map_or(0, |h| h.as_secs()),
                    max_secs: self.policy.max_wait.as_secs(),
                }));
            }
            let why = last.clone();
            self.wait(&why, d.min(self.policy.max_wait));
        }
        Err(Stop::Failed(format!(
            "gave up after {} tries: {last}",
            self.policy.attempts
        )))
    }
}

/// The common meaning of a status, for what a platform's body does not decide: 429 and
/// 5xx are worth retrying (after `Retry-After` when sent).
pub fn by_status(reply: &Reply, http: &Http) -> Option<Verdict> {
    let hint = reply
        .header("retry-after")
        .and_then(|v| backoff::retry_after(v, http.clock.now()));
    match reply.status {
        429 => Some(Verdict::Retry {
            hint,
            why: "rate limited (429)".into(),
        }),
        500..=599 => Some(Verdict::Retry {
            hint,
            why: format!("server error ({})", reply.status),
        }),
        _ => None,
    }
}
