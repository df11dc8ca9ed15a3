//! Demo accounts for development installations (never seeded in production).

use crate::password;
use crate::store::utenti::NewUtente;
use crate::store::{Store, StoreError};
use shared::auth::Ruolo;

/// The demo password of every demo account (listed in the README).
pub const DEMO_PASSWORD: &str = "demo-servizi-06";

/// Demo accounts: username, full name, role, comune.
pub const DEMO_UTENTI: &[(&str, &str, Ruolo, Option<&str>)] = &[
    (
        "regione",
        "Funzionario Regione Piemonte",
        Ruolo::FunzionarioRegionale,
        None,
    ),
    (
        "torino",
        "Operatore Comune di Torino",
        Ruolo::OperatoreComunale,
        Some("001272"),
    ),
    (
        "alba",
        "Operatore Comune di Alba",
        Ruolo::OperatoreComunale,
        Some("004003"),
    ),
];

/// Creates the demo accounts that do not exist yet; returns how many were created.
pub async fn seed(store: &Store) -> anyhow::Result<usize> {
    let mut created = 0;
    for (username, nome, ruolo, comune) in DEMO_UTENTI {
        if store.utente(username).await?.is_some() {
            continue;
        }
        let hash = password::hash(DEMO_PASSWORD.to_owned()).await?;
        match store
            .utente_create(NewUtente {
                username: (*username).to_owned(),
                password_hash: hash,
                nome_completo: (*nome).to_owned(),
                ruolo: ruolo.code().to_owned(),
                comune: comune.map(str::to_owned),
            })
            .await
        {
            Ok(()) => created += 1,
            // Another instance seeded it meanwhile.
            Err(StoreError::Duplicate(_)) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(created)
}
