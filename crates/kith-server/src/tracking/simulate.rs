//! Simulated traffic for `kith demo`, through the real code paths: the app is served on
//! a loopback port and driven over HTTP — people and bots following referral links
//! (`GET /r/{code}`), then Shopify-signed `orders/create` and `refunds/create` webhooks,
//! some delivered twice — so the figures `kith report roi` shows afterwards were made by
//! the same redirect, click writer, webhook and attribution a real shop would use.
//!
//! The client is a few lines of HTTP/1.1 over `std::net`, one connection per request,
//! run on the blocking pool while the server runs on the runtime. Everything random
//! comes from a seeded generator, so a demo is the same every time.

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::Mutex;
use std::time::Duration;

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::shopify::sign;
use crate::AppState;

/// A member whose link gets traffic.
#[derive(Debug, Clone)]
pub struct DemoMember {
    pub code: String,
    pub email: Option<String>,
    /// How many people follow them; clicks grow with it.
    pub reach: u64,
}

/// What to simulate.
#[derive(Debug, Clone)]
pub struct Traffic {
    pub seed: u64,
    /// The webhook secret the app verifies.
    pub secret: String,
    pub members: Vec<DemoMember>,
    /// Basket subtotals to draw from, in cents.
    pub prices: Vec<i64>,
}

/// What was sent.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    /// People's clicks, returning visitors' included.
    pub clicks: u64,
    /// Clicks by visitors who had followed the same link before (their cookie sent
    /// back): counted as clicks, not as unique clicks.
    pub returning: u64,
    pub bot_visits: u64,
    pub orders: u64,
    pub refunds: u64,
    pub duplicates: u64,
}

const BROWSERS: &[&str] = &[
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Mobile Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15",
];
const BOTS: &[&str] = &[
    "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
    "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
    "Twitterbot/1.0",
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
];
/// Requests in flight at once.
const PARALLEL: usize = 16;

/// xorshift64*: small, seeded, good enough for demo traffic.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next() % n }
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

/// One HTTP exchange: the status and the `Location` header.
fn exchange(addr: SocketAddr, request: &str) -> io::Result<(u16, Option<String>)> {
    let mut stream = TcpStream::connect(addr)?;
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    stream.write_all(request.as_bytes())?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response)?;
    let text = String::from_utf8_lossy(&response);
    let head = text.split("\r\n\r\n").next().unwrap_or_default();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| io::Error::other("not an HTTP response"))?;
    let location = head
        .lines()
        .find_map(|l| {
            l.strip_prefix("location: ")
                .or_else(|| l.strip_prefix("Location: "))
        })
        .map(str::to_owned);
    Ok((status, location))
}

/// Follows `/r/{code}`, as a returning visitor when `visitor` is their referral cookie.
fn follow(
    addr: SocketAddr,
    code: &str,
    agent: &str,
    visitor: Option<&str>,
) -> io::Result<(u16, Option<String>)> {
    let cookie = visitor
        .map(|v| format!("Cookie: {}={v}\r\n", super::redirect::REFERRAL_COOKIE))
        .unwrap_or_default();
    exchange(
        addr,
        &format!(
            "GET /r/{code} HTTP/1.1\r\nHost: {addr}\r\nUser-Agent: {agent}\r\n\
             {cookie}Connection: close\r\n\r\n"
        ),
    )
}

/// The visitor id a landing URL carries (`kith_ref=…`).
fn visitor_of(landing: &str) -> Option<&str> {
    let key = format!("{}=", super::redirect::REFERRAL_COOKIE);
    let at = landing.find(&key)? + key.len();
    let rest = &landing[at..];
    Some(&rest[..rest.find('&').unwrap_or(rest.len())])
}

