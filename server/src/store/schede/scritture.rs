//! The writes to a comune's form: each guarded by what the form must still be, each with its
//! audit entry (and, where it says so, its e-mails and idempotency key) in one transaction.

use super::{corrotta, EsitoScheda, SCHEDA_CAMBIATA};
use crate::store::campagne::Modifica;
use crate::store::posta::NuovoMessaggio;
use crate::store::{with_retry, ChiaveScritta, Store, StoreError, REGISTRA_CHIAVE};
use chrono::{DateTime, Utc};
use serde_json::Value as Json;
use shared::campagna::{Blocco, Commento, DatiScheda, Proroga, Segnalazione, StatoScheda};
use shared::fondi_inviati::ImportiInviati;

/// A guarded write to form `id` (`{campagna}_{comune}`).
struct ScritturaScheda<'a> {
    sql: &'a str,
    parametri: Json,
    chiave: Option<&'a ChiaveScritta>,
    azione: &'a str,
    id: &'a str,
    dettagli: Json,
    posta: Vec<NuovoMessaggio>,
}

impl Store {
    /// Grants a comune's form its own later deadline `proroga`; the form is created as not
    /// started if it did not exist. Audited, with the e-mails `posta` in the same transaction.
    pub async fn scheda_proroga(
        &self,
        campagna: &str,
        comune: &str,
        proroga: &Proroga,
        utente: &str,
        posta: Vec<NuovoMessaggio>,
    ) -> Result<(), StoreError> {
        let id = format!("{campagna}_{comune}");
        let m = Modifica {
            sql: "UPSERT type::record('scheda', $p.id) SET campagna = $p.campagna, comune = $p.comune, \
                  stato = stato OR 'non_iniziata', aggiornata = time::now(), proroga_comune = $p.valore \
                  RETURN NONE",
            parametri: serde_json::json!({ "id": id, "campagna": campagna, "comune": comune, "valore": proroga }),
            chiave: None,
            utente,
            azione: "proroga_comune",
            oggetto: format!("scheda:{id}"),
            dettagli: serde_json::to_value(proroga).map_err(corrotta)?,
            posta,
            riferimenti: false,
        };
        self.modifica(m).await
    }

    /// Blocks (`Some`) or unblocks (`None`) a comune's form; a block only if the stored state is
    /// not closed ([`StatoScheda::chiuse`], checked in the same
    /// transaction: [`EsitoScheda::Cambiata`] otherwise). `dettagli` and `posta` go with the
    /// change.
    pub async fn scheda_blocco(
        &self,
        campagna: &str,
        comune: &str,
        blocco: Option<&Blocco>,
        utente: &str,
        dettagli: Json,
        posta: Vec<NuovoMessaggio>,
    ) -> Result<EsitoScheda, StoreError> {
        let id = format!("{campagna}_{comune}");
        let (azione, set) = match blocco {
            Some(_) => ("blocco", "blocco = $p.valore"),
            None => ("sblocco", "blocco = NONE"),
        };
        let sql = format!(
            "LET $prima = (SELECT stato FROM ONLY type::record('scheda', $p.id)); \
             IF $p.blocca AND $prima != NONE AND $prima.stato IN $p.chiuse {{ THROW $p.marcatore }}; \
             UPSERT type::record('scheda', $p.id) SET campagna = $p.campagna, comune = $p.comune, \
             stato = stato OR 'non_iniziata', aggiornata = time::now(), {set} RETURN NONE"
        );
        self.scheda_scrivi(
            ScritturaScheda {
                sql: &sql,
                parametri: serde_json::json!({ "id": id, "campagna": campagna, "comune": comune,
                                "blocca": blocco.is_some(), "valore": blocco,
                                "chiuse": StatoScheda::chiuse(),
                                "marcatore": SCHEDA_CAMBIATA }),
                chiave: None,
                azione,
                id: &id,
                dettagli,
                posta,
            },
            utente,
        )
        .await
    }

