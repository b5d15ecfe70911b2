//! The server side of `bench/dashboard-bench.sh`: fills a store with synthetic scored
//! candidates (1,000,000 by default), makes an API token and a session for the load
//! generator, and serves kith until killed.
//!
//! `cargo run --release -p kith-server --example dashboard_bench -- [--rows N]
//!  [--database-url postgres://…] [--data DIR] [--bind 127.0.0.1:8099]`
//!
//! Prints `token=…`, `cookie=…` and `listening on …` on standard output.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use kith_core::{Candidate, Handle, PersonSource, Platform, Tier};
use kith_server::AppState;
use kith_server::auth::secret;
use kith_store::{ApiToken, Role, Store};
use time::OffsetDateTime;

const CATEGORIES: [&str; 8] = [
    "food & drink",
    "fitness",
    "travel",
    "family",
    "outdoors",
    "beauty",
    "tech & gaming",
    "pets",
];

/// A deterministic pseudo-random stream (SplitMix64), so every run loads the same data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

fn candidate(i: u64, rng: &mut Rng) -> Candidate {
    // Followers log-uniform from 100 to 2M: most people are nano or micro.
    let followers = (100.0 * 20_000f64.powf(rng.unit())) as u64;
    let tier = match followers {
        0..1_000 => Tier::Nano,
        1_000..100_000 => Tier::Micro,
        100_000..1_000_000 => Tier::Macro,
        _ => Tier::Mega,
    };
    let platform = Platform::ALL[(rng.next() % 4) as usize];
    let employee = rng.next().is_multiple_of(50);
    let matched = !rng.next().is_multiple_of(5);
    let er = 0.09 * (followers as f64).powf(-0.15) * (0.5 + rng.unit());
    let c1 = CATEGORIES[(rng.next() % 8) as usize];
    let c2 = CATEGORIES[(rng.next() % 8) as usize];
    let mentions = (rng.next() % 4) as u32;
    Candidate {
        rank: 0,
        person_id: matched.then(|| format!("p-{i:08}")),
        source: matched.then_some(if employee {
            PersonSource::Employee
        } else {
            PersonSource::Customer
        }),
        name: format!("Person {i}"),
        platform,
        handle: Handle::parse(&format!("user{i}")).unwrap(),
        followers: Some(followers),
        tier: Some(tier),
        engagement_rate: Some((er * 1e6).round() / 1e6),
        er_index: Some((er / 0.03 * 100.0).round() / 100.0),
        authenticity: Some((40.0 + 60.0 * rng.unit()).round()),
        authenticity_flags: if rng.next().is_multiple_of(10) {
            vec!["dormant".into()]
        } else {
            Vec::new()
        },
        categories: if c1 == c2 {
            vec![c1.into()]
        } else {
            vec![c1.into(), c2.into()]
        },
        brand_mentions: mentions,
        brand_sentiment: (mentions > 0).then(|| (rng.unit() * 160.0 - 60.0).round()),
        customer_value: (matched && !employee).then(|| (rng.unit() * 100.0).round()),
        fit_score: (rng.unit() * 1000.0).round() / 10.0,
        explanation: format!("{tier} · synthetic row {i}"),
    }
}

fn arg(name: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .cloned()
}

fn main() {
    let rows: u64 = arg("--rows").map_or(1_000_000, |r| r.parse().unwrap());
    let bind = arg("--bind").unwrap_or_else(|| "127.0.0.1:8099".into());
    let data = arg("--data").unwrap_or_else(|| "./kith-bench-data".into());
    let store: Arc<dyn Store> = kith_store::open(
        arg("--database-url").as_deref(),
        std::path::Path::new(&data),
    )
    .unwrap();

    if store.status().unwrap().candidates != rows {
        let started = Instant::now();
        let mut rng = Rng(42);
        let all: Vec<Candidate> = (0..rows).map(|i| candidate(i, &mut rng)).collect();
        let version = store.data_version().unwrap();
        store.replace_candidates(&all, version).unwrap();
        eprintln!(
            "loaded {rows} candidates in {:.1} s",
            started.elapsed().as_secs_f64()
        );
    }

    let made = secret::new_api_token().unwrap();
    let token = ApiToken {
        id: made.id.clone(),
        name: "benchmark".into(),
        role: Role::Viewer,
        created_at: OffsetDateTime::now_utc(),
        revoked: false,
    };
    store.create_api_token(&token, &made.secret_hash).unwrap();
    let user = match store.user_credentials("bench@example.com").unwrap() {
        Some((u, _)) => u,
        None => store
            .create_user("bench@example.com", "unused", Role::Viewer)
            .unwrap()
            .unwrap(),
    };
    let cookie = secret::random_hex(32).unwrap();
    let expires = OffsetDateTime::now_utc() + time::Duration::hours(2);
    store
        .create_session(&secret::sha256_hex(&cookie), user.id, "bench", expires)
        .unwrap();
    println!("token={}", made.token);
    println!("cookie={cookie}");

    // Build the in-memory index before taking traffic, as a warm server would have it.
    let state = AppState::new(Arc::clone(&store));
    let started = Instant::now();
    state.discovery.rebuild(store.as_ref()).unwrap();
    eprintln!(
        "indexed {rows} candidates in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(&bind).await.unwrap();
        println!("listening on {}", listener.local_addr().unwrap());
        let shutdown = async {
            let _ = tokio::signal::ctrl_c().await;
        };
        kith_server::run(listener, state, shutdown).await.unwrap();
    });
    std::thread::sleep(Duration::from_millis(10));
}
