//! The legal representative asks to disable a user of the comune; the Region decides.

use super::*;

fn disabilitazione(r: DisabilitazioneRow) -> Result<RichiestaDisabilitazione, ApiError> {
    Ok(RichiestaDisabilitazione {
        stato: StatoDisabilitazione::from_code(&r.stato)
            .ok_or_else(|| crate::service::internal("stato disabilitazione", &r.stato))?,
        id: r.id,
        comune: ComuneRef {
            codice: r.comune,
            nome: r.comune_nome,
        },
        utente: r.utente,
        nome: r.nome,
        cognome: r.cognome,
        codice_fiscale: r.codice_fiscale,
        motivo: r.motivo,
        richiedente: r.richiedente,
        quando: r.quando,
        deciso_da: r.deciso_da,
        deciso_il: r.deciso_il,
        motivo_decisione: r.motivo_decisione,
    })
}

/// The legal representative asks to disable a user of the comune, naming NOME, COGNOME and CF
/// (they must match an account of the comune); the Region confirms.
#[tracing::instrument(skip_all, err(level = "info"), fields(comune = %codice))]
pub async fn chiedi_disabilitazione(
    state: &AppState,
    user: &UtenteCorrente,
    codice: &str,
    form: &DisabilitazioneForm,
) -> Result<RichiestaDisabilitazione, ApiError> {
    let comune = come_legale(state, user, codice).await?;
    let d = form.controlla()?;
    let row = state
        .store
        .utente_per_cf(&d.codice_fiscale)
        .await?
        .filter(|r| r.comune.as_deref() == Some(comune.codice.as_str()))
        .filter(|r| stesso_nome(&r.nome, &d.nome) && stesso_nome(&r.cognome, &d.cognome))
        .ok_or_else(|| ApiError::Validation {
            fields: vec![FieldError::new(
                "codice_fiscale",
                "utente.non_trovato",
                &format!(
                    "Nome, cognome e codice fiscale non corrispondono a un utente del Comune di {}.",
                    comune.nome
                ),
            )],
        })?;
    if row.stato == StatoUtente::Disabilitato.code() {
        return Err(ApiError::Conflict {
            message: "Questo utente è già disabilitato.".into(),
        });
    }
    if state.store.disabilitazione_aperta(&row.username).await? {
        return Err(ApiError::Conflict {
            message: "C'è già una richiesta di disabilitazione in attesa per questo utente.".into(),
        });
    }
    let id = uuid::Uuid::new_v4().simple().to_string();
    let mut tx = Transazione::new();
    tx.crea_disabilitazione(NuovaDisabilitazione {
        id: id.clone(),
        comune: comune.codice.clone(),
        utente: row.username.clone(),
        motivo: d.motivo.clone(),
        richiedente: user.username.clone(),
        quando: state.orologio.adesso(),
    });
    tx.audit(AuditEntry::riuscita(
        &user.username,
        "richiesta_disabilitazione",
        &format!("utente:{}", row.username),
        serde_json::json!({ "motivo": d.motivo }),
    ));
    tx.esegui_con_riprova(&state.store).await?;
    disabilitazione(
        state
            .store
            .disabilitazione(&id)
            .await?
            .ok_or(ApiError::NotFound)?,
    )
}

/// Requests to disable: the Region sees all (waiting first), a legal representative those of
/// the comune.
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn disabilitazioni(
    state: &AppState,
    user: &UtenteCorrente,
) -> Result<Vec<RichiestaDisabilitazione>, ApiError> {
    let comune = match user.ruolo {
        Ruolo::FunzionarioRegionale | Ruolo::Amministratore => None,
        Ruolo::LegaleRappresentante => Some(
            user.comune
                .as_ref()
                .map(|c| c.codice.clone())
                .ok_or(ApiError::Forbidden)?,
        ),
        Ruolo::OperatoreComunale => return Err(ApiError::Forbidden),
    };
    state
        .store
        .disabilitazioni(comune.as_deref())
        .await?
        .into_iter()
        .map(disabilitazione)
        .collect()
}

/// The Region confirms a request to disable: the account is disabled at once (sessions end,
/// links void) and the legal representative is told; or refuses it with a reason.
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn decidi_disabilitazione(
    state: &AppState,
    user: &UtenteCorrente,
    id: &str,
    conferma: bool,
    form: Option<&MotivazioneForm>,
) -> Result<RichiestaDisabilitazione, ApiError> {
    solo_regione(user)?;
    let motivo = form.map(MotivazioneForm::controlla).transpose()?;
    if !shared::servizio::id_valido(id) {
        return Err(ApiError::NotFound);
    }
    let d = state
        .store
        .disabilitazione(id)
        .await?
        .ok_or(ApiError::NotFound)?;
    if d.stato != StatoDisabilitazione::InAttesa.code() {
        return Err(ApiError::Conflict {
            message: "Su questa richiesta la Regione ha già deciso.".into(),
        });
    }
    let row = crate::service::utenti::gestibile(state, user, &d.utente).await?;
    let adesso = state.orologio.adesso();
    let mut tx = Transazione::new();
    tx.decidi_disabilitazione(
        id,
        if conferma { "confermata" } else { "respinta" },
        &user.username,
        adesso,
        motivo.clone(),
    );
    if conferma {
        prepara_disabilitazione(state, &mut tx, &user.username, &row, &d.motivo);
    }
    if let Some(lr) = state.store.utente(&d.richiedente).await? {
        let esito = if conferma {
            Ok(())
        } else {
            Err(motivo.as_deref().unwrap_or_default())
        };
        let t = crate::service::posta::testi::disabilitazione_decisa(
            &crate::service::posta::cornice(state),
            &lr.nome_completo(),
            &row.nome_completo(),
            esito,
        );
        tx.accoda(crate::service::posta::messaggio(
            state,
            &lr.email,
            &t,
            "disabilitazione_decisa",
            None,
        ));
    }
    if !conferma {
        tx.audit(AuditEntry::riuscita(
            &user.username,
            "disabilitazione_respinta",
            &format!("utente:{}", row.username),
            serde_json::json!({ "motivo": motivo }),
        ));
    }
    if tx
        .esegui_con_guardie(&state.store, &[CAMBIATA, STATO_CAMBIATO])
        .await?
        .is_none()
    {
        return Err(ApiError::Conflict {
            message: "La richiesta o l'account sono cambiati nel frattempo: ricarica la pagina."
                .into(),
        });
    }
    state.posta.sveglia();
    disabilitazione(
        state
            .store
            .disabilitazione(id)
            .await?
            .ok_or(ApiError::NotFound)?,
    )
}
