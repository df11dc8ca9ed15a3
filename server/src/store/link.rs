//! Table `link_utente`: activation and reset links, keyed by the SHA-256 of their token. A new
//! link voids the older ones of the same account and purpose; using one sets the password and
//! marks the link used in one transaction, so a link works once even when two tabs race.

use super::audit::AuditEntry;
use super::transazione::Transazione;
use super::{Store, StoreError};
use chrono::{DateTime, Utc};
use surrealdb::types::SurrealValue;

/// A link to create.
#[derive(Debug, Clone, SurrealValue)]
pub struct NuovoLink {
    /// SHA-256 of the token, hex.
    pub id: String,
    pub utente: String,
    /// `attivazione` or `reset`.
    pub scopo: String,
    pub creato: DateTime<Utc>,
    pub scadenza: DateTime<Utc>,
}

/// A stored link with its account's state and identity.
#[derive(Debug, Clone, SurrealValue)]
pub struct LinkRow {
    pub utente: String,
    pub scopo: String,
    pub scadenza: DateTime<Utc>,
    pub usato: Option<DateTime<Utc>>,
    pub annullato: Option<DateTime<Utc>>,
    pub stato_utente: String,
    pub nome: String,
    pub cognome: String,
    pub codice_fiscale: String,
}

/// How using a link ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EsitoLink {
    /// The password is set (and, for an activation, the account active).
    Fatto,
    /// No such link, used, voided, expired, for another purpose, or the account is not in the
    /// state the link is for. Said the same way to the user: the link does not work.
    NonValido,
}

/// Marker thrown when a link cannot be used.
const LINK_NON_VALIDO: &str = "link_non_valido";

/// Parameters of using a link.
#[derive(Debug, Clone, SurrealValue)]
struct Uso {
    id: String,
    scopo: String,
    /// The state the account must be in: `in_attesa` to activate, `attivo` to reset.
    stato_richiesto: String,
    hash: String,
    adesso: DateTime<Utc>,
    marcatore: String,
}

impl Transazione {
    /// Creates a link, voiding the account's older links of the same purpose.
    pub fn crea_link(&mut self, l: NuovoLink) {
        let p = self.valore(l);
        self.istruzione(format!(
            "UPDATE link_utente SET annullato = {p}.creato \
             WHERE utente = type::record('utente', {p}.utente) AND scopo = {p}.scopo \
             AND usato = NONE AND annullato = NONE RETURN NONE"
        ));
        self.istruzione(format!(
            "CREATE type::record('link_utente', {p}.id) CONTENT {{ \
               utente: type::record('utente', {p}.utente), scopo: {p}.scopo, \
               creato: {p}.creato, scadenza: {p}.scadenza }} RETURN NONE"
        ));
    }

    /// Voids every unused link of an account (it was disabled).
    pub fn annulla_link(&mut self, utente: &str, quando: DateTime<Utc>) {
        let (u, q) = (self.valore(utente.to_owned()), self.valore(quando));
        self.istruzione(format!(
            "UPDATE link_utente SET annullato = {q} \
             WHERE utente = type::record('utente', {u}) AND usato = NONE AND annullato = NONE \
             RETURN NONE"
        ));
    }
}

impl Store {
    /// A link by the SHA-256 of its token, with its account.
    pub async fn link(&self, id: &str) -> Result<Option<LinkRow>, StoreError> {
        let mut res = self
            .db()
            .query(
                "SELECT record::id(utente) AS utente, scopo, scadenza, usato, annullato, \
                   utente.stato AS stato_utente, utente.nome AS nome, utente.cognome AS cognome, \
                   utente.codice_fiscale AS codice_fiscale \
                 FROM ONLY type::record('link_utente', $id)",
            )
            .bind(("id", id.to_owned()))
            .await?;
        Ok(res.take(0)?)
    }

    /// Uses a link: checks it (purpose, unused, not voided, not expired at `adesso`, account
    /// in the state the purpose needs) and, in the same transaction, marks it used, sets the
    /// password (the account becomes active when activating), clears a forced change and ends
    /// the account's sessions, with the audit entry. Retried on write conflicts: a second use
    /// racing the first finds it used.
    pub async fn link_usa(
        &self,
        id: &str,
        scopo: &str,
        hash_password: &str,
        adesso: DateTime<Utc>,
        audit: AuditEntry,
    ) -> Result<EsitoLink, StoreError> {
        let stato_richiesto = if scopo == "attivazione" {
            "in_attesa"
        } else {
            "attivo"
        };
        let mut tx = Transazione::new();
        let p = tx.valore(Uso {
            id: id.to_owned(),
            scopo: scopo.to_owned(),
            stato_richiesto: stato_richiesto.to_owned(),
            hash: hash_password.to_owned(),
            adesso,
            marcatore: LINK_NON_VALIDO.to_owned(),
        });
        tx.istruzione(format!(
            "LET $l = (SELECT utente, scopo, scadenza, usato, annullato, utente.stato AS stato \
               FROM ONLY type::record('link_utente', {p}.id))"
        ));
        tx.istruzione(format!(
            "IF $l = NONE OR $l.scopo != {p}.scopo OR $l.usato != NONE OR $l.annullato != NONE \
               OR $l.scadenza <= {p}.adesso OR $l.stato != {p}.stato_richiesto \
             {{ THROW {p}.marcatore }}"
        ));
        tx.istruzione(format!(
            "UPDATE type::record('link_utente', {p}.id) SET usato = {p}.adesso RETURN NONE"
        ));
        tx.istruzione(format!(
            "UPDATE $l.utente SET password_hash = {p}.hash, password_cambiata = {p}.adesso, \
               stato = 'attivo', cambio_obbligato = false RETURN NONE"
        ));
        tx.istruzione("DELETE sessione WHERE utente = $l.utente");
        tx.audit(audit);
        Ok(
            match tx.esegui_con_guardie(self, &[LINK_NON_VALIDO]).await? {
                Some(_) => EsitoLink::Fatto,
                None => EsitoLink::NonValido,
            },
        )
    }
}
