//! Table `scheda`: each comune's form in a campaign (state, block, own extension, the values
//! saved, the receipt and the sent versions, the declaration, the Region's comments, the
//! comune's requests), read into typed rows with the values in the campaign's kind. Every write
//! is guarded (it `THROW`s [`SCHEDA_CAMBIATA`] when the form changed meanwhile) and commits
//! with its audit entry ([`scritture`]).

mod scritture;

use super::{vuoto, Store, StoreError};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::Value as Json;
use shared::campagna::{
    Blocco, Commento, DatiScheda, DichiarazioneForm, Proroga, Ricevuta, Segnalazione, StatoScheda,
    TipoCampagna,
};
use shared::fondi_inviati::ImportiInviati;

const SCHEDA: &str = "comune, stato, blocco, proroga_comune, dati, versione, ricevuta, \
                      dichiarazione, commenti, invii, segnalazioni";

/// Marker thrown when a form changed, was sent or blocked between reading and writing it.
const SCHEDA_CAMBIATA: &str = "scheda_cambiata";

/// The database's generation counters, as read in one snapshot: any change to the reference
/// data (campaigns, comuni) or to the registry moves one of them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
pub struct Generazioni {
    pub riferimenti: u64,
    pub servizi: u64,
}

/// How a write to a form ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EsitoScheda {
    /// Written; for a sending, the receipt number.
    Fatto(u64),
    /// The form's version, state or block changed meanwhile.
    Cambiata,
}

/// A comune's stored form.
#[derive(Debug, Clone, PartialEq)]
pub struct SchedaSalvata {
    pub comune: String,
    /// As stored (a block is apart: see [`StatoScheda::mostrato`]).
    pub stato: StatoScheda,
    pub blocco: Option<Blocco>,
    pub proroga_comune: Option<Proroga>,
    /// The values last saved, in the campaign's kind.
    pub dati: Option<DatiScheda>,
    /// 0: never saved.
    pub versione: u64,
    pub ricevuta: Option<Ricevuta>,
    pub dichiarazione: Option<DichiarazioneForm>,
    pub commenti: Vec<Commento>,
    /// The sent versions, oldest first.
    pub invii: Vec<InvioSalvato>,
    pub segnalazioni: Vec<Segnalazione>,
}

impl SchedaSalvata {
    /// The form of `comune` before anything is stored: not started, never saved.
    pub fn nuova(comune: &str) -> Self {
        SchedaSalvata {
            comune: comune.to_owned(),
            stato: StatoScheda::NonIniziata,
            blocco: None,
            proroga_comune: None,
            dati: None,
            versione: 0,
            ricevuta: None,
            dichiarazione: None,
            commenti: Vec::new(),
            invii: Vec::new(),
            segnalazioni: Vec::new(),
        }
    }
}

/// One sent version of a form.
#[derive(Debug, Clone, PartialEq)]
pub struct InvioSalvato {
    pub numero: u64,
    pub quando: DateTime<Utc>,
    pub da: String,
    pub impronta: String,
    pub dati: DatiScheda,
    /// A funds form's amounts as read when it was sent (`None`: a children-attending form).
    pub importi: Option<ImportiInviati>,
}

/// A form's state without its values: the Region's overview and the reminders read it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct SchedaInBreve {
    pub comune: String,
    pub stato: StatoScheda,
    pub blocco: Option<Blocco>,
    pub ricevuta: Option<Ricevuta>,
    pub proroga_comune: Option<Proroga>,
}

/// A form as stored, its values still to be read in the campaign's kind.
#[derive(Deserialize)]
struct SchedaRow {
    comune: String,
    stato: StatoScheda,
    blocco: Option<Blocco>,
    proroga_comune: Option<Proroga>,
    dati: Option<Json>,
    #[serde(default, deserialize_with = "vuoto")]
    versione: u64,
    ricevuta: Option<Ricevuta>,
    dichiarazione: Option<DichiarazioneForm>,
    #[serde(default, deserialize_with = "vuoto")]
    commenti: Vec<Commento>,
    #[serde(default, deserialize_with = "vuoto")]
    invii: Vec<InvioRow>,
    #[serde(default, deserialize_with = "vuoto")]
    segnalazioni: Vec<Segnalazione>,
}

#[derive(Deserialize)]
struct InvioRow {
    numero: u64,
    quando: DateTime<Utc>,
    da: String,
    impronta: String,
    dati: Json,
    importi: Option<ImportiInviati>,
}

fn corrotta(v: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("scheda: {v}"))
}

