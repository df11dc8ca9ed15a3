//! Opening an account for a person: a new one, or the person's own disabled account reopened
//! (a transfer, a former official back in office). Either way the account is `in_attesa`, with
//! no password, and its activation link and e-mail go into the same transaction. Every path
//! that gives someone an account comes through here: the administrator from the command line,
//! regional accounts, legal representatives (one or from a file), approved requests.

use super::account::{link_con_messaggio, nuovo_link};
use crate::state::AppState;
use crate::store::audit::AuditEntry;
use crate::store::transazione::Transazione;
use crate::store::utenti::{duplicato, NewUtente, UtenteRow, STATO_CAMBIATO};
use shared::account::ScopoLink;
use shared::auth::Ruolo;
use shared::utente::{Identita, StatoUtente};
use shared::{ApiError, FieldError};
use std::collections::HashSet;

/// An account to open.
pub(crate) struct Apertura<'a> {
    pub persona: &'a Identita,
    /// Legal representatives only.
    pub pec: Option<String>,
    pub ruolo: Ruolo,
    /// For comune roles.
    pub comune: Option<&'a str>,
    /// The field a refused codice fiscale is reported on (`utenti.2.codice_fiscale`, `csv`).
    pub campo_cf: &'a str,
    /// Whether the caller may learn where the existing account is (the Region may; a comune's
    /// legal representative may not learn about accounts of other comuni).
    pub dettagli: bool,
    /// The activation link goes by e-mail (`true`), or back to the caller to hand over
    /// (the first administrator, at the terminal).
    pub per_posta: bool,
}

/// An account opened.
pub(crate) struct Aperto {
    pub username: String,
    /// The activation link's token, when it is not e-mailed.
    pub token: Option<String>,
}

