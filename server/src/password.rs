//! Password hashing with argon2id, run off the async threads (it is deliberately slow).

use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;

/// A PHC string of a password nobody has, verified when the username is unknown so that a
/// wrong username takes as long as a wrong password.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c2Vydml6aTA2ZHVtbXk$9Qm2W1Ajm4o2dbNTGuE8GOqs0kJHXl8hA2ZmbcEa6Ps";

/// Hashes a password (argon2id, OWASP parameters) on a blocking thread.
pub async fn hash(password: String) -> anyhow::Result<String> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| anyhow::anyhow!("hash della password non riuscito: {e}"))
    })
    .await?
}

/// Checks a password against a stored hash (or against a dummy one when `stored` is `None`),
/// on a blocking thread. False for a malformed hash.
pub async fn verify(password: String, stored: Option<String>) -> anyhow::Result<bool> {
    tokio::task::spawn_blocking(move || {
        let known = stored.is_some();
        let phc = stored.unwrap_or_else(|| DUMMY_HASH.to_owned());
        let Ok(parsed) = PasswordHash::new(&phc) else {
            return Ok(false);
        };
        let ok = Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok();
        Ok(ok && known)
    })
    .await?
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hashed_password_verifies_and_a_wrong_one_does_not() {
        let h = hash("demo-servizi-06".into()).await.unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify("demo-servizi-06".into(), Some(h.clone()))
            .await
            .unwrap());
        assert!(!verify("demo-servizi-07".into(), Some(h)).await.unwrap());
    }

    #[tokio::test]
    async fn unknown_users_and_malformed_hashes_never_verify() {
        assert!(!verify("anything".into(), None).await.unwrap());
        assert!(!verify("x".into(), Some("not a hash".into())).await.unwrap());
        assert!(PasswordHash::new(DUMMY_HASH).is_ok());
    }
}
