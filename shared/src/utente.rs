//! Accounts: a person's identity (nome, cognome, codice fiscale, e-mail…), the account's state
//! and the rules every identity form runs, in the browser while typing and on the server.

use crate::auth::Ruolo;
use crate::comune::ComuneRef;
use crate::error::{ApiError, FieldError};
use crate::fiscale::{self, ErroreCodice, TipoCodice};
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

/// A comune's legal representative as typed by the Region.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct LegaleForm {
    pub nome: String,
    pub cognome: String,
    pub codice_fiscale: String,
    pub email: String,
    pub pec: String,
}

/// A checked legal representative: identity and PEC.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Legale {
    pub identita: Identita,
    pub pec: String,
}

impl LegaleForm {
    /// Runs every rule, naming fields `{prefisso}{campo}`.
    pub fn controlla_con(&self, prefisso: &str) -> Result<Legale, Vec<FieldError>> {
        let base = IdentitaForm {
            nome: self.nome.clone(),
            cognome: self.cognome.clone(),
            codice_fiscale: self.codice_fiscale.clone(),
            email: self.email.clone(),
            ..Default::default()
        };
        let mut r = Rilievi::new(prefisso);
        let pec = indirizzo(&mut r, "pec", &self.pec, "la PEC");
        match base.controlla_con(prefisso) {
            Ok(identita) if r.errori.is_empty() => Ok(Legale { identita, pec }),
            Ok(_) => Err(r.errori),
            Err(mut e) => {
                e.extend(r.errori);
                e.sort_by(|a, b| a.field.cmp(&b.field));
                Err(e)
            }
        }
    }

    /// Runs every rule; 422 with the failing fields.
    pub fn controlla(&self) -> Result<Legale, ApiError> {
        self.controlla_con("")
            .map_err(|fields| ApiError::Validation { fields })
    }
}

/// A comune and its legal representative, if recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct ComuneLegale {
    pub comune: ComuneRef,
    /// Province abbreviation (`TO`).
    pub sigla_provincia: String,
    pub legale: Option<UtenteVista>,
}

