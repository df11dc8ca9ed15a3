//! The Region's hand on a comune's form: block and unlock, reopen, accept, return with
//! comments, a comune's own later deadline; and the comune's request about funded services
//! not reached, which blocks the form until the Region checks it.

use super::*;

/// The eligible comune `codice` of campaign `id`, for a regional action.
pub(super) async fn per_regione(
    state: &AppState,
    user: &UtenteCorrente,
    id: &str,
    codice: &str,
) -> Result<(Campagna, String), ApiError> {
    solo_regione(user)?;
    let comune = crate::service::comuni::accessibile(state, user, codice).await?;
    let c = campagna_visibile(state, user, id).await?;
    if !ammesso(&c, &comune.codice) {
        return Err(ApiError::NotFound);
    }
    Ok((c, comune.codice))
}

/// Blocks a comune's form until the Region unlocks it (Region; with a reason).
#[tracing::instrument(skip_all, err(level = "info"), fields(campagna = %id, comune = %codice))]
pub async fn blocca(
    state: &AppState,
    user: &UtenteCorrente,
    id: &str,
    codice: &str,
    form: &MotivoForm,
) -> Result<Scheda, ApiError> {
    imposta_blocco(state, user, id, codice, form, true).await
}

/// Unlocks a comune's form (Region; with a reason).
#[tracing::instrument(skip_all, err(level = "info"), fields(campagna = %id, comune = %codice))]
pub async fn sblocca(
    state: &AppState,
    user: &UtenteCorrente,
    id: &str,
    codice: &str,
    form: &MotivoForm,
) -> Result<Scheda, ApiError> {
    imposta_blocco(state, user, id, codice, form, false).await
}

/// Sets (`bloccata`) or removes a comune form's block, audited with the reason.
pub(super) async fn imposta_blocco(
    state: &AppState,
    user: &UtenteCorrente,
    id: &str,
    codice: &str,
    form: &MotivoForm,
    bloccata: bool,
) -> Result<Scheda, ApiError> {
    let motivo = form.controlla()?;
    let (c, comune) = per_regione(state, user, id, codice).await?;
    let posta = if bloccata {
        Vec::new()
    } else {
        crate::service::posta::campagne::ai_comuni(
            state,
            Some(vec![comune.clone()]),
            &Default::default(),
            "sblocco",
            |cornice, nome| {
                crate::service::posta::testi::sbloccata(cornice, nome, &c.dati.titolo, id, &motivo)
            },
        )
        .await?
    };
    let blocco = bloccata.then(|| Blocco {
        motivo: motivo.clone(),
        quando: state.orologio.adesso(),
        da: user.username.clone(),
    });
    let esito = state
        .store
        .scheda_blocco(
            id,
            &comune,
            blocco.as_ref(),
            &user.username,
            serde_json::json!({ "motivo": motivo }),
            posta,
        )
        .await?;
    if esito == EsitoScheda::Cambiata {
        return Err(ApiError::Conflict {
            message: "La scheda è già stata inviata o accettata: non si può bloccare.".into(),
        });
    }
    state.posta.sveglia();
    scheda(state, user, id, &comune).await
}

/// Reopens a sent form so the comune can correct and send it again (Region; with a reason; the
/// old receipt is kept in the audit log).
#[tracing::instrument(skip_all, err(level = "info"), fields(campagna = %id, comune = %codice))]
pub async fn riapri(
    state: &AppState,
    user: &UtenteCorrente,
    id: &str,
    codice: &str,
    form: &MotivoForm,
) -> Result<Scheda, ApiError> {
    let motivo = form.controlla()?;
    let (_, comune) = per_regione(state, user, id, codice).await?;
    let prima = scheda(state, user, id, &comune).await?;
    let Some(ricevuta) = prima.ricevuta else {
        return Err(ApiError::Conflict {
            message: "Si può riaprire solo una scheda inviata.".into(),
        });
    };
    let dettagli = serde_json::json!({ "motivo": motivo, "ricevuta_annullata": ricevuta });
    match state
        .store
        .scheda_riapri(id, &comune, &user.username, dettagli)
        .await?
    {
        EsitoScheda::Fatto(_) => scheda(state, user, id, &comune).await,
        EsitoScheda::Cambiata => Err(ApiError::Conflict {
            message: "Si può riaprire solo una scheda inviata.".into(),
        }),
    }
}

/// Accepts a sent form: final (Region).
#[tracing::instrument(skip_all, err(level = "info"), fields(campagna = %id, comune = %codice))]
pub async fn accetta(
    state: &AppState,
    user: &UtenteCorrente,
    id: &str,
    codice: &str,
) -> Result<Scheda, ApiError> {
    let (_, comune) = per_regione(state, user, id, codice).await?;
    match state
        .store
        .scheda_revisione(
            id,
            &comune,
            StatoScheda::Accettata,
            &[],
            &user.username,
            serde_json::json!({}),
            Vec::new(),
        )
        .await?
    {
        EsitoScheda::Fatto(_) => scheda(state, user, id, &comune).await,
        EsitoScheda::Cambiata => Err(solo_inviata()),
    }
}

