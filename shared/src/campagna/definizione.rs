//! The Region's forms for a campaign (a new campaign, an extension, a block or unlock with its
//! reason, the eligible comuni pasted or read from a CSV file), their rules, and the campaign as
//! the API returns it.

use super::{parse_data_ora, StatoCampagna, TipoCampagna};
use crate::comune::CodiceIstat;
use crate::error::{ApiError, FieldError};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// A new campaign as typed by a regional official.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(default)]
pub struct CampagnaForm {
    pub tipo: String,
    pub titolo: String,
    pub annualita: String,
    /// `gg/mm/aaaa`.
    pub data_riferimento: String,
    /// `gg/mm/aaaa hh:mm`, Italian time.
    pub apertura: String,
    /// `gg/mm/aaaa hh:mm`, Italian time.
    pub chiusura: String,
    /// ISTAT codes of the eligible comuni (separated by spaces, commas, semicolons or new
    /// lines, as pasted from a CSV column); empty: every comune of the Region.
    pub comuni: String,
}

impl CampagnaForm {
    /// The form that gives back `d` (to edit a draft campaign).
    pub fn da_dati(d: &CampagnaDati) -> Self {
        use crate::campagna::testo_data_ora;
        CampagnaForm {
            tipo: d.tipo.code().to_owned(),
            titolo: d.titolo.clone(),
            annualita: d.annualita.to_string(),
            data_riferimento: crate::tempo::data_italiana(d.data_riferimento),
            apertura: testo_data_ora(d.apertura),
            chiusura: testo_data_ora(d.chiusura),
            comuni: d.comuni_ammessi.as_deref().unwrap_or_default().join("\n"),
        }
    }
}

/// A campaign's data once its rules passed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct CampagnaDati {
    pub tipo: TipoCampagna,
    pub titolo: String,
    pub annualita: u16,
    pub data_riferimento: NaiveDate,
    pub apertura: DateTime<Utc>,
    /// The closing time first announced (extensions are kept apart).
    pub chiusura: DateTime<Utc>,
    /// `None`: every comune of the Region.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comuni_ammessi: Option<Vec<String>>,
}

pub(super) fn errore(campo: &str, regola: &str, messaggio: &str) -> FieldError {
    FieldError::new(campo, regola, messaggio)
}

/// Runs the rules of a new campaign.
pub fn controlla_campagna(f: &CampagnaForm) -> Result<CampagnaDati, ApiError> {
    let mut e = Vec::new();
    let tipo = TipoCampagna::from_code(f.tipo.trim());
    if tipo.is_none() {
        e.push(errore(
            "tipo",
            "scelta.valore",
            "Scegli il tipo di rilevazione.",
        ));
    }
    let titolo = f.titolo.trim().to_owned();
    let n = titolo.chars().count();
    if !(3..=150).contains(&n) || titolo.chars().any(crate::text::nascosto) {
        e.push(errore(
            "titolo",
            "testo.lunghezza",
            "Il titolo ha da 3 a 150 caratteri, su una riga.",
        ));
    }
    let annualita = f
        .annualita
        .trim()
        .parse::<u16>()
        .ok()
        .filter(|a| (2015..=2100).contains(a));
    if annualita.is_none() {
        e.push(errore(
            "annualita",
            "annualita.valore",
            "L'annualità è un anno tra il 2015 e il 2100.",
        ));
    }
    let data_riferimento = crate::servizio::regole::parse_data(&f.data_riferimento);
    if data_riferimento.is_none() {
        e.push(errore(
            "data_riferimento",
            "data.formato",
            "Data non valida: usa il formato gg/mm/aaaa.",
        ));
    }
    let apertura = parse_data_ora(&f.apertura)
        .map_err(|m| e.push(errore("apertura", "data_ora.formato", m)))
        .ok();
    let chiusura = parse_data_ora(&f.chiusura)
        .map_err(|m| e.push(errore("chiusura", "data_ora.formato", m)))
        .ok();
    if let (Some(a), Some(c)) = (apertura, chiusura) {
        if c <= a {
            e.push(errore(
                "chiusura",
                "finestra.ordine",
                "La chiusura deve essere successiva all'apertura.",
            ));
        }
    }
    let mut comuni: Vec<String> = f
        .comuni
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | ';'))
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect();
    if let Some(male) = comuni.iter().find(|c| CodiceIstat::parse(c).is_err()) {
        e.push(FieldError {
            field: "comuni".into(),
            rule: "comuni.codice".into(),
            message: format!("«{male}» non è un codice ISTAT di comune (6 cifre, es. 001272)."),
        });
    }
    comuni.sort();
    comuni.dedup();
    match (
        e.is_empty(),
        tipo,
        annualita,
        data_riferimento,
        apertura,
        chiusura,
    ) {
        (
            true,
            Some(tipo),
            Some(annualita),
            Some(data_riferimento),
            Some(apertura),
            Some(chiusura),
        ) => Ok(CampagnaDati {
            tipo,
            titolo,
            annualita,
            data_riferimento,
            apertura,
            chiusura,
            comuni_ammessi: (!comuni.is_empty()).then_some(comuni),
        }),
        _ => {
            e.sort_by(|a, b| a.field.cmp(&b.field));
            Err(ApiError::Validation { fields: e })
        }
    }
}