/// The legal representatives read from a CSV file, one per line: `codice ISTAT; codice
/// fiscale; nome; cognome; e-mail; PEC` (`;` or tab; a header line skipped; leading zeros
/// restored). Every wrong line is named (the first 20); nothing is recorded unless all are right.
pub fn legali_da_csv(testo: &str) -> Result<Vec<(String, Legale)>, Vec<String>> {
    let mut righe: Vec<(String, Legale)> = Vec::new();
    let mut errori = Vec::new();
    for (i, riga) in testo.trim_start_matches('\u{feff}').lines().enumerate() {
        let n = i + 1;
        let riga = riga.trim();
        if riga.is_empty() {
            continue;
        }
        let campi: Vec<&str> = riga
            .split([';', '\t'])
            .map(|c| c.trim().trim_matches('"').trim())
            .collect();
        let codice = campi.first().copied().unwrap_or_default();
        if codice.is_empty() || !codice.bytes().all(|b| b.is_ascii_digit()) || codice.len() > 6 {
            if i == 0 && righe.is_empty() {
                continue; // header
            }
            errori.push(format!(
                "Riga {n}: «{codice}» non è un codice ISTAT di comune."
            ));
            continue;
        }
        if campi.len() < 6 {
            errori.push(format!(
                "Riga {n}: servono 6 colonne (codice ISTAT; codice fiscale; nome; cognome; e-mail; PEC), ce ne sono {}.",
                campi.len()
            ));
            continue;
        }
        let codice = format!("{codice:0>6}");
        let form = LegaleForm {
            codice_fiscale: campi[1].to_owned(),
            nome: campi[2].to_owned(),
            cognome: campi[3].to_owned(),
            email: campi[4].to_owned(),
            pec: campi[5].to_owned(),
        };
        match form.controlla_con("") {
            Ok(l) => {
                if righe.iter().any(|(c, _)| *c == codice) {
                    errori.push(format!("Riga {n}: il comune {codice} compare più volte."));
                } else if righe
                    .iter()
                    .any(|(_, x)| x.identita.codice_fiscale == l.identita.codice_fiscale)
                {
                    errori.push(format!(
                        "Riga {n}: il codice fiscale {} compare più volte.",
                        l.identita.codice_fiscale
                    ));
                } else {
                    righe.push((codice, l));
                }
            }
            Err(e) => {
                for f in e {
                    errori.push(format!(
                        "Riga {n}, {}: {}",
                        etichetta_campo(&f.field),
                        f.message
                    ));
                }
            }
        }
        if righe.len() + errori.len() > 10_000 {
            errori.push("Il file ha più di 10.000 righe: non è un elenco di comuni.".into());
            break;
        }
    }
    if righe.is_empty() && errori.is_empty() {
        errori.push("Il file non contiene legali rappresentanti.".into());
    }
    if errori.is_empty() {
        Ok(righe)
    } else {
        errori.truncate(20);
        Err(errori)
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A valid codice fiscale (check letter computed).
    pub fn cf(primi15: &str) -> String {
        let c = fiscale::carattere_controllo(primi15.as_bytes()) as char;
        format!("{primi15}{c}")
    }

    fn valida() -> IdentitaForm {
        IdentitaForm {
            nome: "Maria Grazia".into(),
            cognome: "D'Angelo".into(),
            codice_fiscale: cf("DNGMGR80A41L219"),
            email: "m.dangelo@comune.torino.it".into(),
            telefono: "+39 011 123456".into(),
            ufficio: "Servizi educativi".into(),
        }
    }

    #[test]
    fn a_valid_identity_is_normalized() {
        let mut f = valida();
        f.nome = "  Maria   Grazia ".into();
        f.codice_fiscale = f.codice_fiscale.to_lowercase();
        let i = f.controlla().unwrap();
        assert_eq!(i.nome, "Maria Grazia");
        assert_eq!(i.codice_fiscale, cf("DNGMGR80A41L219"));
        assert_eq!(i.nome_completo(), "Maria Grazia D'Angelo");
        assert_eq!(i.telefono.as_deref(), Some("+39 011 123456"));
    }

    #[test]
    fn invalid_identities_name_the_field_and_the_rule() {
        type Caso = (
            fn(&mut IdentitaForm),
            &'static str,
            &'static str,
            &'static str,
        );
        let casi: &[Caso] = &[
            (
                |f| f.nome = " ".into(),
                "nome",
                "nome.obbligatorio",
                "blank name",
            ),
            (
                |f| f.nome = "Mario2".into(),
                "nome",
                "nome.caratteri",
                "digit in a name",
            ),
            (
                |f| f.cognome = "x".repeat(61),
                "cognome",
                "nome.lunghezza",
                "61 characters",
            ),
            (
                |f| f.cognome = "Rossi\u{202E}ilatipsO".into(),
                "cognome",
                "testo.caratteri_invisibili",
                "right-to-left override",
            ),
            (
                |f| f.nome = "Ma\u{200B}rio".into(),
                "nome",
                "testo.caratteri_invisibili",
                "zero-width space",
            ),
            (
                |f| f.nome = "-Mario".into(),
                "nome",
                "nome.caratteri",
                "starts with a hyphen",
            ),
            (
                |f| {
                    let c = fiscale::cifra_controllo_numerico(b"0123456789") as char;
                    f.codice_fiscale = format!("0123456789{c}");
                },
                "codice_fiscale",
                "codice_fiscale.lunghezza",
                "a company's numeric code",
            ),
            (
                |f| f.codice_fiscale = "DNGMGR80A41L219A".into(),
                "codice_fiscale",
                "codice_fiscale.controllo",
                "wrong check letter",
            ),
            (
                |f| f.codice_fiscale = "DNGMGR80Z41L219A".into(),
                "codice_fiscale",
                "codice_fiscale.data",
                "month letter Z",
            ),
            (
                |f| f.email = "".into(),
                "email",
                "email.obbligatoria",
                "no e-mail",
            ),
            (
                |f| f.email = "mario@".into(),
                "email",
                "email.formato",
                "no domain",
            ),
            (
                |f| f.telefono = "12".into(),
                "telefono",
                "telefono.formato",
                "two digits",
            ),
            (
                |f| f.telefono = "011 abc".into(),
                "telefono",
                "telefono.formato",
                "letters",
            ),
            (
                |f| f.ufficio = "x".repeat(101),
                "ufficio",
                "testo.lunghezza",
                "101 characters",
            ),
        ];
        for (cambia, campo, regola, perche) in casi {
            let mut f = valida();
            cambia(&mut f);
            let e = f.controlla_con("utenti.3.").unwrap_err();
            assert_eq!(e.len(), 1, "{perche}: {e:?}");
            assert_eq!(e[0].field, format!("utenti.3.{campo}"), "{perche}");
            assert_eq!(e[0].rule, *regola, "{perche}");
            assert!(!e[0].message.is_empty());
        }
    }

    #[test]
    fn a_legal_representative_needs_a_pec() {
        let f = LegaleForm {
            nome: "Stefano".into(),
            cognome: "Lo Russo".into(),
            codice_fiscale: cf("LRSSFN75B12L219"),
            email: "sindaco@comune.torino.it".into(),
            pec: "".into(),
        };
        let e = f.controlla().unwrap_err();
        assert_eq!(e.fields()[0].field, "pec");
        let ok = LegaleForm {
            pec: "protocollo@cert.comune.torino.it".into(),
            ..f
        };
        assert_eq!(
            ok.controlla().unwrap().pec,
            "protocollo@cert.comune.torino.it"
        );
    }

    #[test]
    fn the_legal_representatives_csv_names_every_wrong_line() {
        let a = cf("LRSSFN75B12L219");
        let b = cf("BNCLCU70C15A124");
        let testo = format!(
            "codice ISTAT;codice fiscale;nome;cognome;email;pec\n\
             1272;{a};Stefano;Lo Russo;sindaco@comune.torino.it;protocollo@cert.comune.torino.it\n\
             4003;{b};Luca;Bianchi;sindaco@comune.alba.cn.it;comune.alba@cert.legalmail.it\n"
        );
        let righe = legali_da_csv(&testo).unwrap();
        assert_eq!(righe.len(), 2);
        assert_eq!(righe[0].0, "001272");
        assert_eq!(righe[1].1.identita.cognome, "Bianchi");

        let sbagliato = format!(
            "1272;{a};Stefano;Lo Russo;sindaco@comune.torino.it;protocollo@cert.comune.torino.it\n\
             4003;XXXXXX00A00A000A;Luca;Bianchi;x;comune.alba@cert.legalmail.it\n\
             4003;{b};Luca\n\
             1272;{b};Luca;Bianchi;sindaco@comune.alba.cn.it;comune.alba@cert.legalmail.it\n"
        );
        let errori = legali_da_csv(&sbagliato).unwrap_err();
        assert!(
            errori
                .iter()
                .any(|e| e.starts_with("Riga 2, codice fiscale:")),
            "{errori:?}"
        );
        assert!(
            errori.iter().any(|e| e.starts_with("Riga 2, e-mail:")),
            "{errori:?}"
        );
        assert!(
            errori
                .iter()
                .any(|e| e.starts_with("Riga 3: servono 6 colonne")),
            "{errori:?}"
        );
        assert!(
            errori
                .iter()
                .any(|e| e == "Riga 4: il comune 001272 compare più volte."),
            "{errori:?}"
        );
        assert_eq!(legali_da_csv("").unwrap_err().len(), 1);
    }

    #[test]
    fn usernames_from_names_are_plain_ascii_and_never_a_codice_fiscale() {
        assert_eq!(username_da_nome("Niccolò", "D'Angelo"), "niccolo.dangelo");
        assert_eq!(
            username_da_nome("Maria Grazia", "Lo Russo"),
            "mariagrazia.lorusso"
        );
        assert_eq!(username_da_nome("李", "王"), "utente");
        assert!(crate::auth::username_rule(&username_da_nome("Ève", "Ōno")).is_ok());
        assert!(!sembra_codice_fiscale(&username_da_nome("Mario", "Rossi")));
        assert!(sembra_codice_fiscale(&cf("RSSMRA80A01L219").to_lowercase()));
        assert!(sembra_codice_fiscale(&format!(
            " {} ",
            cf("RSSMRA80A01L219")
        )));
        assert!(!sembra_codice_fiscale("torino"));
    }

    #[test]
    fn only_regional_roles_pass_the_regional_rule_and_comune_roles_the_comune_rule() {
        assert_eq!(
            ruolo_regionale("amministratore").unwrap(),
            Ruolo::Amministratore
        );
        assert!(ruolo_regionale("operatore_comunale").is_err());
        assert_eq!(
            ruolo_comunale(" legale_rappresentante ").unwrap(),
            Ruolo::LegaleRappresentante
        );
        assert!(ruolo_comunale("amministratore").is_err());
        assert!(ruolo_comunale("").is_err());
    }
}
