//! "Verifica credenziali" (no session) and changing one's own password.

use super::*;

/// "Verifica credenziali": whether the password is right, and for the right one the account's
/// state and the password's expiry; no session is opened. Throttled like login (failures
/// count for both).
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn verifica(
    state: &AppState,
    credentials: Credentials,
    address: Option<IpAddr>,
) -> Result<VerificaCredenziali, ApiError> {
    let v = auth::verifica_credenziali(state, &credentials, address, None, |r| {
        r.password_hash.is_some()
    })
    .await?;
    let Some(row) = v.row.filter(|_| v.password_giusta) else {
        return Ok(VerificaCredenziali {
            esito: EsitoVerifica::NonValide,
            stato: None,
            scadenza: None,
            cambio_richiesto: false,
            messaggio: "Le credenziali non sono valide: controlla il codice fiscale (o il nome utente) e la password, oppure chiedi una nuova password.".into(),
        });
    };
    let stato = StatoUtente::from_code(&row.stato).unwrap_or(StatoUtente::Disabilitato);
    let scadenza = auth::scadenza_password(state, &row);
    let scaduta = scadenza.is_some_and(|s| s <= state.orologio.adesso());
    let messaggio = match (stato, scaduta) {
        (StatoUtente::Disabilitato, _) => {
            "La password è giusta, ma l'account è disabilitato: non è possibile accedere. Rivolgiti al legale rappresentante del tuo ente o all'assistenza.".to_owned()
        }
        (_, true) => format!(
            "La password è scaduta il {}: accedi e scegline una nuova.",
            shared::campagna::data_ora_estesa(scadenza.unwrap_or_default())
        ),
        _ if row.cambio_obbligato => {
            "Le credenziali sono valide; al prossimo accesso ti sarà chiesto di scegliere una nuova password.".to_owned()
        }
        (_, false) => match scadenza {
            Some(s) => format!(
                "Le credenziali sono valide. La password scade il {}.",
                shared::campagna::data_ora_estesa(s)
            ),
            None => "Le credenziali sono valide. La password non ha scadenza.".to_owned(),
        },
    };
    Ok(VerificaCredenziali {
        esito: if scaduta {
            EsitoVerifica::Scadute
        } else {
            EsitoVerifica::Valide
        },
        stato: Some(stato),
        scadenza,
        cambio_richiesto: row.cambio_obbligato,
        messaggio,
    })
}

/// Changes one's own password (the current one asked, and throttled like login); the other
/// sessions of the account end, this one stays.
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn cambia_password(
    state: &AppState,
    user: &UtenteCorrente,
    sessione: Option<&str>,
    form: &CambioPasswordForm,
    address: Option<IpAddr>,
) -> Result<(), ApiError> {
    let attuale = Credentials::parse(&shared::auth::LoginForm {
        username: user.username.clone(),
        password: form.attuale.clone(),
    })
    .map_err(|_| errore_attuale())?;
    let v = auth::verifica_credenziali(state, &attuale, address, None, UtenteRow::attivo).await?;
    let Some(row) = v.row.filter(|_| v.password_giusta) else {
        return Err(errore_attuale());
    };
    if form.password == form.attuale {
        return Err(ApiError::Validation {
            fields: vec![FieldError::new(
                "password",
                "password.uguale",
                "La nuova password deve essere diversa da quella attuale.",
            )],
        });
    }
    let ctx = ContestoPassword {
        nome: row.nome.clone(),
        cognome: row.cognome.clone(),
        codice_fiscale: row.codice_fiscale.clone(),
        username: row.username.clone(),
    };
    let hash = hash_nuova(&form.password, &form.conferma, &ctx).await?;
    let tenuta = sessione.map(token_hash);
    let mut tx = Transazione::new();
    tx.imposta_password(
        &row.username,
        &hash,
        state.orologio.adesso(),
        tenuta.as_deref(),
    );
    tx.audit(AuditEntry {
        attore: Some(row.username.clone()),
        azione: "cambio_password".into(),
        oggetto: format!("utente:{}", row.username),
        esito: "ok".into(),
        dettagli: None,
    });
    tx.esegui_con_riprova(&state.store).await?;
    Ok(())
}

/// A new password through the shared rule (with the person's context), hashed.
pub(super) async fn hash_nuova(
    nuova: &str,
    conferma: &str,
    ctx: &ContestoPassword,
) -> Result<String, ApiError> {
    shared::password::controlla(nuova, conferma, ctx, PasswordComuni::predefinito())?;
    Ok(password::hash(nuova.to_owned()).await?)
}

pub(super) fn errore_attuale() -> ApiError {
    ApiError::Validation {
        fields: vec![FieldError::new(
            "attuale",
            "password.attuale",
            "La password attuale non è corretta.",
        )],
    }
}
