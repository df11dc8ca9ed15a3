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

mod credenziali;
mod reset;

pub use credenziali::*;
pub use reset::*;

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
