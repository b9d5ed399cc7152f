//! Password hashes: argon2id with the crate's recommended parameters, off the async workers.

use crate::domain::NewPassword;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;

/// Hashes a new password into a PHC string (`$argon2id$v=19$…`).
pub fn hash(password: &NewPassword) -> Result<String, String> {
    let salt = SaltString::encode_b64(&rand::random::<[u8; 16]>()).map_err(|e| e.to_string())?;
    Argon2::default()
        .hash_password(password.expose().as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| e.to_string())
}

/// A hash of nothing anybody knows: checked when the e-mail is unknown, so that a wrong e-mail
/// takes as long as a wrong password and the answer time does not tell which logins exist.
static DECOY: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    let unknowable = NewPassword::parse(&hex::encode(rand::random::<[u8; 16]>())).expect("32 characters");
    hash(&unknowable).expect("argon2 hashes with its default parameters")
});

/// Whether `password` matches `stored` (or, for `None`, spends the same time and says no).
/// Runs on a blocking thread: one check costs tens of milliseconds of CPU by design.
pub async fn verify(password: String, stored: Option<String>) -> bool {
    tokio::task::spawn_blocking(move || {
        let known = stored.is_some();
        let text = stored.unwrap_or_else(|| DECOY.clone());
        let Ok(parsed) = PasswordHash::new(&text) else { return false };
        Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok() && known
    })
    .await
    .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_its_password_only() {
        let password = NewPassword::parse("richtig-lang-genug").unwrap();
        let stored = hash(&password).unwrap();
        assert!(stored.starts_with("$argon2id$"));
        assert!(verify("richtig-lang-genug".into(), Some(stored.clone())).await);
        assert!(!verify("falsch-lang-genug".into(), Some(stored)).await);
        assert!(!verify("richtig-lang-genug".into(), None).await);
    }

    #[test]
    fn the_decoy_is_a_valid_hash() {
        assert!(PasswordHash::new(&DECOY).is_ok());
    }
}
