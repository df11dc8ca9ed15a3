//! Tables `campagna` and `scheda`: campaigns, their extensions, and each comune's form state
//! (block, per-comune extension). Each change and its audit entry commit together.

use super::posta::{NuovoMessaggio, ACCODA};
use super::{check_all, with_retry, Store, StoreError, REGISTRA_CHIAVE};
use serde_json::Value as Json;

const CAMPAGNA: &str = "record::id(id) AS id, stato, dati, proroghe";
const SCHEDA: &str = "stato, blocco, proroga_comune, dati, versione, ricevuta, dichiarazione, \
                      commenti, invii, segnalazioni";

/// Marker thrown when a form changed, was sent or blocked between reading and writing it.
const SCHEDA_CAMBIATA: &str = "scheda_cambiata";

/// Marker thrown when a campaign to edit is no longer a draft.
const NON_IN_BOZZA: &str = "campagna_non_in_bozza";

/// How a write to a form ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EsitoScheda {
    /// Written; for a sending, the receipt number.
    Fatto(u64),
    /// The form's version, state or block changed meanwhile.
    Cambiata,
}

impl Store {
    /// Runs `sql` (one change; `$p` holds its parameters), its audit entry and the e-mails it
    /// causes in one transaction: one attempt, statement errors checked. (No `RETURN`
    /// statement in `sql`: it would end the transaction before the audit entry.)
    #[allow(clippy::too_many_arguments)]
    async fn con_audit_una_volta(
        &self,
        sql: &str,
        parametri: &Json,
        utente: &str,
        azione: &str,
        oggetto: &str,
        dettagli: &Json,
        posta: &[NuovoMessaggio],
    ) -> Result<surrealdb::IndexedResults, StoreError> {
        let accoda = ACCODA.replace("{m}", "$posta");
        let audit = super::audit::inserisci("$audit");
        let res = self
            .db()
            .query(format!("BEGIN; {sql}; {audit}; {accoda}; COMMIT;"))
            .bind(("p", parametri.clone()))
            .bind(("posta", posta.to_vec()))
            .bind((
                "audit",
                super::audit::AuditEntry {
                    attore: Some(utente.to_owned()),
                    azione: azione.to_owned(),
                    oggetto: oggetto.to_owned(),
                    esito: "ok".into(),
                    dettagli: Some(dettagli.clone()),
                },
            ))
            .bind(("k", parametri["chiave"].clone()))
            .await?;
        check_all(res)
    }

    /// [`Self::con_audit_una_volta`], retried on write conflicts.
    #[allow(clippy::too_many_arguments)]
    async fn con_audit(
        &self,
        sql: &str,
        parametri: Json,
        utente: &str,
        azione: &str,
        oggetto: &str,
        dettagli: Json,
        posta: Vec<NuovoMessaggio>,
    ) -> Result<(), StoreError> {
        with_retry(|| async {
            self.con_audit_una_volta(sql, &parametri, utente, azione, oggetto, &dettagli, &posta)
                .await
                .map(|_| ())
        })
        .await
    }

    /// Creates a campaign in draft.
    pub async fn campagna_create(
        &self,
        id: &str,
        dati: Json,
        utente: &str,
    ) -> Result<(), StoreError> {
        self.con_audit(
            "CREATE type::record('campagna', $p.id) CONTENT { stato: 'bozza', creata: time::now(), \
             dati: $p.dati, proroghe: [] } RETURN NONE",
            serde_json::json!({ "id": id, "dati": dati }),
            utente,
            "creazione_campagna",
            &format!("campagna:{id}"),
            serde_json::json!({}),
            Vec::new(),
        )
        .await
    }

    /// Replaces a draft campaign's data, audited with the data before and after; `false` if
    /// the campaign is no longer a draft (published meanwhile).
    pub async fn campagna_aggiorna(
        &self,
        id: &str,
        dati: Json,
        prima: Json,
        utente: &str,
    ) -> Result<bool, StoreError> {
        let parametri =
            serde_json::json!({ "id": id, "dati": dati.clone(), "marcatore": NON_IN_BOZZA });
        let dettagli = serde_json::json!({ "prima": prima, "dopo": dati });
        let oggetto = format!("campagna:{id}");
        with_retry(|| async {
            let esito = self
                .con_audit_una_volta(
                    "LET $c = (SELECT stato FROM ONLY type::record('campagna', $p.id)); \
                     IF $c = NONE OR $c.stato != 'bozza' { THROW $p.marcatore }; \
                     UPDATE type::record('campagna', $p.id) SET dati = $p.dati RETURN NONE",
                    &parametri,
                    utente,
                    "modifica_campagna",
                    &oggetto,
                    &dettagli,
                    &[],
                )
                .await;
            match esito {
                Ok(_) => Ok(true),
                Err(StoreError::Db(e)) if e.message().contains(NON_IN_BOZZA) => Ok(false),
                Err(e) => Err(e),
            }
        })
        .await
    }

