//! A clock that never waits, and runs against the mock server.

use std::sync::Mutex;
use std::time::Duration;

use kith_core::{Handle, Platform};
use kith_fetch::clock::Clock;
use kith_fetch::{Config, FetchError, Summary, Token};
use time::OffsetDateTime;
use time::macros::datetime;

pub const NOW: OffsetDateTime = datetime!(2024-06-01 00:00 UTC);
pub const TOKEN: &str = "EAAtest-token-0123456789";

/// Fixed time; sleeps are recorded, not slept.
#[derive(Debug, Default)]
pub struct FakeClock {
    pub sleeps: Mutex<Vec<Duration>>,
}

impl Clock for FakeClock {
    fn now(&self) -> OffsetDateTime {
        NOW
    }
    fn sleep(&self, d: Duration) {
        self.sleeps.lock().unwrap().push(d);
    }
}

pub fn config(platform: Platform, base: &str) -> Config {
    let mut c = Config::new(platform, Token::new(TOKEN));
    c.api_base = base.to_owned();
    c.instagram_user_id = Some("17841400000000999".into());
    c.keep_raw = true;
    c
}

pub fn handles(names: &[&str]) -> Vec<Handle> {
    names.iter().map(|n| Handle::parse(n).unwrap()).collect()
}

pub fn run(
    config: &Config,
    names: &[&str],
    dir: &std::path::Path,
    clock: &FakeClock,
) -> Result<Summary, FetchError> {
    kith_fetch::run(config, &handles(names), dir, clock, &mut ())
}

pub fn lines(path: &std::path::Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .map(str::to_owned)
        .collect()
}
