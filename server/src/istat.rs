//! Reads ISTAT's "Elenco dei comuni italiani" (semicolon-separated, UTF-8, ISTAT's own column
//! names) into comune cards. Columns are found by name, so a re-ordered release still reads.
//! The list bundled with the app is in `server/resources/` (Fonte: ISTAT, CC BY).

use shared::comune::{CodiceIstat, Comune};

/// The list bundled with this release.
pub const ELENCO_COMUNI: &str = include_str!("../resources/istat-elenco-comuni.csv");

/// Why a list could not be read.
#[derive(Debug, thiserror::Error)]
pub enum IstatError {
    /// A required column is missing from the header.
    #[error("colonna mancante nell'elenco ISTAT: «{0}»")]
    MissingColumn(&'static str),
    /// A row is malformed.
    #[error("riga {line}: {reason}")]
    BadRow {
        /// 1-based line of the record in the file.
        line: u64,
        /// What is wrong.
        reason: String,
    },
    /// The CSV itself is malformed.
    #[error("file non leggibile: {0}")]
    Csv(#[from] csv::Error),
}

/// Column headers (prefixes: ISTAT's headers carry notes and line breaks).
const COL_REGIONE: &str = "Codice Regione";
const COL_CODICE: &str = "Codice Comune formato alfanumerico";
const COL_NOME: &str = "Denominazione in italiano";
const COL_NOME_REGIONE: &str = "Denominazione Regione";
const COL_PROVINCIA: &str = "Denominazione dell'Unità territoriale sovracomunale";
const COL_SIGLA: &str = "Sigla automobilistica";
const COL_CATASTALE: &str = "Codice Catastale del comune";
const COL_CAPOLUOGO: &str = "Flag Comune capoluogo";

/// Parses the whole list. Every comune comes back `attivo`.
pub fn parse(text: &str) -> Result<Vec<Comune>, IstatError> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .flexible(false)
        .from_reader(text.as_bytes());
    let headers = reader.headers()?.clone();
    let col = |name: &'static str| {
        headers
            .iter()
            .position(|h| h.trim_start_matches('\u{feff}').starts_with(name))
            .ok_or(IstatError::MissingColumn(name))
    };
    let (i_reg, i_cod, i_nome, i_nreg, i_prov, i_sigla, i_cat, i_cap) = (
        col(COL_REGIONE)?,
        col(COL_CODICE)?,
        col(COL_NOME)?,
        col(COL_NOME_REGIONE)?,
        col(COL_PROVINCIA)?,
        col(COL_SIGLA)?,
        col(COL_CATASTALE)?,
        col(COL_CAPOLUOGO)?,
    );
    let mut out = Vec::with_capacity(8_000);
    for record in reader.records() {
        let record = record?;
        let line = record.position().map_or(0, |p| p.line());
        let bad = |reason: String| IstatError::BadRow { line, reason };
        let field = |i: usize| record.get(i).unwrap_or("").trim().to_owned();
        let codice = CodiceIstat::parse(&field(i_cod))
            .map_err(|_| bad(format!("codice ISTAT non valido «{}»", field(i_cod))))?;
        let codice_regione = field(i_reg);
        if codice_regione.len() != 2 || !codice_regione.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad(format!("codice regione non valido «{codice_regione}»")));
        }
        let nome = field(i_nome);
        if nome.is_empty() {
            return Err(bad("denominazione mancante".into()));
        }
        out.push(Comune {
            codice: codice.to_string(),
            nome,
            codice_regione,
            regione: field(i_nreg),
            provincia: field(i_prov),
            sigla_provincia: field(i_sigla),
            codice_catastale: field(i_cat),
            capoluogo: field(i_cap) == "1",
            attivo: true,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_list_has_every_italian_comune_and_piemonte_has_1180() {
        let comuni = parse(ELENCO_COMUNI).unwrap();
        assert_eq!(comuni.len(), 7_896);
        assert_eq!(
            comuni.iter().filter(|c| c.codice_regione == "01").count(),
            1_180
        );
        let torino = comuni.iter().find(|c| c.codice == "001272").unwrap();
        assert_eq!(torino.nome, "Torino");
        assert_eq!(torino.sigla_provincia, "TO");
        assert_eq!(torino.codice_catastale, "L219");
        assert!(torino.capoluogo);
        let alba = comuni.iter().find(|c| c.codice == "004003").unwrap();
        assert_eq!(
            (alba.nome.as_str(), alba.provincia.as_str()),
            ("Alba", "Cuneo")
        );
        assert!(!alba.capoluogo);
        let mut codes: Vec<&str> = comuni.iter().map(|c| c.codice.as_str()).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), 7_896, "codes are unique");
    }

    const HEADER: &str = "Codice Regione;Codice Comune formato alfanumerico;Denominazione in italiano;Denominazione Regione;\"Denominazione dell'Unità territoriale sovracomunale \n(valida a fini statistici)\";Sigla automobilistica;Codice Catastale del comune;Flag Comune capoluogo di provincia\n";

    #[test]
    fn malformed_rows_are_reported_with_their_line() {
        let cases = [
            (
                "01;1272;Torino;Piemonte;Torino;TO;L219;1\n",
                "codice ISTAT",
                "short code",
            ),
            (
                "1;001272;Torino;Piemonte;Torino;TO;L219;1\n",
                "codice regione",
                "short region",
            ),
            (
                "01;001272;;Piemonte;Torino;TO;L219;1\n",
                "denominazione",
                "no name",
            ),
        ];
        for (row, expected, why) in cases {
            let err = parse(&format!("{HEADER}{row}")).unwrap_err();
            let text = err.to_string();
            assert!(text.contains(expected), "{why}: {text}");
            assert!(text.starts_with("riga 3"), "{why}: {text}");
        }
    }

    #[test]
    fn a_list_without_a_required_column_is_refused() {
        let err = parse("Codice Regione;Altro\n01;x\n").unwrap_err();
        assert!(matches!(err, IstatError::MissingColumn(COL_CODICE)));
    }
}
