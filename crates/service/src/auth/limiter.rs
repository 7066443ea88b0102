//! Login throttling. Per client address: a token bucket (governor's keyed GCRA limiter); an address that runs dry
//! is refused with `rate-limited`. Per account: failed attempts make every further attempt on that account wait a
//! little longer (doubling from 1 s after 5 failures, at most 8 s), and a success or 15 quiet minutes forget them.
//! The account is slowed, never locked: whoever knows an admin's e-mail can make their login slower, not impossible,
//! while guessing a password at one try per 8 s stays hopeless.

use std::collections::HashMap;
use std::num::NonZeroU32;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use governor::clock::{Clock as _, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::ServiceError;

/// Failures before an account's attempts start to wait.
const FREE_FAILURES: u32 = 5;
/// Longest wait per attempt.
const MAX_DELAY: Duration = Duration::from_secs(8);
/// Failures are forgotten after this long without a new one.
const FORGET_AFTER: Duration = Duration::from_secs(15 * 60);
/// Accounts tracked at most; past it, the stalest are forgotten first.
const MAX_ACCOUNTS: usize = 10_000;

#[derive(Debug, Clone, Copy)]
struct Failures {
    count: u32,
    last: Instant,
}

/// Login throttling state of this process. With several nodes behind a load balancer each node counts alone.
pub struct LoginLimiter {
    by_ip: DefaultKeyedRateLimiter<String>,
    failures: Mutex<HashMap<String, Failures>>,
}

impl LoginLimiter {
    /// A limiter allowing `per_minute` attempts per client address (at least 1).
    #[must_use]
    pub fn new(per_minute: u32) -> Self {
        let quota = Quota::per_minute(NonZeroU32::new(per_minute).unwrap_or(NonZeroU32::MIN));
        Self {
            by_ip: RateLimiter::keyed(quota),
            failures: Mutex::new(HashMap::new()),
        }
    }

    /// Counts one attempt from `ip`.
    ///
    /// # Errors
    /// [`ServiceError::RateLimited`] when the address's bucket is empty.
    pub fn check_ip(&self, ip: &str) -> Result<(), ServiceError> {
        let clock = DefaultClock::default();
        if let Err(not_until) = self.by_ip.check_key(&ip.to_owned()) {
            let wait = not_until.wait_time_from(clock.now());
            return Err(ServiceError::RateLimited {
                retry_after_secs: wait.as_secs().max(1),
            });
        }
        // Forget keys whose buckets are full again, so memory does not grow with every address seen.
        self.by_ip.retain_recent();
        Ok(())
    }

    /// How long an attempt on `account` must wait before its password is checked.
    #[must_use]
    pub fn delay_for(&self, account: &str) -> Duration {
        let now = Instant::now();
        let map = self
            .failures
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        map.get(account)
            .filter(|f| now.duration_since(f.last) < FORGET_AFTER)
            .map_or(Duration::ZERO, |f| delay(f.count))
    }

    /// Records a failed attempt on `account`.
    pub fn record_failure(&self, account: &str) {
        let now = Instant::now();
        let mut map = self
            .failures
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if map.len() >= MAX_ACCOUNTS && !map.contains_key(account) {
            map.retain(|_, f| now.duration_since(f.last) < FORGET_AFTER);
            if map.len() >= MAX_ACCOUNTS
                && let Some(stalest) = map
                    .iter()
                    .min_by_key(|(_, f)| f.last)
                    .map(|(k, _)| k.clone())
            {
                map.remove(&stalest);
            }
        }
        let entry = map.entry(account.to_owned()).or_insert(Failures {
            count: 0,
            last: now,
        });
        if now.duration_since(entry.last) >= FORGET_AFTER {
            entry.count = 0;
        }
        entry.count = entry.count.saturating_add(1);
        entry.last = now;
    }

    /// Forgets `account`'s failures after a successful login.
    pub fn record_success(&self, account: &str) {
        self.failures
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .remove(account);
    }
}

fn delay(failures: u32) -> Duration {
    if failures < FREE_FAILURES {
        return Duration::ZERO;
    }
    let doublings = (failures - FREE_FAILURES).min(8);
    Duration::from_secs(1 << doublings).min(MAX_DELAY)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn an_address_is_refused_after_its_quota_and_others_are_not() {
        let limiter = LoginLimiter::new(10);
        for _ in 0..10 {
            limiter.check_ip("192.0.2.1").unwrap();
        }
        assert!(matches!(
            limiter.check_ip("192.0.2.1"),
            Err(ServiceError::RateLimited { .. })
        ));
        limiter.check_ip("192.0.2.2").unwrap();
    }

    #[test]
    fn failures_slow_an_account_up_to_a_ceiling_and_a_success_forgets_them() {
        let limiter = LoginLimiter::new(10);
        for _ in 0..FREE_FAILURES {
            assert_eq!(limiter.delay_for("ada@example.org"), Duration::ZERO);
            limiter.record_failure("ada@example.org");
        }
        assert_eq!(limiter.delay_for("ada@example.org"), Duration::from_secs(1));
        limiter.record_failure("ada@example.org");
        assert_eq!(limiter.delay_for("ada@example.org"), Duration::from_secs(2));
        for _ in 0..100 {
            limiter.record_failure("ada@example.org");
        }
        assert_eq!(limiter.delay_for("ada@example.org"), MAX_DELAY);
        assert_eq!(limiter.delay_for("bob@example.org"), Duration::ZERO);
        limiter.record_success("ada@example.org");
        assert_eq!(limiter.delay_for("ada@example.org"), Duration::ZERO);
    }

    #[test]
    fn the_tracked_accounts_are_bounded() {
        let limiter = LoginLimiter::new(10);
        for i in 0..(MAX_ACCOUNTS + 50) {
            limiter.record_failure(&format!("u{i}@example.org"));
        }
        assert!(limiter.failures.lock().unwrap().len() <= MAX_ACCOUNTS);
    }
}
