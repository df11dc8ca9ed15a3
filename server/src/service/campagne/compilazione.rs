//! A comune compiles its form: the preliminary declaration (with the registry changes it
//! makes, in one transaction), draft saves on the version they were typed on, and the send
//! with its receipt.

use super::*;

/// Records the preliminary declaration (comune officials; once; while compilable): the
/// suspended and ceased services change in the registry (checked by its rules, each with its
/// history entry) in the same transaction as the declaration, so a failure leaves both as
/// they were.
#[tracing::instrument(skip_all, err(level = "info"), fields(campagna = %id, comune = %codice))]
pub async fn dichiara(
    state: &AppState,
    user: &UtenteCorrente,
    id: &str,
    codice: &str,
    form: &DichiarazioneForm,
) -> Result<Scheda, ApiError> {
    let s = compilabile(state, user, id, codice, false).await?;
    if s.dichiarazione.is_some() {
        return Err(gia_dichiarata());
    }
    let attivi: Vec<String> = s.da_dichiarare.iter().map(|x| x.id.clone()).collect();
    let oggi = state.orologio.oggi();
    let voci = controlla_dichiarazione(form, &attivi, oggi)?;
    let mut cambi = Vec::new();
    for v in voci {
        let Some((stato, dal, motivo)) = v.cambio else {
            continue;
        };
        let attuale = crate::service::servizi::scheda(state, user, &v.servizio).await?;
        let mut f = shared::servizio::regole::ServizioForm::da_dati(&attuale.dati);
        f.stato = stato.code().into();
        f.stato_dal = shared::tempo::data_italiana(dal);
        f.stato_motivo = motivo;
        cambi.extend(crate::service::servizi::cambio(state, &attuale, &f)?);
    }
    let esito = state
        .store
        .dichiarazione_registra(id, &s.comune.codice, &cambi, form, &user.username)
        .await?;
    match esito {
        EsitoDichiarazione::Fatta(generazioni) => {
            for (c, g) in cambi.iter().zip(generazioni) {
                let servizio = crate::service::servizi::scheda(state, user, &c.id).await?;
                crate::service::servizi::aggiorna_indice(state, g, &servizio).await;
            }
            scheda(state, user, id, &s.comune.codice).await
        }
        EsitoDichiarazione::ServizioCambiato => Err(ApiError::Conflict {
            message: "Un servizio del registro è stato modificato mentre confermavi la \
                      dichiarazione: ricarica la scheda e confermala di nuovo."
                .into(),
        }),
        EsitoDichiarazione::GiaDichiarata => Err(gia_dichiarata()),
    }
}

pub(super) fn gia_dichiarata() -> ApiError {
    ApiError::Conflict {
        message: "La dichiarazione preliminare è già stata confermata.".into(),
    }
}

pub(super) fn cambiata() -> ApiError {
    ApiError::Conflict {
        message:
            "La scheda è cambiata dopo che l'hai aperta (salvata altrove, inviata o bloccata): \
                  ricaricala prima di continuare."
                .into(),
    }
}

/// Saves the comune's draft made on version `versione` (comune officials; while compilable).
/// With an idempotency key, a retried save is applied once and answered with the form.
///
/// Reads what the form is built from once, writes in one guarded transaction (version, state
/// and block checked there; the key and the audit entry with it) and answers with the form
/// built from what it read and wrote: the rules run once, on the saved values. The key is
/// looked up only when something refused the save (a retry whose first attempt committed).
#[tracing::instrument(skip_all, err(level = "info"), fields(campagna = %id, comune = %codice))]
pub async fn salva(
    state: &AppState,
    user: &UtenteCorrente,
    id: &str,
    codice: &str,
    versione: u64,
    dati: &Json,
    chiave: Option<&str>,
) -> Result<Scheda, ApiError> {
    let codice = crate::service::comuni::codice_accessibile(user, codice)?;
    let k = Chiave::da(
        chiave,
        user,
        "bozza",
        &format!("scheda:{id}_{codice}"),
        &serde_json::json!({ "versione": versione, "dati": dati }),
    )?;
    let rifiutato = |e: ApiError| async {
        if gia_applicata(state, &k).await? {
            scheda(state, user, id, &codice).await
        } else {
            Err(e)
        }
    };
    let mut l = match compilabile_letta(state, user, id, &codice, true).await {
        Ok(l) => l,
        Err(e) => return rifiutato(e).await,
    };
    let json = match dati_del_tipo(l.c.dati.tipo, dati) {
        Ok(j) => j,
        Err(e) => return rifiutato(e).await,
    };
    let esito = state
        .store
        .scheda_salva(id, &codice, versione, &json, &user.username, &parametri(&k))
        .await;
    match esito {
        Ok(EsitoScheda::Fatto(_)) => {
            // What the transaction wrote, as it wrote it.
            let r = &mut l.riga;
            r.stato = if r.stato == StatoScheda::Restituita {
                StatoScheda::Restituita
            } else {
                StatoScheda::Bozza
            };
            r.dati = Some(json);
            r.versione = versione + 1;
            componi(state, l).await
        }
        Ok(EsitoScheda::Cambiata) => rifiutato(cambiata()).await,
        // The same key committed meanwhile by a concurrent retry (its version or key came first).
        Err(e) => rifiutato(e.into()).await,
    }
}

