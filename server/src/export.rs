//! Exports of the registry as CSV (`;`-separated, UTF-8 with BOM, as Italian spreadsheets
//! expect) and XLSX. Cells that a spreadsheet would read as a formula are neutralised.

use shared::servizio::{ServizioScheda, CAMPI};

/// A file to download.
#[derive(Debug, Clone)]
pub struct File {
    pub nome: String,
    pub content_type: &'static str,
    pub contenuto: Vec<u8>,
}

/// A cell that cannot start a formula: text starting with `=`, `+`, `-`, `@`, tab or carriage
/// return gets a leading apostrophe (OWASP CSV injection advice).
pub fn cella_sicura(v: &str) -> String {
    if v.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{v}")
    } else {
        v.to_owned()
    }
}

/// The most characters an Excel cell holds.
pub const CELLA_XLSX_MAX: usize = 32_767;

/// What ends a cell cut to fit in XLSX.
pub const TAGLIO: &str = " […testo troncato: il valore completo è nell'esportazione CSV]";

/// An XLSX cell's text: [`cella_sicura`], cut with [`TAGLIO`] when longer than a cell holds
/// (counting UTF-16 units, as Excel does), so that any stored value exports.
pub fn cella_xlsx(v: &str) -> String {
    let sicura = cella_sicura(v);
    if sicura.encode_utf16().count() <= CELLA_XLSX_MAX {
        return sicura;
    }
    let spazio = CELLA_XLSX_MAX - TAGLIO.encode_utf16().count();
    let mut out = String::new();
    let mut unita = 0;
    for c in sicura.chars() {
        unita += c.len_utf16();
        if unita > spazio {
            break;
        }
        out.push(c);
    }
    out.push_str(TAGLIO);
    out
}

fn intestazione() -> Vec<String> {
    let mut h = vec![
        "ID".to_owned(),
        "Codice ISTAT comune".to_owned(),
        "Comune".to_owned(),
        "Provincia".to_owned(),
    ];
    h.extend(CAMPI.iter().map(|(_, l)| (*l).to_owned()));
    h.extend(["Versione".to_owned(), "Ultima modifica".to_owned()]);
    h
}

fn righe(servizi: &[ServizioScheda]) -> Vec<Vec<String>> {
    servizi
        .iter()
        .map(|s| {
            let mut r = vec![
                s.id.clone(),
                s.comune.codice.clone(),
                s.comune.nome.clone(),
                s.sigla_provincia.clone(),
            ];
            r.extend(s.dati.valori().into_iter().map(|(_, v)| v));
            r.extend([s.versione.to_string(), s.aggiornato.clone()]);
            r.into_iter().map(|c| cella_sicura(&c)).collect()
        })
        .collect()
}

/// The CSV file.
pub fn csv(servizi: &[ServizioScheda]) -> anyhow::Result<File> {
    let mut out = Vec::from("\u{feff}".as_bytes());
    {
        let mut w = csv::WriterBuilder::new()
            .delimiter(b';')
            .from_writer(&mut out);
        w.write_record(intestazione())?;
        for r in righe(servizi) {
            w.write_record(r)?;
        }
        w.flush()?;
    }
    Ok(File {
        nome: "servizi.csv".into(),
        content_type: "text/csv; charset=utf-8",
        contenuto: out,
    })
}

/// The XLSX file (one sheet, header in bold, frozen first row).
pub fn xlsx(servizi: &[ServizioScheda]) -> anyhow::Result<File> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Servizi")?;
    let bold = Format::new().set_bold();
    for (c, h) in intestazione().iter().enumerate() {
        ws.write_string_with_format(0, u16::try_from(c)?, h, &bold)?;
    }
    for (r, riga) in righe(servizi).iter().enumerate() {
        for (c, v) in riga.iter().enumerate() {
            ws.write_string(u32::try_from(r + 1)?, u16::try_from(c)?, cella_xlsx(v))?;
        }
    }
    ws.set_freeze_panes(1, 0)?;
    Ok(File {
        nome: "servizi.xlsx".into(),
        content_type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        contenuto: wb.save_to_buffer()?,
    })
}

/// A sheet of a multi-sheet export: name, header and rows (cells already text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Foglio {
    pub nome: String,
    pub intestazione: Vec<String>,
    pub righe: Vec<Vec<String>>,
}

/// One sheet as CSV (`;`, UTF-8 with BOM, cells neutralised).
pub fn csv_foglio(nome_file: &str, f: &Foglio) -> anyhow::Result<File> {
    let mut out = Vec::from("\u{feff}".as_bytes());
    {
        let mut w = csv::WriterBuilder::new()
            .delimiter(b';')
            .from_writer(&mut out);
        w.write_record(&f.intestazione)?;
        for r in &f.righe {
            w.write_record(r.iter().map(|c| cella_sicura(c)))?;
        }
        w.flush()?;
    }
    Ok(File {
        nome: nome_file.into(),
        content_type: "text/csv; charset=utf-8",
        contenuto: out,
    })
}

/// Several sheets in one XLSX file (headers in bold, first row frozen, cells neutralised).
pub fn xlsx_fogli(nome_file: &str, fogli: &[Foglio]) -> anyhow::Result<File> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    for f in fogli {
        let ws = wb.add_worksheet();
        ws.set_name(&f.nome)?;
        for (c, h) in f.intestazione.iter().enumerate() {
            ws.write_string_with_format(0, u16::try_from(c)?, h, &bold)?;
        }
        for (r, riga) in f.righe.iter().enumerate() {
            for (c, v) in riga.iter().enumerate() {
                ws.write_string(u32::try_from(r + 1)?, u16::try_from(c)?, cella_xlsx(v))?;
            }
        }
        ws.set_freeze_panes(1, 0)?;
    }
    Ok(File {
        nome: nome_file.into(),
        content_type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        contenuto: wb.save_to_buffer()?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_stored_value_exports_to_xlsx_cut_with_a_marker_when_too_long() {
        for lungo in ["x".repeat(40_018), "è".repeat(40_000), "😀".repeat(20_000)] {
            let c = cella_xlsx(&lungo);
            assert!(c.encode_utf16().count() <= CELLA_XLSX_MAX, "{}", c.len());
            assert!(c.ends_with(TAGLIO));
            let f = xlsx_fogli(
                "prova.xlsx",
                &[Foglio {
                    nome: "Prova".into(),
                    intestazione: vec!["Testo".into()],
                    righe: vec![vec![lungo.clone()]],
                }],
            )
            .expect("esportato");
            assert!(!f.contenuto.is_empty());
        }
        assert_eq!(cella_xlsx("Nido"), "Nido");
        assert_eq!(
            cella_xlsx(&"y".repeat(CELLA_XLSX_MAX)),
            "y".repeat(CELLA_XLSX_MAX)
        );
    }

    #[test]
    fn cells_that_would_start_a_formula_are_neutralised() {
        for v in ["=1+1", "+39 011", "-2", "@SUM(A1)", "\tx", "\rx"] {
            assert!(cella_sicura(v).starts_with('\''), "{v:?}");
        }
        for v in ["Nido", "12", "", "a=b"] {
            assert_eq!(cella_sicura(v), v);
        }
    }
}
