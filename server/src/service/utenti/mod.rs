//! The Region's management of accounts: the list, the legal representatives of the comuni
//! (one by one or from a CSV file), regional accounts (administrators only), disabling and
//! re-enabling, forcing a new password. Nothing is deleted; every change is audited.

use super::account::link_con_messaggio;
use super::apertura::{self, Apertura};
use super::solo_regione;
use crate::state::AppState;
use crate::store::audit::AuditEntry;
use crate::store::transazione::Transazione;
use crate::store::utenti::{UtenteRow, STATO_CAMBIATO};
use shared::account::ScopoLink;
use shared::auth::{Ruolo, UtenteCorrente};
use shared::comune::ComuneRef;
use shared::registrazione::MotivazioneForm;
use shared::utente::{
    ruolo_regionale, ComuneLegale, FiltroUtenti, LegaleForm, NuovoRegionaleForm, StatoUtente,
    UtenteVista,
};
use shared::{ApiError, FieldError};
use std::collections::HashSet;

mod legali;
mod stato;

pub use legali::*;
pub use stato::*;

/// Administrators only (403 otherwise).
pub(crate) fn solo_amministratore(user: &UtenteCorrente) -> Result<(), ApiError> {
    if user.ruolo == Ruolo::Amministratore {
        Ok(())
    } else {
        Err(ApiError::Forbidden)
    }
}

/// The view of a stored account.
pub(crate) fn vista(r: UtenteRow) -> Result<UtenteVista, ApiError> {
    let ruolo =
        Ruolo::from_code(&r.ruolo).ok_or_else(|| super::internal("ruolo sconosciuto", &r.ruolo))?;
    let stato = StatoUtente::from_code(&r.stato)
        .ok_or_else(|| super::internal("stato sconosciuto", &r.stato))?;
    let comune = match (r.comune, r.comune_nome) {
        (Some(codice), Some(nome)) => Some(ComuneRef { codice, nome }),
        _ => None,
    };
    Ok(UtenteVista {
        username: r.username,
        nome: r.nome,
        cognome: r.cognome,
        codice_fiscale: r.codice_fiscale,
        email: r.email,
        pec: r.pec,
        telefono: r.telefono,
        ufficio: r.ufficio,
        ruolo,
        comune,
        stato,
        creato: r.creato,
        password_cambiata: r.password_cambiata,
        ultimo_accesso: r.ultimo_accesso,
        cambio_obbligato: r.cambio_obbligato,
    })
}

/// An account `user` may manage: regional officials manage comune accounts; regional
/// accounts only administrators; nobody manages their own this way. 404 for an unknown one.
pub(crate) async fn gestibile(
    state: &AppState,
    user: &UtenteCorrente,
    username: &str,
) -> Result<UtenteRow, ApiError> {
    solo_regione(user)?;
    let row = state
        .store
        .utente(&shared::auth::normalize_username(username))
        .await?
        .ok_or(ApiError::NotFound)?;
    let regionale = Ruolo::from_code(&row.ruolo).is_some_and(|r| !r.is_comunale());
    if regionale && user.ruolo != Ruolo::Amministratore {
        return Err(ApiError::Forbidden);
    }
    if row.username == user.username {
        return Err(ApiError::Conflict {
            message: "Il proprio account non si gestisce da qui: usa la pagina «Il mio account»."
                .into(),
        });
    }
    Ok(row)
}