/// The form's data read as the campaign's kind requires (unknown fields dropped), or 422.
pub(super) fn dati_del_tipo(tipo: TipoCampagna, dati: &Json) -> Result<DatiScheda, ApiError> {
    DatiScheda::da_json(tipo, dati.clone())
        .ok()
        .ok_or_else(|| ApiError::Validation {
            fields: vec![shared::FieldError::new(
                "dati",
                "scheda.formato",
                "I dati della scheda non sono nel formato di questa rilevazione.",
            )],
        })
}

/// The receipt of a send already applied under an idempotency key.
pub(super) async fn ricevuta_gia_data(
    state: &AppState,
    user: &UtenteCorrente,
    id: &str,
    comune: &str,
) -> Result<Ricevuta, ApiError> {
    scheda(state, user, id, comune)
        .await?
        .ricevuta
        .ok_or_else(|| ApiError::Conflict {
            message: "La scheda è stata riaperta dalla Regione dopo l'invio: inviala di nuovo."
                .into(),
        })
}

/// Sends the saved form (comune officials; while compilable; no error finding; warnings
/// justified): receipt with the campaign's next number, the server's time and the SHA-256 of
/// the canonical data.
#[tracing::instrument(skip_all, err(level = "info"), fields(campagna = %id, comune = %codice))]
pub async fn invia(
    state: &AppState,
    user: &UtenteCorrente,
    id: &str,
    codice: &str,
    chiave: Option<&str>,
) -> Result<Ricevuta, ApiError> {
    let comune = crate::service::comuni::accessibile(state, user, codice)
        .await?
        .codice;
    let k = Chiave::da(
        chiave,
        user,
        "invio",
        &format!("scheda:{id}_{comune}"),
        &serde_json::json!({}),
    )?;
    if gia_applicata(state, &k).await? {
        return ricevuta_gia_data(state, user, id, &comune).await;
    }
    let s = compilabile(state, user, id, &comune, true).await?;
    let dati: Option<Json> = match (&s.dati, &s.fondi) {
        (Some(d), _) => serde_json::to_value(d).ok(),
        (None, Some(f)) => f
            .interventi
            .as_ref()
            .map(serde_json::to_value)
            .or_else(|| f.monitoraggio.as_ref().map(serde_json::to_value))
            .and_then(Result::ok),
        _ => None,
    };
    let Some(dati) = dati.filter(|_| s.versione > 0) else {
        return Err(ApiError::Validation {
            fields: vec![shared::FieldError::new(
                "righe",
                "scheda.vuota",
                "Compila e salva la scheda prima di inviarla.",
            )],
        });
    };
    if !frequentanti::inviabile(&s.rilievi) {
        return Err(ApiError::Validation {
            fields: s
                .rilievi
                .iter()
                .filter(|r| r.gravita == frequentanti::Gravita::Errore)
                .map(|r| shared::FieldError::new(&r.campo, &r.regola, &r.messaggio))
                .collect(),
        });
    }
    let importi = match &s.fondi {
        Some(f) => {
            let letti = match (&f.interventi, &f.monitoraggio) {
                (Some(p), _) => shared::fondi_inviati::del_piano(p),
                (None, Some(m)) => shared::fondi_inviati::del_monitoraggio(m, &f.contesto.piano),
                (None, None) => Ok(Default::default()),
            };
            let importi = letti.map_err(|(campo, messaggio)| ApiError::Validation {
                fields: vec![shared::FieldError::new(
                    &campo,
                    "importo.formato",
                    &messaggio,
                )],
            })?;
            Some(importi)
        }
        None => None,
    };
    let impronta = {
        use sha2::Digest;
        hex::encode(sha2::Sha256::digest(dati_canonici(
            id,
            &s.comune.codice,
            &dati,
        )))
    };
    let quando = state.orologio.adesso();
    match state
        .store
        .scheda_invia(
            id,
            &s.comune.codice,
            s.versione,
            quando,
            &impronta,
            importi.as_ref(),
            &user.username,
            &parametri(&k),
        )
        .await
    {
        Ok(EsitoScheda::Fatto(numero)) => Ok(Ricevuta {
            numero,
            quando,
            da: user.username.clone(),
            impronta,
        }),
        _ if gia_applicata(state, &k).await? => ricevuta_gia_data(state, user, id, &comune).await,
        Ok(EsitoScheda::Cambiata) => Err(cambiata()),
        Err(e) => Err(e.into()),
    }
}
