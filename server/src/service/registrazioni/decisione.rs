//! The Region decides each user of a request: approved with a profile (the account opens
//! `in_attesa` with its activation e-mail, in one transaction) or refused with a reason.

use super::*;

/// Approves user `indice` of request `id` with a comune profile (Region): the account is
/// created `in_attesa` (or a disabled one of the same person reopened for this comune) with
/// its activation e-mail, the decision recorded and the legal representative told, all in
/// one transaction.
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn approva(
    state: &AppState,
    user: &UtenteCorrente,
    id: &str,
    indice: usize,
    form: &ApprovazioneForm,
) -> Result<Richiesta, ApiError> {
    solo_regione(user)?;
    let ruolo = ruolo_comunale(&form.ruolo)?;
    decidi(state, user, id, indice, Scelta::Approva(ruolo)).await
}

/// Refuses user `indice` of request `id`, with a reason (Region); the legal representative
/// is told. No account is created.
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn rifiuta(
    state: &AppState,
    user: &UtenteCorrente,
    id: &str,
    indice: usize,
    form: &MotivazioneForm,
) -> Result<Richiesta, ApiError> {
    solo_regione(user)?;
    let motivo = form.controlla()?;
    decidi(state, user, id, indice, Scelta::Rifiuta(motivo)).await
}

async fn decidi(
    state: &AppState,
    user: &UtenteCorrente,
    id: &str,
    indice: usize,
    scelta: Scelta,
) -> Result<Richiesta, ApiError> {
    solo_regione(user)?;
    if !shared::servizio::id_valido(id) {
        return Err(ApiError::NotFound);
    }
    let r = state
        .store
        .registrazione(id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let voce = r.utenti.get(indice).ok_or(ApiError::NotFound)?.clone();
    if voce.esito.is_some() {
        return Err(ApiError::Conflict {
            message: "Su questo utente la Regione ha già deciso.".into(),
        });
    }
    let persona = identita(&voce.identita);
    let adesso = state.orologio.adesso();
    let mut tx = Transazione::new();
    let (esito, account, azione) = match &scelta {
        Scelta::Approva(ruolo) => {
            let account = apri_account(
                state,
                &mut tx,
                &user.username,
                &r.comune,
                &persona,
                *ruolo,
                indice,
            )
            .await?;
            let esito = EsitoRow {
                decisione: Decisione::Approvato.code().into(),
                ruolo: Some(ruolo.code().into()),
                motivo: None,
                da: user.username.clone(),
                quando: adesso,
                account: Some(account.clone()),
            };
            (esito, Some(account), "approvazione_utente")
        }
        Scelta::Rifiuta(motivo) => {
            let esito = EsitoRow {
                decisione: Decisione::Rifiutato.code().into(),
                ruolo: None,
                motivo: Some(motivo.clone()),
                da: user.username.clone(),
                quando: adesso,
                account: None,
            };
            (esito, None, "rifiuto_utente")
        }
    };
    let mut voci = r.utenti.clone();
    if let Some(v) = voci.get_mut(indice) {
        v.esito = Some(esito);
    }
    tx.decidi_registrazione(&r.id, r.versione, voci);
    if let Some(lr) = state.store.utente(&r.richiedente).await? {
        let esito = match &scelta {
            Scelta::Approva(ruolo) => Ok(ruolo.label()),
            Scelta::Rifiuta(m) => Err(m.as_str()),
        };
        let t = crate::service::posta::testi::richiesta_decisa(
            &crate::service::posta::cornice(state),
            &lr.nome_completo(),
            &r.numero,
            &persona.nome_completo(),
            esito,
        );
        tx.accoda(crate::service::posta::messaggio(
            state,
            &lr.email,
            &t,
            "richiesta_decisa",
            None,
        ));
    }
    tx.audit(AuditEntry {
        attore: Some(user.username.clone()),
        azione: azione.into(),
        oggetto: format!("registrazione:{}", r.id),
        esito: "ok".into(),
        dettagli: Some(serde_json::json!({ "utente": indice, "account": account })),
    });
    match tx.esegui_con_guardie(&state.store, &[CAMBIATA, STATO_CAMBIATO]).await {
        Ok(Some(_)) => {}
        Ok(None) => {
            return Err(ApiError::Conflict {
                message: "La richiesta è cambiata nel frattempo: ricarica la pagina.".into(),
            })
        }
        Err(e) if duplicato(&e) => {
            return Err(ApiError::Conflict {
                message: "Un account con lo stesso codice fiscale è stato creato nel frattempo: ricarica la pagina.".into(),
            })
        }
        Err(e) => return Err(e.into()),
    }
    state.posta.sveglia();
    richiesta_di(state, id).await
}

/// The account an approval opens for `persona` in `comune` (see [`super::apertura`]): a 409
/// when the codice fiscale cannot be given one.
async fn apri_account(
    state: &AppState,
    tx: &mut Transazione,
    da: &str,
    comune: &str,
    persona: &Identita,
    ruolo: Ruolo,
    indice: usize,
) -> Result<String, ApiError> {
    let a = Apertura {
        persona,
        pec: None,
        ruolo,
        comune: Some(comune),
        campo_cf: &format!("utenti.{indice}.codice_fiscale"),
        dettagli: true,
        per_posta: true,
    };
    match crate::service::apertura::prepara(state, tx, da, &a, &mut Default::default()).await {
        Ok(aperto) => Ok(aperto.username),
        Err(ApiError::Validation { fields }) => Err(ApiError::Conflict {
            message: fields
                .first()
                .map_or_else(String::new, |f| f.message.clone()),
        }),
        Err(e) => Err(e),
    }
}
