//! "Password dimenticata" and the reset the Region starts: a link by e-mail to an active
//! account, never a password anybody else sees.

use super::*;

/// "Password dimenticata": the same answer, at once, whatever the account (the lookup and the
/// e-mail happen after answering). Throttled per client address (429) and, silently, per
/// account: past the limit nothing more is sent.
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn password_dimenticata(
    state: &AppState,
    form: &PasswordDimenticataForm,
    address: Option<IpAddr>,
) -> Result<Presa, ApiError> {
    let ident = form.identificativo.trim().to_owned();
    let n = ident.chars().count();
    if n == 0 || n > 254 || ident.chars().any(char::is_control) {
        return Err(ApiError::Validation {
            fields: vec![FieldError::new(
                "identificativo",
                "identificativo.formato",
                "Inserisci il tuo codice fiscale, il nome utente o l'indirizzo e-mail dell'account.",
            )],
        });
    }
    let a = &state.settings.auth;
    let finestra = minutes(a.failure_window_minutes);
    if let Some(ip) = address {
        let chiave = format!("reset:indirizzo:{ip}");
        if let Prenotazione::Superata { attesa_secondi } = state
            .store
            .tentativi_prenota(&[(chiave, a.max_reset_per_address)], finestra)
            .await?
        {
            return Err(too_many(attesa_secondi));
        }
    }
    let state2 = state.clone();
    tokio::spawn(async move {
        if let Err(e) = invia_reset(&state2, &ident).await {
            tracing::warn!(error = %e, "richiesta di nuova password non elaborata");
        }
    });
    Ok(Presa {
        messaggio: RISPOSTA_PASSWORD_DIMENTICATA.into(),
    })
}

/// The accounts a "password dimenticata" names: by e-mail, codice fiscale or username.
pub(super) async fn account_nominati(
    state: &AppState,
    ident: &str,
) -> Result<Vec<UtenteRow>, ApiError> {
    if ident.contains('@') {
        return Ok(state.store.utenti_per_email(ident).await?);
    }
    let norm = shared::auth::normalize_username(ident);
    Ok(state
        .store
        .utente_per_accesso(&norm)
        .await?
        .into_iter()
        .collect())
}

/// Sends a reset link to each active account named, within the per-account limit.
pub(super) async fn invia_reset(state: &AppState, ident: &str) -> anyhow::Result<()> {
    let a = &state.settings.auth;
    let finestra = minutes(a.failure_window_minutes);
    for row in account_nominati(state, ident)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?
    {
        if !row.attivo() {
            continue;
        }
        let chiave = format!("reset:account:{}", row.username);
        if let Prenotazione::Superata { .. } = state
            .store
            .tentativi_prenota(&[(chiave, a.max_reset_per_account)], finestra)
            .await?
        {
            tracing::info!(utente = %row.username, "nuova password chiesta troppe volte: nessun messaggio");
            continue;
        }
        manda_reset(state, &row, &row.username).await?;
    }
    Ok(())
}

/// Writes a reset link and its e-mail for an active account, audited as asked by `da`.
pub(super) async fn manda_reset(
    state: &AppState,
    row: &UtenteRow,
    da: &str,
) -> Result<(), ApiError> {
    let ruolo = Ruolo::from_code(&row.ruolo).unwrap_or(Ruolo::OperatoreComunale);
    let mut tx = Transazione::new();
    // Disabled meanwhile: nothing is written (a link for a disabled account is no use).
    tx.richiedi_stato(&row.username, &["attivo"]);
    link_con_messaggio(
        state,
        &mut tx,
        &row.username,
        &row.nome_completo(),
        &row.email,
        ruolo,
        ScopoLink::Reset,
    );
    tx.audit(AuditEntry {
        attore: Some(da.to_owned()),
        azione: "richiesta_reset_password".into(),
        oggetto: format!("utente:{}", row.username),
        esito: "ok".into(),
        dettagli: None,
    });
    if tx
        .esegui_con_guardie(&state.store, &[STATO_CAMBIATO])
        .await?
        .is_some()
    {
        state.posta.sveglia();
    }
    Ok(())
}

/// The Region (or an administrator) starts a reset for an active account: the person gets
/// the link; nobody else ever sees or sets the password.
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn avvia_reset(
    state: &AppState,
    user: &UtenteCorrente,
    username: &str,
) -> Result<(), ApiError> {
    let row = crate::service::utenti::gestibile(state, user, username).await?;
    if !row.attivo() {
        return Err(ApiError::Conflict {
            message: "Si può chiedere una nuova password solo per un account attivo: un account in attesa riceve il collegamento di attivazione.".into(),
        });
    }
    manda_reset(state, &row, &user.username).await
}
