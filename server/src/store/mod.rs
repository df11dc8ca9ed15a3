//! The SurrealDB store: the only place with queries. It connects to the configured endpoint
//! (`surrealkv://…` embedded, `mem://` for tests, `ws://…` for a SurrealDB server), applies the
//! schema files (idempotent) and exposes one module per table. Every query binds its values.

pub mod audit;
pub mod campagne;
pub mod comuni;
pub mod dichiarazione;
pub mod fondi;
pub mod link;
pub mod posta;
pub mod registrazioni;
pub mod schede;
pub mod servizi;
pub mod sessioni;
pub mod sito;
pub mod tentativi;
pub mod transazione;
pub mod utenti;

use crate::config::DatabaseSettings;
use std::collections::HashMap;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use surrealdb::engine::any::{self, Any};
use surrealdb::opt::auth::Root;
use surrealdb::types::{QueryError, SurrealValue};
use surrealdb::Surreal;

/// The schema, applied in order at every start (every statement is `IF NOT EXISTS`).
const SCHEMA: &[(&str, &str)] = &[
    ("001_comune", include_str!("../../schema/001_comune.surql")),
    ("002_utente", include_str!("../../schema/002_utente.surql")),
    (
        "003_sessione",
        include_str!("../../schema/003_sessione.surql"),
    ),
    ("004_audit", include_str!("../../schema/004_audit.surql")),
    (
        "005_servizio",
        include_str!("../../schema/005_servizio.surql"),
    ),
    (
        "006_campagna",
        include_str!("../../schema/006_campagna.surql"),
    ),
    (
        "007_idempotenza",
        include_str!("../../schema/007_idempotenza.surql"),
    ),
    (
        "008_riparto",
        include_str!("../../schema/008_riparto.surql"),
    ),
    (
        "009_revisione",
        include_str!("../../schema/009_revisione.surql"),
    ),
    (
        "010_registrazione",
        include_str!("../../schema/010_registrazione.surql"),
    ),
    ("011_posta", include_str!("../../schema/011_posta.surql")),
    (
        "012_sito_accessi",
        include_str!("../../schema/012_sito_accessi.surql"),
    ),
];

/// Bumps the reference data's generation (campaigns, comuni), inside the transaction that
/// changes them: every process's cache of them ([`crate::service::riferimenti`]) sees it at
/// its next request and reloads. Campaign writes ask for it with `Modifica::riferimenti`.
pub(crate) const RIFERIMENTI_PIU_UNO: &str =
    "UPSERT contatore:riferimenti SET valore = (valore OR 0) + 1 RETURN NONE";

/// Statement that records a write's idempotency key in the write's own transaction, from
/// `$k` (`{chiave, utente, operazione, oggetto}`, `chiave` null when the client sent none). A key
/// already recorded makes the `CREATE`, so the whole transaction, fail.
pub(crate) const REGISTRA_CHIAVE: &str = "IF $k.chiave != NONE AND $k.chiave != NULL { \
     CREATE type::record('idempotenza', $k.chiave) CONTENT { utente: $k.utente, \
     operazione: $k.operazione, oggetto: $k.oggetto, impronta: $k.impronta, \
     quando: time::now() } RETURN NONE };";

/// The parameters `$k` of [`REGISTRA_CHIAVE`]: a write's idempotency key and what it was
/// used for (`chiave` `None`: the client sent no key, nothing is recorded).
#[derive(Debug, Clone, Default, PartialEq, Eq, SurrealValue)]
pub struct ChiaveScritta {
    pub chiave: Option<String>,
    pub utente: String,
    pub operazione: String,
    pub oggetto: String,
    /// SHA-256 (hex) of the request's body, in canonical form.
    pub impronta: String,
}

/// Reads a field that is absent or `NONE`/`null` as its type's default (an empty list, 0).
pub(crate) fn vuoto<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de> + Default,
{
    Ok(<Option<T> as serde::Deserialize>::deserialize(d)?.unwrap_or_default())
}

/// How a store operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database refused or failed the operation.
    #[error("database: {0}")]
    Db(#[from] surrealdb::Error),
    /// A row could not be read into its type.
    #[error("dati non coerenti: {0}")]
    Corrupt(String),
    /// A unique index refused a duplicate.
    #[error("duplicato: {0}")]
    Duplicate(String),
}

impl StoreError {
    /// A write conflict between concurrent transactions: retrying is safe.
    pub fn is_conflict(&self) -> bool {
        match self {
            StoreError::Db(e) => {
                e.query_details() == Some(&QueryError::TransactionConflict)
                    || e.message().contains("Transaction conflict")
                    || e.message().contains("retry the transaction")
            }
            _ => false,
        }
    }
}

