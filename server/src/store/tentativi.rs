//! Table `tentativo_accesso`: failed logins, per key (`account:…`, `indirizzo:…`), and the
//! records `serratura_accessi:⟨key⟩` that make counting and recording one atomic step.

use super::transazione::Transazione;
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

/// One counter and its limit, as the reservation's statements read it.
#[derive(Debug, Clone, SurrealValue)]
struct Limite {
    chiave: String,
    limite: i64,
}

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
        let mut tx = Transazione::new();
        // Under attack many attempts hit one lock record at once: each retry counts again.
        tx.riprove(30);
        let l = tx.valore(
            limiti
                .iter()
                .map(|(k, n)| Limite {
                    chiave: k.clone(),
                    limite: i64::from(*n),
                })
                .collect::<Vec<_>>(),
        );
        let (f, p, m) = (
            tx.valore(window),
            tx.valore(id.clone()),
            tx.valore(SUPERATA.to_owned()),
        );
        tx.istruzione(format!(
            "FOR $k IN {l} {{ \
               UPSERT type::record('serratura_accessi', $k.chiave) SET toccata = time::now() RETURN NONE; \
               LET $q = SELECT VALUE quando FROM tentativo_accesso \
                        WHERE chiave = $k.chiave AND quando > time::now() - {f}; \
               IF array::len($q) >= $k.limite {{ THROW {m} }}; \
             }}"
        ));
        tx.istruzione(format!(
            "FOR $k IN {l} {{ \
               CREATE tentativo_accesso CONTENT {{ chiave: $k.chiave, quando: time::now(), \
                 prenotazione: {p} }} RETURN NONE; \
             }}"
        ));
        if tx.esegui_con_guardie(self, &[SUPERATA]).await?.is_some() {
            return Ok(Prenotazione::Presa(id));
        }
        // Refused: the wait is the longest of the counters that are full.
        let mut attesa = 1;
        for (chiave, limite) in limiti {
            let c = self.tentativi_count(chiave, window).await?;
            if c.n >= i64::from(*limite) {
                attesa = attesa.max(c.attesa_secondi);
            }
        }
        Ok(Prenotazione::Superata {
            attesa_secondi: attesa,
        })
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
