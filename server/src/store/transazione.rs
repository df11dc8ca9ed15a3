//! One transaction assembled from parts (an account, its link, the e-mails it causes, the audit
//! entry…), each part binding its own typed parameters: what changes together commits
//! together, and every value stays a bound parameter, never text in the query.

use super::audit::AuditEntry;
use super::{check_all, Store, StoreError};
use surrealdb::types::{SurrealValue, Value};

/// The statements and parameters of one transaction.
#[derive(Debug, Clone, Default)]
pub struct Transazione {
    istruzioni: Vec<String>,
    variabili: Vec<(String, Value)>,
    /// Retries on a write conflict (`None`: [`super::with_retry`]'s).
    riprove: Option<u32>,
}

impl Transazione {
    /// An empty transaction.
    pub fn new() -> Self {
        Self::default()
    }

    /// Binds `v` and returns its parameter as written in a statement (`$v3`).
    pub fn valore<T: SurrealValue>(&mut self, v: T) -> String {
        let nome = format!("v{}", self.variabili.len());
        self.variabili.push((nome.clone(), v.into_value()));
        format!("${nome}")
    }

    /// Adds one statement (its values bound with [`Self::valore`]): one, so that its result's
    /// index is known (see [`Self::esegui`]).
    pub fn istruzione(&mut self, sql: impl Into<String>) {
        self.istruzioni.push(sql.into());
    }

    /// Appends an audit entry, stamped with the database's clock.
    pub fn audit(&mut self, e: AuditEntry) {
        let p = self.valore(e);
        self.istruzione(super::audit::inserisci(&p));
    }

    /// Retries up to `volte` times on a write conflict, for a record many clients write at
    /// once (a login counter under attack).
    pub fn riprove(&mut self, volte: u32) {
        self.riprove = Some(volte);
    }

    /// How many statements the transaction holds.
    pub fn len(&self) -> usize {
        self.istruzioni.len()
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.istruzioni.is_empty()
    }

    /// Runs every statement in one transaction, once. Statement `i`'s result is at index
    /// `i + 1` (index 0 is `BEGIN`). A statement that fails (a `THROW`, a refused value, a
    /// duplicate) fails the whole: nothing is written.
    pub async fn esegui(&self, store: &Store) -> Result<surrealdb::IndexedResults, StoreError> {
        let sql = format!("BEGIN; {}; COMMIT;", self.istruzioni.join("; "));
        let mut q = store.db().query(sql);
        for (nome, valore) in &self.variabili {
            q = q.bind((nome.clone(), valore.clone()));
        }
        check_all(q.await?)
    }

    /// [`Self::esegui_con_riprova`] for a transaction whose guards `THROW` one of `marcatori`
    /// when the data changed meanwhile: `None` when a guard stopped it (nothing written).
    pub async fn esegui_con_guardie(
        &self,
        store: &Store,
        marcatori: &[&str],
    ) -> Result<Option<surrealdb::IndexedResults>, StoreError> {
        match self.esegui_con_riprova(store).await {
            Ok(r) => Ok(Some(r)),
            Err(StoreError::Db(e)) if marcatori.iter().any(|m| e.message().contains(m)) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// [`Self::esegui`], retried on write conflicts.
    pub async fn esegui_con_riprova(
        &self,
        store: &Store,
    ) -> Result<surrealdb::IndexedResults, StoreError> {
        match self.riprove {
            Some(volte) => super::with_retry_volte(volte, || self.esegui(store)).await,
            None => super::with_retry(|| self.esegui(store)).await,
        }
    }
}
