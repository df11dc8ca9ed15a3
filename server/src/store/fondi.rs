//! Table `riparto`: the amounts allocated to each comune per funding year and source.

use super::audit::{inserisci, AuditEntry};
use super::{check_all, with_retry, Store, StoreError};
use serde_json::Value as Json;

impl Store {
    /// Replaces the allocation of `annualita` and `fonte` with `righe` (ISTAT code, cents) and
    /// writes the audit entry (rows and total), in one transaction.
    pub async fn riparto_importa(
        &self,
        annualita: u16,
        fonte: &str,
        righe: &[(String, i64)],
        utente: &str,
    ) -> Result<(), StoreError> {
        let righe: Vec<Json> = righe
            .iter()
            .map(|(c, i)| {
                serde_json::json!({ "id": format!("{annualita}_{fonte}_{c}"), "comune": c, "importo": i })
            })
            .collect();
        let totale: i64 = righe.iter().filter_map(|r| r["importo"].as_i64()).sum();
        let audit = inserisci("$voce");
        with_retry(|| async {
            let res = self
                .db()
                .query(format!(
                    "BEGIN; \
                     DELETE riparto WHERE annualita = $annualita AND fonte = $fonte; \
                     FOR $r IN $righe {{ \
                       CREATE type::record('riparto', $r.id) CONTENT {{ annualita: $annualita, fonte: $fonte, \
                         comune: $r.comune, importo: $r.importo, aggiornato: time::now() }} RETURN NONE; \
                     }}; \
                     {audit}; \
                     COMMIT;"
                ))
                .bind(("annualita", annualita))
                .bind(("fonte", fonte.to_owned()))
                .bind(("righe", righe.clone()))
                .bind((
                    "voce",
                    AuditEntry {
                        attore: Some(utente.to_owned()),
                        azione: "riparto".into(),
                        oggetto: format!("riparto:{annualita}_{fonte}"),
                        esito: "ok".into(),
                        dettagli: Some(serde_json::json!({ "righe": righe.len(), "totale": totale })),
                    },
                ))
                .await?;
            check_all(res).map(|_| ())
        })
        .await
    }

    /// The allocation of `annualita`: rows `{comune, fonte, importo}`, by comune.
    pub async fn riparto(
        &self,
        annualita: u16,
        comune: Option<&str>,
    ) -> Result<Vec<(String, String, i64)>, StoreError> {
        let filtro = if comune.is_some() {
            "AND comune = $comune"
        } else {
            ""
        };
        let mut res = self
            .db()
            .query(format!(
                "SELECT comune, fonte, importo FROM riparto WHERE annualita = $annualita {filtro} ORDER BY comune"
            ))
            .bind(("annualita", annualita))
            .bind(("comune", comune.unwrap_or_default().to_owned()))
            .await?;
        let rows: Vec<Json> = res.take(0)?;
        Ok(rows
            .into_iter()
            .map(|r| {
                (
                    r["comune"].as_str().unwrap_or_default().to_owned(),
                    r["fonte"].as_str().unwrap_or_default().to_owned(),
                    r["importo"].as_i64().unwrap_or_default(),
                )
            })
            .collect())
    }
}
