//! One's own account: activation and reset links (256-bit tokens, only their SHA-256 stored,
//! single use, expiring, voided by a newer one), "password dimenticata" (one answer, whatever
//! the account), "verifica credenziali" (no session), changing one's password.

use super::auth::{self, minutes, token_hash, too_many};
use crate::password;
use crate::state::AppState;
use crate::store::audit::AuditEntry;
use crate::store::link::{EsitoLink, NuovoLink};
use crate::store::tentativi::Prenotazione;
use crate::store::transazione::Transazione;
use crate::store::utenti::{UtenteRow, STATO_CAMBIATO};
use chrono::{DateTime, Utc};
use shared::account::{
    token_valido, CambioPasswordForm, EsitoVerifica, InfoLink, NuovaPasswordForm,
    PasswordDimenticataForm, Presa, ScopoLink, VerificaCredenziali, RISPOSTA_PASSWORD_DIMENTICATA,
};
use shared::auth::{Credentials, Ruolo, UtenteCorrente};
use shared::password::{ContestoPassword, PasswordComuni};
use shared::utente::StatoUtente;
use shared::{ApiError, FieldError};
use std::net::IpAddr;

/// The page a link opens, the token after `#` (a fragment never reaches a server's log).
pub fn indirizzo_link(public_url: &str, scopo: ScopoLink, token: &str) -> String {
    let pagina = match scopo {
        ScopoLink::Attivazione => "/attivazione",
        ScopoLink::Reset => "/nuova-password",
    };
    format!("{}{pagina}#t={token}", public_url.trim_end_matches('/'))
}

/// A new link for `username`: its token (for the e-mail only) and the row to store.
pub(crate) fn nuovo_link(
    state_ore: (i64, i64),
    adesso: DateTime<Utc>,
    username: &str,
    scopo: ScopoLink,
) -> (String, NuovoLink) {
    let token = auth::new_token();
    let durata = match scopo {
        ScopoLink::Attivazione => chrono::Duration::hours(state_ore.0.max(1)),
        ScopoLink::Reset => chrono::Duration::minutes(state_ore.1.max(1)),
    };
    let link = NuovoLink {
        id: token_hash(&token),
        utente: username.to_owned(),
        scopo: scopo.code().to_owned(),
        creato: adesso,
        scadenza: adesso + durata,
    };
    (token, link)
}

/// Adds to `tx` a new link for the account and the e-mail that carries it (activation: with
/// the profile; reset). The token leaves only inside that e-mail.
pub(crate) fn link_con_messaggio(
    state: &AppState,
    tx: &mut Transazione,
    username: &str,
    nome_completo: &str,
    email: &str,
    ruolo: Ruolo,
    scopo: ScopoLink,
) {
    let a = &state.settings.auth;
    let (token, link) = nuovo_link(
        (a.attivazione_ore, a.reset_minuti),
        state.orologio.adesso(),
        username,
        scopo,
    );
    let testo = match scopo {
        ScopoLink::Attivazione => {
            super::posta::testi::attivazione(nome_completo, username, ruolo.label(), link.scadenza)
        }
        ScopoLink::Reset => super::posta::testi::reset(nome_completo, link.scadenza),
    };
    let url = indirizzo_link(&state.settings.application.public_url, scopo, &token);
    tx.crea_link(link);
    tx.accoda(super::posta::messaggio(
        state,
        email,
        &testo,
        scopo.code(),
        Some(url),
    ));
}

fn link_non_valido() -> ApiError {
    ApiError::Validation {
        fields: vec![FieldError::new(
            "token",
            "link.non_valido",
            "Il collegamento non è valido: può essere scaduto, già usato o sostituito da uno più recente. Chiedine uno nuovo.",
        )],
    }
}

/// What a link is for and whose account it opens; 422 for a link that cannot be used (the
/// same answer for unknown, used, voided, expired, or an account in another state).
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn info_link(state: &AppState, token: &str) -> Result<InfoLink, ApiError> {
    if !token_valido(token) {
        return Err(link_non_valido());
    }
    let l = state
        .store
        .link(&token_hash(&token.to_ascii_lowercase()))
        .await?
        .ok_or_else(link_non_valido)?;
    let scopo = ScopoLink::from_code(&l.scopo).ok_or_else(link_non_valido)?;
    let stato_giusto = match scopo {
        ScopoLink::Attivazione => l.stato_utente == StatoUtente::InAttesa.code(),
        ScopoLink::Reset => l.stato_utente == StatoUtente::Attivo.code(),
    };
    if l.usato.is_some()
        || l.annullato.is_some()
        || l.scadenza <= state.orologio.adesso()
        || !stato_giusto
    {
        return Err(link_non_valido());
    }
    Ok(InfoLink {
        scopo,
        username: l.utente,
        nome: l.nome,
        cognome: l.cognome,
        codice_fiscale: l.codice_fiscale,
        scadenza: l.scadenza,
    })
}

/// Uses an activation (`scopo`) or reset link: the password rule with the person's context,
/// then password, link and (activation) state in one transaction. Every session of the
/// account ends (a reset is often a suspicion).
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn usa_link(
    state: &AppState,
    form: &NuovaPasswordForm,
    scopo: ScopoLink,
) -> Result<(), ApiError> {
    let info = info_link(state, form.token.trim()).await?;
    if info.scopo != scopo {
        return Err(link_non_valido());
    }
    let ctx = ContestoPassword {
        nome: info.nome.clone(),
        cognome: info.cognome.clone(),
        codice_fiscale: info.codice_fiscale.clone(),
        username: info.username.clone(),
    };
    let hash = hash_nuova(&form.password, &form.conferma, &ctx).await?;
    let azione = match scopo {
        ScopoLink::Attivazione => "attivazione",
        ScopoLink::Reset => "reset_password",
    };
    let esito = state
        .store
        .link_usa(
            &token_hash(&form.token.trim().to_ascii_lowercase()),
            scopo.code(),
            &hash,
            state.orologio.adesso(),
            AuditEntry {
                attore: Some(info.username.clone()),
                azione: azione.into(),
                oggetto: format!("utente:{}", info.username),
                esito: "ok".into(),
                dettagli: None,
            },
        )
        .await?;
    match esito {
        EsitoLink::Fatto => Ok(()),
        EsitoLink::NonValido => Err(link_non_valido()),
    }
}

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
async fn account_nominati(state: &AppState, ident: &str) -> Result<Vec<UtenteRow>, ApiError> {
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
async fn invia_reset(state: &AppState, ident: &str) -> anyhow::Result<()> {
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
async fn manda_reset(state: &AppState, row: &UtenteRow, da: &str) -> Result<(), ApiError> {
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
    let row = super::utenti::gestibile(state, user, username).await?;
    if !row.attivo() {
        return Err(ApiError::Conflict {
            message: "Si può chiedere una nuova password solo per un account attivo: un account in attesa riceve il collegamento di attivazione.".into(),
        });
    }
    manda_reset(state, &row, &user.username).await
}

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
async fn hash_nuova(
    nuova: &str,
    conferma: &str,
    ctx: &ContestoPassword,
) -> Result<String, ApiError> {
    shared::password::controlla(nuova, conferma, ctx, PasswordComuni::predefinito())?;
    password::hash(nuova.to_owned())
        .await
        .map_err(|e| super::internal("hash password", e))
}

fn errore_attuale() -> ApiError {
    ApiError::Validation {
        fields: vec![FieldError::new(
            "attuale",
            "password.attuale",
            "La password attuale non è corretta.",
        )],
    }
}
