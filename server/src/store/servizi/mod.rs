//! Table `servizio`: the registry of services. Each write and its audit entry commit together;
//! an edit applies only on the version it was based on.

use super::audit::{inserisci, AuditEntry};
use super::{check_all, with_retry, Store, StoreError, REGISTRA_CHIAVE};
use serde_json::Value as Json;
use shared::servizio::{
    FiltroServizi, Modifica, ServizioDati, ServizioRiga, ServizioScheda, PER_PAGINA,
};

mod filtro;
mod scritture;

pub use filtro::*;

/// Where a service is, as stored next to its data.
#[derive(Debug, Clone)]
pub struct Collocazione {
    pub comune: String,
    pub comune_nome: String,
    pub sigla_provincia: String,
    pub codice_regione: String,
}

/// How an edit ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EsitoModifica {
    /// Applied: the new version and the registry's new generation.
    Fatto { versione: u64, generazione: u64 },
    /// The stored version is not the one the edit was based on.
    VersioneSuperata,
}

const SCHEDA: &str =
    "record::id(id) AS id, versione, { codice: comune, nome: comune_nome } AS comune, \
     sigla_provincia, <string> creato AS creato, <string> aggiornato AS aggiornato, dati";
const RIGA: &str = "record::id(id) AS id, dati.denominazione AS denominazione, dati.tipo AS tipo, \
     dati.titolarita AS titolarita, dati.stato AS stato, dati.posti_autorizzati AS posti_autorizzati, \
     { codice: comune, nome: comune_nome } AS comune, comune_nome, sigla_provincia, versione";
/// Bumps the registry's generation (inside a write transaction) and returns it.
pub(super) const GENERAZIONE_PIU_UNO: &str =
    "UPSERT contatore:servizi SET valore = (valore OR 0) + 1 RETURN VALUE valore;";

/// The generation returned by the statement at `indice`.
pub(super) fn generazione_da(
    res: &mut surrealdb::IndexedResults,
    indice: usize,
) -> Result<u64, StoreError> {
    let v: Vec<i64> = res.take(indice)?;
    v.first()
        .and_then(|g| u64::try_from(*g).ok())
        .ok_or_else(|| StoreError::Corrupt("generazione del registro assente".into()))
}

/// Marker thrown when the version check fails inside the edit transaction.
pub(super) const VERSIONE_SUPERATA: &str = "versione_superata";

fn corrupt(e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(e.to_string())
}

fn json<T: serde::Serialize>(v: &T) -> Result<Json, StoreError> {
    serde_json::to_value(v).map_err(corrupt)
}

fn from_json<T: serde::de::DeserializeOwned>(v: Json) -> Result<T, StoreError> {
    serde_json::from_value(v).map_err(corrupt)
}

/// The lower-case text the free-text filter searches.
pub fn testo_ricerca(d: &ServizioDati, comune_nome: &str) -> String {
    [
        d.denominazione.as_str(),
        d.titolare_denominazione.as_str(),
        d.indirizzo.as_str(),
        comune_nome,
    ]
    .join(" \u{1f} ")
    .to_lowercase()
}

impl Store {
    /// One service.
    pub async fn servizio(&self, id: &str) -> Result<Option<ServizioScheda>, StoreError> {
        let mut res = self
            .db()
            .query(format!(
                "SELECT {SCHEDA} FROM ONLY type::record('servizio', $id)"
            ))
            .bind(("id", id.to_owned()))
            .await?;
        let row: Option<Json> = res.take(0)?;
        row.filter(|v| !v.is_null()).map(from_json).transpose()
    }

    /// One page of services matching `f`, ordered by comune and name, and the total.
    pub async fn servizi_cerca(
        &self,
        f: &Filtro,
        pagina: u32,
    ) -> Result<(Vec<ServizioRiga>, u64), StoreError> {
        let clausola = f.clausola();
        let mut res = self
            .db()
            .query(format!(
                "SELECT {RIGA} FROM servizio WHERE {clausola} \
                 ORDER BY comune_nome, denominazione LIMIT $limite START $inizio; \
                 SELECT count() AS n FROM servizio WHERE {clausola} GROUP ALL;"
            ))
            .bind(("f", f.parametri()))
            .bind(("limite", PER_PAGINA))
            .bind((
                "inizio",
                pagina.saturating_sub(1).saturating_mul(PER_PAGINA),
            ))
            .await?;
        let righe: Vec<Json> = res.take(0)?;
        let totale: Option<Json> = res.take(1)?;
        let totale = totale
            .and_then(|t| t.get("n").and_then(Json::as_u64))
            .unwrap_or(0);
        let righe = righe.into_iter().map(from_json).collect::<Result<_, _>>()?;
        Ok((righe, totale))
    }

    /// Every service matching `f` with its data (for exports), in list order.
    pub async fn servizi_tutti(&self, f: &Filtro) -> Result<Vec<ServizioScheda>, StoreError> {
        let mut res = self
            .db()
            .query(format!(
                "SELECT {SCHEDA}, comune_nome, dati.denominazione AS denominazione FROM servizio \
                 WHERE {} ORDER BY comune_nome, denominazione",
                f.clausola()
            ))
            .bind(("f", f.parametri()))
            .await?;
        let righe: Vec<Json> = res.take(0)?;
        righe.into_iter().map(from_json).collect()
    }

    /// The services of one comune, by name.
    pub async fn servizi_del_comune(&self, comune: &str) -> Result<Vec<ServizioRiga>, StoreError> {
        let mut res = self
            .db()
            .query(format!(
                "SELECT {RIGA} FROM servizio WHERE comune = $comune ORDER BY denominazione"
            ))
            .bind(("comune", comune.to_owned()))
            .await?;
        let righe: Vec<Json> = res.take(0)?;
        righe.into_iter().map(from_json).collect()
    }

    /// The registry's generation: it changes with every write to a service.
    pub async fn servizi_generazione(&self) -> Result<u64, StoreError> {
        let mut res = self
            .db()
            .query("RETURN (SELECT VALUE valore FROM ONLY contatore:servizi) OR 0")
            .await?;
        let g: Option<i64> = res.take(0)?;
        Ok(g.and_then(|g| u64::try_from(g).ok()).unwrap_or(0))
    }

    /// Every service of a Region as list rows, with the text the free-text filter searches.
    pub async fn servizi_righe_regione(
        &self,
        codice_regione: &str,
    ) -> Result<Vec<(ServizioRiga, String)>, StoreError> {
        let mut res = self
            .db()
            .query(format!(
                "SELECT {RIGA}, ricerca FROM servizio WHERE codice_regione = $regione"
            ))
            .bind(("regione", codice_regione.to_owned()))
            .await?;
        let righe: Vec<Json> = res.take(0)?;
        righe
            .into_iter()
            .map(|mut r| {
                let ricerca = r["ricerca"].as_str().unwrap_or_default().to_owned();
                if let Some(o) = r.as_object_mut() {
                    o.remove("ricerca");
                }
                Ok((from_json(r)?, ricerca))
            })
            .collect()
    }

    /// How many services are stored (all Regions).
    pub async fn servizi_count(&self) -> Result<u64, StoreError> {
        let mut res = self
            .db()
            .query("SELECT count() AS n FROM servizio GROUP ALL")
            .await?;
        let n: Option<Json> = res.take(0)?;
        Ok(n.and_then(|t| t.get("n").and_then(Json::as_u64))
            .unwrap_or(0))
    }
}
