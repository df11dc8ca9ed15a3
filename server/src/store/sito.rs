//! Record `impostazioni:sito`: the footer's and the accessibility statement's settings the
//! Region edits ([`ImpostazioniSito`]), stored as one document.

use super::{check_all, with_retry, Store, StoreError};
use serde_json::Value as Json;
use shared::sito::ImpostazioniSito;

impl Store {
    /// The saved settings, if the Region ever saved them.
    pub async fn sito(&self) -> Result<Option<ImpostazioniSito>, StoreError> {
        let mut res = self
            .db()
            .query("SELECT VALUE valore FROM ONLY impostazioni:sito")
            .await?;
        let valore: Option<Json> = res.take(0)?;
        valore
            .filter(|v| !v.is_null())
            .map(|v| {
                serde_json::from_value(v).map_err(|e| StoreError::Corrupt(format!("sito: {e}")))
            })
            .transpose()
    }

    /// Replaces the settings and appends the audit entry (who, and which fields changed), in
    /// one transaction.
    pub async fn sito_salva(
        &self,
        nuove: &ImpostazioniSito,
        cambiati: &[String],
        utente: &str,
    ) -> Result<(), StoreError> {
        let valore = serde_json::to_value(nuove).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        with_retry(|| async {
            let res = self
                .db()
                .query(
                    "BEGIN; \
                     UPSERT impostazioni:sito CONTENT { valore: $valore, aggiornato: time::now(), \
                       da: $utente } RETURN NONE; \
                     CREATE audit CONTENT { quando: time::now(), attore: $utente, \
                       azione: 'impostazioni_sito', oggetto: 'impostazioni:sito', esito: 'ok', \
                       dettagli: { campi: $campi } } RETURN NONE; \
                     COMMIT;",
                )
                .bind(("valore", valore.clone()))
                .bind(("utente", utente.to_owned()))
                .bind(("campi", cambiati.to_vec()))
                .await?;
            check_all(res).map(|_| ())
        })
        .await
    }
}