    /// Reopens a sent form: back to draft without its receipt; `dettagli` (the reason and the
    /// cancelled receipt) go to the audit entry.
    pub async fn scheda_riapri(
        &self,
        campagna: &str,
        comune: &str,
        utente: &str,
        dettagli: Json,
    ) -> Result<EsitoScheda, StoreError> {
        let id = format!("{campagna}_{comune}");
        self.scheda_scrivi(ScritturaScheda {
            sql: "LET $prima = (SELECT stato, ricevuta FROM ONLY type::record('scheda', $p.id)); \
                  IF $prima = NONE OR $prima.stato != 'inviata' { THROW $p.marcatore }; \
                  UPDATE type::record('scheda', $p.id) SET stato = 'bozza', ricevuta = NONE, \
                    aggiornata = time::now() RETURN NONE",
            parametri: serde_json::json!({ "id": id, "marcatore": SCHEDA_CAMBIATA }),
            chiave: None,
            azione: "riapertura",
            id: &id,
            dettagli,
            posta: Vec::new(),
        }, utente)
        .await
    }

    /// Saves a draft if the stored version is still `versione` and the form is neither sent
    /// nor blocked; audited, recording the key `chiave`.
    pub async fn scheda_salva(
        &self,
        campagna: &str,
        comune: &str,
        versione: u64,
        dati: &DatiScheda,
        utente: &str,
        chiave: &ChiaveScritta,
    ) -> Result<EsitoScheda, StoreError> {
        let id = format!("{campagna}_{comune}");
        let sql = format!("LET $prima = (SELECT stato, versione, blocco FROM ONLY type::record('scheda', $p.id)); \
             IF ($prima.versione OR 0) != $p.versione OR $prima.stato IN $p.chiuse OR $prima.blocco != NONE \
               {{ THROW $p.marcatore }}; \
             UPSERT type::record('scheda', $p.id) SET campagna = $p.campagna, comune = $p.comune, \
               stato = IF $prima.stato = 'restituita' {{ 'restituita' }} ELSE {{ 'bozza' }}, dati = $p.dati, versione = $p.versione + 1, aggiornata = time::now() RETURN NONE; \
             {REGISTRA_CHIAVE}");
        self.scheda_scrivi(ScritturaScheda {
            sql: &sql,
            parametri: serde_json::json!({ "id": id, "campagna": campagna, "comune": comune, "versione": versione,
                                "dati": dati, "chiuse": StatoScheda::chiuse(), "marcatore": SCHEDA_CAMBIATA }),
            chiave: Some(chiave),
            azione: "bozza",
            id: &id,
            dettagli: serde_json::json!({ "versione": versione + 1 }),
            posta: Vec::new(),
        }, utente)
        .await
    }

    /// Sends the form as saved at `versione`: the next receipt number of the campaign, the
    /// receipt, state `inviata`, the sent version (the data as saved and, for a funds form,
    /// `importi`: its amounts as read when sending) and the audit entry, in one transaction.
    #[allow(clippy::too_many_arguments)]
    pub async fn scheda_invia(
        &self,
        campagna: &str,
        comune: &str,
        versione: u64,
        quando: DateTime<Utc>,
        impronta: &str,
        importi: Option<&ImportiInviati>,
        utente: &str,
        chiave: &ChiaveScritta,
    ) -> Result<EsitoScheda, StoreError> {
        let id = format!("{campagna}_{comune}");
        // Receipts are numbered by one counter per campaign: one send at a time takes a number.
        let _turno = self.turno(&format!("ricevute_{campagna}")).await;
        let sql = format!("LET $prima = (SELECT stato, versione, blocco FROM ONLY type::record('scheda', $p.id)); \
             IF $prima = NONE OR $prima.versione != $p.versione OR $prima.stato IN $p.chiuse OR $prima.blocco != NONE \
               {{ THROW $p.marcatore }}; \
             LET $esito = (UPSERT type::record('contatore', $p.contatore) SET valore = (valore OR 0) + 1 RETURN VALUE valore)[0]; \
             UPDATE type::record('scheda', $p.id) SET stato = 'inviata', aggiornata = time::now(), \
               ricevuta = {{ numero: $esito, quando: $p.quando, da: $p.utente, impronta: $p.impronta }}, \
               invii = array::append(invii OR [], {{ numero: $esito, quando: $p.quando, da: $p.utente, \
                 impronta: $p.impronta, dati: dati, importi: $p.importi }}) \
               RETURN NONE; \
             {REGISTRA_CHIAVE}");
        self.scheda_scrivi(ScritturaScheda {
            sql: &sql,
            parametri: serde_json::json!({ "id": id, "versione": versione, "quando": quando.to_rfc3339(), "impronta": impronta,
                                "utente": utente, "contatore": format!("ricevute_{campagna}"), "importi": importi,
                                "chiuse": StatoScheda::chiuse(),
                                "marcatore": SCHEDA_CAMBIATA }),
            chiave: Some(chiave),
            azione: "invio",
            id: &id,
            dettagli: serde_json::json!({ "versione": versione, "impronta": impronta }),
            posta: Vec::new(),
        }, utente)
        .await
    }

