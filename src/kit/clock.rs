//! The clock the services read.
//!
//! Every time a service stores or compares comes from [`crate::ids::now`],
//! which reads the clock of the application the code runs for. The server
//! runs on the system clock; a test starts its application at the instant it
//! means ("15 March, 09:30 UTC"), so that what it checks never depends on the
//! day the suite runs.
//!
//! The clock is entered per thread: actix workers enter it when they start,
//! and [`crate::db::run`] enters it around the blocking work it hands to the
//! thread pool, so a service needs no clock argument to see the right time,
//! and two applications in one process (the tests) each see their own.

use std::cell::RefCell;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{DurationRound, NaiveDateTime, TimeDelta, Utc};

/// A clock: the system's, or the system's shifted to an instant a test set.
///
/// A set clock keeps running from that instant at the system's pace, so
/// that events a test makes one after another still have rising times.
#[derive(Debug, Clone, Default)]
pub struct Clock {
    /// Microseconds added to the system time; shared by every clone.
    offset_us: Arc<AtomicI64>,
}

thread_local! {
    static CURRENT: RefCell<Option<Clock>> = const { RefCell::new(None) };
}

fn system_now() -> NaiveDateTime {
    let t = Utc::now().naive_utc();
    t.duration_trunc(TimeDelta::microseconds(1)).unwrap_or(t)
}

impl Clock {
    /// The system clock.
    pub fn system() -> Clock {
        Clock::default()
    }

    /// A clock that reads `t` now and runs on from there.
    pub fn starting_at(t: NaiveDateTime) -> Clock {
        let clock = Clock::default();
        clock.set(t);
        clock
    }

    /// Moves the clock so that it reads `t` now (forwards or backwards).
    pub fn set(&self, t: NaiveDateTime) {
        let offset = (t - system_now()).num_microseconds().unwrap_or(0);
        self.offset_us.store(offset, Ordering::SeqCst);
    }

    /// Moves the clock forwards by `d`.
    pub fn advance(&self, d: TimeDelta) {
        self.offset_us
            .fetch_add(d.num_microseconds().unwrap_or(0), Ordering::SeqCst);
    }

    /// What the clock reads, in UTC, to the microsecond.
    pub fn now(&self) -> NaiveDateTime {
        let t = system_now();
        let offset = self.offset_us.load(Ordering::SeqCst);
        t.checked_add_signed(TimeDelta::microseconds(offset))
            .unwrap_or(t)
    }

    /// Makes this the clock of the current thread for as long as `f` runs.
    pub fn enter<R>(&self, f: impl FnOnce() -> R) -> R {
        let previous = CURRENT.with(|c| c.replace(Some(self.clone())));
        // Restored on unwind too, so a panicking task leaves no clock behind.
        struct Restore(Option<Clock>);
        impl Drop for Restore {
            fn drop(&mut self) {
                let previous = self.0.take();
                CURRENT.with(|c| *c.borrow_mut() = previous);
            }
        }
        let _restore = Restore(previous);
        f()
    }

    /// Makes this the clock of the current thread from now on (for threads
    /// that serve one application only, such as actix workers).
    pub fn install(&self) {
        CURRENT.with(|c| *c.borrow_mut() = Some(self.clone()));
    }

    /// The clock of the current thread, or the system clock.
    pub fn current() -> Clock {
        CURRENT.with(|c| c.borrow().clone()).unwrap_or_default()
    }
}

/// Now, by the clock of the current thread (the system clock if none was
/// entered).
pub fn now() -> NaiveDateTime {
    CURRENT.with(|c| match &*c.borrow() {
        Some(clock) => clock.now(),
        None => system_now(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn at(y: i32, m: u32, d: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .and_then(|d| d.and_hms_opt(9, 30, 0))
            .expect("valid")
    }

    #[test]
    fn a_set_clock_reads_its_instant_and_runs_on() {
        let clock = Clock::starting_at(at(2024, 2, 29));
        let first = clock.now();
        assert!(first >= at(2024, 2, 29) && first < at(2024, 2, 29) + TimeDelta::minutes(1));
        assert!(clock.now() >= first);
        clock.advance(TimeDelta::days(1));
        assert_eq!(
            clock.now().date(),
            NaiveDate::from_ymd_opt(2024, 3, 1).expect("date")
        );
    }

    #[test]
    fn entering_a_clock_is_scoped_to_the_thread_and_the_call() {
        let clock = Clock::starting_at(at(2030, 1, 31));
        let inside = clock.enter(now);
        assert_eq!(inside.date(), at(2030, 1, 31).date());
        assert_ne!(
            now().date(),
            at(2030, 1, 31).date(),
            "left behind after enter"
        );
        let other = std::thread::spawn(now).join().expect("thread");
        assert_ne!(other.date(), at(2030, 1, 31).date());
    }
}
