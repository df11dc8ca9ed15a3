//! Tables `registrazione`, `bozza_registrazione`, `contatore` and `disabilitazione`: the legal
//! representatives' requests (with a receipt number per year), their drafts, the Region's
//! decisions, and the requests to disable a user. Typed rows in and out.

use super::transazione::Transazione;
use super::{Store, StoreError};
use chrono::{DateTime, Utc};
use surrealdb::types::SurrealValue;

mod disabilitazioni;

pub use disabilitazioni::*;

/// A person as listed in a request.
#[derive(Debug, Clone, PartialEq, Eq, SurrealValue)]
pub struct IdentitaRow {
    pub nome: String,
    pub cognome: String,
    pub codice_fiscale: String,
    pub email: String,
    pub telefono: Option<String>,
    pub ufficio: Option<String>,
}

/// The Region's decision on one user.
#[derive(Debug, Clone, PartialEq, Eq, SurrealValue)]
pub struct EsitoRow {
    /// `approvato` or `rifiutato`.
    pub decisione: String,
    pub ruolo: Option<String>,
    pub motivo: Option<String>,
    pub da: String,
    pub quando: DateTime<Utc>,
    pub account: Option<String>,
}

/// One user of a request.
#[derive(Debug, Clone, PartialEq, Eq, SurrealValue)]
pub struct VoceRow {
    pub identita: IdentitaRow,
    pub esito: Option<EsitoRow>,
}

/// A sent request, the comune's name and province joined in.
#[derive(Debug, Clone, SurrealValue)]
pub struct RegistrazioneRow {
    pub id: String,
    pub numero: String,
    pub comune: String,
    pub comune_nome: String,
    pub sigla_provincia: String,
    pub richiedente: String,
    pub richiedente_nome: String,
    pub inviata: DateTime<Utc>,
    pub versione: i64,
    pub utenti: Vec<VoceRow>,
}

const COLONNE: &str = "record::id(id) AS id, numero, comune.codice AS comune, \
     comune.nome AS comune_nome, comune.sigla_provincia AS sigla_provincia, richiedente, \
     richiedente_nome, inviata, versione, utenti";

/// A request to send.
#[derive(Debug, Clone, SurrealValue)]
pub struct NuovaRegistrazione {
    pub id: String,
    pub comune: String,
    pub richiedente: String,
    pub richiedente_nome: String,
    pub inviata: DateTime<Utc>,
    /// The series of receipt numbers (`registrazioni_2026`) and its prefix (`REG-2026-`).
    pub serie: String,
    pub prefisso: String,
    pub utenti: Vec<VoceRow>,
}

/// A draft row as typed (raw text).
#[derive(Debug, Clone, Default, PartialEq, Eq, SurrealValue)]
pub struct RigaBozza {
    pub nome: String,
    pub cognome: String,
    pub codice_fiscale: String,
    pub email: String,
    pub telefono: String,
    pub ufficio: String,
}

/// A comune's draft.
#[derive(Debug, Clone, SurrealValue)]
pub struct BozzaRow {
    pub utenti: Vec<RigaBozza>,
    pub versione: i64,
    pub salvata: DateTime<Utc>,
}

/// Marker thrown when a request changed between reading and deciding.
pub const CAMBIATA: &str = "registrazione_cambiata";

#[derive(Debug, Clone, SurrealValue)]
struct Decisione {
    id: String,
    versione: i64,
    utenti: Vec<VoceRow>,
    da_esaminare: i64,
    marcatore: String,
}

impl Transazione {
    /// Sends a request: takes the next number of its series, records it, removes the
    /// comune's draft. The number is the value of the first statement added here.
    pub fn invia_registrazione(&mut self, r: NuovaRegistrazione) -> usize {
        let p = self.valore(r);
        self.istruzione(format!(
            "LET $n = (UPSERT type::record('contatore', {p}.serie) SET valore = (valore OR 0) + 1 \
               RETURN VALUE valore)[0]"
        ));
        self.istruzione("LET $numero = string::concat('000000', <string> $n)");
        // `string::slice(s, from)`: from the sixth character from the end to the end.
        self.istruzione("LET $numero = string::slice($numero, string::len($numero) - 6)");
        let indice = self.len();
        self.istruzione(format!(
            "CREATE type::record('registrazione', {p}.id) CONTENT {{ \
               numero: string::concat({p}.prefisso, $numero), \
               comune: type::record('comune', {p}.comune), richiedente: {p}.richiedente, \
               richiedente_nome: {p}.richiedente_nome, inviata: {p}.inviata, versione: 0, \
               da_esaminare: array::len({p}.utenti), utenti: {p}.utenti }} RETURN VALUE numero"
        ));
        self.istruzione(format!(
            "DELETE type::record('bozza_registrazione', {p}.comune)"
        ));
        indice
    }

