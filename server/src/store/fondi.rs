//! Table `riparto`: the amounts allocated to each comune per funding year and source.

use super::audit::{inserisci, AuditEntry};
use super::{check_all, with_retry, Store, StoreError};
use surrealdb::types::SurrealValue;

/// One comune's amount from one source in a year's allocation.
#[derive(Debug, Clone, PartialEq, Eq, SurrealValue)]
pub struct VoceRiparto {
    /// ISTAT code.
    pub comune: String,
    /// `statale` or `regionale`.
    pub fonte: String,
    /// Cents.
    pub importo: i64,
}

/// A row to write: its record id and the comune's amount.
#[derive(Debug, Clone, SurrealValue)]
struct NuovaRiga {
    id: String,
    comune: String,
    importo: i64,
}

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
        let righe: Vec<NuovaRiga> = righe
            .iter()
            .map(|(c, i)| NuovaRiga {
                id: format!("{annualita}_{fonte}_{c}"),
                comune: c.clone(),
                importo: *i,
            })
            .collect();
        let totale: i64 = righe.iter().map(|r| r.importo).sum();
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
                    AuditEntry::riuscita(utente, "riparto", &format!("riparto:{annualita}_{fonte}"), serde_json::json!({ "righe": righe.len(), "totale": totale })),
                ))
                .await?;
            check_all(res).map(|_| ())
        })
        .await
    }

    /// The allocation of `annualita` (of one comune, or all), by comune.
    pub async fn riparto(
        &self,
        annualita: u16,
        comune: Option<&str>,
    ) -> Result<Vec<VoceRiparto>, StoreError> {
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
        Ok(res.take(0)?)
    }
}
