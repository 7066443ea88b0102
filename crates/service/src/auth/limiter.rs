//! Login rate limit: a token bucket per client address and per account (governor's keyed GCRA limiter).

use std::num::NonZeroU32;

use governor::clock::{Clock as _, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::ServiceError;

/// Limits login attempts per minute, by client address and by e-mail. State is per process: with several nodes
/// behind a load balancer the effective limit is the per-node limit times the number of nodes.
pub struct LoginLimiter {
    by_ip: DefaultKeyedRateLimiter<String>,
    by_account: DefaultKeyedRateLimiter<String>,
}

impl LoginLimiter {
    /// A limiter allowing `per_minute` attempts (at least 1).
    #[must_use]
    pub fn new(per_minute: u32) -> Self {
        let quota = Quota::per_minute(NonZeroU32::new(per_minute).unwrap_or(NonZeroU32::MIN));
        Self {
            by_ip: RateLimiter::keyed(quota),
            by_account: RateLimiter::keyed(quota),
        }
    }

    /// Counts one attempt from `ip` for `account`.
    ///
    /// # Errors
    /// [`ServiceError::RateLimited`] when either bucket is empty.
    pub fn check(&self, ip: &str, account: &str) -> Result<(), ServiceError> {
        let clock = DefaultClock::default();
        for (limiter, key) in [(&self.by_ip, ip), (&self.by_account, account)] {
            if let Err(not_until) = limiter.check_key(&key.to_owned()) {
                let wait = not_until.wait_time_from(clock.now());
                return Err(ServiceError::RateLimited {
                    retry_after_secs: wait.as_secs().max(1),
                });
            }
        }
        // Forget keys whose buckets are full again, so memory does not grow with every address seen.
        self.by_ip.retain_recent();
        self.by_account.retain_recent();
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_eleventh_attempt_in_a_minute_is_refused_per_account_and_per_ip() {
        let limiter = LoginLimiter::new(10);
        for i in 0..10 {
            limiter
                .check(&format!("10.0.0.{i}"), "ada@example.org")
                .unwrap();
        }
        assert!(matches!(
            limiter.check("10.0.0.99", "ada@example.org"),
            Err(ServiceError::RateLimited { .. })
        ));
        for i in 0..10 {
            limiter
                .check("192.0.2.1", &format!("u{i}@example.org"))
                .unwrap();
        }
        assert!(limiter.check("192.0.2.1", "other@example.org").is_err());
        limiter.check("192.0.2.2", "fresh@example.org").unwrap();
    }
}
