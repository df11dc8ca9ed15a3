//! Table `utente`: accounts, keyed by username, found by username or codice fiscale.

use super::transazione::Transazione;
use super::{Store, StoreError};
use chrono::{DateTime, Utc};
use surrealdb::types::SurrealValue;

mod scritture;

pub use scritture::*;

/// The columns of [`UtenteRow`], the comune's code and name joined in.
pub(crate) const COLONNE: &str =
    "username, password_hash, nome, cognome, codice_fiscale, email, pec, \
     telefono, ufficio, ruolo, comune.codice AS comune, comune.nome AS comune_nome, stato, creato, \
     password_cambiata, ultimo_accesso, cambio_obbligato";

/// A stored account, with the comune's name joined in.
#[derive(Debug, Clone, PartialEq, Eq, SurrealValue)]
pub struct UtenteRow {
    pub username: String,
    /// None until the account is activated.
    pub password_hash: Option<String>,
    pub nome: String,
    pub cognome: String,
    pub codice_fiscale: String,
    pub email: String,
    pub pec: Option<String>,
    pub telefono: Option<String>,
    pub ufficio: Option<String>,
    pub ruolo: String,
    pub comune: Option<String>,
    pub comune_nome: Option<String>,
    pub stato: String,
    pub creato: DateTime<Utc>,
    pub password_cambiata: Option<DateTime<Utc>>,
    pub ultimo_accesso: Option<DateTime<Utc>>,
    pub cambio_obbligato: bool,
}

impl UtenteRow {
    /// `Nome Cognome`.
    pub fn nome_completo(&self) -> String {
        format!("{} {}", self.nome, self.cognome)
    }

    /// Whether the account is active.
    pub fn attivo(&self) -> bool {
        self.stato == "attivo"
    }
}

/// An account to create. Accounts made through the product start `in_attesa` with no
/// password ([`Transazione::crea_account`]); demo and test accounts are created active with a
/// password ([`Store::utente_create`]).
#[derive(Debug, Clone, SurrealValue)]
pub struct NewUtente {
    pub username: String,
    pub password_hash: Option<String>,
    pub nome: String,
    pub cognome: String,
    pub codice_fiscale: String,
    pub email: String,
    pub pec: Option<String>,
    pub telefono: Option<String>,
    pub ufficio: Option<String>,
    pub ruolo: String,
    pub comune: Option<String>,
    pub stato: String,
    pub creato: DateTime<Utc>,
}

/// Whether a database error is a unique index refusing a duplicate.
pub(crate) fn duplicato(e: &StoreError) -> bool {
    match e {
        StoreError::Db(e) => {
            e.is_already_exists()
                || e.message().contains("already exists")
                || e.message().contains("already contains")
        }
        StoreError::Duplicate(_) => true,
        _ => false,
    }
}

/// An active official of a comune, to write to.
#[derive(Debug, Clone, SurrealValue)]
pub struct DestinatarioRow {
    pub comune: String,
    pub email: String,
    pub nome: String,
    pub cognome: String,
}

impl Store {
    /// The active officials (operators and legal representatives) of the comuni listed, or
    /// (`None`) of every comune of the Region `regione`.
    pub async fn destinatari_comunali(
        &self,
        comuni: Option<Vec<String>>,
        regione: &str,
    ) -> Result<Vec<DestinatarioRow>, StoreError> {
        let mut res = self
            .db()
            .query(
                "SELECT comune.codice AS comune, email, nome, cognome FROM utente \
                 WHERE stato = 'attivo' AND ruolo IN ['operatore_comunale', 'legale_rappresentante'] \
                   AND comune.codice_regione = $regione \
                   AND ($comuni = NONE OR comune.codice IN $comuni)",
            )
            .bind(("comuni", comuni))
            .bind(("regione", regione.to_owned()))
            .await?;
        Ok(res.take(0)?)
    }

    /// The account with this (normalized) username.
    pub async fn utente(&self, username: &str) -> Result<Option<UtenteRow>, StoreError> {
        let mut res = self
            .db()
            .query(format!(
                "SELECT {COLONNE} FROM ONLY type::record('utente', $username)"
            ))
            .bind(("username", username.to_owned()))
            .await?;
        Ok(res.take(0)?)
    }

    /// The account of this codice fiscale (upper case).
    pub async fn utente_per_cf(&self, cf: &str) -> Result<Option<UtenteRow>, StoreError> {
        let mut res = self
            .db()
            .query(format!(
                "SELECT {COLONNE} FROM utente WHERE codice_fiscale = $cf LIMIT 1"
            ))
            .bind(("cf", cf.to_owned()))
            .await?;
        let mut righe: Vec<UtenteRow> = res.take(0)?;
        Ok(righe.pop())
    }

    /// The account a person names at login: a codice fiscale, or else a username.
    pub async fn utente_per_accesso(&self, ident: &str) -> Result<Option<UtenteRow>, StoreError> {
        if shared::utente::sembra_codice_fiscale(ident) {
            self.utente_per_cf(&ident.to_uppercase()).await
        } else {
            self.utente(ident).await
        }
    }

