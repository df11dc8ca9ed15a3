//! The preliminary declaration of a comune's form and the registry changes it causes (services
//! ceased or suspended), written in one transaction: either every service changes, each with
//! its audit entry, and the declaration is recorded, or nothing is.

use super::audit::AuditEntry;
use super::servizi::{generazione_da, testo_ricerca, GENERAZIONE_PIU_UNO, VERSIONE_SUPERATA};
use super::transazione::Transazione;
use super::{Store, StoreError};
use shared::campagna::DichiarazioneForm;
use shared::servizio::{Modifica, ServizioDati};

/// Marker thrown when the form already holds a declaration.
const GIA_DICHIARATA: &str = "dichiarazione_gia_presente";

/// One service's change caused by the declaration, checked by the registry's rules.
#[derive(Debug, Clone)]
pub struct CambioServizio {
    pub id: String,
    /// The version the change is based on.
    pub versione: u64,
    pub dati: ServizioDati,
    pub comune_nome: String,
    /// The fields changed, for the service's history.
    pub modifiche: Vec<Modifica>,
}

/// How recording a declaration ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EsitoDichiarazione {
    /// Recorded: the registry's generation after each service's change, in order.
    Fatta(Vec<u64>),
    /// A service changed after it was read (nothing written).
    ServizioCambiato,
    /// The form was declared meanwhile (nothing written).
    GiaDichiarata,
}

impl Store {
    /// Records `dichiarazione` on the form of `comune` in `campagna` with the registry changes
    /// `cambi`, each applied only on its version, in one transaction with every audit entry.
    pub async fn dichiarazione_registra(
        &self,
        campagna: &str,
        comune: &str,
        cambi: &[CambioServizio],
        dichiarazione: &DichiarazioneForm,
        utente: &str,
    ) -> Result<EsitoDichiarazione, StoreError> {
        let mut tx = Transazione::new();
        let mut generazioni = Vec::with_capacity(cambi.len());
        for (i, c) in cambi.iter().enumerate() {
            let dati =
                serde_json::to_value(&c.dati).map_err(|e| StoreError::Corrupt(e.to_string()))?;
            let (id, versione) = (tx.valore(c.id.clone()), tx.valore(c.versione));
            let (dati, chi) = (tx.valore(dati), tx.valore(utente.to_owned()));
            let ricerca = tx.valore(testo_ricerca(&c.dati, &c.comune_nome));
            tx.istruzione(format!(
                "LET $nuova{i} = (UPDATE type::record('servizio', {id}) SET dati = {dati}, \
                 versione = versione + 1, aggiornato = time::now(), aggiornato_da = {chi}, \
                 ricerca = {ricerca} WHERE versione = {versione} RETURN VALUE versione)"
            ));
            tx.istruzione(format!(
                "IF array::len($nuova{i}) = 0 {{ THROW '{VERSIONE_SUPERATA}' }}"
            ));
            tx.audit(AuditEntry::riuscita(
                utente,
                "modifica",
                &format!("servizio:{}", c.id),
                serde_json::json!({
                    "versione": c.versione + 1,
                    "modifiche": c.modifiche,
                }),
            ));
            tx.istruzione(GENERAZIONE_PIU_UNO.trim_end_matches(';'));
            generazioni.push(tx.len());
        }
        let id = format!("{campagna}_{comune}");
        let (rid, cp, cm) = (
            tx.valore(id.clone()),
            tx.valore(campagna.to_owned()),
            tx.valore(comune.to_owned()),
        );
        let dichiarazione =
            serde_json::to_value(dichiarazione).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let valore = tx.valore(dichiarazione.clone());
        tx.istruzione(format!(
            "LET $prima = (SELECT dichiarazione FROM ONLY type::record('scheda', {rid}))"
        ));
        tx.istruzione(format!(
            "IF $prima != NONE AND $prima.dichiarazione != NONE {{ THROW '{GIA_DICHIARATA}' }}"
        ));
        tx.istruzione(format!(
            "UPSERT type::record('scheda', {rid}) SET campagna = {cp}, comune = {cm}, \
             stato = stato OR 'non_iniziata', aggiornata = time::now(), dichiarazione = {valore} \
             RETURN NONE"
        ));
        tx.audit(AuditEntry::riuscita(
            utente,
            "dichiarazione",
            &format!("scheda:{id}"),
            dichiarazione,
        ));
        match tx.esegui_con_riprova(self).await {
            Ok(mut res) => {
                let fatte = generazioni
                    .into_iter()
                    .map(|indice| generazione_da(&mut res, indice))
                    .collect::<Result<_, _>>()?;
                Ok(EsitoDichiarazione::Fatta(fatte))
            }
            Err(StoreError::Db(e)) if e.message().contains(VERSIONE_SUPERATA) => {
                Ok(EsitoDichiarazione::ServizioCambiato)
            }
            Err(StoreError::Db(e)) if e.message().contains(GIA_DICHIARATA) => {
                Ok(EsitoDichiarazione::GiaDichiarata)
            }
            Err(e) => Err(e),
        }
    }
}
