//! Table `messaggio`: the outbox. A message is written by the transaction that causes it
//! ([`Transazione::accoda`]); the sender claims due messages for a while (so that two senders
//! never deliver one message twice), then records the outcome.

use super::transazione::Transazione;
use super::{Store, StoreError};
use chrono::{DateTime, Utc};
use surrealdb::types::SurrealValue;

/// A message to queue. `testo` and `html` may hold the placeholder [`SEGNAPOSTO`], replaced by
/// `segreto` (a link with its token) only when the message is delivered.
#[derive(Debug, Clone, PartialEq, Eq, SurrealValue)]
pub struct NuovoMessaggio {
    /// Record id (UUID, simple form).
    pub id: String,
    /// `<uuid@host>`, the same at every attempt.
    pub message_id: String,
    pub destinatario: String,
    pub oggetto: String,
    pub testo: String,
    pub html: String,
    pub segreto: Option<String>,
    /// `attivazione`, `reset`, `richiesta_decisa`, `disabilitazione`, `finestra_aperta`…
    pub causa: String,
    pub creato: DateTime<Utc>,
}

/// Where the link goes in a stored text.
pub const SEGNAPOSTO: &str = "{{collegamento}}";

/// A message claimed for delivery.
#[derive(Debug, Clone, SurrealValue)]
pub struct MessaggioRow {
    pub id: String,
    pub message_id: String,
    pub destinatario: String,
    pub oggetto: String,
    pub testo: String,
    pub html: String,
    pub segreto: Option<String>,
    pub causa: String,
    pub stato: String,
    pub tentativi: i64,
    pub creato: DateTime<Utc>,
    pub inviato: Option<DateTime<Utc>>,
    pub prossimo_tentativo: Option<DateTime<Utc>>,
    pub ultimo_esito: Option<String>,
}

const COLONNE: &str = "record::id(id) AS id, message_id, destinatario, oggetto, testo, html, \
     segreto, causa, stato, tentativi, creato, inviato, prossimo_tentativo, ultimo_esito";

/// How many messages of each state.
#[derive(Debug, Clone, Default, SurrealValue)]
pub struct ContiPosta {
    pub in_coda: i64,
    pub inviati: i64,
    pub falliti: i64,
}

/// The statement that queues every message of `{m}` (an array of [`NuovoMessaggio`]).
pub(crate) const ACCODA: &str = "FOR $m IN {m} { CREATE type::record('messaggio', $m.id) \
     CONTENT { message_id: $m.message_id, destinatario: $m.destinatario, oggetto: $m.oggetto, \
     testo: $m.testo, html: $m.html, segreto: $m.segreto, causa: $m.causa, stato: 'in_coda', \
     tentativi: 0, creato: $m.creato, prossimo_tentativo: $m.creato } RETURN NONE; }";

#[derive(Debug, Clone, SurrealValue)]
struct Avviso {
    id: String,
    campagna: String,
    evento: String,
    quando: DateTime<Utc>,
    destinatari: i64,
}

impl Transazione {
    /// Queues a message, due at once.
    pub fn accoda(&mut self, m: NuovoMessaggio) {
        self.accoda_tutti(vec![m]);
    }

    /// Queues messages, due at once (none: nothing is added).
    pub fn accoda_tutti(&mut self, m: Vec<NuovoMessaggio>) {
        if m.is_empty() {
            return;
        }
        let p = self.valore(m);
        self.istruzione(ACCODA.replace("{m}", &p));
    }

    /// Records that a campaign's notice (`aperta`, `promemoria_7`…) was written; a second
    /// record of the same notice fails the transaction as a duplicate.
    pub fn segna_avviso(&mut self, campagna: &str, evento: &str, quando: DateTime<Utc>, n: usize) {
        let p = self.valore(Avviso {
            id: format!("{campagna}_{evento}"),
            campagna: campagna.to_owned(),
            evento: evento.to_owned(),
            quando,
            destinatari: i64::try_from(n).unwrap_or(i64::MAX),
        });
        self.istruzione(format!(
            "CREATE type::record('avviso_campagna', {p}.id) CONTENT {{ campagna: {p}.campagna, \
               evento: {p}.evento, quando: {p}.quando, destinatari: {p}.destinatari }} RETURN NONE"
        ));
    }
}

impl Store {
    /// The notices of a campaign already written (`aperta`, `promemoria_7`…).
    pub async fn avvisi_campagna(&self, campagna: &str) -> Result<Vec<String>, StoreError> {
        let mut res = self
            .db()
            .query("SELECT VALUE evento FROM avviso_campagna WHERE campagna = $c")
            .bind(("c", campagna.to_owned()))
            .await?;
        Ok(res.take(0)?)
    }