    /// One campaign (`id`, `stato`, `dati`, `proroghe`).
    pub async fn campagna(&self, id: &str) -> Result<Option<Json>, StoreError> {
        let mut res = self
            .db()
            .query(format!(
                "SELECT {CAMPAGNA} FROM ONLY type::record('campagna', $id)"
            ))
            .bind(("id", id.to_owned()))
            .await?;
        let v: Option<Json> = res.take(0)?;
        Ok(v.filter(|v| !v.is_null()))
    }

    /// Every campaign, most recent opening first.
    pub async fn campagne(&self) -> Result<Vec<Json>, StoreError> {
        let mut res = self
            .db()
            .query(format!(
                "SELECT {CAMPAGNA}, dati.apertura AS ordine FROM campagna ORDER BY ordine DESC"
            ))
            .await?;
        Ok(res.take(0)?)
    }

    /// Sets a campaign's state (e.g. publishes it), audited.
    pub async fn campagna_stato(
        &self,
        id: &str,
        stato: &str,
        utente: &str,
    ) -> Result<(), StoreError> {
        self.con_audit(
            "UPDATE type::record('campagna', $p.id) SET stato = $p.stato RETURN NONE",
            serde_json::json!({ "id": id, "stato": stato }),
            utente,
            &format!("campagna_{stato}"),
            &format!("campagna:{id}"),
            serde_json::json!({ "stato": stato }),
            Vec::new(),
        )
        .await
    }

    /// Appends a global extension, audited with the public notice's text; `posta` tells the
    /// comuni.
    pub async fn campagna_proroga(
        &self,
        id: &str,
        proroga: Json,
        utente: &str,
        avviso: &str,
        posta: Vec<NuovoMessaggio>,
    ) -> Result<(), StoreError> {
        self.con_audit(
            "UPDATE type::record('campagna', $p.id) SET proroghe += $p.proroga RETURN NONE",
            serde_json::json!({ "id": id, "proroga": proroga.clone() }),
            utente,
            "proroga",
            &format!("campagna:{id}"),
            serde_json::json!({ "proroga": proroga, "avviso": avviso }),
            posta,
        )
        .await
    }

    /// One comune's form state (`stato`, `blocco`, `proroga_comune`), if it exists yet.
    pub async fn scheda(&self, campagna: &str, comune: &str) -> Result<Option<Json>, StoreError> {
        let mut res = self
            .db()
            .query(format!(
                "SELECT {SCHEDA} FROM ONLY type::record('scheda', $id)"
            ))
            .bind(("id", format!("{campagna}_{comune}")))
            .await?;
        let v: Option<Json> = res.take(0)?;
        Ok(v.filter(|v| !v.is_null()))
    }

    /// Grants a comune's form its own later deadline `proroga`; the form is created as not
    /// started if it did not exist. Audited, with the e-mails `posta` in the same transaction.
    pub async fn scheda_proroga(
        &self,
        campagna: &str,
        comune: &str,
        proroga: Json,
        utente: &str,
        posta: Vec<NuovoMessaggio>,
    ) -> Result<(), StoreError> {
        let id = format!("{campagna}_{comune}");
        self.con_audit(
            "UPSERT type::record('scheda', $p.id) SET campagna = $p.campagna, comune = $p.comune, \
             stato = stato OR 'non_iniziata', aggiornata = time::now(), proroga_comune = $p.valore \
             RETURN NONE",
            serde_json::json!({ "id": id, "campagna": campagna, "comune": comune, "valore": proroga }),
            utente,
            "proroga_comune",
            &format!("scheda:{id}"),
            proroga,
            posta,
        )
        .await
    }

    /// Blocks (`Some`) or unblocks (`None`) a comune's form; a block only if the stored state is
    /// none of `non_bloccabili` (checked in the same transaction: [`EsitoScheda::Cambiata`]
    /// otherwise). `dettagli` and `posta` go with the change.
    #[allow(clippy::too_many_arguments)]
    pub async fn scheda_blocco(
        &self,
        campagna: &str,
        comune: &str,
        blocco: Option<Json>,
        non_bloccabili: &[&str],
        utente: &str,
        dettagli: Json,
        posta: Vec<NuovoMessaggio>,
    ) -> Result<EsitoScheda, StoreError> {
        let id = format!("{campagna}_{comune}");
        let (azione, set) = match blocco {
            Some(_) => ("blocco", "blocco = $p.valore"),
            None => ("sblocco", "blocco = NONE"),
        };
        self.scheda_scrivi(
            &format!(
                "LET $prima = (SELECT stato FROM ONLY type::record('scheda', $p.id)); \
                 IF $p.blocca AND $prima != NONE AND $prima.stato IN $p.non_bloccabili {{ THROW $p.marcatore }}; \
                 UPSERT type::record('scheda', $p.id) SET campagna = $p.campagna, comune = $p.comune, \
                 stato = stato OR 'non_iniziata', aggiornata = time::now(), {set} RETURN NONE"
            ),
            serde_json::json!({ "id": id, "campagna": campagna, "comune": comune,
                                "blocca": blocco.is_some(), "valore": blocco,
                                "non_bloccabili": non_bloccabili, "marcatore": SCHEDA_CAMBIATA }),
            utente,
            azione,
            &id,
            dettagli,
            3,
            posta,
        )
        .await
    }

