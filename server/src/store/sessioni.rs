//! Table `sessione`: server-side sessions, keyed by the SHA-256 of the cookie's token.
//! Expiry is judged by the database's clock in the same query that reads the session.

use super::utenti::{UtenteRow, COLONNE};
use super::{Store, StoreError};
use std::time::Duration;
use surrealdb::types::SurrealValue;

/// A live session with its account as stored now (its state included: a disabled account's
/// session is refused by the caller even if it survived).
#[derive(Debug, Clone, SurrealValue)]
pub struct SessioneRow {
    pub ultimo_uso: chrono::DateTime<chrono::Utc>,
    /// `None` if the account no longer exists.
    pub utente: Option<UtenteRow>,
}

impl Store {
    /// Opens a session for `username` that ends `absolute` from now at the latest.
    pub async fn sessione_create(
        &self,
        token_hash: &str,
        username: &str,
        absolute: Duration,
    ) -> Result<(), StoreError> {
        self.db()
            .query(
                "CREATE type::record('sessione', $id) CONTENT { \
                   utente: type::record('utente', $username), creata: time::now(), \
                   ultimo_uso: time::now(), scadenza_assoluta: time::now() + $assoluta \
                 } RETURN NONE",
            )
            .bind(("id", token_hash.to_owned()))
            .bind(("username", username.to_owned()))
            .bind(("assoluta", absolute))
            .await?
            .check()?;
        Ok(())
    }

    /// The session if it is still valid (used within `idle` and before its absolute end), with
    /// its account: one call, read in one snapshot, so that each request costs one query.
    pub async fn sessione_valid(
        &self,
        token_hash: &str,
        idle: Duration,
    ) -> Result<Option<SessioneRow>, StoreError> {
        let mut res = self
            .db()
            .query(format!(
                "SELECT ultimo_uso, (SELECT {COLONNE} FROM ONLY $parent.utente) AS utente \
                 FROM ONLY type::record('sessione', $id) \
                 WHERE ultimo_uso > time::now() - $idle AND scadenza_assoluta > time::now()"
            ))
            .bind(("id", token_hash.to_owned()))
            .bind(("idle", idle))
            .await?;
        Ok(res.take(0)?)
    }

    /// Marks the session as used now.
    pub async fn sessione_touch(&self, token_hash: &str) -> Result<(), StoreError> {
        self.db()
            .query("UPDATE type::record('sessione', $id) SET ultimo_uso = time::now() RETURN NONE")
            .bind(("id", token_hash.to_owned()))
            .await?
            .check()?;
        Ok(())
    }

    /// Ends a session (logout).
    pub async fn sessione_delete(&self, token_hash: &str) -> Result<(), StoreError> {
        self.db()
            .query("DELETE type::record('sessione', $id)")
            .bind(("id", token_hash.to_owned()))
            .await?
            .check()?;
        Ok(())
    }

    /// Moves every session's start (and so its absolute end) `by` into the past, leaving its
    /// last use alone: for tests of the absolute limit (harmless elsewhere: sessions only get
    /// closer to expiring).
    #[doc(hidden)]
    pub async fn sessioni_backdate(&self, by: chrono::Duration) -> Result<(), StoreError> {
        let by = by.to_std().unwrap_or_default();
        self.db()
            .query(
                "UPDATE sessione SET creata -= $by, scadenza_assoluta -= $by \
                 RETURN NONE",
            )
            .bind(("by", by))
            .await?
            .check()?;
        Ok(())
    }

    /// Removes sessions that can no longer be used.
    pub async fn sessioni_purge(&self, idle: Duration) -> Result<(), StoreError> {
        self.db()
            .query(
                "DELETE sessione WHERE scadenza_assoluta <= time::now() \
                 OR ultimo_uso <= time::now() - $idle",
            )
            .bind(("idle", idle))
            .await?
            .check()?;
        Ok(())
    }
}

impl Store {
    /// Records a browser where `username` signed in (by the SHA-256 of its device token).
    pub async fn dispositivo_registra(
        &self,
        token_hash: &str,
        username: &str,
    ) -> Result<(), StoreError> {
        self.db()
            .query(
                "UPSERT type::record('dispositivo', $id) CONTENT { utente: $username, \
                   ultimo_accesso: time::now() } RETURN NONE",
            )
            .bind(("id", token_hash.to_owned()))
            .bind(("username", username.to_owned()))
            .await?
            .check()?;
        Ok(())
    }

    /// The account a known device belongs to, if any.
    pub async fn dispositivo_di(&self, token_hash: &str) -> Result<Option<String>, StoreError> {
        let mut res = self
            .db()
            .query("SELECT VALUE utente FROM ONLY type::record('dispositivo', $id)")
            .bind(("id", token_hash.to_owned()))
            .await?;
        let u: Option<String> = res.take(0)?;
        Ok(u)
    }
}
