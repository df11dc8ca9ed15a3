//! Table `comune`: the ISTAT list, keyed by ISTAT code.

use super::{check_all, with_retry, Store, StoreError};
use shared::comune::Comune;
// `Value` is named by the `SurrealValue` derive's expansion of `flatten`.
use surrealdb::types::{RecordId, SurrealValue, Value};

/// A comune to insert, with its record id.
#[derive(Debug, Clone, SurrealValue)]
struct ComuneInsert {
    id: RecordId,
    #[surreal(flatten)]
    row: ComuneRow,
    aggiornato: chrono::DateTime<chrono::Utc>,
}

/// A stored comune.
#[derive(Debug, Clone, PartialEq, Eq, SurrealValue)]
pub struct ComuneRow {
    pub codice: String,
    pub nome: String,
    pub codice_regione: String,
    pub regione: String,
    pub provincia: String,
    pub sigla_provincia: String,
    pub codice_catastale: String,
    pub capoluogo: bool,
    pub attivo: bool,
}

impl From<Comune> for ComuneRow {
    fn from(c: Comune) -> Self {
        Self {
            codice: c.codice,
            nome: c.nome,
            codice_regione: c.codice_regione,
            regione: c.regione,
            provincia: c.provincia,
            sigla_provincia: c.sigla_provincia,
            codice_catastale: c.codice_catastale,
            capoluogo: c.capoluogo,
            attivo: c.attivo,
        }
    }
}

impl From<ComuneRow> for Comune {
    fn from(c: ComuneRow) -> Self {
        Self {
            codice: c.codice,
            nome: c.nome,
            codice_regione: c.codice_regione,
            regione: c.regione,
            provincia: c.provincia,
            sigla_provincia: c.sigla_provincia,
            codice_catastale: c.codice_catastale,
            capoluogo: c.capoluogo,
            attivo: c.attivo,
        }
    }
}

const FIELDS: &str = "codice, nome, codice_regione, regione, provincia, sigla_provincia, \
                      codice_catastale, capoluogo, attivo";

impl Store {
    /// Every stored comune, active or not.
    pub async fn comuni_all(&self) -> Result<Vec<ComuneRow>, StoreError> {
        let mut res = self
            .db()
            .query(format!("SELECT {FIELDS} FROM comune"))
            .await?;
        Ok(res.take(0)?)
    }

    /// The active comuni of a Region, by province and name, whole rows.
    pub async fn comuni_righe_regione(
        &self,
        codice_regione: &str,
    ) -> Result<Vec<ComuneRow>, StoreError> {
        let mut res = self
            .db()
            .query(format!(
                "SELECT {FIELDS} FROM comune WHERE codice_regione = $regione AND attivo = true \
                 ORDER BY sigla_provincia, nome"
            ))
            .bind(("regione", codice_regione.to_owned()))
            .await?;
        Ok(res.take(0)?)
    }

    /// One comune by ISTAT code.
    pub async fn comune(&self, codice: &str) -> Result<Option<ComuneRow>, StoreError> {
        let mut res = self
            .db()
            .query(format!(
                "SELECT {FIELDS} FROM ONLY type::record('comune', $codice)"
            ))
            .bind(("codice", codice.to_owned()))
            .await?;
        Ok(res.take(0)?)
    }

    /// The active comuni of a Region, by name (code and name only).
    pub async fn comuni_della_regione(
        &self,
        codice_regione: &str,
    ) -> Result<Vec<shared::comune::ComuneRef>, StoreError> {
        let mut res = self
            .db()
            .query(
                "SELECT codice, nome FROM comune WHERE codice_regione = $regione \
                 AND attivo = true ORDER BY nome",
            )
            .bind(("regione", codice_regione.to_owned()))
            .await?;
        let rows: Vec<serde_json::Value> = res.take(0)?;
        rows.into_iter()
            .map(|r| serde_json::from_value(r).map_err(|e| StoreError::Corrupt(e.to_string())))
            .collect()
    }

    /// How many active comuni a Region has.
    pub async fn comuni_count_in_regione(&self, codice_regione: &str) -> Result<i64, StoreError> {
        let mut res = self
            .db()
            .query(
                "RETURN count(SELECT VALUE codice FROM comune \
                 WHERE codice_regione = $regione AND attivo = true)",
            )
            .bind(("regione", codice_regione.to_owned()))
            .await?;
        let n: Option<i64> = res.take(0)?;
        Ok(n.unwrap_or(0))
    }

    /// Inserts comuni not stored yet, in one statement (much faster than one upsert each:
    /// the first start loads 7,896). Fails if any already exists.
    pub async fn comuni_insert(
        &self,
        rows: Vec<ComuneRow>,
        adesso: chrono::DateTime<chrono::Utc>,
    ) -> Result<(), StoreError> {
        let rows: Vec<ComuneInsert> = rows
            .into_iter()
            .map(|row| ComuneInsert {
                id: RecordId::new("comune", row.codice.as_str()),
                row,
                aggiornato: adesso,
            })
            .collect();
        let res = self
            .db()
            .query(format!(
                "BEGIN; INSERT INTO comune $rows RETURN NONE; {}; COMMIT;",
                super::RIFERIMENTI_PIU_UNO
            ))
            .bind(("rows", rows))
            .await?;
        check_all(res)?;
        Ok(())
    }

    /// Writes (creates or replaces) these comuni in one transaction.
    pub async fn comuni_upsert(&self, rows: Vec<ComuneRow>) -> Result<(), StoreError> {
        with_retry(|| async {
            let res = self
                .db()
                .query(
                    [
                        "BEGIN TRANSACTION; \
                     FOR $c IN $rows { \
                       UPSERT type::record('comune', $c.codice) CONTENT { \
                         codice: $c.codice, nome: $c.nome, codice_regione: $c.codice_regione, \
                         regione: $c.regione, provincia: $c.provincia, \
                         sigla_provincia: $c.sigla_provincia, codice_catastale: $c.codice_catastale, \
                         capoluogo: $c.capoluogo, attivo: $c.attivo, aggiornato: time::now() \
                       } RETURN NONE; \
                     };",
                        super::RIFERIMENTI_PIU_UNO,
                        "; COMMIT TRANSACTION;",
                    ]
                    .concat(),
                )
                .bind(("rows", rows.clone()))
                .await?;
            check_all(res)?;
            Ok(())
        })
        .await
    }
}
