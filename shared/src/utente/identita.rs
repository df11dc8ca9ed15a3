//! A person's identity as typed and as checked: the rules of every field (names, codice
//! fiscale, e-mail, PEC, phone, office), run while typing and again on the server.

use crate::error::{ApiError, FieldError};
use crate::fiscale::{self, ErroreCodice, TipoCodice};
use serde::{Deserialize, Serialize};

/// Longest name or surname accepted.
pub const NOME_MAX: usize = 60;
/// Longest e-mail address (RFC 5321 path limit).
pub const EMAIL_MAX: usize = 254;
/// Longest office name.
pub const UFFICIO_MAX: usize = 100;

/// A person's identity as typed (raw fields, bound to the inputs).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct IdentitaForm {
    pub nome: String,
    pub cognome: String,
    pub codice_fiscale: String,
    pub email: String,
    /// Optional.
    #[serde(default)]
    pub telefono: String,
    /// Optional: the office the person works in.
    #[serde(default)]
    pub ufficio: String,
}

/// A checked identity: only [`IdentitaForm::controlla`] builds one, so a service that takes it
/// knows every rule passed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct Identita {
    pub nome: String,
    pub cognome: String,
    /// Upper case, 16 characters.
    pub codice_fiscale: String,
    pub email: String,
    pub telefono: Option<String>,
    pub ufficio: Option<String>,
}

impl Identita {
    /// `Nome Cognome`.
    pub fn nome_completo(&self) -> String {
        format!("{} {}", self.nome, self.cognome)
    }
}

/// Failures collected field by field, each field named with a prefix (`utenti.2.`).
pub(crate) struct Rilievi<'a> {
    prefisso: &'a str,
    pub(crate) errori: Vec<FieldError>,
}

impl<'a> Rilievi<'a> {
    pub(crate) fn new(prefisso: &'a str) -> Self {
        Self {
            prefisso,
            errori: Vec::new(),
        }
    }

    pub(crate) fn errore(&mut self, campo: &str, regola: &str, messaggio: impl Into<String>) {
        self.errori.push(FieldError {
            field: format!("{}{campo}", self.prefisso),
            rule: regola.to_owned(),
            message: messaggio.into(),
        });
    }
}

/// Characters that change how text displays without showing themselves: bidirectional
/// overrides and isolates, zero-width spaces and joiners, the byte-order mark.
pub fn carattere_invisibile(c: char) -> bool {
    matches!(c,
        '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}'
        | '\u{FEFF}' | '\u{00AD}' | '\u{061C}' | '\u{180E}')
}