    /// Every stored form of a campaign: `comune`, `stato`, `blocco`, `ricevuta`, `proroga_comune`.
    pub async fn schede_campagna(&self, campagna: &str) -> Result<Vec<Json>, StoreError> {
        let mut res = self
            .db()
            .query("SELECT comune, stato, blocco, ricevuta, proroga_comune FROM scheda WHERE campagna = $c")
            .bind(("c", campagna.to_owned()))
            .await?;
        Ok(res.take(0)?)
    }

    /// Every stored form of a campaign with its sent versions: `comune`, `stato`, `invii`.
    pub async fn schede_campagna_complete(&self, campagna: &str) -> Result<Vec<Json>, StoreError> {
        let mut res = self
            .db()
            .query("SELECT comune, stato, invii FROM scheda WHERE campagna = $c")
            .bind(("c", campagna.to_owned()))
            .await?;
        Ok(res.take(0)?)
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
        self.scheda_scrivi(
            "LET $prima = (SELECT stato, ricevuta FROM ONLY type::record('scheda', $p.id)); \
             IF $prima = NONE OR $prima.stato != 'inviata' { THROW $p.marcatore }; \
             UPDATE type::record('scheda', $p.id) SET stato = 'bozza', ricevuta = NONE, \
               aggiornata = time::now() RETURN NONE",
            serde_json::json!({ "id": id, "marcatore": SCHEDA_CAMBIATA }),
            utente,
            "riapertura",
            &id,
            dettagli,
            3,
            Vec::new(),
        )
        .await
    }

    /// Saves a draft if the stored version is still `versione` and the form is neither sent
    /// nor blocked; audited.
    pub async fn scheda_salva(
        &self,
        campagna: &str,
        comune: &str,
        versione: u64,
        dati: Json,
        utente: &str,
        chiave: Json,
    ) -> Result<EsitoScheda, StoreError> {
        let id = format!("{campagna}_{comune}");
        self.scheda_scrivi(
            &format!("LET $prima = (SELECT stato, versione, blocco FROM ONLY type::record('scheda', $p.id)); \
             IF ($prima.versione OR 0) != $p.versione OR $prima.stato IN ['inviata', 'accettata'] OR $prima.blocco != NONE \
               {{ THROW $p.marcatore }}; \
             UPSERT type::record('scheda', $p.id) SET campagna = $p.campagna, comune = $p.comune, \
               stato = IF $prima.stato = 'restituita' {{ 'restituita' }} ELSE {{ 'bozza' }}, dati = $p.dati, versione = $p.versione + 1, aggiornata = time::now() RETURN NONE; \
             {REGISTRA_CHIAVE}"),
            serde_json::json!({ "id": id, "campagna": campagna, "comune": comune, "versione": versione,
                                "dati": dati, "marcatore": SCHEDA_CAMBIATA, "chiave": chiave }),
            utente,
            "bozza",
            &id,
            serde_json::json!({ "versione": versione + 1 }),
            4,
            Vec::new(),
        )
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
        quando: &str,
        impronta: &str,
        importi: Option<Json>,
        utente: &str,
        chiave: Json,
    ) -> Result<EsitoScheda, StoreError> {
        let id = format!("{campagna}_{comune}");
        // Receipts are numbered by one counter per campaign: one send at a time takes a number.
        let _turno = self.turno(&format!("ricevute_{campagna}")).await;
        self.scheda_scrivi(
            &format!("LET $prima = (SELECT stato, versione, blocco FROM ONLY type::record('scheda', $p.id)); \
             IF $prima = NONE OR $prima.versione != $p.versione OR $prima.stato IN ['inviata', 'accettata'] OR $prima.blocco != NONE \
               {{ THROW $p.marcatore }}; \
             LET $numero = (UPSERT type::record('contatore', $p.contatore) SET valore = (valore OR 0) + 1 RETURN VALUE valore)[0]; \
             UPDATE type::record('scheda', $p.id) SET stato = 'inviata', aggiornata = time::now(), \
               ricevuta = {{ numero: $numero, quando: $p.quando, da: $p.utente, impronta: $p.impronta }}, \
               invii = array::append(invii OR [], {{ numero: $numero, quando: $p.quando, da: $p.utente, \
                 impronta: $p.impronta, dati: dati, importi: $p.importi }}) \
               RETURN VALUE ricevuta.numero; \
             {REGISTRA_CHIAVE}"),
            serde_json::json!({ "id": id, "versione": versione, "quando": quando, "impronta": impronta,
                                "utente": utente, "contatore": format!("ricevute_{campagna}"), "importi": importi,
                                "marcatore": SCHEDA_CAMBIATA, "chiave": chiave }),
            utente,
            "invio",
            &id,
            serde_json::json!({ "versione": versione, "impronta": impronta }),
            4,
            Vec::new(),
        )
        .await
    }

