//! Table `campagna`: campaigns and their global extensions, read into `shared`'s
//! [`Campagna`]; and the audited write every change to a campaign or a form goes through (the
//! change, its audit entry and the e-mails it causes commit together). The forms are in
//! [`super::schede`].

use super::posta::{NuovoMessaggio, ACCODA};
use super::{with_retry, Store, StoreError};
use serde::Deserialize;
use serde_json::Value as Json;
use shared::campagna::{Campagna, CampagnaDati, Proroga, StatoCampagna};

const CAMPAGNA: &str = "record::id(id) AS id, stato, dati, proroghe";
/// Marker thrown when a campaign to edit is no longer a draft.
const NON_IN_BOZZA: &str = "campagna_non_in_bozza";

/// A campaign as stored (serde reads the nested `shared` types, which the SurrealDB derive
/// cannot: `shared` knows nothing of the database).
#[derive(Deserialize)]
struct CampagnaRow {
    id: String,
    stato: StatoCampagna,
    dati: CampagnaDati,
    #[serde(default, deserialize_with = "super::vuoto")]
    proroghe: Vec<Proroga>,
}

impl CampagnaRow {
    fn leggi(v: Json) -> Result<Campagna, StoreError> {
        let r: CampagnaRow =
            serde_json::from_value(v).map_err(|e| StoreError::Corrupt(format!("campagna: {e}")))?;
        Ok(Campagna::nuova(r.id, r.stato, r.dati, r.proroghe))
    }
}

/// One audited change: its statements (`$p` their parameters, `$k` the idempotency key they
/// record, `$esito` set by the statement whose value the change returns), the audit entry and
/// the e-mails that go with it.
pub(super) struct Modifica<'a> {
    pub sql: &'a str,
    pub parametri: Json,
    pub chiave: Option<&'a super::ChiaveScritta>,
    pub utente: &'a str,
    pub azione: &'a str,
    pub oggetto: String,
    pub dettagli: Json,
    pub posta: Vec<NuovoMessaggio>,
    /// The change touches campaigns or comuni: the transaction also bumps the reference data's
    /// generation ([`super::RIFERIMENTI_PIU_UNO`]), so every process's cache reloads them.
    pub riferimenti: bool,
}

impl Store {
    /// Runs `m` in one transaction, once: its statements, its audit entry, its e-mails; every
    /// statement's error checked; the value the statements left in `$esito` (`None` if they set
    /// none), taken from the `RETURN` after the commit. (No `RETURN` in `m.sql`: it would end
    /// the transaction before the audit entry.)
    pub(super) async fn modifica_una_volta(
        &self,
        m: &Modifica<'_>,
    ) -> Result<Option<i64>, StoreError> {
        // Only the statements this write needs: the text is parsed at every call.
        let accoda = if m.posta.is_empty() {
            String::new()
        } else {
            format!("{};", ACCODA.replace("{m}", "$posta"))
        };
        let generazione = if m.riferimenti {
            format!("{};", super::RIFERIMENTI_PIU_UNO)
        } else {
            String::new()
        };
        let audit = super::audit::inserisci("$audit");
        let res = self
            .db()
            .query(format!(
                "BEGIN; {}; {generazione} {audit}; {accoda} COMMIT; RETURN $esito;",
                m.sql
            ))
            .bind(("p", m.parametri.clone()))
            .bind(("posta", m.posta.clone()))
            .bind((
                "audit",
                super::audit::AuditEntry::riuscita(
                    m.utente,
                    m.azione,
                    &m.oggetto,
                    m.dettagli.clone(),
                ),
            ))
            .bind(("k", m.chiave.cloned().unwrap_or_default()))
            .await?;
        let mut res = super::check_all(res)?;
        let ultimo = res.num_statements().saturating_sub(1);
        Ok(res.take(ultimo)?)
    }

    /// [`Self::modifica_una_volta`], retried on write conflicts.
    pub(super) async fn modifica(&self, m: Modifica<'_>) -> Result<(), StoreError> {
        with_retry(|| async { self.modifica_una_volta(&m).await.map(|_| ()) }).await
    }

