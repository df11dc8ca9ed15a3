//! Table `tentativo_accesso`: failed logins, per key (`account:…`, `indirizzo:…`), and the
//! records `serratura_accessi:⟨key⟩` that make counting and recording one atomic step.

use super::{with_retry_volte, Store, StoreError};
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

/// What reserving an attempt found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Prenotazione {
    /// Every key was under its limit: one attempt is recorded on each, under this id (a
    /// successful attempt deletes them with [`Store::tentativi_annulla`]).
    Presa(String),
    /// A key has reached its limit: nothing recorded; seconds until a slot frees.
    Superata { attesa_secondi: i64 },
}

/// The marker of a reservation refused inside the transaction.
const SUPERATA: &str = "PRENOTAZIONE_SUPERATA";

impl Store {
    /// Counts and records in one step: if every key has fewer attempts than its limit in
    /// the last `window`, records one attempt on each and returns [`Prenotazione::Presa`];
    /// else records nothing. Each key's lock record is written by the same transaction, so
    /// two concurrent reservations on one key conflict and the retried one counts the other's
    /// attempt: no more than the limit can ever be verified at once.
    pub async fn tentativi_prenota(
        &self,
        limiti: &[(String, u32)],
        window: Duration,
    ) -> Result<Prenotazione, StoreError> {
        let id = uuid::Uuid::new_v4().simple().to_string();
        let limiti: Vec<serde_json::Value> = limiti
            .iter()
            .map(|(k, l)| serde_json::json!({ "chiave": k, "limite": l }))
            .collect();
        let esito = with_retry_volte(30, || async {
            let res = self
                .db()
                .query(format!(
                    "BEGIN; \
                     LET $da = time::now() - $finestra; \
                     FOR $k IN $limiti {{ \
                       UPSERT type::record('serratura_accessi', $k.chiave) SET toccata = time::now() RETURN NONE; \
                       LET $q = SELECT VALUE quando FROM tentativo_accesso WHERE chiave = $k.chiave AND quando > $da; \
                       IF array::len($q) >= $k.limite {{ \
                         THROW '{SUPERATA} ' + <string> duration::secs(array::min($q) + $finestra - time::now()); \
                       }}; \
                     }}; \
                     FOR $k IN $limiti {{ \
                       CREATE tentativo_accesso CONTENT {{ chiave: $k.chiave, quando: time::now(), prenotazione: $id }} RETURN NONE; \
                     }}; \
                     COMMIT;"
                ))
                .bind(("limiti", limiti.clone()))
                .bind(("finestra", window))
                .bind(("id", id.clone()))
                .await?;
            super::check_all(res).map(|_| ())
        })
        .await;
        match esito {
            Ok(()) => Ok(Prenotazione::Presa(id)),
            Err(StoreError::Db(e)) if e.message().contains(SUPERATA) => {
                let attesa = e
                    .message()
                    .split(SUPERATA)
                    .nth(1)
                    .and_then(|r| {
                        r.trim_start()
                            .split(|c: char| !c.is_ascii_digit())
                            .next()
                            .and_then(|n| n.parse::<i64>().ok())
                    })
                    .unwrap_or(60);
                Ok(Prenotazione::Superata {
                    attesa_secondi: attesa.max(1),
                })
            }
            Err(e) => Err(e),
        }
    }

    /// Deletes the attempts of one reservation (it succeeded: it was no failure).
    pub async fn tentativi_annulla(&self, prenotazione: &str) -> Result<(), StoreError> {
        self.db()
            .query("DELETE tentativo_accesso WHERE prenotazione = $id")
            .bind(("id", prenotazione.to_owned()))
            .await?
            .check()?;
        Ok(())
    }

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