/// Trims and collapses runs of spaces.
fn compatta(raw: &str) -> String {
    raw.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A name or surname: letters (accented too), spaces, apostrophes, hyphens and dots, 1 to
/// [`NOME_MAX`] characters.
pub(crate) fn nome_persona(r: &mut Rilievi, campo: &str, raw: &str, cosa: &str) -> String {
    let v = compatta(raw);
    if v.is_empty() {
        r.errore(campo, "nome.obbligatorio", format!("Inserisci {cosa}."));
    } else if v.chars().count() > NOME_MAX {
        r.errore(
            campo,
            "nome.lunghezza",
            format!("Al massimo {NOME_MAX} caratteri."),
        );
    } else if v.chars().any(crate::text::nascosto) {
        r.errore(
            campo,
            "testo.caratteri_invisibili",
            "Contiene caratteri di controllo o invisibili, che possono far apparire il testo diverso da com'è.",
        );
    } else if !v
        .chars()
        .all(|c| c.is_alphabetic() || matches!(c, ' ' | '\'' | '’' | '-' | '.'))
        || !v.chars().next().is_some_and(char::is_alphabetic)
    {
        r.errore(
            campo,
            "nome.caratteri",
            "Usa solo lettere, spazi, apostrofi, trattini e punti.",
        );
    }
    v
}

/// A person's codice fiscale (16 characters, check letter right).
pub(crate) fn cf_persona(r: &mut Rilievi, campo: &str, raw: &str) -> String {
    let v: String = fiscale::normalizza(raw)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if v.is_empty() {
        r.errore(
            campo,
            "codice_fiscale.obbligatorio",
            "Inserisci il codice fiscale.",
        );
        return v;
    }
    match fiscale::verifica(&v) {
        Ok(TipoCodice::PersonaFisica) => {}
        Ok(TipoCodice::Numerico) | Err(ErroreCodice::Lunghezza) => r.errore(
            campo,
            "codice_fiscale.lunghezza",
            "Il codice fiscale di una persona ha 16 caratteri.",
        ),
        Err(ErroreCodice::Formato) => r.errore(
            campo,
            "codice_fiscale.formato",
            "Il codice fiscale contiene caratteri non ammessi in quella posizione.",
        ),
        Err(ErroreCodice::Data) => r.errore(
            campo,
            "codice_fiscale.data",
            "Il codice fiscale contiene un mese o un giorno di nascita impossibile.",
        ),
        Err(ErroreCodice::Controllo) => r.errore(
            campo,
            "codice_fiscale.controllo",
            "Il codice fiscale non è corretto: il carattere di controllo non corrisponde.",
        ),
    }
    v
}

/// An e-mail address (or PEC), required.
pub(crate) fn indirizzo(r: &mut Rilievi, campo: &str, raw: &str, cosa: &str) -> String {
    let v = raw.trim().to_owned();
    if v.is_empty() {
        r.errore(campo, "email.obbligatoria", format!("Inserisci {cosa}."));
    } else if v.chars().count() > EMAIL_MAX {
        r.errore(
            campo,
            "email.lunghezza",
            format!("Al massimo {EMAIL_MAX} caratteri."),
        );
    } else if !crate::email::valida(&v) {
        r.errore(
            campo,
            "email.formato",
            format!(
                "{} non è un indirizzo valido (es. nome@comune.it).",
                maiuscola(cosa)
            ),
        );
    }
    v
}

fn maiuscola(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(p) => p.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn telefono(r: &mut Rilievi, raw: &str) -> Option<String> {
    let v = compatta(raw);
    if v.is_empty() {
        return None;
    }
    let cifre = v.chars().filter(char::is_ascii_digit).count();
    let ammessi = v
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '+' | '-' | '/' | '(' | ')' | '.'));
    if !ammessi || !(6..=15).contains(&cifre) || v.chars().count() > 25 {
        r.errore(
            "telefono",
            "telefono.formato",
            "Il telefono ha da 6 a 15 cifre (ammessi anche spazi, +, -, /).",
        );
    }
    Some(v)
}

fn ufficio(r: &mut Rilievi, raw: &str) -> Option<String> {
    let v = compatta(raw);
    if v.is_empty() {
        return None;
    }
    if v.chars().count() > UFFICIO_MAX {
        r.errore(
            "ufficio",
            "testo.lunghezza",
            format!("Al massimo {UFFICIO_MAX} caratteri."),
        );
    } else if v.chars().any(crate::text::nascosto) {
        r.errore(
            "ufficio",
            "testo.caratteri_invisibili",
            "Contiene caratteri di controllo o invisibili, che possono far apparire il testo diverso da com'è.",
        );
    }
    Some(v)
}

impl IdentitaForm {
    /// Runs every rule; each failing field is named `{prefisso}{campo}`.
    pub fn controlla_con(&self, prefisso: &str) -> Result<Identita, Vec<FieldError>> {
        let mut r = Rilievi::new(prefisso);
        let nome = nome_persona(&mut r, "nome", &self.nome, "il nome");
        let cognome = nome_persona(&mut r, "cognome", &self.cognome, "il cognome");
        let codice_fiscale = cf_persona(&mut r, "codice_fiscale", &self.codice_fiscale);
        let email = indirizzo(&mut r, "email", &self.email, "l'indirizzo e-mail");
        let telefono = telefono(&mut r, &self.telefono);
        let ufficio = ufficio(&mut r, &self.ufficio);
        if r.errori.is_empty() {
            Ok(Identita {
                nome,
                cognome,
                codice_fiscale,
                email,
                telefono,
                ufficio,
            })
        } else {
            Err(r.errori)
        }
    }

    /// Runs every rule; 422 with the failing fields.
    pub fn controlla(&self) -> Result<Identita, ApiError> {
        self.controlla_con("")
            .map_err(|fields| ApiError::Validation { fields })
    }
}
