//! Record `impostazioni:sito`: the footer's and the accessibility statement's settings the
//! Region edits ([`ImpostazioniSito`]), stored as one document.

use super::audit::AuditEntry;
use super::transazione::Transazione;
use super::{Store, StoreError};
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
        let mut tx = Transazione::new();
        let (v, u) = (tx.valore(valore), tx.valore(utente.to_owned()));
        tx.istruzione(format!(
            "UPSERT impostazioni:sito CONTENT {{ valore: {v}, aggiornato: time::now(), da: {u} }} \
             RETURN NONE"
        ));
        tx.audit(AuditEntry::riuscita(
            utente,
            "impostazioni_sito",
            "impostazioni:sito",
            serde_json::json!({ "campi": cambiati }),
        ));
        tx.esegui_con_riprova(self).await.map(|_| ())
    }
}