fn deliver(addr: SocketAddr, secret: &str, topic: &str, id: &str, body: &str) -> io::Result<u16> {
    let request = format!(
        "POST /webhooks/shopify/orders HTTP/1.1\r\nHost: {addr}\r\n\
         Content-Type: application/json\r\nX-Shopify-Topic: {topic}\r\n\
         X-Shopify-Webhook-Id: {id}\r\nX-Shopify-Hmac-Sha256: {}\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        sign(secret, body.as_bytes()),
        body.len()
    );
    Ok(exchange(addr, &request)?.0)
}

/// Runs `jobs` with [`PARALLEL`] threads; the first error wins.
fn in_parallel<T: Send>(jobs: Vec<T>, work: impl Fn(T) -> io::Result<()> + Sync) -> io::Result<()> {
    let queue = Mutex::new(jobs);
    let failed: Mutex<Option<io::Error>> = Mutex::new(None);
    std::thread::scope(|s| {
        for _ in 0..PARALLEL {
            s.spawn(|| {
                loop {
                    let job = queue.lock().ok().and_then(|mut q| q.pop());
                    let Some(job) = job else { break };
                    if let Err(e) = work(job)
                        && let Ok(mut f) = failed.lock()
                    {
                        f.get_or_insert(e);
                    }
                }
            });
        }
    });
    match failed.into_inner() {
        Ok(Some(e)) => Err(e),
        _ => Ok(()),
    }
}

fn money(cents: i64) -> String {
    format!("{}.{:02}", cents / 100, cents % 100)
}