    /// Creates a campaign in draft.
    pub async fn campagna_crea(
        &self,
        id: &str,
        dati: &CampagnaDati,
        utente: &str,
    ) -> Result<(), StoreError> {
        self.modifica(Modifica {
            sql: "CREATE type::record('campagna', $p.id) CONTENT { stato: 'bozza', \
                  creata: time::now(), dati: $p.dati, proroghe: [] } RETURN NONE",
            parametri: serde_json::json!({ "id": id, "dati": dati }),
            chiave: None,
            utente,
            azione: "creazione_campagna",
            oggetto: format!("campagna:{id}"),
            dettagli: serde_json::json!({}),
            posta: Vec::new(),
            riferimenti: true,
        })
        .await
    }

    /// Replaces a draft campaign's data, audited with the data before and after; `false` if
    /// the campaign is no longer a draft (published meanwhile).
    pub async fn campagna_aggiorna(
        &self,
        id: &str,
        dati: &CampagnaDati,
        prima: &CampagnaDati,
        utente: &str,
    ) -> Result<bool, StoreError> {
        let m = Modifica {
            sql: "LET $c = (SELECT stato FROM ONLY type::record('campagna', $p.id)); \
                  IF $c = NONE OR $c.stato != 'bozza' { THROW $p.marcatore }; \
                  UPDATE type::record('campagna', $p.id) SET dati = $p.dati RETURN NONE",
            parametri: serde_json::json!({ "id": id, "dati": dati, "marcatore": NON_IN_BOZZA }),
            chiave: None,
            utente,
            azione: "modifica_campagna",
            oggetto: format!("campagna:{id}"),
            dettagli: serde_json::json!({ "prima": prima, "dopo": dati }),
            posta: Vec::new(),
            riferimenti: true,
        };
        with_retry(|| async {
            match self.modifica_una_volta(&m).await {
                Ok(_) => Ok(true),
                Err(StoreError::Db(e)) if e.message().contains(NON_IN_BOZZA) => Ok(false),
                Err(e) => Err(e),
            }
        })
        .await
    }

    /// One campaign.
    pub async fn campagna(&self, id: &str) -> Result<Option<Campagna>, StoreError> {
        let mut res = self
            .db()
            .query(format!(
                "SELECT {CAMPAGNA} FROM ONLY type::record('campagna', $id)"
            ))
            .bind(("id", id.to_owned()))
            .await?;
        let v: Option<Json> = res.take(0)?;
        v.filter(|v| !v.is_null())
            .map(CampagnaRow::leggi)
            .transpose()
    }

    /// Every campaign, most recent opening first.
    pub async fn campagne(&self) -> Result<Vec<Campagna>, StoreError> {
        let mut res = self
            .db()
            .query(format!(
                "SELECT {CAMPAGNA}, dati.apertura AS ordine FROM campagna ORDER BY ordine DESC"
            ))
            .await?;
        let righe: Vec<Json> = res.take(0)?;
        righe.into_iter().map(CampagnaRow::leggi).collect()
    }

    /// Sets a campaign's state (e.g. publishes it), audited.
    pub async fn campagna_stato(
        &self,
        id: &str,
        stato: StatoCampagna,
        utente: &str,
    ) -> Result<(), StoreError> {
        self.modifica(Modifica {
            sql: "UPDATE type::record('campagna', $p.id) SET stato = $p.stato RETURN NONE",
            parametri: serde_json::json!({ "id": id, "stato": stato }),
            chiave: None,
            utente,
            azione: &format!("campagna_{}", stato.code()),
            oggetto: format!("campagna:{id}"),
            dettagli: serde_json::json!({ "stato": stato }),
            posta: Vec::new(),
            riferimenti: true,
        })
        .await
    }

    /// Appends a global extension, audited with the public notice's text; `posta` tells the
    /// comuni.
    pub async fn campagna_proroga(
        &self,
        id: &str,
        proroga: &Proroga,
        utente: &str,
        avviso: &str,
        posta: Vec<NuovoMessaggio>,
    ) -> Result<(), StoreError> {
        self.modifica(Modifica {
            sql: "UPDATE type::record('campagna', $p.id) SET proroghe += $p.proroga RETURN NONE",
            parametri: serde_json::json!({ "id": id, "proroga": proroga }),
            chiave: None,
            utente,
            azione: "proroga",
            oggetto: format!("campagna:{id}"),
            dettagli: serde_json::json!({ "proroga": proroga, "avviso": avviso }),
            posta,
            riferimenti: true,
        })
        .await
    }
}
