//! Accounts: a person's identity ([`identita`]: nome, cognome, codice fiscale, e-mail… and the
//! rules every identity form runs, in the browser while typing and on the server), the
//! account's state and roles as the Region sees them, and the comuni's legal representatives
//! ([`legale`]). Every item is reached as `shared::utente::…`.

mod identita;
mod legale;
#[cfg(test)]
mod test_utente;

pub use identita::*;
pub use legale::*;

use crate::auth::Ruolo;
use crate::comune::ComuneRef;
use crate::error::{ApiError, FieldError};
use crate::fiscale::{self, TipoCodice};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

crate::codici! {
    /// Where an account stands. Only an `attivo` account signs in; nothing is ever deleted.
    StatoUtente {
        InAttesa => ("in_attesa", "In attesa di attivazione"),
        Attivo => ("attivo", "Attivo"),
        Disabilitato => ("disabilitato", "Disabilitato"),
    }
}

/// An account as the Region (and, for their comune, the legal representative) sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct UtenteVista {
    /// The account's name in logs, audit and history (the CF is accepted at login too).
    pub username: String,
    pub nome: String,
    pub cognome: String,
    pub codice_fiscale: String,
    pub email: String,
    /// Legal representatives only.
    pub pec: Option<String>,
    pub telefono: Option<String>,
    pub ufficio: Option<String>,
    pub ruolo: Ruolo,
    /// For comune roles.
    pub comune: Option<ComuneRef>,
    pub stato: StatoUtente,
    pub creato: DateTime<Utc>,
    pub password_cambiata: Option<DateTime<Utc>>,
    pub ultimo_accesso: Option<DateTime<Utc>>,
    /// The Region asked for a new password at the next sign-in.
    pub cambio_obbligato: bool,
}

/// Filters of the Region's list of accounts (query string; all optional).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct FiltroUtenti {
    /// Role code.
    #[serde(default)]
    pub ruolo: String,
    /// State code.
    #[serde(default)]
    pub stato: String,
    /// ISTAT code of the comune.
    #[serde(default)]
    pub comune: String,
    /// Part of the name, surname, CF, e-mail or username.
    #[serde(default)]
    pub q: String,
}

/// An administrator's new regional account: the identity and a regional role.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct NuovoRegionaleForm {
    #[serde(flatten)]
    pub identita: IdentitaForm,
    /// `funzionario_regionale` or `amministratore`.
    pub ruolo: String,
}

/// A regional role from its code: 422 for anything else.
pub fn ruolo_regionale(raw: &str) -> Result<Ruolo, ApiError> {
    match Ruolo::from_code(raw.trim()) {
        Some(r) if !r.is_comunale() => Ok(r),
        _ => Err(ApiError::Validation {
            fields: vec![FieldError::new(
                "ruolo",
                "ruolo.regionale",
                "Scegli il ruolo: funzionario regionale o amministratore.",
            )],
        }),
    }
}

/// A comune role from its code: 422 for anything else.
pub fn ruolo_comunale(raw: &str) -> Result<Ruolo, ApiError> {
    match Ruolo::from_code(raw.trim()) {
        Some(r) if r.is_comunale() => Ok(r),
        _ => Err(ApiError::Validation {
            fields: vec![FieldError::new(
                "ruolo",
                "ruolo.comunale",
                "Scegli il profilo: operatore comunale o legale rappresentante.",
            )],
        }),
    }
}

/// The Italian label of an identity field, for messages about file lines.
pub fn etichetta_campo(campo: &str) -> &'static str {
    match campo.rsplit('.').next().unwrap_or(campo) {
        "nome" => "nome",
        "cognome" => "cognome",
        "codice_fiscale" => "codice fiscale",
        "email" => "e-mail",
        "pec" => "PEC",
        "telefono" => "telefono",
        "ufficio" => "ufficio",
        _ => "campo",
    }
}

/// Whether `ident` (as typed at login or in "password dimenticata") is a person's codice
/// fiscale rather than a username: the form the lookup takes.
pub fn sembra_codice_fiscale(ident: &str) -> bool {
    let v: String = ident
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_uppercase();
    matches!(fiscale::verifica(&v), Ok(TipoCodice::PersonaFisica))
}

/// A username made from a person's name: `nome.cognome`, lower case, accents and other
/// characters dropped (`Niccolò D'Angelo` → `niccolo.dangelo`); never a valid codice fiscale.
pub fn username_da_nome(nome: &str, cognome: &str) -> String {
    fn pulito(s: &str) -> String {
        s.chars()
            .filter_map(|c| {
                let base = match c {
                    'à' | 'á' | 'â' | 'ä' | 'À' | 'Á' | 'Â' | 'Ä' => 'a',
                    'è' | 'é' | 'ê' | 'ë' | 'È' | 'É' | 'Ê' | 'Ë' => 'e',
                    'ì' | 'í' | 'î' | 'ï' | 'Ì' | 'Í' | 'Î' | 'Ï' => 'i',
                    'ò' | 'ó' | 'ô' | 'ö' | 'Ò' | 'Ó' | 'Ô' | 'Ö' => 'o',
                    'ù' | 'ú' | 'û' | 'ü' | 'Ù' | 'Ú' | 'Û' | 'Ü' => 'u',
                    'ç' | 'Ç' => 'c',
                    'ñ' | 'Ñ' => 'n',
                    c => c,
                };
                base.is_ascii_alphanumeric()
                    .then(|| base.to_ascii_lowercase())
            })
            .collect()
    }
    let (n, c) = (pulito(nome), pulito(cognome));
    let mut u = match (n.is_empty(), c.is_empty()) {
        (false, false) => format!("{n}.{c}"),
        (true, false) => c,
        (false, true) => n,
        (true, true) => "utente".to_owned(),
    };
    if !u.starts_with(|ch: char| ch.is_ascii_lowercase()) {
        u = format!("u.{u}");
    }
    u.truncate(60);
    while u.chars().count() < 3 {
        u.push('x');
    }
    u
}
