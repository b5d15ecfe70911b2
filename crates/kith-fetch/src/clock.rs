//! Time, behind a trait: the connectors wait (Retry-After, backoff) and date their
//! fetches through it, so tests run instantly and deterministically.

use std::time::Duration;

use time::OffsetDateTime;

pub trait Clock {
    fn now(&self) -> OffsetDateTime;
    fn sleep(&self, duration: Duration);
}

/// The real clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> OffsetDateTime {
        OffsetDateTime::now_utc()
    }

    fn sleep(&self, duration: Duration) {
        std::thread::sleep(duration);
    }
}
