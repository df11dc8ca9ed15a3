//! Table `tentativo_accesso`: failed logins, per key (`account:…`, `indirizzo:…`).

use super::{Store, StoreError};
use std::time::Duration;
use surrealdb::types::SurrealValue;

/// Failures of one key inside the window.
#[derive(Debug, Clone, Default, SurrealValue)]
pub struct Conteggio {
    /// How many.
    pub n: i64,
    /// Seconds until the oldest one leaves the window.
    pub attesa_secondi: i64,
}

impl Store {
    /// Records one failure for each key.
    pub async fn tentativi_record(&self, chiavi: &[String]) -> Result<(), StoreError> {
        self.db()
            .query(
                "FOR $k IN $chiavi { CREATE tentativo_accesso CONTENT { chiave: $k, quando: time::now() } RETURN NONE; }",
            )
            .bind(("chiavi", chiavi.to_vec()))
            .await?
            .check()?;
        Ok(())
    }

    /// Failures of `chiave` in the last `window`.
    pub async fn tentativi_count(
        &self,
        chiave: &str,
        window: Duration,
    ) -> Result<Conteggio, StoreError> {
        let mut res = self
            .db()
            .query(
                "LET $da = time::now() - $finestra; \
                 LET $q = SELECT VALUE quando FROM tentativo_accesso WHERE chiave = $chiave AND quando > $da; \
                 RETURN { n: array::len($q), \
                   attesa_secondi: IF array::len($q) > 0 { \
                     duration::secs(array::min($q) + $finestra - time::now()) } ELSE { 0 } };",
            )
            .bind(("chiave", chiave.to_owned()))
            .bind(("finestra", window))
            .await?;
        let c: Option<Conteggio> = res.take(2)?;
        Ok(c.unwrap_or_default())
    }

    /// Forgets the failures of `chiave` (after a successful login).
    pub async fn tentativi_clear(&self, chiave: &str) -> Result<(), StoreError> {
        self.db()
            .query("DELETE tentativo_accesso WHERE chiave = $chiave")
            .bind(("chiave", chiave.to_owned()))
            .await?
            .check()?;
        Ok(())
    }
}
