//! How often one client address may open or post survey links: a token
//! bucket per address, in memory (the public pages need no database write
//! to refuse). A bucket holds `per_minute` requests and refills at that
//! rate; an address that spends them waits, every other address does not.
//! Buckets full again are forgotten when the table grows, so the table
//! stays bounded.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

/// Most addresses kept before full buckets are forgotten.
const MAX_CLIENTS: usize = 10_000;

/// The buckets of every client address.
#[derive(Debug, Default)]
pub struct Limiter {
    buckets: Mutex<HashMap<String, (f64, Instant)>>,
}

impl Limiter {
    /// Whether `client` may make a request at `now`, spending one if so.
    pub fn allow(&self, client: &str, per_minute: u32, now: Instant) -> bool {
        if per_minute == 0 {
            return true;
        }
        let cap = f64::from(per_minute);
        let rate = cap / 60.0;
        let mut map = match self.buckets.lock() {
            Ok(m) => m,
            Err(poisoned) => poisoned.into_inner(),
        };
        if map.len() >= MAX_CLIENTS {
            map.retain(|_, (tokens, at)| {
                *tokens + now.saturating_duration_since(*at).as_secs_f64() * rate < cap
            });
        }
        let (tokens, at) = map.entry(client.to_string()).or_insert((cap, now));
        *tokens = (*tokens + now.saturating_duration_since(*at).as_secs_f64() * rate).min(cap);
        *at = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn an_address_waits_and_others_do_not() {
        let l = Limiter::default();
        let t = Instant::now();
        assert!((0..3).all(|_| l.allow("a", 3, t)));
        assert!(!l.allow("a", 3, t));
        assert!(l.allow("b", 3, t));
        // One request back every 20 seconds.
        assert!(!l.allow("a", 3, t + Duration::from_secs(19)));
        assert!(l.allow("a", 3, t + Duration::from_secs(40)));
        assert!(l.allow("c", 0, t));
    }
}
