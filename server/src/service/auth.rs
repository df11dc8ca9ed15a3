//! Login, sessions and the current user. Sessions live in the database (any app server can
//! serve any request); the cookie holds a random token, the database only its SHA-256.

use crate::password;
use crate::state::AppState;
use crate::store::audit::AuditEntry;
use crate::store::utenti::UtenteRow;
use sha2::{Digest, Sha256};
use shared::auth::{Credentials, Ruolo, UtenteCorrente};
use shared::comune::ComuneRef;
use shared::ApiError;
use std::net::IpAddr;
use std::time::Duration;

/// A session just opened: the token for the cookie, its lifetime and the user.
#[derive(Debug, Clone)]
pub struct NuovaSessione {
    /// Token for the cookie (never stored server-side).
    pub token: String,
    /// Cookie lifetime (the session's absolute lifetime).
    pub max_age: Duration,
    /// Who logged in.
    pub utente: UtenteCorrente,
}

/// SHA-256 of a token, hex: the session's record id.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

fn minutes(m: i64) -> Duration {
    Duration::from_secs(u64::try_from(m.max(0)).unwrap_or(0) * 60)
}

/// Checks credentials, throttling repeated failures per account and per client address, and
/// opens a new session (always a new id: no fixation).
#[tracing::instrument(skip_all)]
pub async fn login(
    state: &AppState,
    credentials: Credentials,
    address: Option<IpAddr>,
) -> Result<NuovaSessione, ApiError> {
    let auth = &state.settings.auth;
    let window = minutes(auth.failure_window_minutes);
    let account_key = format!("account:{}", credentials.username());
    let address_key = address.map(|a| format!("indirizzo:{a}"));

    let per_account = state.store.tentativi_count(&account_key, window).await?;
    if per_account.n >= i64::from(auth.max_failures_per_account) {
        return Err(too_many(per_account.attesa_secondi));
    }
    if let Some(key) = &address_key {
        let per_address = state.store.tentativi_count(key, window).await?;
        if per_address.n >= i64::from(auth.max_failures_per_address) {
            return Err(too_many(per_address.attesa_secondi));
        }
    }

    let row = state.store.utente(credentials.username()).await?;
    let active = row.as_ref().filter(|u| u.attivo);
    let ok = password::verify(
        credentials.password().to_owned(),
        active.map(|u| u.password_hash.clone()),
    )
    .await
    .map_err(|e| super::internal("verifica password", e))?;

    let Some(row) = active.filter(|_| ok) else {
        let mut keys = vec![account_key];
        keys.extend(address_key);
        state.store.tentativi_record(&keys).await?;
        audit(state, Some(credentials.username()), "accesso", "rifiutato").await;
        return Err(ApiError::wrong_credentials());
    };

    state.store.tentativi_clear(&account_key).await?;
    let token = new_token();
    let absolute = minutes(auth.session_absolute_minutes);
    state
        .store
        .sessione_create(&token_hash(&token), &row.username, absolute)
        .await?;
    audit(state, Some(&row.username), "accesso", "ok").await;
    Ok(NuovaSessione {
        token,
        max_age: absolute,
        utente: utente_corrente(row.clone())?,
    })
}

/// The user of a valid session; 401 when it is missing, unknown, idle or past its end.
pub async fn current_user(
    state: &AppState,
    token: Option<&str>,
) -> Result<UtenteCorrente, ApiError> {
    let token = token
        .filter(|t| !t.is_empty())
        .ok_or_else(ApiError::session_required)?;
    let hash = token_hash(token);
    let idle = minutes(state.settings.auth.session_idle_minutes);
    let session = state
        .store
        .sessione_valid(&hash, idle)
        .await?
        .ok_or_else(ApiError::session_required)?;
    // Refresh the idle clock at most once a minute: reads stay reads under load.
    if chrono::Utc::now() - session.ultimo_uso > chrono::Duration::seconds(60) {
        state.store.sessione_touch(&hash).await?;
    }
    let row = state
        .store
        .utente(&session.username)
        .await?
        .filter(|u| u.attivo)
        .ok_or_else(ApiError::session_required)?;
    utente_corrente(row)
}

/// Ends the session server-side (the token stops working even if the cookie survives).
pub async fn logout(state: &AppState, token: Option<&str>) -> Result<(), ApiError> {
    if let Some(token) = token.filter(|t| !t.is_empty()) {
        let user = current_user(state, Some(token)).await.ok();
        state.store.sessione_delete(&token_hash(token)).await?;
        if let Some(user) = user {
            audit(state, Some(&user.username), "uscita", "ok").await;
        }
    }
    Ok(())
}

fn too_many(wait_secs: i64) -> ApiError {
    ApiError::TooManyRequests {
        retry_after_secs: u64::try_from(wait_secs.max(1)).unwrap_or(60),
    }
}

fn new_token() -> String {
    let bytes: [u8; 32] = rand::random();
    hex::encode(bytes)
}

fn utente_corrente(row: UtenteRow) -> Result<UtenteCorrente, ApiError> {
    let ruolo = Ruolo::from_code(&row.ruolo)
        .ok_or_else(|| super::internal("ruolo sconosciuto", &row.ruolo))?;
    let comune = match (row.comune, row.comune_nome) {
        (Some(codice), Some(nome)) => Some(ComuneRef { codice, nome }),
        _ => None,
    };
    Ok(UtenteCorrente {
        username: row.username,
        nome_completo: row.nome_completo,
        ruolo,
        comune,
    })
}

/// Writes an audit entry; a failure to audit is logged, never shown to the user.
async fn audit(state: &AppState, attore: Option<&str>, azione: &str, esito: &str) {
    let entry = AuditEntry {
        attore: attore.map(str::to_owned),
        azione: azione.to_owned(),
        oggetto: attore.map_or_else(String::new, |a| format!("utente:{a}")),
        esito: esito.to_owned(),
        dettagli: None,
    };
    if let Err(e) = state.store.audit_append(entry).await {
        tracing::error!(error = %e, azione, "audit non scritto");
    }
}
