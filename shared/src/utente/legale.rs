//! The comuni's legal representatives: as typed by the Region, one by one or from a CSV file.

use super::identita::{indirizzo, Rilievi};
use super::{etichetta_campo, Identita, IdentitaForm, UtenteVista};
use crate::comune::ComuneRef;
use crate::error::{ApiError, FieldError};
use serde::{Deserialize, Serialize};

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
