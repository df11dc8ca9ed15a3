//! The preliminary declaration: which of the comune's services are operating, suspended or
//! ceased at the reference date, and its rules.

use super::definizione::{errore, motivo};
use crate::error::{ApiError, FieldError};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// One service in the preliminary declaration: operating, suspended or ceased at the reference
/// date (with the date and a reason when not operating).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(default)]
pub struct VoceDichiarazione {
    pub servizio: String,
    /// `operante`, `sospeso` or `cessato`.
    pub stato: String,
    /// `gg/mm/aaaa`, for `sospeso` and `cessato`.
    pub dal: String,
    pub motivo: String,
}

/// The preliminary declaration as typed: one entry per active service.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(default)]
pub struct DichiarazioneForm {
    pub voci: Vec<VoceDichiarazione>,
}

/// A checked declaration entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct Dichiarato {
    pub servizio: String,
    /// `None`: operating; else the new status, its date and reason.
    pub cambio: Option<(crate::servizio::StatoServizio, NaiveDate, String)>,
}

/// Runs the declaration's rules: every one of `attivi` (service ids) exactly once; suspended
/// or ceased need a date not after `oggi` and a reason.
pub fn controlla_dichiarazione(
    f: &DichiarazioneForm,
    attivi: &[String],
    oggi: NaiveDate,
) -> Result<Vec<Dichiarato>, ApiError> {
    use crate::servizio::StatoServizio;
    let mut e = Vec::new();
    let mut out = Vec::new();
    for a in attivi {
        if f.voci.iter().filter(|v| &v.servizio == a).count() != 1 {
            e.push(errore(
                "voci",
                "dichiarazione.servizi",
                "Dichiara una e una sola volta ogni servizio attivo.",
            ));
            break;
        }
    }
    for (i, v) in f.voci.iter().enumerate() {
        if !attivi.contains(&v.servizio) {
            e.push(FieldError::new(
                &format!("voci[{i}]"),
                "dichiarazione.servizio",
                "Servizio non attivo in questo comune.",
            ));
            continue;
        }
        let stato = match v.stato.trim() {
            "operante" => None,
            "sospeso" => Some(StatoServizio::Sospeso),
            "cessato" => Some(StatoServizio::Cessato),
            _ => {
                e.push(FieldError::new(
                    &format!("voci[{i}].stato"),
                    "scelta.valore",
                    "Scegli: operante, sospeso o cessato.",
                ));
                continue;
            }
        };
        let Some(stato) = stato else {
            out.push(Dichiarato {
                servizio: v.servizio.clone(),
                cambio: None,
            });
            continue;
        };
        let dal = crate::servizio::regole::parse_data(&v.dal).filter(|d| *d <= oggi);
        if dal.is_none() {
            e.push(FieldError::new(
                &format!("voci[{i}].dal"),
                "data.formato",
                "Indica la data (gg/mm/aaaa), non successiva a oggi.",
            ));
        }
        let motivo = motivo(&format!("voci[{i}].motivo"), &v.motivo)
            .map_err(|x| e.push(x))
            .ok();
        if let (Some(dal), Some(motivo)) = (dal, motivo) {
            out.push(Dichiarato {
                servizio: v.servizio.clone(),
                cambio: Some((stato, dal, motivo)),
            });
        }
    }
    if e.is_empty() {
        Ok(out)
    } else {
        Err(ApiError::Validation { fields: e })
    }
}