/// The traffic against a server at `addr`.
pub fn drive(addr: SocketAddr, traffic: &Traffic) -> io::Result<Summary> {
    let mut rng = Rng(traffic.seed | 1);
    let mut summary = Summary::default();
    // Who clicks: people (some of them buy later) and link-preview bots.
    let mut visits: Vec<(String, &'static str, bool)> = Vec::new();
    for m in &traffic.members {
        let people = (m.reach / 150).clamp(8, 160) + rng.below(10);
        for _ in 0..people {
            let agent = BROWSERS[rng.below(BROWSERS.len() as u64) as usize];
            visits.push((m.code.clone(), agent, true));
        }
        for _ in 0..(people / 12).max(1) {
            let agent = BOTS[rng.below(BOTS.len() as u64) as usize];
            visits.push((m.code.clone(), agent, false));
        }
    }
    let landings: Mutex<Vec<(String, &'static str, bool, String)>> = Mutex::new(Vec::new());
    summary.clicks = visits.iter().filter(|v| v.2).count() as u64;
    summary.bot_visits = visits.len() as u64 - summary.clicks;
    let visit = |(code, agent, person, visitor): (String, &'static str, bool, Option<String>)| {
        let (status, location) = follow(addr, &code, agent, visitor.as_deref())?;
        if status != 302 {
            return Err(io::Error::other(format!("/r/{code} answered {status}")));
        }
        if let Some(l) = location
            && let Ok(mut all) = landings.lock()
        {
            all.push((code, agent, person, l));
        }
        Ok(())
    };
    in_parallel(
        visits
            .into_iter()
            .map(|(code, agent, person)| (code, agent, person, None))
            .collect(),
        visit,
    )?;
    // Some people come back to the same link the same day, their cookie with them.
    let mut first_visits = landings.lock().map(|l| l.clone()).unwrap_or_default();
    first_visits.sort();
    let returning: Vec<_> = first_visits
        .iter()
        .filter(|v| v.2 && rng.chance(12))
        .filter_map(|(code, agent, _, landing)| {
            Some((
                code.clone(),
                *agent,
                true,
                Some(visitor_of(landing)?.to_owned()),
            ))
        })
        .collect();
    summary.returning = returning.len() as u64;
    summary.clicks += summary.returning;
    in_parallel(returning, visit)?;
    let mut landings: Vec<String> = first_visits
        .into_iter()
        .filter(|v| v.2)
        .map(|v| v.3)
        .collect();
    landings.sort();

    // Orders: about one visit in 25 buys, some buyers type a member's code instead, and a
    // few orders come from no member at all.
    let now = OffsetDateTime::now_utc();
    let placed = now.format(&Rfc3339).unwrap_or_default();
    let mut next_id = 5_200_000_000_000 + rng.below(1_000_000) * 1_000;
    let mut order = |rng: &mut Rng, codes: Vec<String>, landing: Option<String>, email: String| {
        next_id += 1;
        let price = traffic.prices[rng.below(traffic.prices.len() as u64) as usize];
        let cents = price * (1 + rng.below(3) as i64);
        let body = serde_json::json!({
            "id": next_id, "email": email, "created_at": placed, "currency": "USD",
            "subtotal_price": money(cents), "total_price": money(cents + 695),
            "discount_codes": codes.iter().map(|c| serde_json::json!({"code": c})).collect::<Vec<_>>(),
            "landing_site": landing,
            "customer": {"id": 7_300_000 + next_id % 100_000, "email": email},
        });
        (next_id, cents, body.to_string())
    };
    let mut orders = Vec::new();
    for (i, landing) in landings.iter().enumerate() {
        if rng.chance(4) {
            // The shop records where the visitor landed: the path and query after the host.
            let after_host = landing.find("://").map_or(0, |s| s + 3);
            let start = landing[after_host..]
                .find(['/', '?'])
                .map_or(landing.len(), |p| after_host + p);
            let landing = Some(format!("/{}", landing[start..].trim_start_matches('/')));
            orders.push(order(
                &mut rng,
                vec![],
                landing,
                format!("buyer{i}@example.net"),
            ));
        }
    }
    for (i, m) in traffic.members.iter().enumerate() {
        for k in 0..rng.below(3) {
            let email = format!("fan{i}x{k}@example.org");
            orders.push(order(&mut rng, vec![m.code.clone()], None, email));
        }
    }
    for k in 0..(orders.len() / 5).max(3) {
        orders.push(order(
            &mut rng,
            vec![],
            None,
            format!("walkin{k}@example.com"),
        ));
    }
    // One member buys with their own code: a self-referral, held for review.
    if let Some(m) = traffic.members.iter().find(|m| m.email.is_some()) {
        let email = m.email.clone().unwrap_or_default();
        orders.push(order(&mut rng, vec![m.code.clone()], None, email));
    }

    let mut deliveries: Vec<(&'static str, String, String)> = Vec::new();
    for (id, cents, body) in &orders {
        deliveries.push(("orders/create", format!("demo-order-{id}"), body.clone()));
        if rng.chance(8) {
            let refund_id = id + 500_000_000;
            let back = if rng.chance(50) { *cents } else { cents / 2 };
            let body = serde_json::json!({
                "id": refund_id, "order_id": id, "created_at": placed,
                "refund_line_items": [{"quantity": 1, "subtotal": money(back)}],
            });
            deliveries.push((
                "refunds/create",
                format!("demo-refund-{refund_id}"),
                body.to_string(),
            ));
            summary.refunds += 1;
        }
    }
    summary.orders = orders.len() as u64;
    // Shopify retries: some deliveries arrive twice.
    let again: Vec<_> = deliveries
        .iter()
        .filter(|_| rng.chance(10))
        .cloned()
        .collect();
    summary.duplicates = again.len() as u64;
    for batch in [deliveries, again] {
        in_parallel(batch, |(topic, id, body)| {
            let status = deliver(addr, &traffic.secret, topic, &id, &body)?;
            if status == 200 {
                Ok(())
            } else {
                Err(io::Error::other(format!("webhook {id} answered {status}")))
            }
        })?;
    }
    Ok(summary)
}

/// Serves `state` on a loopback port for as long as the traffic takes.
pub fn serve_and_drive(state: AppState, traffic: &Traffic) -> io::Result<Summary> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(crate::run(listener, state, async move {
            let _ = stopped.await;
        }));
        let traffic = traffic.clone();
        let summary = tokio::task::spawn_blocking(move || drive(addr, &traffic))
            .await
            .map_err(io::Error::other)?;
        let _ = stop.send(());
        server.await.map_err(io::Error::other)??;
        summary
    })
}
