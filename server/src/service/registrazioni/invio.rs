//! The legal representative's list of users to enable: the draft kept on the server, and the
//! sending with its receipt number.

use super::*;

/// The comune's draft (its legal representative).
#[tracing::instrument(skip_all, err(level = "info"), fields(comune = %codice))]
pub async fn bozza(
    state: &AppState,
    user: &UtenteCorrente,
    codice: &str,
) -> Result<BozzaRichiesta, ApiError> {
    let comune = come_legale(state, user, codice).await?;
    Ok(
        match state.store.bozza_registrazione(&comune.codice).await? {
            Some(b) => BozzaRichiesta {
                utenti: b
                    .utenti
                    .into_iter()
                    .map(|r| IdentitaForm {
                        nome: r.nome,
                        cognome: r.cognome,
                        codice_fiscale: r.codice_fiscale,
                        email: r.email,
                        telefono: r.telefono,
                        ufficio: r.ufficio,
                    })
                    .collect(),
                versione: u64::try_from(b.versione).unwrap_or(0),
                salvata: Some(b.salvata),
            },
            None => BozzaRichiesta::default(),
        },
    )
}

/// Saves the comune's draft as typed (rules are not applied to a draft, only sizes): 409 if
/// someone saved it after `versione`.
#[tracing::instrument(skip_all, err(level = "info"), fields(comune = %codice))]
pub async fn salva_bozza(
    state: &AppState,
    user: &UtenteCorrente,
    codice: &str,
    versione: u64,
    utenti: &[IdentitaForm],
) -> Result<BozzaRichiesta, ApiError> {
    let comune = come_legale(state, user, codice).await?;
    if utenti.len() > MAX_UTENTI_RICHIESTA {
        return Err(ApiError::Validation {
            fields: vec![FieldError::new(
                "utenti",
                "richiesta.troppi",
                "Una richiesta può contenere al massimo 20 utenti.",
            )],
        });
    }
    let righe: Vec<RigaBozza> = utenti
        .iter()
        .map(|u| RigaBozza {
            nome: tronca(&u.nome),
            cognome: tronca(&u.cognome),
            codice_fiscale: tronca(&u.codice_fiscale),
            email: tronca(&u.email),
            telefono: tronca(&u.telefono),
            ufficio: tronca(&u.ufficio),
        })
        .collect();
    let salvata = state
        .store
        .bozza_registrazione_salva(
            &comune.codice,
            i64::try_from(versione).unwrap_or(i64::MAX),
            righe,
            &user.username,
            state.orologio.adesso(),
        )
        .await?;
    if salvata.is_none() {
        return Err(ApiError::Conflict {
            message: "La bozza è stata salvata da un'altra finestra o da un altro dispositivo: ricarica la pagina per vederla.".into(),
        });
    }
    bozza(state, user, codice).await
}

/// A draft keeps at most 300 characters of each field (what no real value exceeds).
fn tronca(s: &str) -> String {
    s.chars().take(300).collect()
}

/// Sends the comune's request (its legal representative): every rule of every row, no user
/// whose codice fiscale already has an account (active or waiting) in any comune; a receipt
/// number per year; the draft removed; a receipt e-mail to the sender.
#[tracing::instrument(skip_all, err(level = "info"), fields(comune = %codice))]
pub async fn invia(
    state: &AppState,
    user: &UtenteCorrente,
    codice: &str,
    form: &RichiestaForm,
) -> Result<Richiesta, ApiError> {
    let comune = come_legale(state, user, codice).await?;
    let utenti = form.controlla()?;
    let mut errori = Vec::new();
    for (i, u) in utenti.iter().enumerate() {
        if let Some(r) = state.store.utente_per_cf(&u.codice_fiscale).await? {
            if r.stato != StatoUtente::Disabilitato.code() {
                let campo = format!("utenti.{i}.codice_fiscale");
                let e = if r.comune.as_deref() == Some(comune.codice.as_str()) {
                    ApiError::Validation {
                        fields: vec![FieldError::new(
                            &campo,
                            "codice_fiscale.gia_abilitato",
                            "Questa persona ha già un account del comune: non serve chiederlo di nuovo.",
                        )],
                    }
                } else {
                    // The legal representative does not learn where the account is.
                    cf_non_disponibile(&r, &campo, false)
                };
                errori.extend(e.fields().iter().cloned());
            }
        }
    }
    if !errori.is_empty() {
        return Err(ApiError::Validation { fields: errori });
    }
    let me = state
        .store
        .utente(&user.username)
        .await?
        .ok_or_else(ApiError::session_required)?;
    let adesso = state.orologio.adesso();
    let anno = shared::tempo::ora_italiana(adesso).year();
    let id = uuid::Uuid::new_v4().simple().to_string();
    let n = utenti.len();
    let mut tx = Transazione::new();
    let indice = tx.invia_registrazione(NuovaRegistrazione {
        id: id.clone(),
        comune: comune.codice.clone(),
        richiedente: user.username.clone(),
        richiedente_nome: me.nome_completo(),
        inviata: adesso,
        serie: format!("registrazioni_{anno}"),
        prefisso: format!("REG-{anno}-"),
        utenti: utenti
            .iter()
            .map(|u| VoceRow {
                identita: identita_row(u),
                esito: None,
            })
            .collect(),
    });
    tx.audit(AuditEntry::riuscita(
        &user.username,
        "richiesta_abilitazione",
        &format!("registrazione:{id}"),
        serde_json::json!({ "comune": comune.codice, "utenti": n }),
    ));
    // One request at a time takes a number of the year's series.
    let _turno = state.store.turno(&format!("registrazioni_{anno}")).await;
    let mut res = tx.esegui_con_riprova(&state.store).await?;
    let numero: Option<String> = res.take(indice + 1).map_err(StoreError::from)?;
    let numero = numero.unwrap_or_default();
    // The receipt e-mail, apart: the request stands even if it could not be queued.
    let t = crate::service::posta::testi::richiesta_ricevuta(
        &crate::service::posta::cornice(state),
        &me.nome_completo(),
        &numero,
        &comune.nome,
        n,
    );
    let mut avviso = Transazione::new();
    avviso.accoda(crate::service::posta::messaggio(
        state,
        &me.email,
        &t,
        "richiesta_ricevuta",
        None,
    ));
    if let Err(e) = avviso.esegui_con_riprova(&state.store).await {
        tracing::warn!(error = %e, "ricevuta della richiesta non accodata");
    }
    state.posta.sveglia();
    richiesta_di(state, &id).await
}