    /// Records the decisions of a request (its whole list of users, as decided now), if the
    /// request is still at `versione`; else the transaction fails with [`CAMBIATA`].
    pub fn decidi_registrazione(&mut self, id: &str, versione: i64, utenti: Vec<VoceRow>) {
        let da_esaminare = utenti.iter().filter(|v| v.esito.is_none()).count() as i64;
        let p = self.valore(Decisione {
            id: id.to_owned(),
            versione,
            utenti,
            da_esaminare,
            marcatore: CAMBIATA.to_owned(),
        });
        self.istruzione(format!(
            "LET $r = (SELECT versione FROM ONLY type::record('registrazione', {p}.id))"
        ));
        self.istruzione(format!(
            "IF $r = NONE OR $r.versione != {p}.versione {{ THROW {p}.marcatore }}"
        ));
        self.istruzione(format!(
            "UPDATE type::record('registrazione', {p}.id) SET utenti = {p}.utenti, \
               da_esaminare = {p}.da_esaminare, versione += 1 RETURN NONE"
        ));
    }
}

impl Store {
    /// One request.
    pub async fn registrazione(&self, id: &str) -> Result<Option<RegistrazioneRow>, StoreError> {
        let mut res = self
            .db()
            .query(format!(
                "SELECT {COLONNE} FROM ONLY type::record('registrazione', $id)"
            ))
            .bind(("id", id.to_owned()))
            .await?;
        Ok(res.take(0)?)
    }

    /// A comune's requests, newest first.
    pub async fn registrazioni_del_comune(
        &self,
        comune: &str,
    ) -> Result<Vec<RegistrazioneRow>, StoreError> {
        let mut res = self
            .db()
            .query(format!(
                "SELECT {COLONNE} FROM registrazione WHERE comune = type::record('comune', $c) \
                 ORDER BY inviata DESC"
            ))
            .bind(("c", comune.to_owned()))
            .await?;
        Ok(res.take(0)?)
    }

    /// Requests for the Region, oldest first: only those with users still undecided, or all;
    /// of one province or comune. At most 500.
    pub async fn registrazioni_coda(
        &self,
        solo_aperte: bool,
        provincia: Option<&str>,
        comune: Option<&str>,
    ) -> Result<Vec<RegistrazioneRow>, StoreError> {
        let mut res = self
            .db()
            .query(format!(
                "SELECT {COLONNE} FROM registrazione WHERE \
                   ($aperte = false OR da_esaminare > 0) \
                   AND ($comune = NONE OR comune = type::record('comune', $comune)) \
                   AND ($provincia = NONE OR comune.sigla_provincia = $provincia) \
                 ORDER BY inviata LIMIT 500"
            ))
            .bind(("aperte", solo_aperte))
            .bind(("provincia", provincia.map(str::to_owned)))
            .bind(("comune", comune.map(str::to_owned)))
            .await?;
        Ok(res.take(0)?)
    }

    /// Requests and users waiting for a decision, across the Region.
    pub async fn registrazioni_conteggi(&self) -> Result<(i64, i64), StoreError> {
        let mut res = self
            .db()
            .query(
                "RETURN { r: array::len(SELECT VALUE id FROM registrazione WHERE da_esaminare > 0), \
                   u: math::sum(SELECT VALUE da_esaminare FROM registrazione WHERE da_esaminare > 0) }",
            )
            .await?;
        #[derive(SurrealValue)]
        struct Conti {
            r: i64,
            u: i64,
        }
        let c: Option<Conti> = res.take(0)?;
        Ok(c.map_or((0, 0), |c| (c.r, c.u)))
    }

    /// A comune's draft request.
    pub async fn bozza_registrazione(&self, comune: &str) -> Result<Option<BozzaRow>, StoreError> {
        let mut res = self
            .db()
            .query(
                "SELECT utenti, versione, salvata FROM ONLY type::record('bozza_registrazione', $c)",
            )
            .bind(("c", comune.to_owned()))
            .await?;
        Ok(res.take(0)?)
    }

    /// Saves a comune's draft if it is still at `versione` (0: none yet); the new version, or
    /// `None` when someone saved it meanwhile.
    pub async fn bozza_registrazione_salva(
        &self,
        comune: &str,
        versione: i64,
        utenti: Vec<RigaBozza>,
        da: &str,
        adesso: DateTime<Utc>,
    ) -> Result<Option<i64>, StoreError> {
        #[derive(SurrealValue)]
        struct Salva {
            comune: String,
            versione: i64,
            utenti: Vec<RigaBozza>,
            da: String,
            adesso: DateTime<Utc>,
            marcatore: String,
        }
        let mut tx = Transazione::new();
        let p = tx.valore(Salva {
            comune: comune.to_owned(),
            versione,
            utenti,
            da: da.to_owned(),
            adesso,
            marcatore: CAMBIATA.to_owned(),
        });
        tx.istruzione(format!(
            "LET $b = (SELECT versione FROM ONLY type::record('bozza_registrazione', {p}.comune))"
        ));
        tx.istruzione(format!(
            "IF ($b.versione OR 0) != {p}.versione {{ THROW {p}.marcatore }}"
        ));
        tx.istruzione(format!(
            "UPSERT type::record('bozza_registrazione', {p}.comune) SET utenti = {p}.utenti, \
               versione = {p}.versione + 1, salvata = {p}.adesso, da = {p}.da RETURN NONE"
        ));
        Ok(tx
            .esegui_con_guardie(self, &[CAMBIATA])
            .await?
            .map(|_| versione + 1))
    }
}
