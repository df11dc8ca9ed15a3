//! The list of services: its filters (checked, normalised, written as a query string) and
//! its pages.

use super::*;

/// Filters of the list of services (query string of `GET /api/v1/servizi`); all optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct FiltroServizi {
    /// Province abbreviation (`TO`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provincia: Option<String>,
    /// ISTAT code of the comune.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comune: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tipo: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stato: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub titolarita: Option<String>,
    /// Free text: name, owner, address or comune.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub q: Option<String>,
    /// 1-based page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
}

/// Rows per page of the list.
pub const PER_PAGINA: u32 = 25;

/// One page of services.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct PaginaServizi {
    pub voci: Vec<ServizioRiga>,
    /// Services matching the filters, on all pages.
    pub totale: u64,
    /// 1-based.
    pub pagina: u32,
    pub per_pagina: u32,
}

impl PaginaServizi {
    /// Number of pages (at least 1).
    pub fn pagine(&self) -> u32 {
        let per = u64::from(self.per_pagina.max(1));
        u32::try_from(self.totale.div_ceil(per).max(1)).unwrap_or(u32::MAX)
    }
}

impl FiltroServizi {
    /// The filters checked and normalized: empty values dropped, codes known, province
    /// upper case, text trimmed and lower-cased, page ≥ 1. 422 naming the bad filter otherwise.
    pub fn normalizzato(&self) -> Result<FiltroServizi, crate::ApiError> {
        use crate::error::FieldError;
        let pulito = |v: &Option<String>| {
            v.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
        };
        let mut errori = Vec::new();
        let mut male = |campo: &str, msg: &str| {
            errori.push(FieldError::new(campo, &format!("filtro.{campo}"), msg));
        };
        let provincia = pulito(&self.provincia).map(|p| p.to_uppercase());
        if provincia
            .as_deref()
            .is_some_and(|p| p.len() != 2 || !p.bytes().all(|b| b.is_ascii_uppercase()))
        {
            male(
                "provincia",
                "La provincia si indica con la sigla di 2 lettere (es. TO).",
            );
        }
        let comune = pulito(&self.comune);
        if comune
            .as_deref()
            .is_some_and(|c| crate::comune::CodiceIstat::parse(c).is_err())
        {
            male(
                "comune",
                "Il codice ISTAT del comune è formato da 6 cifre (es. 001272).",
            );
        }
        let tipo = pulito(&self.tipo);
        if tipo
            .as_deref()
            .is_some_and(|t| TipoServizio::from_code(t).is_none())
        {
            male("tipo", "Tipologia di servizio sconosciuta.");
        }
        let stato = pulito(&self.stato);
        if stato
            .as_deref()
            .is_some_and(|t| StatoServizio::from_code(t).is_none())
        {
            male("stato", "Stato sconosciuto: attivo, sospeso o cessato.");
        }
        let titolarita = pulito(&self.titolarita);
        if titolarita
            .as_deref()
            .is_some_and(|t| Titolarita::from_code(t).is_none())
        {
            male("titolarita", "Titolarità sconosciuta: pubblica o privata.");
        }
        let q = pulito(&self.q).map(|q| q.to_lowercase());
        if q.as_deref()
            .is_some_and(|q| q.chars().count() > 100 || q.chars().any(crate::text::nascosto))
        {
            male(
                "q",
                "Il testo da cercare ha al massimo 100 caratteri, senza a capo.",
            );
        }
        let page = self.page.unwrap_or(1);
        if !(1..=100_000).contains(&page) {
            male("page", "La pagina va da 1 in su.");
        }
        if !errori.is_empty() {
            return Err(crate::ApiError::Validation { fields: errori });
        }
        Ok(FiltroServizi {
            provincia,
            comune,
            tipo,
            stato,
            titolarita,
            q,
            page: Some(page),
        })
    }

    /// The query string for these filters (`provincia=TO&q=…`), without `?`.
    pub fn query_string(&self) -> String {
        let mut parti = Vec::new();
        let campi = [
            ("provincia", &self.provincia),
            ("comune", &self.comune),
            ("tipo", &self.tipo),
            ("stato", &self.stato),
            ("titolarita", &self.titolarita),
            ("q", &self.q),
        ];
        for (nome, valore) in campi {
            if let Some(v) = valore.as_deref().filter(|v| !v.is_empty()) {
                parti.push(format!("{nome}={}", codifica_url(v)));
            }
        }
        if let Some(p) = self.page.filter(|p| *p > 1) {
            parti.push(format!("page={p}"));
        }
        parti.join("&")
    }
}

/// Percent-encodes a query value (RFC 3986 unreserved characters kept).
pub fn codifica_url(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    for b in v.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
