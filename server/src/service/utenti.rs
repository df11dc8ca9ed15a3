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
    tx.audit(AuditEntry {
        attore: Some(user.username.clone()),
        azione: "cambio_ruolo".into(),
        oggetto: format!("utente:{}", row.username),
        esito: "ok".into(),
        dettagli: Some(serde_json::json!({ "prima": row.ruolo, "dopo": nuovo.code() })),
    });
    tx.esegui_con_riprova(&state.store).await?;
    utente(state, user, &row.username).await
}

/// Disables an account at once (Region; regional accounts: administrators): its sessions end,
/// its links are void, waiting requests to disable it are closed, the person is told.
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn disabilita(
    state: &AppState,
    user: &UtenteCorrente,
    username: &str,
    form: &MotivazioneForm,
) -> Result<UtenteVista, ApiError> {
    let row = gestibile(state, user, username).await?;
    let motivo = form.controlla()?;
    let mut tx = Transazione::new();
    prepara_disabilitazione(state, &mut tx, &user.username, &row, &motivo);
    if tx
        .esegui_con_guardie(&state.store, &[STATO_CAMBIATO])
        .await?
        .is_none()
    {
        return Err(ApiError::Conflict {
            message: "L'account è già disabilitato.".into(),
        });
    }
    state.posta.sveglia();
    utente(state, user, &row.username).await
}

/// The parts of disabling `row` (state, sessions, links, waiting requests, e-mail, audit).
pub(crate) fn prepara_disabilitazione(
    state: &AppState,
    tx: &mut Transazione,
    da: &str,
    row: &UtenteRow,
    motivo: &str,
) {
    let adesso = state.orologio.adesso();
    tx.richiedi_stato(&row.username, &["in_attesa", "attivo"]);
    tx.disabilita_account(&row.username, adesso);
    tx.chiudi_disabilitazioni(&row.username, da, adesso);
    let t = super::posta::testi::disabilitato(&row.nome_completo(), motivo);
    tx.accoda(super::posta::messaggio(
        state,
        &row.email,
        &t,
        "disabilitazione",
        None,
    ));
    tx.audit(AuditEntry {
        attore: Some(da.to_owned()),
        azione: "disabilitazione".into(),
        oggetto: format!("utente:{}", row.username),
        esito: "ok".into(),
        dettagli: Some(serde_json::json!({ "motivo": motivo })),
    });
}

/// Re-enables a disabled account (Region): back to `in_attesa` without its old password, and
/// a new activation link to the person.
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn riabilita(
    state: &AppState,
    user: &UtenteCorrente,
    username: &str,
    form: &MotivazioneForm,
) -> Result<UtenteVista, ApiError> {
    let row = gestibile(state, user, username).await?;
    let motivo = form.controlla()?;
    let ruolo = Ruolo::from_code(&row.ruolo).unwrap_or(Ruolo::OperatoreComunale);
    let mut tx = Transazione::new();
    tx.richiedi_stato(&row.username, &["disabilitato"]);
    tx.riapri_account(&row.username, None, None);
    link_con_messaggio(
        state,
        &mut tx,
        &row.username,
        &row.nome_completo(),
        &row.email,
        ruolo,
        ScopoLink::Attivazione,
    );
    tx.audit(AuditEntry {
        attore: Some(user.username.clone()),
        azione: "riabilitazione".into(),
        oggetto: format!("utente:{}", row.username),
        esito: "ok".into(),
        dettagli: Some(serde_json::json!({ "motivo": motivo })),
    });
    if tx
        .esegui_con_guardie(&state.store, &[STATO_CAMBIATO])
        .await?
        .is_none()
    {
        return Err(ApiError::Conflict {
            message: "Si riabilita solo un account disabilitato.".into(),
        });
    }
    state.posta.sveglia();
    utente(state, user, &row.username).await
}

/// Asks for a new password at the next sign-in: one account (Region), or every active one
/// (administrators: after a suspected compromise).
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn obbliga_cambio(
    state: &AppState,
    user: &UtenteCorrente,
    username: Option<&str>,
    form: &MotivazioneForm,
) -> Result<u64, ApiError> {
    let oggetto = match username {
        Some(u) => {
            let row = gestibile(state, user, u).await?;
            if !row.attivo() {
                return Err(ApiError::Conflict {
                    message: "Si può chiedere di cambiare la password solo a un account attivo."
                        .into(),
                });
            }
            Some(row.username)
        }
        None => {
            solo_amministratore(user)?;
            None
        }
    };
    let motivo = form.controlla()?;
    let mut tx = Transazione::new();
    tx.obbliga_cambio(oggetto.as_deref());
    tx.audit(AuditEntry {
        attore: Some(user.username.clone()),
        azione: "cambio_password_obbligato".into(),
        oggetto: oggetto
            .as_ref()
            .map_or_else(|| "utente:*".into(), |u| format!("utente:{u}")),
        esito: "ok".into(),
        dettagli: Some(serde_json::json!({ "motivo": motivo })),
    });
    tx.esegui_con_riprova(&state.store).await?;
    match oggetto {
        Some(_) => Ok(1),
        None => Ok(state.store.utenti_con_cambio_obbligato().await?),
    }
}

