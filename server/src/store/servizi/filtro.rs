//! The registry's filters as a query: the WHERE clause and its bound parameters.

use super::*;

/// Filters already checked by the service layer (codes known, text lower-cased).
#[derive(Debug, Clone, Default)]
pub struct Filtro {
    pub codice_regione: String,
    pub comune: Option<String>,
    pub provincia: Option<String>,
    pub tipo: Option<String>,
    pub stato: Option<String>,
    pub titolarita: Option<String>,
    pub q: Option<String>,
}

impl Filtro {
    /// The same filters as the API's query (`page` set).
    pub fn come_query(&self, pagina: u32) -> FiltroServizi {
        FiltroServizi {
            provincia: self.provincia.clone(),
            comune: self.comune.clone(),
            tipo: self.tipo.clone(),
            stato: self.stato.clone(),
            titolarita: self.titolarita.clone(),
            q: self.q.clone(),
            page: Some(pagina),
        }
    }

    /// The WHERE clause (fixed text; every value is a bound parameter).
    pub(super) fn clausola(&self) -> String {
        let mut w = vec!["codice_regione = $f.codice_regione"];
        if self.comune.is_some() {
            w.push("comune = $f.comune");
        }
        if self.provincia.is_some() {
            w.push("sigla_provincia = $f.provincia");
        }
        if self.tipo.is_some() {
            w.push("dati.tipo = $f.tipo");
        }
        if self.stato.is_some() {
            w.push("dati.stato = $f.stato");
        }
        if self.titolarita.is_some() {
            w.push("dati.titolarita = $f.titolarita");
        }
        if self.q.is_some() {
            w.push("string::contains(ricerca, $f.q)");
        }
        w.join(" AND ")
    }

    pub(super) fn parametri(&self) -> Json {
        serde_json::json!({
            "codice_regione": self.codice_regione,
            "comune": self.comune,
            "provincia": self.provincia,
            "tipo": self.tipo,
            "stato": self.stato,
            "titolarita": self.titolarita,
            "q": self.q,
        })
    }
}