/// The accounts, filtered (Region).
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn elenco(
    state: &AppState,
    user: &UtenteCorrente,
    f: &FiltroUtenti,
) -> Result<Vec<UtenteVista>, ApiError> {
    solo_regione(user)?;
    let vuoto = |s: &str| {
        let t = s.trim();
        (!t.is_empty()).then(|| t.to_owned())
    };
    let ruolo = vuoto(&f.ruolo);
    if ruolo
        .as_deref()
        .is_some_and(|r| Ruolo::from_code(r).is_none())
    {
        return Err(campo("ruolo", "Ruolo non previsto."));
    }
    let stato = vuoto(&f.stato);
    if stato
        .as_deref()
        .is_some_and(|s| StatoUtente::from_code(s).is_none())
    {
        return Err(campo("stato", "Stato non previsto."));
    }
    let comune = vuoto(&f.comune);
    if comune
        .as_deref()
        .is_some_and(|c| shared::comune::CodiceIstat::parse(c).is_err())
    {
        return Err(campo(
            "comune",
            "Il codice ISTAT del comune è formato da 6 cifre.",
        ));
    }
    let q = vuoto(&f.q).filter(|q| q.chars().count() <= 100);
    state
        .store
        .utenti_cerca(
            ruolo.as_deref(),
            stato.as_deref(),
            comune.as_deref(),
            q.as_deref(),
        )
        .await?
        .into_iter()
        .map(vista)
        .collect()
}

fn campo(nome: &str, messaggio: &str) -> ApiError {
    ApiError::Validation {
        fields: vec![FieldError::new(nome, &format!("{nome}.valore"), messaggio)],
    }
}

/// One account (Region).
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn utente(
    state: &AppState,
    user: &UtenteCorrente,
    username: &str,
) -> Result<UtenteVista, ApiError> {
    solo_regione(user)?;
    let row = state
        .store
        .utente(&shared::auth::normalize_username(username))
        .await?
        .ok_or(ApiError::NotFound)?;
    vista(row)
}

/// The accounts of one comune: its legal representative and the Region.
#[tracing::instrument(skip_all, err(level = "info"), fields(comune = %codice))]
pub async fn del_comune(
    state: &AppState,
    user: &UtenteCorrente,
    codice: &str,
) -> Result<Vec<UtenteVista>, ApiError> {
    let comune = super::comuni::accessibile(state, user, codice).await?;
    if user.ruolo == Ruolo::OperatoreComunale {
        return Err(ApiError::Forbidden);
    }
    state
        .store
        .utenti_del_comune(&comune.codice)
        .await?
        .into_iter()
        .map(vista)
        .collect()
}

/// An administrator creates a regional account (regional official or administrator).
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn crea_regionale(
    state: &AppState,
    user: &UtenteCorrente,
    form: &NuovoRegionaleForm,
) -> Result<UtenteVista, ApiError> {
    solo_amministratore(user)?;
    let identita = form.identita.controlla();
    let ruolo = ruolo_regionale(&form.ruolo);
    let (identita, ruolo) = match (identita, ruolo) {
        (Ok(i), Ok(r)) => (i, r),
        (a, b) => {
            let mut fields = Vec::new();
            if let Err(e) = a {
                fields.extend(e.fields().iter().cloned());
            }
            if let Err(e) = b {
                fields.extend(e.fields().iter().cloned());
            }
            return Err(ApiError::Validation { fields });
        }
    };
    let a = Apertura {
        persona: &identita,
        pec: None,
        ruolo,
        comune: None,
        campo_cf: "codice_fiscale",
        dettagli: true,
        per_posta: true,
    };
    let aperto = apertura::apri(state, &user.username, &a, Transazione::new()).await?;
    utente(state, user, &aperto.username).await
}

/// An administrator changes a regional account's role.
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn imposta_ruolo(
    state: &AppState,
    user: &UtenteCorrente,
    username: &str,
    ruolo: &str,
) -> Result<UtenteVista, ApiError> {
    solo_amministratore(user)?;
    let row = gestibile(state, user, username).await?;
    let nuovo = ruolo_regionale(ruolo)?;
    if Ruolo::from_code(&row.ruolo).is_some_and(Ruolo::is_comunale) {
        return Err(ApiError::Conflict {
            message: "Il profilo di un utente comunale si decide con la richiesta di abilitazione del suo comune.".into(),
        });
    }
    let mut tx = Transazione::new();
    tx.imposta_ruolo(&row.username, nuovo.code());
    tx.audit(AuditEntry::riuscita(
        &user.username,
        "cambio_ruolo",
        &format!("utente:{}", row.username),
        serde_json::json!({ "prima": row.ruolo, "dopo": nuovo.code() }),
    ));
    tx.esegui_con_riprova(&state.store).await?;
    utente(state, user, &row.username).await
}