/// An extension as typed: the new closing time and the reason.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(default)]
pub struct ProrogaForm {
    /// `gg/mm/aaaa hh:mm`, Italian time.
    pub chiusura: String,
    pub motivo: String,
}

/// A granted extension.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct Proroga {
    pub chiusura: DateTime<Utc>,
    pub motivo: String,
    /// When it was granted (server clock).
    pub quando: DateTime<Utc>,
    /// Who granted it.
    pub da: String,
}

pub(super) fn motivo(campo: &str, raw: &str) -> Result<String, FieldError> {
    let m = raw.trim();
    let n = m.chars().count();
    if !(3..=500).contains(&n) || m.chars().any(|c| c != '\n' && crate::text::nascosto(c)) {
        return Err(errore(
            campo,
            "motivo.obbligatorio",
            "Indica il motivo (da 3 a 500 caratteri).",
        ));
    }
    Ok(m.to_owned())
}

/// Runs the rules of an extension: a valid date-time later than the deadline in force, and a reason.
pub fn controlla_proroga(
    f: &ProrogaForm,
    chiusura_in_vigore: DateTime<Utc>,
) -> Result<(DateTime<Utc>, String), ApiError> {
    let mut e = Vec::new();
    let chiusura = match parse_data_ora(&f.chiusura) {
        Ok(c) if c <= chiusura_in_vigore => {
            e.push(FieldError {
                field: "chiusura".into(),
                rule: "proroga.successiva".into(),
                message: format!(
                    "La proroga deve spostare il termine dopo quello in vigore ({}).",
                    crate::tempo::data_ora_italiana(chiusura_in_vigore)
                ),
            });
            None
        }
        Ok(c) => Some(c),
        Err(m) => {
            e.push(errore("chiusura", "data_ora.formato", m));
            None
        }
    };
    let motivo = motivo("motivo", &f.motivo).map_err(|x| e.push(x)).ok();
    match (chiusura, motivo) {
        (Some(c), Some(m)) if e.is_empty() => Ok((c, m)),
        _ => Err(ApiError::Validation { fields: e }),
    }
}

/// A block or unlock as typed: the reason.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(default)]
pub struct MotivoForm {
    pub motivo: String,
}

impl MotivoForm {
    /// The trimmed reason, or 422.
    pub fn controlla(&self) -> Result<String, ApiError> {
        motivo("motivo", &self.motivo).map_err(|e| ApiError::Validation { fields: vec![e] })
    }
}

/// A campaign as the API returns it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct Campagna {
    pub id: String,
    pub stato: StatoCampagna,
    pub dati: CampagnaDati,
    /// Global extensions, oldest first.
    pub proroghe: Vec<Proroga>,
    /// The deadline in force (after global extensions).
    pub chiusura_in_vigore: DateTime<Utc>,
}

impl Campagna {
    /// The campaign with its deadline in force: the latest of the closing time and the
    /// global extensions.
    pub fn nuova(
        id: String,
        stato: StatoCampagna,
        dati: CampagnaDati,
        proroghe: Vec<Proroga>,
    ) -> Self {
        let chiusura_in_vigore = proroghe
            .iter()
            .map(|p| p.chiusura)
            .fold(dati.chiusura, DateTime::max);
        Campagna {
            id,
            stato,
            dati,
            proroghe,
            chiusura_in_vigore,
        }
    }
}

/// The ISTAT codes in a CSV file of eligible comuni, as the Region's offices export it: one
/// comune per line, fields separated by `;` or `,`, the code in any column (the first field made
/// of digits only). Spreadsheets drop leading zeros ("1272" for 001272), so 1 to 6 digits are
/// padded. A first line without a code is a header and is skipped; any other line without one is
/// refused, naming the line, so a wrong file is never half-imported.
pub fn codici_da_csv(testo: &str) -> Result<Vec<String>, String> {
    let mut codici = Vec::new();
    let righe = testo.trim_start_matches('\u{feff}').lines().enumerate();
    for (i, riga) in righe.filter(|(_, r)| !r.trim().is_empty()) {
        let codice = riga
            .split([';', ',', '\t'])
            .map(|c| c.trim().trim_matches('"').trim())
            .find(|c| !c.is_empty() && c.bytes().all(|b| b.is_ascii_digit()));
        match codice {
            Some(c) if c.len() <= 6 => codici.push(format!("{c:0>6}")),
            Some(c) => {
                return Err(format!(
                    "Riga {}: «{c}» non è un codice ISTAT di comune (6 cifre).",
                    i + 1
                ))
            }
            None if codici.is_empty() && i == 0 => {}
            None => return Err(format!("Riga {}: manca il codice ISTAT del comune.", i + 1)),
        }
        if codici.len() > 10_000 {
            return Err("Il file ha più di 10.000 righe: non è un elenco di comuni.".into());
        }
    }
    if codici.is_empty() {
        return Err("Il file non contiene codici ISTAT.".into());
    }
    Ok(codici)
}