impl SchedaRow {
    /// The row of a `tipo` campaign: its values read as that kind's form.
    fn leggi(v: Json, tipo: TipoCampagna) -> Result<SchedaSalvata, StoreError> {
        let r: SchedaRow = serde_json::from_value(v).map_err(corrotta)?;
        let dati = |v: Json| DatiScheda::da_json(tipo, v).map_err(corrotta);
        Ok(SchedaSalvata {
            dati: r.dati.filter(|d| !d.is_null()).map(dati).transpose()?,
            invii: r
                .invii
                .into_iter()
                .map(|i| {
                    Ok(InvioSalvato {
                        numero: i.numero,
                        quando: i.quando,
                        da: i.da,
                        impronta: i.impronta,
                        dati: dati(i.dati)?,
                        importi: i.importi,
                    })
                })
                .collect::<Result<_, StoreError>>()?,
            comune: r.comune,
            stato: r.stato,
            blocco: r.blocco,
            proroga_comune: r.proroga_comune,
            versione: r.versione,
            ricevuta: r.ricevuta,
            dichiarazione: r.dichiarazione,
            commenti: r.commenti,
            segnalazioni: r.segnalazioni,
        })
    }
}

impl Store {
    /// One comune's form in a `tipo` campaign, if it exists yet.
    pub async fn scheda(
        &self,
        campagna: &str,
        comune: &str,
        tipo: TipoCampagna,
    ) -> Result<Option<SchedaSalvata>, StoreError> {
        let mut res = self
            .db()
            .query(format!(
                "SELECT {SCHEDA} FROM ONLY type::record('scheda', $id)"
            ))
            .bind(("id", format!("{campagna}_{comune}")))
            .await?;
        let v: Option<Json> = res.take(0)?;
        v.filter(|v| !v.is_null())
            .map(|v| SchedaRow::leggi(v, tipo))
            .transpose()
    }

    /// The generations of the reference data and of the registry, and comune `comune`'s form
    /// in campaign `campagna` as stored (its values to be read in the campaign's kind with
    /// [`Store::scheda_nel_tipo`]): one statement (one snapshot), what a form's request reads
    /// from the database when the reference data are cached.
    pub async fn generazioni_e_scheda(
        &self,
        campagna: &str,
        comune: &str,
    ) -> Result<(Generazioni, Option<Json>), StoreError> {
        let mut res = self
            .db()
            .query(format!(
                "RETURN [\
                   {{ riferimenti: (SELECT VALUE valore FROM ONLY contatore:riferimenti) OR 0, \
                     servizi: (SELECT VALUE valore FROM ONLY contatore:servizi) OR 0 }}, \
                   (SELECT {SCHEDA} FROM ONLY type::record('scheda', $id))]"
            ))
            .bind(("id", format!("{campagna}_{comune}")))
            .await?;
        let mut v: Vec<Json> = res.take(0)?;
        if v.len() != 2 {
            return Err(corrotta(format!("generazioni e scheda: {v:?}")));
        }
        let riga = v.pop().filter(|r| !r.is_null());
        let g: Generazioni =
            serde_json::from_value(v.pop().unwrap_or_default()).map_err(corrotta)?;
        Ok((g, riga))
    }

    /// A form as [`Store::generazioni_e_scheda`] read it, in a `tipo` campaign.
    pub fn scheda_nel_tipo(v: Json, tipo: TipoCampagna) -> Result<SchedaSalvata, StoreError> {
        SchedaRow::leggi(v, tipo)
    }

    /// Every stored form of a campaign, without values.
    pub async fn schede_campagna(&self, campagna: &str) -> Result<Vec<SchedaInBreve>, StoreError> {
        let mut res = self
            .db()
            .query("SELECT comune, stato, blocco, ricevuta, proroga_comune FROM scheda WHERE campagna = $c")
            .bind(("c", campagna.to_owned()))
            .await?;
        let righe: Vec<Json> = res.take(0)?;
        righe
            .into_iter()
            .map(|r| serde_json::from_value(r).map_err(corrotta))
            .collect()
    }

    /// Every stored form of a `tipo` campaign, whole.
    pub async fn schede_campagna_complete(
        &self,
        campagna: &str,
        tipo: TipoCampagna,
    ) -> Result<Vec<SchedaSalvata>, StoreError> {
        let mut res = self
            .db()
            .query(format!("SELECT {SCHEDA} FROM scheda WHERE campagna = $c"))
            .bind(("c", campagna.to_owned()))
            .await?;
        let righe: Vec<Json> = res.take(0)?;
        righe
            .into_iter()
            .map(|r| SchedaRow::leggi(r, tipo))
            .collect()
    }
}
