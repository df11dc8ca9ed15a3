//! Login, sessions and the current user. Sessions live in the database (any app server can
//! serve any request); the cookie holds a random token, the database only its SHA-256.

use crate::password;
use crate::state::AppState;
use crate::store::audit::AuditEntry;
use crate::store::tentativi::Prenotazione;
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
    /// A new device token for the device cookie, when this browser was not yet a known
    /// device of the account.
    pub dispositivo: Option<String>,
}

/// SHA-256 of a token, hex: the session's record id.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

pub(crate) fn minutes(m: i64) -> Duration {
    Duration::from_secs(u64::try_from(m.max(0)).unwrap_or(0) * 60)
}

/// What checking a username (or CF) and password found.
pub(crate) struct Verificate {
    /// The account named, if any.
    pub row: Option<UtenteRow>,
    /// Whether the password is the account's (never true for an account with no password).
    pub password_giusta: bool,
    /// Whether the browser's device token is a known device of the account named.
    pub dispositivo_noto: bool,
}

/// Checks credentials with throttling (ASVS 5 V6.3; the policy is in the README, "Login
/// throttling"): each attempt first reserves a slot, atomically, on three counters —
/// the account from this origin (the client address, or a known device of the account), the
/// account from anywhere (a much higher ceiling, not applied on a known device) and the client
/// address — and is refused with 429, before any password is checked, when one is full. A
/// stranger's failures therefore slow only the stranger: the rightful user on another address,
/// or on a browser where the account signed in before, still gets in. `ammesso` says which
/// accounts' passwords are checked at all (others are checked against a dummy hash, in the
/// same time, and fail). A failure stays counted and is audited; a success frees its slots.
pub(crate) async fn verifica_credenziali(
    state: &AppState,
    credentials: &Credentials,
    address: Option<IpAddr>,
    dispositivo: Option<&str>,
    ammesso: fn(&UtenteRow) -> bool,
) -> Result<Verificate, ApiError> {
    let auth = &state.settings.auth;
    let window = minutes(auth.failure_window_minutes);
    let row = state
        .store
        .utente_per_accesso(credentials.username())
        .await?;
    // An account is counted by its username however the person named it; an unknown name
    // by a hash (so a mistyped codice fiscale is not kept in the clear).
    let account_key = match &row {
        Some(r) => format!("account:{}", r.username),
        None => format!("account:#{}", token_hash(credentials.username())),
    };
    // Nothing typed for an unknown account goes to the audit log: it may be a codice fiscale
    // mistyped, or a password typed into the wrong field.
    let attore = row.as_ref().map(|r| r.username.as_str());
    let noto = match (dispositivo, &row) {
        (Some(t), Some(r)) => {
            let h = token_hash(t);
            (state.store.dispositivo_di(&h).await?.as_deref() == Some(r.username.as_str()))
                .then_some(h)
        }
        _ => None,
    };
    let origine = match (&noto, address) {
        (Some(h), _) => format!("dispositivo:{h}"),
        (None, Some(a)) => format!("indirizzo:{a}"),
        (None, None) => "indirizzo:ignoto".to_owned(),
    };
    let coppia = format!("{account_key}|{origine}");
    let mut limiti = vec![(coppia.clone(), auth.max_failures_per_account)];
    if noto.is_none() {
        limiti.push((account_key, auth.max_failures_per_account_globale));
        if let Some(a) = address {
            limiti.push((format!("indirizzo:{a}"), auth.max_failures_per_address));
        }
    }
    let prenotazione = match state.store.tentativi_prenota(&limiti, window).await? {
        Prenotazione::Presa(id) => id,
        Prenotazione::Superata { attesa_secondi } => return Err(too_many(attesa_secondi)),
    };
    let hash = row
        .as_ref()
        .filter(|r| ammesso(r))
        .and_then(|r| r.password_hash.clone());
    let ok = match password::verify(credentials.password().to_owned(), hash).await {
        Ok(ok) => ok,
        Err(e) => {
            // Not the person's failure: the reserved attempt is given back.
            state.store.tentativi_annulla(&prenotazione).await?;
            return Err(e.into());
        }
    };
    if ok {
        state.store.tentativi_annulla(&prenotazione).await?;
        state.store.tentativi_clear(&coppia).await?;
    } else {
        audit(state, attore, "accesso", "rifiutato").await;
    }
    Ok(Verificate {
        row,
        password_giusta: ok,
        dispositivo_noto: noto.is_some(),
    })
}

