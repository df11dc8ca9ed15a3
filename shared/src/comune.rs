//! Comuni: the ISTAT code and the comune card shown to users.

use crate::error::{ApiError, FieldError};
use serde::{Deserialize, Serialize};

/// A comune's 6-digit ISTAT code (`001272` is Torino): 3 digits of province, 3 of progressive.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(try_from = "String", into = "String")]
pub struct CodiceIstat(String);

impl CodiceIstat {
    /// Checks the format: exactly six ASCII digits, not all zero.
    pub fn parse(raw: &str) -> Result<Self, ApiError> {
        let value = raw.trim();
        if value.len() == 6 && value.bytes().all(|b| b.is_ascii_digit()) && value != "000000" {
            Ok(Self(value.to_owned()))
        } else {
            Err(ApiError::Validation {
                fields: vec![FieldError::new(
                    "codice_istat",
                    "codice_istat.formato",
                    "Il codice ISTAT del comune è formato da 6 cifre (es. 001272).",
                )],
            })
        }
    }

    /// The code as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The 3-digit province part (historic province code).
    pub fn provincia(&self) -> &str {
        &self.0[..3]
    }
}

impl TryFrom<String> for CodiceIstat {
    type Error = ApiError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<CodiceIstat> for String {
    fn from(value: CodiceIstat) -> Self {
        value.0
    }
}

impl std::fmt::Display for CodiceIstat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A short reference to a comune: code and name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct ComuneRef {
    /// ISTAT code.
    pub codice: String,
    /// Italian name.
    pub nome: String,
}

/// A comune's card from the ISTAT list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct Comune {
    /// ISTAT code.
    pub codice: String,
    /// Italian name.
    pub nome: String,
    /// Region code (`01` Piemonte).
    pub codice_regione: String,
    /// Region name.
    pub regione: String,
    /// Province (or metropolitan city) name.
    pub provincia: String,
    /// Car-plate abbreviation of the province (`TO`).
    pub sigla_provincia: String,
    /// Cadastral code (`L219`).
    pub codice_catastale: String,
    /// Whether it is the capital of its province.
    pub capoluogo: bool,
    /// False once the comune no longer appears in the ISTAT list (merged).
    pub attivo: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn istat_codes_are_six_digits() {
        let refused = [
            ("", "empty"),
            ("1272", "too short"),
            ("0012720", "too long"),
            ("00127a", "letter"),
            ("001 72", "inner space"),
            ("000000", "all zeros"),
            ("００１２７２", "full-width digits"),
        ];
        for (raw, why) in refused {
            let err = CodiceIstat::parse(raw).unwrap_err();
            assert_eq!(err.fields()[0].rule, "codice_istat.formato", "{why}");
        }
        let torino = CodiceIstat::parse(" 001272 ").unwrap();
        assert_eq!(torino.as_str(), "001272");
        assert_eq!(torino.provincia(), "001");
    }

    #[test]
    fn istat_codes_deserialize_only_when_valid() {
        assert!(serde_json::from_str::<CodiceIstat>("\"004003\"").is_ok());
        assert!(serde_json::from_str::<CodiceIstat>("\"4003\"").is_err());
    }
}