/// Returns a sent form to the comune for corrections, with comments on fields or sections
/// (Region). The comune corrects it and sends it again, whatever the window.
#[tracing::instrument(skip_all, err(level = "info"), fields(campagna = %id, comune = %codice))]
pub async fn restituisci(
    state: &AppState,
    user: &UtenteCorrente,
    id: &str,
    codice: &str,
    commenti: &[Commento],
) -> Result<Scheda, ApiError> {
    let (c, comune) = per_regione(state, user, id, codice).await?;
    let commenti = shared::campagna::controlla_commenti(commenti)?;
    let n = commenti.len();
    let posta = crate::service::posta::campagne::ai_comuni(
        state,
        Some(vec![comune.clone()]),
        &Default::default(),
        "restituzione",
        |cornice, nome| {
            crate::service::posta::testi::restituita(cornice, nome, &c.dati.titolo, id, n)
        },
    )
    .await?;
    match state
        .store
        .scheda_revisione(
            id,
            &comune,
            StatoScheda::Restituita,
            &commenti,
            &user.username,
            serde_json::json!({ "commenti": commenti }),
            posta,
        )
        .await?
    {
        EsitoScheda::Fatto(_) => {
            state.posta.sveglia();
            scheda(state, user, id, &comune).await
        }
        EsitoScheda::Cambiata => Err(solo_inviata()),
    }
}

pub(super) fn solo_inviata() -> ApiError {
    ApiError::Conflict {
        message: "Si può accettare o restituire solo una scheda inviata e non ancora esaminata."
            .into(),
    }
}

/// A comune's "services not reached" request on a monitoring form: recorded, and the form
/// is blocked until a regional official reviews it and unlocks it.
#[tracing::instrument(skip_all, err(level = "info"), fields(campagna = %id, comune = %codice))]
pub async fn segnala(
    state: &AppState,
    user: &UtenteCorrente,
    id: &str,
    codice: &str,
    form: &Segnalazione,
) -> Result<Scheda, ApiError> {
    if !user.ruolo.is_comunale() {
        return Err(ApiError::Forbidden);
    }
    let comune = crate::service::comuni::accessibile(state, user, codice)
        .await?
        .codice;
    let c = campagna_visibile(state, user, id).await?;
    if c.dati.tipo != TipoCampagna::Monitoraggio {
        return Err(ApiError::Conflict {
            message: "La segnalazione di servizi non raggiunti si fa nella scheda di monitoraggio."
                .into(),
        });
    }
    // A comune's action on its form: only while the form can be compiled (window open, not
    // sent, not blocked), like saving and sending.
    compilabile(state, user, id, &comune, false).await?;
    let s = form.controlla()?;
    let blocco = Blocco {
        motivo: format!(
            "segnalati servizi non raggiunti («{}»): in attesa di verifica della Regione.",
            s.servizio
        ),
        quando: state.orologio.adesso(),
        da: user.username.clone(),
    };
    match state
        .store
        .scheda_segnala(id, &comune, &s, &blocco, &user.username)
        .await?
    {
        EsitoScheda::Fatto(_) => scheda(state, user, id, &comune).await,
        EsitoScheda::Cambiata => Err(ApiError::Conflict {
            message: "La scheda è già stata inviata.".into(),
        }),
    }
}

/// Gives one comune its own later deadline (Region; later than the one in force for it).
#[tracing::instrument(skip_all, err(level = "info"), fields(campagna = %id, comune = %codice))]
pub async fn proroga_comune(
    state: &AppState,
    user: &UtenteCorrente,
    id: &str,
    codice: &str,
    form: &ProrogaForm,
) -> Result<Scheda, ApiError> {
    let (c, comune) = per_regione(state, user, id, codice).await?;
    let attuale = scheda(state, user, id, &comune).await?;
    let (chiusura, motivo) = controlla_proroga(form, attuale.chiusura)?;
    let avviso = format!(
        "I termini per la compilazione della rilevazione «{}» sono stati prorogati per il Comune di {} al {}.",
        c.dati.titolo,
        attuale.comune.nome,
        shared::campagna::data_ora_estesa(chiusura)
    );
    let posta = crate::service::posta::campagne::ai_comuni(
        state,
        Some(vec![comune.clone()]),
        &Default::default(),
        "proroga",
        |cornice, nome| crate::service::posta::testi::prorogata(cornice, nome, &avviso, id),
    )
    .await?;
    let p = Proroga {
        chiusura,
        motivo,
        quando: state.orologio.adesso(),
        da: user.username.clone(),
    };
    state
        .store
        .scheda_proroga(id, &comune, &p, &user.username, posta)
        .await?;
    state.posta.sveglia();
    scheda(state, user, id, &comune).await
}