    /// The Region's decision on a sent form: `accettata` (final) or `restituita` with
    /// `commenti` (the receipt stays in the sent versions); audited with `dettagli`, the
    /// e-mails `posta` in the same transaction.
    #[allow(clippy::too_many_arguments)]
    pub async fn scheda_revisione(
        &self,
        campagna: &str,
        comune: &str,
        esito: &str,
        commenti: Json,
        utente: &str,
        dettagli: Json,
        posta: Vec<NuovoMessaggio>,
    ) -> Result<EsitoScheda, StoreError> {
        let id = format!("{campagna}_{comune}");
        self.scheda_scrivi(
            "LET $prima = (SELECT stato FROM ONLY type::record('scheda', $p.id)); \
             IF $prima = NONE OR $prima.stato != 'inviata' { THROW $p.marcatore }; \
             UPDATE type::record('scheda', $p.id) SET stato = $p.esito, commenti = $p.commenti, \
               ricevuta = IF $p.esito = 'restituita' { NONE } ELSE { ricevuta }, \
               aggiornata = time::now() RETURN NONE",
            serde_json::json!({ "id": id, "esito": esito, "commenti": commenti, "marcatore": SCHEDA_CAMBIATA }),
            utente,
            esito,
            &id,
            dettagli,
            3,
            posta,
        )
        .await
    }

    /// Files a "services not reached" request and blocks the form until the Region unlocks it,
    /// audited.
    pub async fn scheda_segnala(
        &self,
        campagna: &str,
        comune: &str,
        segnalazione: Json,
        blocco: Json,
        utente: &str,
    ) -> Result<EsitoScheda, StoreError> {
        let id = format!("{campagna}_{comune}");
        self.scheda_scrivi(
            "LET $prima = (SELECT stato FROM ONLY type::record('scheda', $p.id)); \
             IF $prima.stato IN ['inviata', 'accettata'] { THROW $p.marcatore }; \
             UPSERT type::record('scheda', $p.id) SET campagna = $p.campagna, comune = $p.comune, \
               stato = stato OR 'non_iniziata', blocco = $p.blocco, aggiornata = time::now(), \
               segnalazioni = array::append(segnalazioni OR [], $p.segnalazione) RETURN NONE",
            serde_json::json!({ "id": id, "campagna": campagna, "comune": comune, "segnalazione": segnalazione.clone(),
                                "blocco": blocco, "marcatore": SCHEDA_CAMBIATA }),
            utente,
            "segnalazione",
            &id,
            segnalazione,
            3,
            Vec::new(),
        )
        .await
    }

    /// Runs a guarded write to a form with its audit entry, retried on write conflicts;
    /// `risultato` is the index of the statement whose value is the receipt number (any value,
    /// for other writes). The guard `THROW`s [`SCHEDA_CAMBIATA`] when the form changed.
    #[allow(clippy::too_many_arguments)]
    async fn scheda_scrivi(
        &self,
        sql: &str,
        parametri: Json,
        utente: &str,
        azione: &str,
        id: &str,
        dettagli: Json,
        risultato: usize,
        posta: Vec<NuovoMessaggio>,
    ) -> Result<EsitoScheda, StoreError> {
        let oggetto = format!("scheda:{id}");
        with_retry(|| async {
            let esito = self
                .con_audit_una_volta(sql, &parametri, utente, azione, &oggetto, &dettagli, &posta)
                .await;
            match esito {
                Ok(mut res) => {
                    let n: Option<i64> = res.take(risultato)?;
                    Ok(EsitoScheda::Fatto(
                        n.and_then(|n| u64::try_from(n).ok()).unwrap_or(0),
                    ))
                }
                Err(StoreError::Db(e)) if e.message().contains(SCHEDA_CAMBIATA) => {
                    Ok(EsitoScheda::Cambiata)
                }
                Err(e) => Err(e),
            }
        })
        .await
    }
}
