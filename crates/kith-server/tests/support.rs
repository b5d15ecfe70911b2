//! A test app: the router over a fresh store, users of each role, and requests that
//! carry a session cookie or a bearer token.

use std::sync::{Arc, OnceLock};

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::http::{Request, Response, StatusCode, header};
use kith_core::program::ProgramKind;
use kith_core::{BrandConfig, Money, Record};
use kith_io::demo::{DemoOptions, write_demo};
use kith_io::ndjson::{NdjsonReader, RecordKind};
use kith_server::AppState;
use kith_server::auth::secret;
use kith_store::programs::{FactSource, NewProgram, OrderFact};
use kith_store::testing::TestStore;
use kith_store::{ApiToken, InputError, Role, Store};
use time::{Duration, OffsetDateTime};
use tower::ServiceExt;

pub const PASSWORD: &str = "correct horse battery";

/// A program of `kind` named `name`, in USD and starting now: no commission,
/// destination or fee, a 30-day hold and window. Tests set what they need on top.
pub fn new_program(name: &str, kind: ProgramKind, details: serde_json::Value) -> NewProgram {
    NewProgram {
        name: name.into(),
        kind,
        commission: None,
        destination: None,
        currency: "USD".into(),
        fee: Money::ZERO,
        hold_days: 30,
        window_days: 30,
        details,
        starts_at: OffsetDateTime::now_utc(),
    }
}

/// An order placed now through the webhook, in USD, with `code` as its discount code.
pub fn order_with_code(id: &str, code: &str, cents: i64) -> OrderFact {
    OrderFact {
        order_id: id.into(),
        source: FactSource::Webhook,
        placed_at: OffsetDateTime::now_utc(),
        currency: "USD".into(),
        subtotal: Money::from_minor(cents),
        email: Some("buyer@example.net".into()),
        customer_id: None,
        discount_codes: vec![code.into()],
        visitor: None,
        landing_code: None,
        ip_hash: None,
    }
}

/// One argon2 hash of [`PASSWORD`] for every test user: hashing is slow on purpose.
pub fn password_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| secret::hash_password(PASSWORD).unwrap())
}

pub struct App {
    store: Arc<dyn Store>,
    pub router: Router,
    /// Keeps a store made for this app alive (and removes it afterwards).
    _db: Option<TestStore>,
}

/// How a request proves who it is.
#[derive(Debug, Clone)]
pub enum Who {
    Nobody,
    Session { cookie: String, csrf: String },
    Token(String),
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
}

impl Reply {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    pub fn location(&self) -> Option<&str> {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
    }
}

impl App {
    pub fn new(db: TestStore) -> App {
        let mut app = App::over(db.store());
        app._db = Some(db);
        app
    }

    /// An app over a store someone else keeps.
    pub fn over(store: Arc<dyn Store>) -> App {
        let router = kith_server::router(AppState::new(Arc::clone(&store)));
        App {
            store,
            router,
            _db: None,
        }
    }

    pub fn shared_store(&self) -> Arc<dyn Store> {
        Arc::clone(&self.store)
    }

    pub fn sqlite() -> App {
        App::new(kith_store::testing::sqlite())
    }

    pub fn store(&self) -> &dyn Store {
        &*self.store
    }

    /// A user with this role (email `role@example.com`) and a live session of theirs.
    pub fn session(&self, role: Role) -> Who {
        let email = format!("{role}@example.com");
        let user = match self.store().user_credentials(&email).unwrap() {
            Some((u, _)) => u,
            None => self
                .store()
                .create_user(&email, password_hash(), role)
                .unwrap()
                .unwrap(),
        };
        let cookie = secret::random_hex(32).unwrap();
        let csrf = secret::random_hex(32).unwrap();
        let expires = OffsetDateTime::now_utc() + Duration::hours(1);
        self.store()
            .create_session(&secret::sha256_hex(&cookie), user.id, &csrf, expires)
            .unwrap();
        Who::Session { cookie, csrf }
    }

    /// An API token with this role.
    pub fn token(&self, role: Role) -> Who {
        let made = secret::new_api_token().unwrap();
        let token = ApiToken {
            id: made.id.clone(),
            name: format!("{role} token"),
            role,
            created_at: OffsetDateTime::now_utc(),
            revoked: false,
        };
        self.store()
            .create_api_token(&token, &made.secret_hash)
            .unwrap();
        Who::Token(made.token)
    }