/// Checks credentials (a codice fiscale or a username, and the password), throttling
/// repeated failures per account and per client address, and opens a new session (always a
/// new id: no fixation). Only an active account signs in: pending (approved, not activated)
/// and disabled accounts are refused exactly like a wrong password.
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn login(
    state: &AppState,
    credentials: Credentials,
    address: Option<IpAddr>,
    dispositivo: Option<&str>,
) -> Result<NuovaSessione, ApiError> {
    let v =
        verifica_credenziali(state, &credentials, address, dispositivo, UtenteRow::attivo).await?;
    let gia_noto = v.dispositivo_noto;
    let Some(row) = v.row.filter(|_| v.password_giusta) else {
        return Err(ApiError::wrong_credentials());
    };
    let token = new_token();
    let absolute = minutes(state.settings.auth.session_absolute_minutes);
    state
        .store
        .sessione_create(&token_hash(&token), &row.username, absolute)
        .await?;
    state
        .store
        .utente_accesso_riuscito(&row.username, state.orologio.adesso())
        .await?;
    audit(state, Some(&row.username), "accesso", "ok").await;
    // The browser becomes (or stays) a known device of the account.
    let (dispositivo, nuovo) = match dispositivo.filter(|_| gia_noto) {
        Some(t) => (t.to_owned(), None),
        None => {
            let t = new_token();
            (t.clone(), Some(t))
        }
    };
    state
        .store
        .dispositivo_registra(&token_hash(&dispositivo), &row.username)
        .await?;
    Ok(NuovaSessione {
        token,
        max_age: absolute,
        utente: utente_corrente(state, row)?,
        dispositivo: nuovo,
    })
}

/// The user of a valid session; 401 when it is missing, unknown, idle or past its end.
// No `err`: an anonymous visit is not worth a log line.
#[tracing::instrument(skip_all)]
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
    if state.orologio.adesso() - session.ultimo_uso > chrono::Duration::seconds(60) {
        state.store.sessione_touch(&hash).await?;
    }
    // The account's state is read at every request, with the session: a disabled account's
    // sessions are deleted when it is disabled, and would be refused here even if one survived.
    let row = session
        .utente
        .filter(UtenteRow::attivo)
        .ok_or_else(ApiError::session_required)?;
    utente_corrente(state, row)
}

/// [`current_user`] for every request but the password change itself: 403 `cambio_password`
/// while the user must first choose a new password (forced by the Region, or expired).
// No `err`: an anonymous visit is not worth a log line.
#[tracing::instrument(skip_all)]
pub async fn utente_operativo(
    state: &AppState,
    token: Option<&str>,
) -> Result<UtenteCorrente, ApiError> {
    let u = current_user(state, token).await?;
    if u.cambio_password {
        return Err(ApiError::CambioPassword);
    }
    Ok(u)
}

/// When the account's password expires, with the optional expiry setting (`None`: never).
pub fn scadenza_password(
    state: &AppState,
    row: &UtenteRow,
) -> Option<chrono::DateTime<chrono::Utc>> {
    let giorni = state.settings.auth.password_scadenza_giorni;
    (giorni > 0)
        .then_some(row.password_cambiata.unwrap_or(row.creato) + chrono::Duration::days(giorni))
}

/// Ends the session server-side (the token stops working even if the cookie survives).
#[tracing::instrument(skip_all, err(level = "info"))]
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

pub(crate) fn too_many(wait_secs: i64) -> ApiError {
    ApiError::TooManyRequests {
        retry_after_secs: u64::try_from(wait_secs.max(1)).unwrap_or(60),
    }
}

/// A random token of 256 bits, hex.
pub(crate) fn new_token() -> String {
    let bytes: [u8; 32] = rand::random();
    hex::encode(bytes)
}

fn utente_corrente(state: &AppState, row: UtenteRow) -> Result<UtenteCorrente, ApiError> {
    let ruolo = Ruolo::from_code(&row.ruolo)
        .ok_or_else(|| super::internal("ruolo sconosciuto", &row.ruolo))?;
    let scaduta = scadenza_password(state, &row).is_some_and(|s| s <= state.orologio.adesso());
    let nome_completo = row.nome_completo();
    let comune = match (row.comune, row.comune_nome) {
        (Some(codice), Some(nome)) => Some(ComuneRef { codice, nome }),
        _ => None,
    };
    Ok(UtenteCorrente {
        username: row.username,
        nome_completo,
        ruolo,
        comune,
        cambio_password: row.cambio_obbligato || scaduta,
    })
}

/// Writes an audit entry; a failure to audit is logged, never shown to the user.
pub(crate) async fn audit(state: &AppState, attore: Option<&str>, azione: &str, esito: &str) {
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
