//! How long to wait before trying again: exponential backoff with jitter, and the
//! servers' own `Retry-After`.
//!
//! Without a server hint the n-th retry waits a random time in [½·d, d] where
//! d = min(max, base·2ⁿ) ("equal jitter": never zero, never in lock-step with other
//! clients). With a hint the wait is the hint plus up to 10 % (so clients released at
//! the same instant spread out), never less than the hint.

use std::time::Duration;

use time::OffsetDateTime;
use time::macros::format_description;

/// The retry policy of one run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Tries per request, the first included.
    pub attempts: u32,
    pub base: Duration,
    pub max_delay: Duration,
    /// A server asking for a longer wait than this stops the run (it can be resumed).
    pub max_wait: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            attempts: 6,
            base: Duration::from_secs(1),
            max_delay: Duration::from_secs(60),
            max_wait: Duration::from_secs(15 * 60),
        }
    }
}

impl RetryPolicy {
    /// The wait before retry number `retry` (0 for the first retry).
    pub fn delay(&self, retry: u32, hint: Option<Duration>, rng: &mut fastrand::Rng) -> Duration {
        match hint {
            Some(h) => h + h.mul_f64(0.1 * rng.f64()),
            None => {
                let factor = 2u32.saturating_pow(retry.min(20));
                let cap = self.base.saturating_mul(factor).min(self.max_delay);
                cap.mul_f64(0.5 + 0.5 * rng.f64())
            }
        }
    }
}

/// `Retry-After`: whole seconds, or an HTTP date (`Wed, 21 Oct 2015 07:28:00 GMT`).
pub fn retry_after(value: &str, now: OffsetDateTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let format = format_description!(
        "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
    );
    let at = time::PrimitiveDateTime::parse(value, format)
        .ok()?
        .assume_utc();
    Some(until(at, now))
}

/// From now until `at` (zero if `at` has passed).
pub fn until(at: OffsetDateTime, now: OffsetDateTime) -> Duration {
    let secs = (at - now).whole_seconds().max(0);
    Duration::from_secs(secs as u64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn retry_after_reads_seconds_and_http_dates() {
        let now = datetime!(2015-10-21 07:27:00 UTC);
        assert_eq!(retry_after("120", now), Some(Duration::from_secs(120)));
        assert_eq!(
            retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now),
            Some(Duration::from_secs(60))
        );
        assert_eq!(retry_after("soon", now), None);
    }

    #[test]
    fn backoff_doubles_within_jitter_and_stops_growing_at_the_cap() {
        let policy = RetryPolicy::default();
        let mut rng = fastrand::Rng::with_seed(7);
        for retry in 0..10 {
            let cap = Duration::from_secs(1 << retry.min(6)).min(policy.max_delay);
            let d = policy.delay(retry, None, &mut rng);
            assert!(
                d >= cap / 2 && d <= cap,
                "retry {retry}: {d:?} not in [{:?}, {cap:?}]",
                cap / 2
            );
        }
    }

    #[test]
    fn a_server_hint_is_never_shortened() {
        let mut rng = fastrand::Rng::with_seed(1);
        for _ in 0..100 {
            let d = RetryPolicy::default().delay(0, Some(Duration::from_secs(30)), &mut rng);
            assert!(d >= Duration::from_secs(30) && d <= Duration::from_secs(33));
        }
    }
}
