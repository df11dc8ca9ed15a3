//! "Registrazione utenti": the legal representative drafts and sends the list of users to
//! enable (a receipt number), the Region approves (profile) or refuses (reason) each one;
//! approving creates the account `in_attesa` with its activation e-mail, in one transaction.
//! The legal representative also asks to disable a user of the comune; the Region decides.

use super::apertura::{cf_non_disponibile, stesso_nome, Apertura};
use super::solo_regione;
use super::utenti::prepara_disabilitazione;
use crate::state::AppState;
use crate::store::audit::AuditEntry;
use crate::store::registrazioni::{
    DisabilitazioneRow, EsitoRow, IdentitaRow, NuovaDisabilitazione, NuovaRegistrazione,
    RegistrazioneRow, RigaBozza, VoceRow, CAMBIATA,
};
use crate::store::transazione::Transazione;
use crate::store::utenti::{duplicato, STATO_CAMBIATO};
use crate::store::StoreError;
use chrono::Datelike;
use shared::auth::{Ruolo, UtenteCorrente};
use shared::comune::ComuneRef;
use shared::registrazione::{
    stato_richiesta, ApprovazioneForm, BozzaRichiesta, CodaRichieste, Decisione,
    DisabilitazioneForm, EsitoVoce, FiltroRichieste, MotivazioneForm, Richiesta,
    RichiestaDisabilitazione, RichiestaForm, StatoDisabilitazione, VoceRichiesta,
    MAX_UTENTI_RICHIESTA,
};
use shared::utente::{ruolo_comunale, Identita, IdentitaForm, StatoUtente};
use shared::{ApiError, FieldError};

mod decisione;
mod disabilitazione;
mod invio;

pub use decisione::*;
pub use disabilitazione::*;
pub use invio::*;

/// The comune `codice` if `user` is its legal representative (403 otherwise).
async fn come_legale(
    state: &AppState,
    user: &UtenteCorrente,
    codice: &str,
) -> Result<crate::store::comuni::ComuneRow, ApiError> {
    let comune = super::comuni::accessibile(state, user, codice).await?;
    if user.ruolo != Ruolo::LegaleRappresentante {
        return Err(ApiError::Forbidden);
    }
    Ok(comune)
}

fn identita_row(i: &Identita) -> IdentitaRow {
    IdentitaRow {
        nome: i.nome.clone(),
        cognome: i.cognome.clone(),
        codice_fiscale: i.codice_fiscale.clone(),
        email: i.email.clone(),
        telefono: i.telefono.clone(),
        ufficio: i.ufficio.clone(),
    }
}

fn identita(r: &IdentitaRow) -> Identita {
    Identita {
        nome: r.nome.clone(),
        cognome: r.cognome.clone(),
        codice_fiscale: r.codice_fiscale.clone(),
        email: r.email.clone(),
        telefono: r.telefono.clone(),
        ufficio: r.ufficio.clone(),
    }
}

fn richiesta(r: RegistrazioneRow) -> Result<Richiesta, ApiError> {
    let utenti = r
        .utenti
        .iter()
        .map(|v| {
            let esito = v
                .esito
                .as_ref()
                .map(|e| {
                    Ok::<_, ApiError>(EsitoVoce {
                        decisione: Decisione::from_code(&e.decisione)
                            .ok_or_else(|| super::internal("decisione", &e.decisione))?,
                        ruolo: e.ruolo.as_deref().and_then(Ruolo::from_code),
                        motivo: e.motivo.clone(),
                        da: e.da.clone(),
                        quando: e.quando,
                        account: e.account.clone(),
                    })
                })
                .transpose()?;
            Ok(VoceRichiesta {
                identita: identita(&v.identita),
                esito,
            })
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    Ok(Richiesta {
        stato: stato_richiesta(&utenti),
        id: r.id,
        numero: r.numero,
        comune: ComuneRef {
            codice: r.comune,
            nome: r.comune_nome,
        },
        sigla_provincia: r.sigla_provincia,
        richiedente: r.richiedente,
        richiedente_nome: r.richiedente_nome,
        inviata: r.inviata,
        utenti,
    })
}

async fn richiesta_di(state: &AppState, id: &str) -> Result<Richiesta, ApiError> {
    if !shared::servizio::id_valido(id) {
        return Err(ApiError::NotFound);
    }
    richiesta(
        state
            .store
            .registrazione(id)
            .await?
            .ok_or(ApiError::NotFound)?,
    )
}

/// One request: its comune's legal representative, or the Region.
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn una(state: &AppState, user: &UtenteCorrente, id: &str) -> Result<Richiesta, ApiError> {
    let r = richiesta_di(state, id).await?;
    let consentito = !user.ruolo.is_comunale()
        || (user.ruolo == Ruolo::LegaleRappresentante && user.can_access_comune(&r.comune.codice));
    if !consentito {
        return Err(ApiError::Forbidden);
    }
    Ok(r)
}

/// A comune's requests, newest first (its legal representative, or the Region).
#[tracing::instrument(skip_all, err(level = "info"), fields(comune = %codice))]
pub async fn del_comune(
    state: &AppState,
    user: &UtenteCorrente,
    codice: &str,
) -> Result<Vec<Richiesta>, ApiError> {
    let comune = super::comuni::accessibile(state, user, codice).await?;
    if user.ruolo == Ruolo::OperatoreComunale {
        return Err(ApiError::Forbidden);
    }
    state
        .store
        .registrazioni_del_comune(&comune.codice)
        .await?
        .into_iter()
        .map(richiesta)
        .collect()
}

/// The Region's queue: requests with users to decide (or all), oldest first, of a province
/// or comune, with the counts.
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn coda(
    state: &AppState,
    user: &UtenteCorrente,
    f: &FiltroRichieste,
) -> Result<CodaRichieste, ApiError> {
    solo_regione(user)?;
    let provincia = Some(f.provincia.trim().to_uppercase()).filter(|p| !p.is_empty());
    if provincia
        .as_deref()
        .is_some_and(|p| p.len() != 2 || !p.bytes().all(|b| b.is_ascii_alphabetic()))
    {
        return Err(ApiError::Validation {
            fields: vec![FieldError::new(
                "provincia",
                "provincia.formato",
                "La provincia è indicata dalla sigla di 2 lettere (es. TO).",
            )],
        });
    }
    let comune = Some(f.comune.trim().to_owned()).filter(|c| !c.is_empty());
    if let Some(c) = &comune {
        shared::comune::CodiceIstat::parse(c)?;
    }
    let tutte = match f.stato.trim() {
        "" | "da_esaminare" => false,
        "tutte" => true,
        _ => {
            return Err(ApiError::Validation {
                fields: vec![FieldError::new(
                    "stato",
                    "stato.valore",
                    "Scegli «da esaminare» o «tutte».",
                )],
            })
        }
    };
    let (aperte, utenti) = state.store.registrazioni_conteggi().await?;
    let richieste = state
        .store
        .registrazioni_coda(!tutte, provincia.as_deref(), comune.as_deref())
        .await?
        .into_iter()
        .map(richiesta)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(CodaRichieste {
        richieste_aperte: u32::try_from(aperte).unwrap_or(u32::MAX),
        utenti_da_esaminare: u32::try_from(utenti).unwrap_or(u32::MAX),
        richieste,
    })
}

/// The decision on user `indice` of request `id`, taken by the Region.
enum Scelta {
    Approva(Ruolo),
    Rifiuta(String),
}
