//! Password hashing with argon2id, run off the async threads (it is deliberately slow) and
//! bounded: at most one hash per core at once, and a bounded queue behind them.
//!
//! Parameters: argon2id, m = 19 MiB, t = 2, p = 1, OWASP's recommended configuration (Password
//! Storage Cheat Sheet). Each hash holds its 19 MiB and a core while it runs, so unbounded
//! logins at a deadline would take memory (64 at once ≈ 1.2 GiB) and starve every other
//! request of the cores; beyond the queue a login or password change is refused with
//! [`Errore::Occupato`] (429 with a retry time) instead.
//!
//! Each hash works in a 19 MiB buffer kept for the next one ([`con_memoria`]: at most one per
//! permit), not in one allocated and freed per hash: measured on the deadline bench, the freed
//! buffers stayed with the allocator's per-thread arenas of the blocking pool and the server's
//! memory grew by about 700 MiB during a burst of logins, with two hashes at a time.

use crate::turni::Turni;
use argon2::password_hash::{rand_core::OsRng, Output, ParamsString, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use std::sync::{LazyLock, Mutex};

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
pub struct Limite(Turni);

impl Limite {
    pub fn nuovo(contemporanei: usize, max_attesa: usize) -> Self {
        Limite(Turni::nuovo(contemporanei, max_attesa))
    }

    /// Hashes waiting for a core now.
    pub fn in_attesa(&self) -> usize {
        self.0.in_attesa()
    }

    /// Runs `f` on a blocking thread once a permit is free; [`Errore::Occupato`] at once when
    /// the queue is full.
    pub async fn esegui<T: Send + 'static>(
        &self,
        f: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, Errore> {
        let _permesso = self.0.aspetta(None).await.map_err(|_| Errore::Occupato)?;
        Ok(tokio::task::spawn_blocking(f).await?)
    }
}

/// The process's limit: one hash per core.
static LIMITE: LazyLock<Limite> = LazyLock::new(|| {
    let core = std::thread::available_parallelism().map_or(2, |n| n.get());
    Limite::nuovo(core, core * ATTESA_PER_CORE)
});

/// Argon2 work buffers between hashes (as many as hashes ran at once: one per permit).
static MEMORIA: Mutex<Vec<Vec<Block>>> = Mutex::new(Vec::new());

/// The most memory a stored hash may ask for (64 MiB): a larger `m` is refused, not allocated.
const MAX_BLOCCHI: usize = 64 * 1024;

/// Runs `f` with a work buffer of `blocchi` blocks taken from [`MEMORIA`] (allocated only when
/// none is free) and puts it back.
fn con_memoria<T>(blocchi: usize, f: impl FnOnce(&mut [Block]) -> T) -> T {
    let prendi = || MEMORIA.lock().unwrap_or_else(|p| p.into_inner());
    let mut m = prendi().pop().unwrap_or_default();
    if m.len() < blocchi {
        m.resize(blocchi, Block::default());
    }
    let esito = f(&mut m[..blocchi]);
    prendi().push(m);
    esito
}

/// The argon2 output of `password` with `salt` by `a`, `lunghezza` bytes, in a reused buffer.
fn calcola(a: &Argon2<'_>, password: &[u8], salt: &[u8], lunghezza: usize) -> Option<Vec<u8>> {
    let blocchi = a.params().block_count();
    if blocchi > MAX_BLOCCHI {
        return None;
    }
    let mut out = vec![0u8; lunghezza];
    con_memoria(blocchi, |m| {
        a.hash_password_into_with_memory(password, salt, &mut out, m)
    })
    .ok()?;
    Some(out)
}

/// The PHC string of `password` hashed with a new random salt (argon2id, OWASP parameters).
fn phc_nuovo(password: &[u8]) -> Result<String, String> {
    let a = Argon2::default();
    let salt = SaltString::generate(&mut OsRng);
    let mut grezzo = [0u8; 64];
    let sale = salt
        .as_salt()
        .decode_b64(&mut grezzo)
        .map_err(|e| e.to_string())?;
    let out = calcola(&a, password, sale, Params::DEFAULT_OUTPUT_LEN)
        .ok_or_else(|| "argon2".to_owned())?;
    let h = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(a.params()).map_err(|e| e.to_string())?,
        salt: Some(salt.as_salt()),
        hash: Some(Output::new(&out).map_err(|e| e.to_string())?),
    };
    Ok(h.to_string())
}

/// Whether `password` matches PHC string `phc` (its own algorithm, version and parameters;
/// the comparison in constant time, as [`Output`]'s equality is).
fn phc_verifica(password: &[u8], phc: &str) -> bool {
    let verifica = || -> Option<bool> {
        let h = PasswordHash::new(phc).ok()?;
        let algoritmo = Algorithm::try_from(h.algorithm).ok()?;
        let versione = match h.version {
            Some(v) => Version::try_from(v).ok()?,
            None => Version::default(),
        };
        let params = Params::try_from(&h).ok()?;
        let atteso = h.hash?;
        let mut grezzo = [0u8; 64];
        let sale = h.salt?.decode_b64(&mut grezzo).ok()?;
        let a = Argon2::new(algoritmo, versione, params);
        let out = calcola(&a, password, sale, atteso.len())?;
        Some(Output::new(&out).ok()? == atteso)
    };
    verifica().unwrap_or(false)
}

/// Hashes a password (argon2id, OWASP parameters) within the process's limit.
pub async fn hash(password: String) -> Result<String, Errore> {
    LIMITE
        .esegui(move || phc_nuovo(password.as_bytes()).map_err(Errore::Hash))
        .await?
}

/// Checks a password against a stored hash (or against a dummy one when `stored` is `None`),
/// within the process's limit. False for a malformed hash.
pub async fn verify(password: String, stored: Option<String>) -> Result<bool, Errore> {
    LIMITE
        .esegui(move || {
            let known = stored.is_some();
            let phc = stored.unwrap_or_else(|| DUMMY_HASH.to_owned());
            phc_verifica(password.as_bytes(), &phc) && known
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

    #[test]
    fn our_hashes_and_the_crates_own_verify_each_other() {
        use argon2::password_hash::{PasswordHasher, PasswordVerifier};
        let nostro = phc_nuovo(b"Segreta-2026").unwrap();
        let parsed = PasswordHash::new(&nostro).unwrap();
        assert!(Argon2::default()
            .verify_password(b"Segreta-2026", &parsed)
            .is_ok());
        assert!(Argon2::default()
            .verify_password(b"segreta-2026", &parsed)
            .is_err());
        let salt = SaltString::generate(&mut OsRng);
        let loro = Argon2::default()
            .hash_password(b"Segreta-2026", &salt)
            .unwrap()
            .to_string();
        assert!(phc_verifica(b"Segreta-2026", &loro));
        assert!(!phc_verifica(b"Segreta-2027", &loro));
        // Another algorithm's or parameters' hash is checked with its own.
        let argon2i = Argon2::new(
            Algorithm::Argon2i,
            Version::V0x13,
            Params::new(8192, 3, 1, None).unwrap(),
        )
        .hash_password(b"x-y-z-1234", &salt)
        .unwrap()
        .to_string();
        assert!(phc_verifica(b"x-y-z-1234", &argon2i));
        // A stored hash asking for more memory than allowed is refused, not computed.
        let enorme = argon2i.replace("m=8192", "m=1048576");
        assert!(!phc_verifica(b"x-y-z-1234", &enorme));
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
        while limite.0.liberi() > 0 {
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