    /// Claims up to `n` messages due at `adesso` that no sender holds, until `fino`.
    pub async fn posta_prendi(
        &self,
        adesso: DateTime<Utc>,
        fino: DateTime<Utc>,
        n: i64,
    ) -> Result<Vec<MessaggioRow>, StoreError> {
        #[derive(SurrealValue)]
        struct Dovuto {
            id: surrealdb::types::RecordId,
            #[allow(dead_code)]
            prossimo_tentativo: Option<DateTime<Utc>>,
        }
        let mut res = self
            .db()
            .query(
                "SELECT id, prossimo_tentativo FROM messaggio WHERE stato = 'in_coda' \
                   AND prossimo_tentativo <= $adesso \
                   AND (in_consegna_fino = NONE OR in_consegna_fino <= $adesso) \
                 ORDER BY prossimo_tentativo LIMIT $n",
            )
            .bind(("adesso", adesso))
            .bind(("n", n))
            .await?;
        let dovuti: Vec<Dovuto> = res.take(0)?;
        let mut presi = Vec::new();
        for Dovuto { id, .. } in dovuti {
            // Claimed only if still free: a sender that claimed it meanwhile wins.
            let preso = super::with_retry(|| async {
                let mut res = self
                    .db()
                    .query(
                        "UPDATE $id SET in_consegna_fino = $fino \
                           WHERE stato = 'in_coda' \
                           AND (in_consegna_fino = NONE OR in_consegna_fino <= $adesso) \
                         RETURN VALUE record::id(id)",
                    )
                    .bind(("id", id.clone()))
                    .bind(("fino", fino))
                    .bind(("adesso", adesso))
                    .await?;
                let v: Vec<String> = res.take(0)?;
                Ok(!v.is_empty())
            })
            .await?;
            if preso {
                let mut res = self
                    .db()
                    .query(format!("SELECT {COLONNE} FROM ONLY $id"))
                    .bind(("id", id.clone()))
                    .await?;
                let m: Option<MessaggioRow> = res.take(0)?;
                presi.extend(m);
            }
        }
        Ok(presi)
    }

    /// Records a delivery: sent, and the link it carried wiped.
    pub async fn posta_consegnato(
        &self,
        id: &str,
        quando: DateTime<Utc>,
        esito: &str,
    ) -> Result<(), StoreError> {
        self.db()
            .query(
                "UPDATE type::record('messaggio', $id) SET stato = 'inviato', inviato = $quando, \
                   tentativi += 1, segreto = NONE, in_consegna_fino = NONE, \
                   prossimo_tentativo = NONE, ultimo_esito = $esito RETURN NONE",
            )
            .bind(("id", id.to_owned()))
            .bind(("quando", quando))
            .bind(("esito", esito.to_owned()))
            .await?
            .check()?;
        Ok(())
    }

    /// Records a failed attempt: to retry at `prossimo`, or (`None`) given up, the link wiped.
    pub async fn posta_fallito(
        &self,
        id: &str,
        prossimo: Option<DateTime<Utc>>,
        esito: &str,
    ) -> Result<(), StoreError> {
        self.db()
            .query(
                "UPDATE type::record('messaggio', $id) SET tentativi += 1, ultimo_esito = $esito, \
                   in_consegna_fino = NONE, prossimo_tentativo = $prossimo, \
                   stato = IF $prossimo = NONE { 'fallito' } ELSE { 'in_coda' }, \
                   segreto = IF $prossimo = NONE { NONE } ELSE { segreto } RETURN NONE",
            )
            .bind(("id", id.to_owned()))
            .bind(("prossimo", prossimo))
            .bind(("esito", esito.to_owned()))
            .await?
            .check()?;
        Ok(())
    }

    /// Puts a failed message back in the queue (an administrator retries it); not one that
    /// carried a link, whose token was wiped when it was given up (a new link is asked).
    pub async fn posta_riprova(&self, id: &str, adesso: DateTime<Utc>) -> Result<bool, StoreError> {
        let mut res = self
            .db()
            .query(
                "UPDATE type::record('messaggio', $id) SET stato = 'in_coda', \
                   prossimo_tentativo = $adesso \
                 WHERE stato = 'fallito' AND !string::contains(testo, $segnaposto) \
                 RETURN VALUE record::id(id)",
            )
            .bind(("id", id.to_owned()))
            .bind(("adesso", adesso))
            .bind(("segnaposto", SEGNAPOSTO))
            .await?;
        let v: Vec<String> = res.take(0)?;
        Ok(!v.is_empty())
    }

    /// The newest messages (at most 200), of one state or all, with the counts.
    pub async fn posta_elenco(
        &self,
        stato: Option<&str>,
    ) -> Result<(ContiPosta, Vec<MessaggioRow>), StoreError> {
        let mut res = self
            .db()
            .query(format!(
                "RETURN {{ in_coda: array::len(SELECT VALUE id FROM messaggio WHERE stato = 'in_coda'), \
                   inviati: array::len(SELECT VALUE id FROM messaggio WHERE stato = 'inviato'), \
                   falliti: array::len(SELECT VALUE id FROM messaggio WHERE stato = 'fallito') }}; \
                 SELECT {COLONNE} FROM messaggio WHERE $stato = NONE OR stato = $stato \
                 ORDER BY creato DESC LIMIT 200"
            ))
            .bind(("stato", stato.map(str::to_owned)))
            .await?;
        let conti: Option<ContiPosta> = res.take(0)?;
        let righe: Vec<MessaggioRow> = res.take(1)?;
        Ok((conti.unwrap_or_default(), righe))
    }

    /// Every message to `destinatario`, oldest first (tests and the administrator's search).
    pub async fn posta_per(&self, destinatario: &str) -> Result<Vec<MessaggioRow>, StoreError> {
        let mut res = self
            .db()
            .query(format!(
                "SELECT {COLONNE} FROM messaggio WHERE destinatario = $d ORDER BY creato"
            ))
            .bind(("d", destinatario.to_owned()))
            .await?;
        Ok(res.take(0)?)
    }
}
