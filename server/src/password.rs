//! Password hashing with argon2id, run off the async threads (it is deliberately slow) and
//! bounded: at most one hash per core at once, and a bounded queue behind them.
//!
//! Parameters: argon2id, m = 19 MiB, t = 2, p = 1, OWASP's recommended configuration (Password
//! Storage Cheat Sheet). Each hash holds its 19 MiB and a core while it runs, so unbounded
//! logins at a deadline would take memory (64 at once ≈ 1.2 GiB) and starve every other
//! request of the cores; beyond the queue a login or password change is refused with
//! [`Errore::Occupato`] (429 with a retry time) instead.

use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::LazyLock;
use tokio::sync::Semaphore;

/// A PHC string of a password nobody has, verified when the username is unknown so that a
/// wrong username takes as long as a wrong password.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c2Vydml6aTA2ZHVtbXk$9Qm2W1Ajm4o2dbNTGuE8GOqs0kJHXl8hA2ZmbcEa6Ps";

/// Hashes allowed to wait per core: with a hash taking tens of milliseconds on a core, the
/// last in the queue starts within about a second.
const ATTESA_PER_CORE: usize = 16;

/// Why a hash was not computed.
#[derive(Debug, thiserror::Error)]
pub enum Errore {
    /// Every core is hashing and the queue is full: try again shortly.
    #[error("troppe verifiche di password in corso")]
    Occupato,
    #[error("hash della password non riuscito: {0}")]
    Hash(String),
    #[error("calcolo della password interrotto: {0}")]
    Interrotto(#[from] tokio::task::JoinError),
}

/// How many hashes run at once and how many may wait.
pub struct Limite {
    permessi: Semaphore,
    in_attesa: AtomicUsize,
    max_attesa: usize,
}

impl Limite {
    pub fn nuovo(contemporanei: usize, max_attesa: usize) -> Self {
        Limite {
            permessi: Semaphore::new(contemporanei.max(1)),
            in_attesa: AtomicUsize::new(0),
            max_attesa,
        }
    }

    /// Hashes waiting for a core now.
    pub fn in_attesa(&self) -> usize {
        self.in_attesa.load(Ordering::SeqCst)
    }

    /// Runs `f` on a blocking thread once a permit is free; [`Errore::Occupato`] at once when
    /// the queue is full.
    pub async fn esegui<T: Send + 'static>(
        &self,
        f: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, Errore> {
        if self.in_attesa.fetch_add(1, Ordering::SeqCst) >= self.max_attesa {
            self.in_attesa.fetch_sub(1, Ordering::SeqCst);
            return Err(Errore::Occupato);
        }
        let permesso = self.permessi.acquire().await;
        self.in_attesa.fetch_sub(1, Ordering::SeqCst);
        let _permesso = permesso.map_err(|_| Errore::Occupato)?;
        Ok(tokio::task::spawn_blocking(f).await?)
    }
}

/// The process's limit: one hash per core.
static LIMITE: LazyLock<Limite> = LazyLock::new(|| {
    let core = std::thread::available_parallelism().map_or(2, |n| n.get());
    Limite::nuovo(core, core * ATTESA_PER_CORE)
});

/// Hashes a password (argon2id, OWASP parameters) within the process's limit.
pub async fn hash(password: String) -> Result<String, Errore> {
    LIMITE
        .esegui(move || {
            let salt = SaltString::generate(&mut OsRng);
            Argon2::default()
                .hash_password(password.as_bytes(), &salt)
                .map(|h| h.to_string())
                .map_err(|e| Errore::Hash(e.to_string()))
        })
        .await?
}

/// Checks a password against a stored hash (or against a dummy one when `stored` is `None`),
/// within the process's limit. False for a malformed hash.
pub async fn verify(password: String, stored: Option<String>) -> Result<bool, Errore> {
    LIMITE
        .esegui(move || {
            let known = stored.is_some();
            let phc = stored.unwrap_or_else(|| DUMMY_HASH.to_owned());
            let Ok(parsed) = PasswordHash::new(&phc) else {
                return false;
            };
            let ok = Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok();
            ok && known
        })
        .await
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

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn past_the_running_hashes_and_the_queue_a_hash_is_refused_at_once() {
        use std::sync::Arc;
        let limite = Arc::new(Limite::nuovo(1, 1));
        let (libera, attendi) = std::sync::mpsc::channel::<()>();
        // The one permit, held until told.
        let primo = tokio::spawn({
            let l = limite.clone();
            async move { l.esegui(move || attendi.recv().is_ok()).await }
        });
        // The one place in the queue.
        while limite.permessi.available_permits() > 0 {
            tokio::task::yield_now().await;
        }
        let secondo = tokio::spawn({
            let l = limite.clone();
            async move { l.esegui(|| 2).await }
        });
        while limite.in_attesa() == 0 {
            tokio::task::yield_now().await;
        }
        assert!(matches!(limite.esegui(|| 3).await, Err(Errore::Occupato)));
        libera.send(()).unwrap();
        assert!(primo.await.unwrap().unwrap());
        assert_eq!(secondo.await.unwrap().unwrap(), 2);
        assert_eq!(limite.in_attesa(), 0);
        // With the queue empty again, a new hash runs.
        assert_eq!(limite.esegui(|| 4).await.unwrap(), 4);
    }
}