    /// The Region's decision on a sent form: `esito` [`StatoScheda::Accettata`] (final) or
    /// [`StatoScheda::Restituita`] with `commenti` (the receipt stays in the sent versions);
    /// audited with `dettagli`, the e-mails `posta` in the same transaction.
    #[allow(clippy::too_many_arguments)]
    pub async fn scheda_revisione(
        &self,
        campagna: &str,
        comune: &str,
        esito: StatoScheda,
        commenti: &[Commento],
        utente: &str,
        dettagli: Json,
        posta: Vec<NuovoMessaggio>,
    ) -> Result<EsitoScheda, StoreError> {
        let id = format!("{campagna}_{comune}");
        self.scheda_scrivi(ScritturaScheda {
            sql: "LET $prima = (SELECT stato FROM ONLY type::record('scheda', $p.id)); \
                  IF $prima = NONE OR $prima.stato != 'inviata' { THROW $p.marcatore }; \
                  UPDATE type::record('scheda', $p.id) SET stato = $p.esito, commenti = $p.commenti, \
                    ricevuta = IF $p.esito = 'restituita' { NONE } ELSE { ricevuta }, \
                    aggiornata = time::now() RETURN NONE",
            parametri: serde_json::json!({ "id": id, "esito": esito, "commenti": commenti, "marcatore": SCHEDA_CAMBIATA }),
            chiave: None,
            azione: esito.code(),
            id: &id,
            dettagli,
            posta,
        }, utente)
        .await
    }

    /// Files a "services not reached" request and blocks the form with `blocco` until the
    /// Region unlocks it, audited.
    pub async fn scheda_segnala(
        &self,
        campagna: &str,
        comune: &str,
        segnalazione: &Segnalazione,
        blocco: &Blocco,
        utente: &str,
    ) -> Result<EsitoScheda, StoreError> {
        let id = format!("{campagna}_{comune}");
        self.scheda_scrivi(ScritturaScheda {
            sql: "LET $prima = (SELECT stato FROM ONLY type::record('scheda', $p.id)); \
                  IF $prima.stato IN $p.chiuse { THROW $p.marcatore }; \
                  UPSERT type::record('scheda', $p.id) SET campagna = $p.campagna, comune = $p.comune, \
                    stato = stato OR 'non_iniziata', blocco = $p.blocco, aggiornata = time::now(), \
                    segnalazioni = array::append(segnalazioni OR [], $p.segnalazione) RETURN NONE",
            parametri: serde_json::json!({ "id": id, "campagna": campagna, "comune": comune, "segnalazione": segnalazione,
                                "blocco": blocco, "chiuse": StatoScheda::chiuse(), "marcatore": SCHEDA_CAMBIATA }),
            chiave: None,
            azione: "segnalazione",
            id: &id,
            dettagli: serde_json::to_value(segnalazione).map_err(corrotta)?,
            posta: Vec::new(),
        }, utente)
        .await
    }

    /// Runs a guarded write to a form with its audit entry, retried on write conflicts; the
    /// receipt number is what the write left in `$esito` (0 for writes that set none).
    async fn scheda_scrivi(
        &self,
        w: ScritturaScheda<'_>,
        utente: &str,
    ) -> Result<EsitoScheda, StoreError> {
        let m = Modifica {
            sql: w.sql,
            parametri: w.parametri,
            chiave: w.chiave,
            utente,
            azione: w.azione,
            oggetto: format!("scheda:{}", w.id),
            dettagli: w.dettagli,
            posta: w.posta,
            riferimenti: false,
        };
        with_retry(|| async {
            match self.modifica_una_volta(&m).await {
                Ok(n) => Ok(EsitoScheda::Fatto(
                    n.and_then(|n| u64::try_from(n).ok()).unwrap_or(0),
                )),
                Err(StoreError::Db(e)) if e.message().contains(SCHEDA_CAMBIATA) => {
                    Ok(EsitoScheda::Cambiata)
                }
                Err(e) => Err(e),
            }
        })
        .await
    }
}