    /// The accounts with this e-mail address (case ignored).
    pub async fn utenti_per_email(&self, email: &str) -> Result<Vec<UtenteRow>, StoreError> {
        let mut res = self
            .db()
            .query(format!(
                "SELECT {COLONNE} FROM utente WHERE string::lowercase(email) = $email LIMIT 20"
            ))
            .bind(("email", email.trim().to_lowercase()))
            .await?;
        Ok(res.take(0)?)
    }

    /// The accounts of a comune, by surname.
    pub async fn utenti_del_comune(&self, codice: &str) -> Result<Vec<UtenteRow>, StoreError> {
        let mut res = self
            .db()
            .query(format!(
                "SELECT {COLONNE} FROM utente WHERE comune = type::record('comune', $c) \
                 ORDER BY cognome, nome"
            ))
            .bind(("c", codice.to_owned()))
            .await?;
        Ok(res.take(0)?)
    }

    /// Accounts by role, state and comune (each optional), and text found in the name,
    /// surname, CF, e-mail or username; by surname, at most 500.
    pub async fn utenti_cerca(
        &self,
        ruolo: Option<&str>,
        stato: Option<&str>,
        comune: Option<&str>,
        testo: Option<&str>,
    ) -> Result<Vec<UtenteRow>, StoreError> {
        let mut res = self
            .db()
            .query(format!(
                "SELECT {COLONNE} FROM utente WHERE \
                   ($ruolo = NONE OR ruolo = $ruolo) AND ($stato = NONE OR stato = $stato) \
                   AND ($comune = NONE OR comune = type::record('comune', $comune)) \
                   AND ($q = NONE OR string::contains(string::lowercase( \
                     string::join(' ', nome, cognome, codice_fiscale, email, username)), $q)) \
                 ORDER BY cognome, nome LIMIT 500"
            ))
            .bind(("ruolo", ruolo.map(str::to_owned)))
            .bind(("stato", stato.map(str::to_owned)))
            .bind(("comune", comune.map(str::to_owned)))
            .bind(("q", testo.map(str::to_lowercase)))
            .await?;
        Ok(res.take(0)?)
    }

    /// Every account of a role, by surname (no limit: one legal representative per comune
    /// of the largest Region is 1,502).
    pub async fn utenti_con_ruolo(&self, ruolo: &str) -> Result<Vec<UtenteRow>, StoreError> {
        let mut res = self
            .db()
            .query(format!(
                "SELECT {COLONNE} FROM utente WHERE ruolo = $ruolo ORDER BY cognome, nome"
            ))
            .bind(("ruolo", ruolo.to_owned()))
            .await?;
        Ok(res.take(0)?)
    }

    /// How many active accounts must choose a new password.
    pub async fn utenti_con_cambio_obbligato(&self) -> Result<u64, StoreError> {
        let mut res = self
            .db()
            .query(
                "SELECT VALUE count() FROM utente WHERE stato = 'attivo' AND cambio_obbligato = true \
                 GROUP ALL",
            )
            .await?;
        let n: Option<u64> = res.take(0)?;
        Ok(n.unwrap_or(0))
    }

    /// The first free username among `base`, `base2`, `base3`… that is not in `riservati`
    /// either (accounts are never deleted, so a username once taken stays taken).
    pub async fn username_libero(
        &self,
        base: &str,
        riservati: &std::collections::HashSet<String>,
    ) -> Result<String, StoreError> {
        let mut res = self
            .db()
            .query(
                "SELECT VALUE username FROM utente WHERE username = $base \
                 OR string::starts_with(username, $base)",
            )
            .bind(("base", base.to_owned()))
            .await?;
        let mut presi: Vec<String> = res.take(0)?;
        presi.extend(riservati.iter().cloned());
        if !presi.iter().any(|u| u == base) {
            return Ok(base.to_owned());
        }
        Ok((2..)
            .map(|n| format!("{base}{n}"))
            .find(|u| !presi.contains(u))
            .unwrap_or_else(|| format!("{base}-{}", uuid::Uuid::new_v4().simple())))
    }

    /// Creates an account directly (demo and test accounts); `Duplicate` when the username
    /// or the codice fiscale is taken.
    pub async fn utente_create(&self, u: NewUtente) -> Result<(), StoreError> {
        let username = u.username.clone();
        let mut tx = Transazione::new();
        tx.crea_account(u);
        match tx.esegui(self).await {
            Ok(_) => Ok(()),
            Err(e) if duplicato(&e) => Err(StoreError::Duplicate(username)),
            Err(e) => Err(e),
        }
    }

    /// Records a successful sign-in.
    pub async fn utente_accesso_riuscito(
        &self,
        username: &str,
        quando: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.db()
            .query("UPDATE type::record('utente', $u) SET ultimo_accesso = $quando RETURN NONE")
            .bind(("u", username.to_owned()))
            .bind(("quando", quando))
            .await?
            .check()?;
        Ok(())
    }
}
