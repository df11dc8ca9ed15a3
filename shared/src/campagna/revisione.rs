//! The Region's review of a sent form: the comments on a returned form, and the comune's
//! "services not reached" request.

use crate::error::{ApiError, FieldError};
use serde::{Deserialize, Serialize};

/// A comment of the Region on a field or section of a returned form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(default)]
pub struct Commento {
    /// The field's path (`voci[0].impegnato`) or a section (`voci`); empty: the whole form.
    pub campo: String,
    pub testo: String,
}

/// A "services not reached" request, as typed by the comune.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(default)]
pub struct Segnalazione {
    pub servizio: String,
    pub indirizzo: String,
    pub titolare: String,
    pub motivo: String,
}

impl Segnalazione {
    /// Every field filled (the reason at least 10 characters), or 422 naming the fields.
    pub fn controlla(&self) -> Result<Segnalazione, ApiError> {
        let mut e = Vec::new();
        for (campo, v, min) in [
            ("servizio", &self.servizio, 3),
            ("indirizzo", &self.indirizzo, 5),
            ("titolare", &self.titolare, 3),
            ("motivo", &self.motivo, 10),
        ] {
            let n = v.trim().chars().count();
            if n < min || n > 500 || v.chars().any(|c| c != '\n' && crate::text::nascosto(c)) {
                e.push(FieldError::new(
                    campo,
                    "testo.lunghezza",
                    &format!("Compila questo campo (da {min} a 500 caratteri)."),
                ));
            }
        }
        if e.is_empty() {
            Ok(Segnalazione {
                servizio: self.servizio.trim().into(),
                indirizzo: self.indirizzo.trim().into(),
                titolare: self.titolare.trim().into(),
                motivo: self.motivo.trim().into(),
            })
        } else {
            Err(ApiError::Validation { fields: e })
        }
    }
}

/// The Region's comments as typed when returning a form: at least one, each with its text.
pub fn controlla_commenti(commenti: &[Commento]) -> Result<Vec<Commento>, ApiError> {
    let buoni: Vec<Commento> = commenti
        .iter()
        .filter(|c| !c.testo.trim().is_empty())
        .map(|c| Commento {
            campo: c.campo.trim().into(),
            testo: c.testo.trim().into(),
        })
        .collect();
    if buoni.is_empty()
        || buoni.len() > 200
        || buoni
            .iter()
            .any(|c| c.testo.chars().count() > 1000 || c.campo.chars().count() > 200)
    {
        return Err(ApiError::Validation {
            fields: vec![FieldError::new(
                "commenti",
                "commenti.obbligatori",
                "Scrivi almeno un commento (fino a 1.000 caratteri ciascuno) per dire cosa correggere.",
            )],
        });
    }
    Ok(buoni)
}