    pub async fn send(&self, request: Request<Body>) -> Reply {
        let response: Response<Body> = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = to_bytes(response.into_body(), 64 << 20).await.unwrap();
        Reply {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    pub async fn get(&self, who: &Who, path: &str) -> Reply {
        self.send(request("GET", path, who, None)).await
    }

    /// The page a `303 See Other` sends `who` to.
    pub async fn follow(&self, who: &Who, reply: &Reply) -> Reply {
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
        let to = reply.location().expect("a Location header").to_owned();
        self.get(who, &to).await
    }

    /// Uploads a multipart form to `path` (`/import` or `/api/v1/imports`): each part is
    /// a name, a file name for file parts, and the content. The session's CSRF token
    /// goes in the header, as htmx sends it.
    pub async fn upload(
        &self,
        who: &Who,
        path: &str,
        parts: &[(&str, Option<&str>, &str)],
    ) -> Reply {
        let boundary = "kithTESTboundary7MA4YWxk";
        let mut body = String::new();
        for (name, file, content) in parts {
            body.push_str(&format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\""
            ));
            if let Some(file) = file {
                body.push_str(&format!(
                    "; filename=\"{file}\"\r\nContent-Type: application/octet-stream"
                ));
            }
            body.push_str(&format!("\r\n\r\n{content}\r\n"));
        }
        body.push_str(&format!("--{boundary}--\r\n"));
        let mut req = request("POST", path, who, None);
        *req.body_mut() = Body::from(body);
        let h = req.headers_mut();
        h.insert(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}")
                .parse()
                .unwrap(),
        );
        if let Who::Session { csrf, .. } = who {
            h.insert("x-csrf-token", csrf.parse().unwrap());
        }
        self.send(req).await
    }

    /// Polls an upload through the API until it is no longer running.
    pub async fn finished_import(&self, who: &Who, id: u64) -> serde_json::Value {
        for _ in 0..1_000 {
            let job = self.get(who, &format!("/api/v1/imports/{id}")).await.json();
            if job["state"] != "running" {
                return job;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        panic!("import {id} still running after 20 s");
    }

    /// A form post that carries the session's CSRF token in the form.
    pub async fn post_form(&self, who: &Who, path: &str, fields: &[(&str, &str)]) -> Reply {
        let mut body: Vec<String> = fields
            .iter()
            .map(|(k, v)| format!("{k}={}", urlencode(v)))
            .collect();
        if let Who::Session { csrf, .. } = who {
            body.push(format!("csrf={csrf}"));
        }
        self.send(request("POST", path, who, Some(body.join("&"))))
            .await
    }
}

pub fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A request as `who` would send it; a form body when one is given.
pub fn request(method: &str, path: &str, who: &Who, form: Option<String>) -> Request<Body> {
    let mut b = Request::builder().method(method).uri(path);
    match who {
        Who::Nobody => {}
        Who::Session { cookie, .. } => {
            b = b.header(header::COOKIE, format!("kith_session={cookie}"))
        }
        Who::Token(t) => b = b.header(header::AUTHORIZATION, format!("Bearer {t}")),
    }
    match form {
        Some(body) => b
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap(),
        None => b.body(Body::empty()).unwrap(),
    }
}

/// Imports a small demo brand (`customers` customers) and scores it.
pub fn seed_demo(store: &dyn Store, customers: u32) {
    let dir = tempfile::tempdir().unwrap();
    let files = write_demo(
        dir.path(),
        &DemoOptions {
            seed: 7,
            customers,
            employees: 40,
        },
    )
    .unwrap();
    let text = std::fs::read_to_string(&files.brand).unwrap();
    BrandConfig::from_toml(&text).unwrap();
    store.set_brand(&text).unwrap();
    for (kind, path) in [
        (RecordKind::Customers, &files.customers),
        (RecordKind::Employees, &files.employees),
        (RecordKind::Profiles, &files.profiles),
        (RecordKind::Posts, &files.posts),
        (RecordKind::Reviews, &files.reviews),
        (RecordKind::Orders, &files.orders),
    ] {
        let file = std::io::BufReader::new(std::fs::File::open(path).unwrap());
        let mut records = NdjsonReader::new(file, "demo", kind)
            .map(|r: Result<Record, _>| r.map_err(|e| Box::new(e) as InputError));
        store.import(&mut records).unwrap();
    }
    kith_server::rescore(store).unwrap();
}