/// The comuni of the Region with their legal representative (Region); of one province.
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn legali(
    state: &AppState,
    user: &UtenteCorrente,
    provincia: Option<&str>,
) -> Result<Vec<ComuneLegale>, ApiError> {
    solo_regione(user)?;
    let comuni = state
        .store
        .comuni_righe_regione(&state.settings.regione.codice)
        .await?;
    let legali = state
        .store
        .utenti_con_ruolo(Ruolo::LegaleRappresentante.code())
        .await?;
    let provincia = provincia.map(str::trim).filter(|p| !p.is_empty());
    let mut out = Vec::new();
    for c in comuni {
        if provincia.is_some_and(|p| !c.sigla_provincia.eq_ignore_ascii_case(p)) {
            continue;
        }
        // The one in office: active or waiting for activation before a disabled one.
        let legale = legali
            .iter()
            .filter(|l| l.comune.as_deref() == Some(c.codice.as_str()))
            .min_by_key(|l| l.stato == StatoUtente::Disabilitato.code())
            .cloned()
            .map(vista)
            .transpose()?;
        out.push(ComuneLegale {
            comune: ComuneRef {
                codice: c.codice,
                nome: c.nome,
            },
            sigla_provincia: c.sigla_provincia,
            legale,
        });
    }
    Ok(out)
}

/// Records a comune's legal representative (Region): an account `in_attesa` with the PEC and
/// an activation link. A previous legal representative still in office is disabled in the
/// same transaction (a new mayor replaces the old one).
#[tracing::instrument(skip_all, err(level = "info"), fields(comune = %codice))]
pub async fn registra_legale(
    state: &AppState,
    user: &UtenteCorrente,
    codice: &str,
    form: &LegaleForm,
) -> Result<UtenteVista, ApiError> {
    solo_regione(user)?;
    let comune = super::comuni::accessibile(state, user, codice).await?;
    let l = form.controlla()?;
    let mut tx = Transazione::new();
    let aperto = prepara_legale(
        state,
        user,
        &comune.codice,
        &l,
        "codice_fiscale",
        &mut tx,
        &mut HashSet::new(),
    )
    .await?;
    apertura::esegui(state, &tx).await?;
    utente(state, user, &aperto.username).await
}

/// Adds to `tx` a comune's new legal representative, disabling the one in office.
async fn prepara_legale(
    state: &AppState,
    user: &UtenteCorrente,
    comune: &str,
    l: &shared::utente::Legale,
    campo_cf: &str,
    tx: &mut Transazione,
    riservati: &mut HashSet<String>,
) -> Result<apertura::Aperto, ApiError> {
    for precedente in state.store.utenti_del_comune(comune).await? {
        let in_carica = precedente.ruolo == Ruolo::LegaleRappresentante.code()
            && precedente.stato != StatoUtente::Disabilitato.code()
            && precedente.codice_fiscale != l.identita.codice_fiscale;
        if in_carica {
            prepara_disabilitazione(
                state,
                tx,
                &user.username,
                &precedente,
                "Sostituito da un nuovo legale rappresentante del comune.",
            );
        }
    }
    let a = Apertura {
        persona: &l.identita,
        pec: Some(l.pec.clone()),
        ruolo: Ruolo::LegaleRappresentante,
        comune: Some(comune),
        campo_cf,
        dettagli: true,
        per_posta: true,
    };
    apertura::prepara(state, tx, &user.username, &a, riservati).await
}

/// Records the legal representatives of a CSV file (Region): all or nothing, in one
/// transaction; every wrong line named, codici fiscali already registered included. Returns
/// how many were recorded.
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn importa_legali(
    state: &AppState,
    user: &UtenteCorrente,
    csv: &str,
) -> Result<usize, ApiError> {
    solo_regione(user)?;
    if csv.len() > 2 * 1024 * 1024 {
        return Err(campo(
            "csv",
            "Il file è più grande di 2 MB: non è un elenco di legali rappresentanti.",
        ));
    }
    let righe = shared::utente::legali_da_csv(csv).map_err(errori_file)?;
    let mut errori = Vec::new();
    let mut tx = Transazione::new();
    let mut riservati = HashSet::new();
    for (i, (codice, l)) in righe.iter().enumerate() {
        match state.store.comune(codice).await? {
            Some(c) if c.codice_regione == state.settings.regione.codice && c.attivo => {}
            _ => {
                errori.push(format!(
                    "Comune {codice}: non è un comune attivo della Regione {}.",
                    state.settings.regione.nome
                ));
                continue;
            }
        }
        if let Err(e) = prepara_legale(state, user, codice, l, "csv", &mut tx, &mut riservati).await
        {
            let motivo = e
                .fields()
                .first()
                .map_or_else(|| e.message(), |f| f.message.clone());
            errori.push(format!("Comune {codice} (riga {}): {motivo}", i + 1));
        }
    }
    if !errori.is_empty() {
        errori.truncate(20);
        return Err(errori_file(errori));
    }
    apertura::esegui(state, &tx).await?;
    Ok(righe.len())
}

fn errori_file(errori: Vec<String>) -> ApiError {
    ApiError::Validation {
        fields: errori
            .into_iter()
            .map(|m| FieldError::new("csv", "csv.riga", &m))
            .collect(),
    }
}
