//! Password hashing and checking: argon2id with one set of parameters.
//!
//! A login for a name that has no account must cost what a wrong password
//! costs, or the answer time tells which names exist. [`Passwords`] holds a
//! dummy hash computed once at start-up with the same parameters as every new
//! hash, and [`Passwords::check`] runs exactly one verification whether or
//! not there is a stored hash.

use std::sync::atomic::{AtomicU64, Ordering};

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Argon2, password_hash::rand_core::OsRng};

use crate::error::{AppError, AppResult};

/// The one hasher: argon2id with the crate's default (OWASP-recommended)
/// parameters. Every new hash and the dummy hash use it.
fn argon2() -> Argon2<'static> {
    Argon2::default()
}

/// Hashes a password with argon2id and a fresh salt.
///
/// # Errors
/// Only if the hasher fails (an internal fault).
pub fn hash_password(password: &str) -> AppResult<String> {
    let salt = SaltString::generate(&mut OsRng);
    argon2()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AppError::internal(anyhow::anyhow!("hashing failed: {e}")))
}

/// Whether `password` matches the stored hash (one argon2 verification with
/// the parameters recorded in the hash).
pub fn verify_password(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored)
        .map(|h| argon2().verify_password(password.as_bytes(), &h).is_ok())
        .unwrap_or(false)
}

/// Password checks for logins: the dummy hash and a count of verifications.
pub struct Passwords {
    dummy: String,
    verifications: AtomicU64,
}

impl std::fmt::Debug for Passwords {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Passwords")
            .field("verifications", &self.verifications())
            .finish_non_exhaustive()
    }
}

impl Passwords {
    /// Computes the dummy hash (one argon2 hash: call it at start-up, off
    /// any request).
    ///
    /// # Errors
    /// Only if the hasher fails.
    pub fn new() -> AppResult<Passwords> {
        let (random, _) = super::service::new_secret("");
        Ok(Passwords {
            dummy: hash_password(&random)?,
            verifications: AtomicU64::new(0),
        })
    }

    /// Checks `password` against `stored`, or against the dummy hash when
    /// there is no stored hash (an unknown name: the answer is `false` after
    /// the same work). Exactly one verification either way.
    pub fn check(&self, password: &str, stored: Option<&str>) -> bool {
        self.verifications.fetch_add(1, Ordering::Relaxed);
        match stored {
            Some(hash) => verify_password(password, hash),
            None => {
                // The dummy's password is random and never known: this fails.
                let _ = verify_password(password, &self.dummy);
                false
            }
        }
    }

    /// How many login verifications have run since start-up (the unknown-name
    /// path counts too; tests and operators can see that it does the work).
    pub fn verifications(&self) -> u64 {
        self.verifications.load(Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_dummy_hash_has_the_parameters_of_every_new_hash() {
        let p = Passwords::new().unwrap();
        let real = hash_password("some-password-1").unwrap();
        let params = |h: &str| {
            let parsed = PasswordHash::new(h).unwrap();
            (
                parsed.algorithm.to_string(),
                parsed.version,
                parsed.params.to_string(),
            )
        };
        assert_eq!(params(&p.dummy), params(&real));
        assert!(p.check("some-password-1", Some(&real)));
        assert!(!p.check("some-password-1", None));
        assert_eq!(p.verifications(), 2);
    }
}
