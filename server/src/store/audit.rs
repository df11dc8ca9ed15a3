//! Table `audit`: the append-only log of who did what. Nothing here updates or deletes.

use super::{Store, StoreError};
use surrealdb::types::SurrealValue;

/// One audit entry to append.
#[derive(Debug, Clone, SurrealValue)]
pub struct AuditEntry {
    /// Username of who acted, if known.
    pub attore: Option<String>,
    /// What was done (`accesso`, `uscita`, `import_comuni`…).
    pub azione: String,
    /// What it was done to (`utente:torino`).
    pub oggetto: String,
    /// `ok` or `rifiutato`.
    pub esito: String,
    /// Structured details (no passwords, no personal data beyond the actor).
    pub dettagli: Option<serde_json::Value>,
}

impl AuditEntry {
    /// A change that succeeded, made by `utente`.
    pub fn riuscita(
        utente: &str,
        azione: &str,
        oggetto: &str,
        dettagli: serde_json::Value,
    ) -> Self {
        AuditEntry {
            attore: Some(utente.to_owned()),
            azione: azione.to_owned(),
            oggetto: oggetto.to_owned(),
            esito: "ok".into(),
            dettagli: Some(dettagli),
        }
    }
}

/// A stored audit entry.
#[derive(Debug, Clone, SurrealValue)]
pub struct AuditRow {
    pub quando: chrono::DateTime<chrono::Utc>,
    pub attore: Option<String>,
    pub azione: String,
    pub oggetto: String,
    pub esito: String,
}

/// The statement that appends the entry bound as `p` (an [`AuditEntry`], e.g. `$audit`),
/// stamped with the database's clock: the one audit insert, for every transaction that
/// records what it changed.
pub(crate) fn inserisci(p: &str) -> String {
    format!(
        "CREATE audit CONTENT {{ quando: time::now(), attore: {p}.attore, azione: {p}.azione, \
         oggetto: {p}.oggetto, esito: {p}.esito, dettagli: {p}.dettagli }} RETURN NONE"
    )
}

impl Store {
    /// Appends an entry, stamped with the database's clock.
    pub async fn audit_append(&self, e: AuditEntry) -> Result<(), StoreError> {
        self.db()
            .query(inserisci("$e"))
            .bind(("e", e))
            .await?
            .check()?;
        Ok(())
    }

    /// The entries about one object with their details, oldest first, as JSON
    /// (`quando` as RFC 3339 text).
    pub async fn audit_dettagli(
        &self,
        oggetto: &str,
    ) -> Result<Vec<serde_json::Value>, StoreError> {
        let mut res = self
            .db()
            .query(
                "SELECT <string> quando AS quando, attore, azione, esito, dettagli FROM audit \
                 WHERE oggetto = $oggetto ORDER BY quando",
            )
            .bind(("oggetto", oggetto.to_owned()))
            .await?;
        Ok(res.take(0)?)
    }

    /// Every entry with its details, as JSON (for checks that nothing secret was logged).
    #[doc(hidden)]
    pub async fn audit_tutti(&self) -> Result<Vec<serde_json::Value>, StoreError> {
        let mut res = self
            .db()
            .query("SELECT <string> quando AS quando, attore, azione, oggetto, esito, dettagli FROM audit")
            .await?;
        Ok(res.take(0)?)
    }

    /// The entries about one object, oldest first.
    pub async fn audit_for(&self, oggetto: &str) -> Result<Vec<AuditRow>, StoreError> {
        let mut res = self
            .db()
            .query(
                "SELECT quando, attore, azione, oggetto, esito FROM audit \
                 WHERE oggetto = $oggetto ORDER BY quando",
            )
            .bind(("oggetto", oggetto.to_owned()))
            .await?;
        Ok(res.take(0)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Settings;

    async fn store() -> Store {
        let settings = Settings::for_tests().unwrap();
        Store::connect(&settings.database).await.unwrap()
    }

    fn entry(azione: &str) -> AuditEntry {
        AuditEntry {
            attore: Some("torino".into()),
            azione: azione.into(),
            oggetto: "utente:torino".into(),
            esito: "ok".into(),
            dettagli: Some(serde_json::json!({"n": 1})),
        }
    }

    #[tokio::test]
    async fn audit_entries_are_appended_and_read_back_in_order() {
        let s = store().await;
        s.audit_append(entry("accesso")).await.unwrap();
        s.audit_append(entry("uscita")).await.unwrap();
        let rows = s.audit_for("utente:torino").await.unwrap();
        let azioni: Vec<&str> = rows.iter().map(|r| r.azione.as_str()).collect();
        assert_eq!(azioni, vec!["accesso", "uscita"]);
    }

    #[tokio::test]
    async fn the_audit_log_refuses_updates_and_deletes() {
        let s = store().await;
        s.audit_append(entry("accesso")).await.unwrap();
        let update = s
            .db()
            .query("UPDATE audit SET azione = 'falsificata'")
            .await
            .unwrap()
            .check();
        assert!(update.is_err(), "update must fail");
        let delete = s.db().query("DELETE audit").await.unwrap().check();
        assert!(delete.is_err(), "delete must fail");
        let rows = s.audit_for("utente:torino").await.unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].azione, "accesso");
    }

    #[tokio::test]
    async fn an_entry_with_an_unknown_outcome_is_refused_by_the_schema() {
        let s = store().await;
        let mut e = entry("accesso");
        e.esito = "forse".into();
        assert!(s.audit_append(e).await.is_err());
    }
}