/// Fails with the error of a multi-statement response that matters: a transaction conflict
/// (it shows on `COMMIT`, after `NotExecuted` errors on the earlier statements) so that
/// [`with_retry`] can see it, else the statement that failed (e.g. a `THROW`), else the first.
pub(crate) fn check_all(
    mut res: surrealdb::IndexedResults,
) -> Result<surrealdb::IndexedResults, StoreError> {
    let mut errors: Vec<(usize, surrealdb::Error)> = res.take_errors().into_iter().collect();
    if errors.is_empty() {
        return Ok(res);
    }
    errors.sort_by_key(|(i, _)| *i);
    let conflict = errors
        .iter()
        .position(|(_, e)| StoreError::Db(e.clone()).is_conflict());
    // Otherwise the error that caused the failure, not the "not executed" of its neighbours.
    let cause = errors.iter().position(|(_, e)| {
        !matches!(
            e.query_details(),
            Some(QueryError::NotExecuted | QueryError::Cancelled)
        )
    });
    let (_, e) = errors.swap_remove(conflict.or(cause).unwrap_or(0));
    Err(StoreError::Db(e))
}

/// A connected, migrated database.
#[derive(Clone)]
pub struct Store {
    db: Surreal<Any>,
    /// One turn at a time per series of numbers (the receipts of a campaign): writes that
    /// increment the same counter queue up here instead of colliding in the database and
    /// exhausting their retries when every comune sends at the deadline. Other processes
    /// sharing the database still meet as conflicts, handled by [`with_retry`].
    serie: Arc<std::sync::Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>>,
}

impl Store {
    /// Connects to `settings.endpoint`, signs in (remote servers only) and applies the schema.
    pub async fn connect(settings: &DatabaseSettings) -> Result<Self, StoreError> {
        if let Some(dir) = settings.endpoint.strip_prefix("surrealkv://") {
            // SurrealKV wants its parent directory to exist.
            if let Some(parent) = std::path::Path::new(dir).parent() {
                if !parent.as_os_str().is_empty() {
                    std::fs::create_dir_all(parent).map_err(|e| {
                        StoreError::Corrupt(format!("cartella del database {parent:?}: {e}"))
                    })?;
                }
            }
        }
        let db = any::connect(settings.endpoint.as_str()).await?;
        if let (Some(username), Some(password)) = (&settings.username, &settings.password) {
            db.signin(Root {
                username: username.clone(),
                password: password.expose().to_owned(),
            })
            .await?;
        }
        // With root access (embedded, or signed in as root) these create what is missing.
        db.use_ns(settings.namespace.as_str())
            .use_db(settings.database.as_str())
            .await?;
        let store = Self {
            db,
            serie: Arc::default(),
        };
        store.migrate().await?;
        Ok(store)
    }

    /// Applies every schema file; safe to run on every start.
    async fn migrate(&self) -> Result<(), StoreError> {
        for (name, sql) in SCHEMA {
            tracing::debug!(schema = name, "applying schema");
            self.db.query(*sql).await?.check()?;
        }
        Ok(())
    }

    /// The names of the database's tables, sorted (for checks that nothing was created or
    /// removed behind the schema's back).
    pub async fn tabelle(&self) -> Result<Vec<String>, StoreError> {
        let mut res = self.db.query("INFO FOR DB").await?;
        let info: Option<serde_json::Value> = res.take(0)?;
        let mut nomi: Vec<String> = info
            .as_ref()
            .and_then(|i| i.get("tables"))
            .and_then(|t| t.as_object())
            .map(|t| t.keys().cloned().collect())
            .unwrap_or_default();
        nomi.sort();
        Ok(nomi)
    }

    /// How many records a table holds.
    pub async fn conta(&self, tabella: &str) -> Result<u64, StoreError> {
        let mut res = self
            .db
            .query("SELECT VALUE count() FROM type::table($t) GROUP ALL")
            .bind(("t", tabella.to_owned()))
            .await?;
        let n: Option<u64> = res.take(0)?;
        Ok(n.unwrap_or(0))
    }

    /// Waits for the turn of the series `nome` (see [`Store::serie`]); the turn lasts as long
    /// as the guard.
    pub(crate) async fn turno(&self, nome: &str) -> tokio::sync::OwnedMutexGuard<()> {
        let serie = {
            let mut mappa = self.serie.lock().unwrap_or_else(|e| e.into_inner());
            mappa.entry(nome.to_owned()).or_default().clone()
        };
        serie.lock_owned().await
    }

    /// The connection, for the table modules.
    pub(crate) fn db(&self) -> &Surreal<Any> {
        &self.db
    }

