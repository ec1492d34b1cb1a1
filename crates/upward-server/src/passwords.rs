//! Passwords: argon2id hashes in PHC strings, the work of a check made the same whether or not
//! the account exists, and the rules of a new password.

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};

/// The fewest characters a password may have (said on every form that sets one).
pub const MIN_PASSWORD_CHARS: usize = 12;
/// The most bytes hashed: a longer "password" is a way to make the server work, not a secret.
pub const MAX_PASSWORD_BYTES: usize = 1024;

/// The argon2id cost of new hashes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cost {
    /// Memory in KiB.
    pub memory_kib: u32,
    pub iterations: u32,
    pub lanes: u32,
}

impl Cost {
    /// OWASP's recommendation for argon2id: 19 MiB, 2 iterations, 1 lane (tens of ms).
    pub const DEFAULT: Cost = Cost {
        memory_kib: 19 * 1024,
        iterations: 2,
        lanes: 1,
    };
    /// The least argon2 allows: for tests only.
    pub const MINIMUM: Cost = Cost {
        memory_kib: 8,
        iterations: 1,
        lanes: 1,
    };

    /// [`Cost::DEFAULT`], or [`Cost::MINIMUM`] when the test-only variable
    /// `UPWARD_TEST_ARGON2_MIN=1` is set.
    pub fn from_env() -> Cost {
        match std::env::var("UPWARD_TEST_ARGON2_MIN") {
            Ok(v) if v == "1" => Cost::MINIMUM,
            _ => Cost::DEFAULT,
        }
    }

    fn hasher(&self) -> Argon2<'static> {
        let params = Params::new(self.memory_kib, self.iterations, self.lanes, None)
            .expect("the cost's parameters are within argon2's bounds");
        Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
    }
}

/// Hashing and checking at one cost, with a dummy hash of that cost so that an unknown email
/// costs a check the same work as a wrong password.
pub struct Passwords {
    cost: Cost,
    dummy: String,
}

impl Passwords {
    pub fn new(cost: Cost) -> Passwords {
        let dummy = hash_at(cost, &crate::secrets::random_token());
        Passwords { cost, dummy }
    }

    pub fn cost(&self) -> Cost {
        self.cost
    }

    /// A new PHC string for `password` (a fresh random salt).
    pub fn hash(&self, password: &str) -> String {
        hash_at(self.cost, password)
    }

    /// Whether `password` matches `hash`. Without a hash (no such account, no password set
    /// yet) the dummy is checked and the answer is false: the same work either way.
    pub fn verify(&self, hash: Option<&str>, password: &str) -> bool {
        let password = &password.as_bytes()[..password.len().min(MAX_PASSWORD_BYTES)];
        let (phc, real) = match hash {
            Some(h) => (h, true),
            None => (self.dummy.as_str(), false),
        };
        let Ok(parsed) = PasswordHash::new(phc) else {
            // A damaged stored hash: still do the work, still refuse.
            let _ = self.verify(None, "");
            return false;
        };
        let ok = self
            .cost
            .hasher()
            .verify_password(password, &parsed)
            .is_ok();
        ok && real
    }
}

fn hash_at(cost: Cost, password: &str) -> String {
    cost.hasher()
        .hash_password(password.as_bytes())
        .expect("argon2id hashes any password of at most 1 KiB")
        .to_string()
}

/// The rules of a new password, as one line that says them.
pub fn check_new_password(password: &str) -> Result<(), String> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        return Err(format!(
            "the password is too short ({chars} characters) — it needs at least {MIN_PASSWORD_CHARS}"
        ));
    }
    if password.len() > MAX_PASSWORD_BYTES {
        return Err(format!(
            "the password is too long — at most {MAX_PASSWORD_BYTES} bytes"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_checks_its_password_only() {
        let p = Passwords::new(Cost::MINIMUM);
        let h = p.hash("correct horse battery");
        assert!(h.starts_with("$argon2id$v=19$m=8,t=1,p=1$"), "{h}");
        assert!(p.verify(Some(&h), "correct horse battery"));
        assert!(!p.verify(Some(&h), "correct horse batterY"));
        assert!(!p.verify(None, "correct horse battery"));
        assert!(!p.verify(Some("not a hash"), "x"));
    }

    #[test]
    fn new_passwords_need_twelve_characters() {
        assert!(check_new_password("elevenchars").is_err());
        assert!(check_new_password("twelve chars").is_ok());
        assert!(check_new_password("ééééééééééé").is_err());
        assert!(check_new_password(&"x".repeat(1025)).is_err());
    }
}
