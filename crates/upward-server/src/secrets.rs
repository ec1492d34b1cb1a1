//! The server's secrets: fresh random tokens, and the SHA-256 that is all the database keeps
//! of them (a copy of the database opens no session and no account).

use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// 32 random bytes from the system's source, as 64 lowercase hex digits: API tokens, one-time
/// link tokens and CSRF tokens.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the system's random source");
    hex(&bytes)
}

/// What the database stores of a secret.
pub fn sha256(secret: &[u8]) -> [u8; 32] {
    Sha256::digest(secret).into()
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Whether two secrets are equal, in time that does not depend on where they differ.
pub fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

/// Whether `token` has the shape of [`random_token`]'s output (anything else is refused
/// before any lookup).
pub fn is_token_shaped(token: &str) -> bool {
    token.len() == 64 && token.bytes().all(|b| b.is_ascii_hexdigit())
}