    /// The connection itself, for tools and tests that look into the database (or make it
    /// fail on purpose) beside the app; the app's own code goes through the table modules.
    pub fn connessione(&self) -> &Surreal<Any> {
        &self.db
    }

    /// Closes the database: the embedded engine shuts down (flushing and stopping its
    /// background tasks) once the last handle is gone; this waits briefly for that so a
    /// process that exits next leaves it cleanly. Committed data is durable regardless.
    pub async fn close(self) {
        drop(self);
        tokio::time::sleep(Duration::from_millis(300)).await;
    }

    /// Whether the database answers a trivial query.
    pub async fn ping(&self) -> bool {
        match self.db.query("RETURN 1").await {
            Ok(r) => r.check().is_ok(),
            Err(_) => false,
        }
    }
}

/// What an idempotency key was used for, as recorded by [`REGISTRA_CHIAVE`].
#[derive(Debug, Clone, PartialEq, Eq, SurrealValue)]
pub struct ChiaveRegistrata {
    pub utente: String,
    pub operazione: String,
    pub oggetto: String,
    /// Absent for keys recorded before fingerprints existed.
    pub impronta: Option<String>,
}

impl Store {
    /// The idempotency key's record, if recorded.
    pub async fn idempotenza(&self, chiave: &str) -> Result<Option<ChiaveRegistrata>, StoreError> {
        let mut res = self
            .db()
            .query("SELECT utente, operazione, oggetto, impronta FROM ONLY type::record('idempotenza', $c)")
            .bind(("c", chiave.to_owned()))
            .await?;
        Ok(res.take(0)?)
    }
}

/// Runs `op` again (up to 5 times, with growing, jittered pauses) while it fails with a
/// transaction conflict: concurrent writers to one record must not turn into errors.
pub async fn with_retry<T, F, Fut>(op: F) -> Result<T, StoreError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, StoreError>>,
{
    with_retry_volte(5, op).await
}

/// [`with_retry`] with up to `volte` retries (the backoff stops growing after the sixth): for
/// writes that many clients make to one record at once, such as a login counter under attack.
pub async fn with_retry_volte<T, F, Fut>(volte: u32, mut op: F) -> Result<T, StoreError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, StoreError>>,
{
    let mut attempt = 0u32;
    loop {
        match op().await {
            Err(e) if e.is_conflict() && attempt < volte => {
                attempt += 1;
                let base = 5u64 << attempt.min(6);
                let jitter = rand::random::<u64>() % base;
                tokio::time::sleep(Duration::from_millis(base + jitter)).await;
            }
            other => return other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Settings;
    use std::sync::atomic::{AtomicU32, Ordering};

    #[tokio::test]
    async fn the_schema_can_be_applied_again_without_changes() {
        let settings = Settings::for_tests().unwrap();
        let store = Store::connect(&settings.database).await.unwrap();
        store.migrate().await.unwrap();
        assert!(store.ping().await);
    }

    #[tokio::test]
    async fn concurrent_writes_to_one_record_all_succeed_through_retries() {
        let settings = Settings::for_tests().unwrap();
        let store = Store::connect(&settings.database).await.unwrap();
        let row = ComuneRowFixture::row();
        store.comuni_upsert(vec![row.clone()]).await.unwrap();
        let mut tasks = Vec::new();
        for i in 0..16 {
            let store = store.clone();
            let mut row = row.clone();
            row.nome = format!("Comune {i}");
            tasks.push(tokio::spawn(
                async move { store.comuni_upsert(vec![row]).await },
            ));
        }
        for t in tasks {
            t.await.unwrap().unwrap();
        }
        let stored = store.comune(&row.codice).await.unwrap().unwrap();
        assert!(stored.nome.starts_with("Comune "));
    }

    #[tokio::test]
    async fn retries_stop_after_five_conflicts() {
        let calls = AtomicU32::new(0);
        let result: Result<(), StoreError> = with_retry(|| async {
            calls.fetch_add(1, Ordering::SeqCst);
            Err(StoreError::Db(surrealdb::Error::query(
                "Transaction conflict: Write conflict, retry the transaction".into(),
                Some(QueryError::TransactionConflict),
            )))
        })
        .await;
        assert!(result.unwrap_err().is_conflict());
        assert_eq!(calls.load(Ordering::SeqCst), 6);
    }

    struct ComuneRowFixture;
    impl ComuneRowFixture {
        fn row() -> comuni::ComuneRow {
            comuni::ComuneRow {
                codice: "001272".into(),
                nome: "Torino".into(),
                codice_regione: "01".into(),
                regione: "Piemonte".into(),
                provincia: "Torino".into(),
                sigla_provincia: "TO".into(),
                codice_catastale: "L219".into(),
                capoluogo: true,
                attivo: true,
            }
        }
    }
}
