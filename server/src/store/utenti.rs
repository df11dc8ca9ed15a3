//! Table `utente`: accounts, keyed by username.

use super::{Store, StoreError};
use surrealdb::types::SurrealValue;

/// A stored user, with the comune's name joined in.
#[derive(Debug, Clone, PartialEq, Eq, SurrealValue)]
pub struct UtenteRow {
    pub username: String,
    pub password_hash: String,
    pub nome_completo: String,
    pub ruolo: String,
    pub comune: Option<String>,
    pub comune_nome: Option<String>,
    pub attivo: bool,
}

/// A user to create (the password already hashed).
#[derive(Debug, Clone)]
pub struct NewUtente {
    pub username: String,
    pub password_hash: String,
    pub nome_completo: String,
    pub ruolo: String,
    pub comune: Option<String>,
}

impl Store {
    /// The user with this (normalized) username.
    pub async fn utente(&self, username: &str) -> Result<Option<UtenteRow>, StoreError> {
        let mut res = self
            .db()
            .query(
                "SELECT username, password_hash, nome_completo, ruolo, comune.codice AS comune, \
                 comune.nome AS comune_nome, attivo FROM ONLY type::record('utente', $username)",
            )
            .bind(("username", username.to_owned()))
            .await?;
        Ok(res.take(0)?)
    }

    /// Creates a user; `Duplicate` when the username is taken.
    pub async fn utente_create(&self, u: NewUtente) -> Result<(), StoreError> {
        let sql = if u.comune.is_some() {
            "CREATE type::record('utente', $username) CONTENT { username: $username, \
             password_hash: $hash, nome_completo: $nome, ruolo: $ruolo, \
             comune: type::record('comune', $comune), attivo: true, creato: time::now() } RETURN NONE"
        } else {
            "CREATE type::record('utente', $username) CONTENT { username: $username, \
             password_hash: $hash, nome_completo: $nome, ruolo: $ruolo, \
             attivo: true, creato: time::now() } RETURN NONE"
        };
        let res = self
            .db()
            .query(sql)
            .bind(("username", u.username.clone()))
            .bind(("hash", u.password_hash))
            .bind(("nome", u.nome_completo))
            .bind(("ruolo", u.ruolo))
            .bind(("comune", u.comune))
            .await?
            .check();
        match res {
            Ok(_) => Ok(()),
            Err(e) if e.is_already_exists() || e.message().contains("already exists") => {
                Err(StoreError::Duplicate(u.username))
            }
            Err(e) => Err(e.into()),
        }
    }
}
