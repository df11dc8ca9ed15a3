//! What every page of a public administration's site carries and the Region edits, not the
//! code: the link to the Region's site, the help desk's contacts, the legal notes and the
//! accessibility statement (AgID's guidelines require one for every public site, with the link
//! to AgID's form for reporting what is not accessible).

use crate::error::{ApiError, FieldError};
use serde::{Deserialize, Serialize};

/// Longest single-line value (URLs, contacts).
pub const RIGA_MAX: usize = 300;
/// Longest multi-line text (legal notes, the list of what is not accessible).
pub const TESTO_MAX: usize = 8_000;

/// The accessibility statement's states of compliance (the AgID model's three).
pub const STATI_CONFORMITA: [(&str, &str); 3] = [
    ("conforme", "Conforme"),
    ("parzialmente_conforme", "Parzialmente conforme"),
    ("non_conforme", "Non conforme"),
];

/// The footer's and the statement's settings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct ImpostazioniSito {
    /// The Region's own site (`https://www.regione.piemonte.it`); the Region's name in the
    /// footer links to it. Empty: no link.
    pub sito_regione: String,
    /// The help desk's e-mail.
    pub assistenza_email: String,
    /// The help desk's phone.
    pub assistenza_telefono: String,
    /// When the help desk answers (`lunedì–venerdì 9–17`).
    pub assistenza_orari: String,
    /// The legal notes (plain text, paragraphs separated by an empty line).
    pub note_legali: String,
    /// The accessibility statement.
    pub accessibilita: Accessibilita,
}

/// The accessibility statement's fields (AgID model).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct Accessibilita {
    /// One of [`STATI_CONFORMITA`].
    pub stato: String,
    /// What is not accessible and why (plain text).
    pub contenuti_non_accessibili: String,
    /// When the statement was written (`AAAA-MM-GG`).
    pub data_redazione: String,
    /// Where to report what is not accessible (e-mail).
    pub email_segnalazioni: String,
    /// AgID's form for the reports that get no answer (a setting: the address has changed
    /// before).
    pub url_modulo_agid: String,
}

impl ImpostazioniSito {
    /// What a new installation shows until the Region writes its own.
    pub fn iniziali(regione: &str) -> Self {
        Self {
            sito_regione: String::new(),
            assistenza_email: String::new(),
            assistenza_telefono: String::new(),
            assistenza_orari: String::new(),
            note_legali: format!(
                "I contenuti di questo sito sono della Regione {regione}, che li pubblica per i \
                 servizi educativi per l'infanzia (0-6 anni) dei comuni.\n\n\
                 I dati pubblicati come dati aperti sono riutilizzabili alle condizioni della \
                 licenza indicata con ciascun dato."
            ),
            accessibilita: Accessibilita {
                stato: "parzialmente_conforme".into(),
                contenuti_non_accessibili: String::new(),
                data_redazione: String::new(),
                email_segnalazioni: String::new(),
                url_modulo_agid: "https://form.agid.gov.it/".into(),
            },
        }
    }

    /// Every rule, each value trimmed; 422 with the failing fields.
    pub fn controlla(&self) -> Result<ImpostazioniSito, ApiError> {
        let mut errori = Vec::new();
        let a = &self.accessibilita;
        let out = ImpostazioniSito {
            sito_regione: indirizzo(&mut errori, "sito_regione", &self.sito_regione, false),
            assistenza_email: email(&mut errori, "assistenza_email", &self.assistenza_email),
            assistenza_telefono: telefono(&mut errori, &self.assistenza_telefono),
            assistenza_orari: riga(&mut errori, "assistenza_orari", &self.assistenza_orari),
            note_legali: testo(&mut errori, "note_legali", &self.note_legali),
            accessibilita: Accessibilita {
                stato: stato(&mut errori, &a.stato),
                contenuti_non_accessibili: testo(
                    &mut errori,
                    "accessibilita.contenuti_non_accessibili",
                    &a.contenuti_non_accessibili,
                ),
                data_redazione: data(&mut errori, &a.data_redazione),
                email_segnalazioni: email(
                    &mut errori,
                    "accessibilita.email_segnalazioni",
                    &a.email_segnalazioni,
                ),
                url_modulo_agid: indirizzo(
                    &mut errori,
                    "accessibilita.url_modulo_agid",
                    &a.url_modulo_agid,
                    true,
                ),
            },
        };
        if errori.is_empty() {
            Ok(out)
        } else {
            Err(ApiError::Validation { fields: errori })
        }
    }
}

/// The label of a state of compliance.
pub fn etichetta_stato(codice: &str) -> &'static str {
    STATI_CONFORMITA
        .iter()
        .find(|(c, _)| *c == codice)
        .map(|(_, e)| *e)
        .unwrap_or("Non indicato")
}

/// The legal notes or another multi-line text as paragraphs (split at empty lines).
pub fn paragrafi(testo: &str) -> Vec<String> {
    testo
        .split("\n\n")
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|p| !p.is_empty())
        .collect()
}

fn errore(errori: &mut Vec<FieldError>, campo: &str, regola: &str, messaggio: impl Into<String>) {
    errori.push(FieldError {
        field: campo.into(),
        rule: regola.into(),
        message: messaggio.into(),
    });
}

/// One line of text, up to [`RIGA_MAX`] characters.
fn riga(errori: &mut Vec<FieldError>, campo: &str, raw: &str) -> String {
    let v = raw.trim();
    if v.chars().count() > RIGA_MAX {
        errore(
            errori,
            campo,
            "testo.lunghezza",
            format!("Al massimo {RIGA_MAX} caratteri."),
        );
    } else if v.chars().any(crate::text::nascosto) {
        errore(
            errori,
            campo,
            "testo.caratteri_invisibili",
            "Contiene a capo, caratteri di controllo o invisibili.",
        );
    }
    v.to_owned()
}

