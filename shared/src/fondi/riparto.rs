//! The allocation loaded from the CSV file the Region's offices export.

use super::*;

/// The allocation of one source read from a CSV file (`codice ISTAT;importo` per line, `;` or
/// tab separated, or `,` when the amounts use a dot; a header line is skipped; leading zeros
/// dropped by spreadsheets are restored). Every wrong line is reported (the first 20), naming
/// it; a comune listed twice is an error. Nothing is imported unless the whole file is right.
pub fn riparto_da_csv(testo: &str) -> Result<Vec<(String, Importo)>, Vec<String>> {
    let mut righe = Vec::new();
    let mut errori = Vec::new();
    for (i, riga) in testo.trim_start_matches('\u{feff}').lines().enumerate() {
        let riga = riga.trim();
        if riga.is_empty() {
            continue;
        }
        let campi: Vec<&str> = if riga.contains(';') || riga.contains('\t') {
            riga.split([';', '\t']).collect()
        } else {
            riga.split(',').collect()
        };
        let campi: Vec<&str> = campi
            .iter()
            .map(|c| c.trim().trim_matches('"').trim())
            .collect();
        let codice = campi.first().copied().unwrap_or_default();
        if !codice.bytes().all(|b| b.is_ascii_digit()) || codice.is_empty() {
            if i == 0 && righe.is_empty() {
                continue; // header
            }
            errori.push(format!(
                "Riga {}: «{codice}» non è un codice ISTAT di comune.",
                i + 1
            ));
            continue;
        }
        if codice.len() > 6 {
            errori.push(format!(
                "Riga {}: «{codice}» non è un codice ISTAT di comune (6 cifre).",
                i + 1
            ));
            continue;
        }
        let codice = format!("{codice:0>6}");
        match campi.get(1).map(|c| Importo::parse(c)) {
            Some(Ok(imp)) => {
                if righe.iter().any(|(c, _)| *c == codice) {
                    errori.push(format!(
                        "Riga {}: il comune {codice} compare più volte.",
                        i + 1
                    ));
                } else {
                    righe.push((codice, imp));
                }
            }
            Some(Err(m)) => errori.push(format!("Riga {}: {m}", i + 1)),
            None => errori.push(format!("Riga {}: manca l'importo.", i + 1)),
        }
        if righe.len() + errori.len() > 10_000 {
            errori.push("Il file ha più di 10.000 righe: non è un riparto per comune.".into());
            break;
        }
    }
    if righe.is_empty() && errori.is_empty() {
        errori.push("Il file non contiene righe di riparto.".into());
    }
    if errori.is_empty() {
        Ok(righe)
    } else {
        errori.truncate(20);
        Err(errori)
    }
}