/// Two names written alike (case and spaces ignored).
pub(crate) fn stesso_nome(a: &str, b: &str) -> bool {
    let n = |s: &str| {
        s.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    n(a) == n(b)
}

/// Why a codice fiscale cannot be given an account here.
pub(crate) fn cf_non_disponibile(r: &UtenteRow, campo: &str, dettagli: bool) -> ApiError {
    let messaggio = if !dettagli {
        "Questa persona ha già un account attivo o in attesa di attivazione: prima va disabilitato (chiedilo alla Regione).".to_owned()
    } else if r.stato == StatoUtente::Disabilitato.code() {
        let regionale = Ruolo::from_code(&r.ruolo).is_some_and(|x| !x.is_comunale());
        if regionale {
            "Questo codice fiscale è di un account regionale disabilitato: lo riabilita un amministratore dalla pagina Utenti.".to_owned()
        } else {
            "Questo codice fiscale è di un account comunale disabilitato con un altro nome e cognome: verifica i dati.".to_owned()
        }
    } else {
        let dove = r.comune_nome.as_ref().map_or_else(
            || "della Regione".to_owned(),
            |c| format!("del Comune di {c}"),
        );
        let stato = StatoUtente::from_code(&r.stato).map_or("", |s| s.label());
        format!(
            "Questo codice fiscale ha già un account {dove} ({}): va disabilitato prima di abilitarlo altrove.",
            stato.to_lowercase()
        )
    };
    ApiError::Validation {
        fields: vec![FieldError::new(
            campo,
            "codice_fiscale.account_esistente",
            &messaggio,
        )],
    }
}

/// Whether a disabled account may be reopened for `a`: of the same kind (comune or regional)
/// and of the same person by name.
fn riapribile(r: &UtenteRow, a: &Apertura) -> bool {
    let stesso_tipo =
        Ruolo::from_code(&r.ruolo).is_some_and(|x| x.is_comunale() == a.ruolo.is_comunale());
    r.stato == StatoUtente::Disabilitato.code()
        && stesso_tipo
        && stesso_nome(&r.nome, &a.persona.nome)
        && stesso_nome(&r.cognome, &a.persona.cognome)
}

/// Adds the account of `a` to `tx` (new, or the person's disabled one reopened) with its
/// activation link and e-mail and the audit entry by `da`; its username. Usernames in
/// `riservati` (taken by earlier parts of the same transaction) are not given again.
pub(crate) async fn prepara(
    state: &AppState,
    tx: &mut Transazione,
    da: &str,
    a: &Apertura<'_>,
    riservati: &mut HashSet<String>,
) -> Result<Aperto, ApiError> {
    let p = a.persona;
    let username = match state.store.utente_per_cf(&p.codice_fiscale).await? {
        Some(r) if riapribile(&r, a) => {
            tx.richiedi_stato(&r.username, &["disabilitato"]);
            tx.riapri_account(&r.username, Some(a.ruolo.code()), a.comune);
            tx.aggiorna_contatti(
                &r.username,
                &p.email,
                p.telefono.clone(),
                p.ufficio.clone(),
                a.pec.clone(),
            );
            r.username
        }
        Some(r) => return Err(cf_non_disponibile(&r, a.campo_cf, a.dettagli)),
        None => {
            let base = shared::utente::username_da_nome(&p.nome, &p.cognome);
            let username = state.store.username_libero(&base, riservati).await?;
            tx.crea_account(NewUtente {
                username: username.clone(),
                password_hash: None,
                nome: p.nome.clone(),
                cognome: p.cognome.clone(),
                codice_fiscale: p.codice_fiscale.clone(),
                email: p.email.clone(),
                pec: a.pec.clone(),
                telefono: p.telefono.clone(),
                ufficio: p.ufficio.clone(),
                ruolo: a.ruolo.code().to_owned(),
                comune: a.comune.map(str::to_owned),
                stato: StatoUtente::InAttesa.code().to_owned(),
                creato: state.orologio.adesso(),
            });
            username
        }
    };
    riservati.insert(username.clone());
    let token = if a.per_posta {
        link_con_messaggio(
            state,
            tx,
            &username,
            &p.nome_completo(),
            &p.email,
            a.ruolo,
            ScopoLink::Attivazione,
        );
        None
    } else {
        let au = &state.settings.auth;
        let (token, link) = nuovo_link(
            (au.attivazione_ore, au.reset_minuti),
            state.orologio.adesso(),
            &username,
            ScopoLink::Attivazione,
        );
        tx.crea_link(link);
        Some(token)
    };
    tx.audit(AuditEntry::riuscita(
        da,
        "apertura_account",
        &format!("utente:{username}"),
        serde_json::json!({ "ruolo": a.ruolo.code(), "comune": a.comune }),
    ));
    Ok(Aperto { username, token })
}

/// Runs a transaction that opened accounts: a race (the same codice fiscale or username
/// taken meanwhile, an account changed state) is a 409, nothing written.
pub(crate) async fn esegui(state: &AppState, tx: &Transazione) -> Result<(), ApiError> {
    match tx
        .esegui_con_guardie(&state.store, &[STATO_CAMBIATO])
        .await
    {
        Ok(Some(_)) => {
            state.posta.sveglia();
            Ok(())
        }
        Ok(None) => Err(ApiError::Conflict {
            message: "Un account coinvolto è cambiato nel frattempo: ricarica la pagina.".into(),
        }),
        Err(e) if duplicato(&e) => Err(ApiError::Conflict {
            message: "Un account con lo stesso codice fiscale o nome utente è stato creato in questo momento: ricarica la pagina e riprova.".into(),
        }),
        Err(e) => Err(e.into()),
    }
}

/// Opens one account in a transaction of its own (with what `tx` already holds).
pub(crate) async fn apri(
    state: &AppState,
    da: &str,
    a: &Apertura<'_>,
    mut tx: Transazione,
) -> Result<Aperto, ApiError> {
    let aperto = prepara(state, &mut tx, da, a, &mut HashSet::new()).await?;
    esegui(state, &tx).await?;
    Ok(aperto)
}