/// Multi-line text, up to [`TESTO_MAX`] characters; line breaks allowed, nothing else hidden.
fn testo(errori: &mut Vec<FieldError>, campo: &str, raw: &str) -> String {
    let v = raw.trim().replace("\r\n", "\n");
    if v.chars().count() > TESTO_MAX {
        errore(
            errori,
            campo,
            "testo.lunghezza",
            format!("Al massimo {TESTO_MAX} caratteri."),
        );
    } else if v.chars().any(|c| c != '\n' && crate::text::nascosto(c)) {
        errore(
            errori,
            campo,
            "testo.caratteri_invisibili",
            "Contiene caratteri di controllo o invisibili.",
        );
    }
    v
}

/// A web address: `https://` (or, for the Region's own site, also `http://`), no spaces.
fn indirizzo(errori: &mut Vec<FieldError>, campo: &str, raw: &str, obbligatorio: bool) -> String {
    let v = riga(errori, campo, raw);
    if v.is_empty() {
        if obbligatorio {
            errore(
                errori,
                campo,
                "indirizzo.obbligatorio",
                "Inserisci l'indirizzo.",
            );
        }
        return v;
    }
    let resto = v
        .strip_prefix("https://")
        .or_else(|| v.strip_prefix("http://"));
    let valido = resto.is_some_and(|r| {
        let host = r.split(['/', '?', '#']).next().unwrap_or_default();
        host.contains('.')
            && !host.starts_with('.')
            && !r.chars().any(char::is_whitespace)
            && !r.contains(['"', '<', '>', '\\'])
    });
    if !valido {
        errore(
            errori,
            campo,
            "indirizzo.formato",
            "Scrivi un indirizzo web completo, per esempio https://www.regione.it",
        );
    }
    v
}

fn email(errori: &mut Vec<FieldError>, campo: &str, raw: &str) -> String {
    let v = riga(errori, campo, raw);
    if !v.is_empty() && !crate::email::valida(&v) {
        errore(
            errori,
            campo,
            "email.formato",
            "Scrivi un indirizzo e-mail valido, per esempio assistenza@regione.it",
        );
    }
    v
}

fn telefono(errori: &mut Vec<FieldError>, raw: &str) -> String {
    let v = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    let cifre = v.chars().filter(char::is_ascii_digit).count();
    if !v.is_empty()
        && (v.chars().count() > 30
            || cifre < 5
            || !v
                .chars()
                .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '+' | '.' | '/' | '-')))
    {
        errore(
            errori,
            "assistenza_telefono",
            "telefono.formato",
            "Scrivi un numero di telefono: cifre, spazi e i segni + . / - (per esempio 011 432 1234).",
        );
    }
    v
}

fn stato(errori: &mut Vec<FieldError>, raw: &str) -> String {
    if !STATI_CONFORMITA.iter().any(|(c, _)| *c == raw) {
        errore(
            errori,
            "accessibilita.stato",
            "accessibilita.stato",
            "Scegli lo stato di conformità.",
        );
    }
    raw.to_owned()
}

fn data(errori: &mut Vec<FieldError>, raw: &str) -> String {
    let v = raw.trim();
    if !v.is_empty() && chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d").is_err() {
        errore(
            errori,
            "accessibilita.data_redazione",
            "data.formato",
            "Scrivi una data valida (gg/mm/aaaa).",
        );
    }
    v.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn campi(e: ApiError) -> Vec<String> {
        match e {
            ApiError::Validation { fields } => fields.into_iter().map(|f| f.field).collect(),
            altro => panic!("atteso 422, ottenuto {altro:?}"),
        }
    }

    #[test]
    fn le_impostazioni_iniziali_rispettano_le_regole() {
        let i = ImpostazioniSito::iniziali("Piemonte");
        assert_eq!(i.controlla().expect("valide"), i);
    }

    #[test]
    fn ogni_campo_sbagliato_e_nominato() {
        let mut i = ImpostazioniSito::iniziali("Piemonte");
        i.sito_regione = "javascript:alert(1)".into();
        i.assistenza_email = "non-una-mail".into();
        i.assistenza_telefono = "chiamate pure".into();
        i.assistenza_orari = "9-17\u{202E}".into();
        i.note_legali = "x".repeat(TESTO_MAX + 1);
        i.accessibilita.stato = "quasi".into();
        i.accessibilita.data_redazione = "2026-02-30".into();
        i.accessibilita.url_modulo_agid = String::new();
        let mut c = campi(i.controlla().unwrap_err());
        c.sort();
        assert_eq!(
            c,
            [
                "accessibilita.data_redazione",
                "accessibilita.stato",
                "accessibilita.url_modulo_agid",
                "assistenza_email",
                "assistenza_orari",
                "assistenza_telefono",
                "note_legali",
                "sito_regione",
            ]
        );
    }

    #[test]
    fn spazi_tolti_e_a_capo_ammessi_nei_testi() {
        let mut i = ImpostazioniSito::iniziali("Piemonte");
        i.sito_regione = "  https://www.regione.piemonte.it/web  ".into();
        i.assistenza_telefono = " 011   432 1234 ".into();
        i.note_legali = "Primo.\r\n\r\nSecondo.".into();
        let ok = i.controlla().expect("valide");
        assert_eq!(ok.sito_regione, "https://www.regione.piemonte.it/web");
        assert_eq!(ok.assistenza_telefono, "011 432 1234");
        assert_eq!(paragrafi(&ok.note_legali), ["Primo.", "Secondo."]);
    }
}
