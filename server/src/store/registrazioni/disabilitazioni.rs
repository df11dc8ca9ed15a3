//! Table `disabilitazione`: the requests to disable a user, and the Region's decision on them.

use super::*;

/// A request to disable a user, with the names joined in.
#[derive(Debug, Clone, SurrealValue)]
pub struct DisabilitazioneRow {
    pub id: String,
    pub comune: String,
    pub comune_nome: String,
    pub utente: String,
    pub nome: String,
    pub cognome: String,
    pub codice_fiscale: String,
    pub motivo: String,
    pub richiedente: String,
    pub quando: DateTime<Utc>,
    pub stato: String,
    pub deciso_da: Option<String>,
    pub deciso_il: Option<DateTime<Utc>>,
    pub motivo_decisione: Option<String>,
}

pub(super) const COLONNE_DISABILITAZIONE: &str = "record::id(id) AS id, comune.codice AS comune, \
     comune.nome AS comune_nome, record::id(utente) AS utente, utente.nome AS nome, \
     utente.cognome AS cognome, utente.codice_fiscale AS codice_fiscale, motivo, richiedente, \
     quando, stato, deciso_da, deciso_il, motivo_decisione";

/// A request to disable to record.
#[derive(Debug, Clone, SurrealValue)]
pub struct NuovaDisabilitazione {
    pub id: String,
    pub comune: String,
    pub utente: String,
    pub motivo: String,
    pub richiedente: String,
    pub quando: DateTime<Utc>,
}

#[derive(Debug, Clone, SurrealValue)]
pub(super) struct DecisioneDisabilitazione {
    id: String,
    stato: String,
    da: String,
    quando: DateTime<Utc>,
    motivo: Option<String>,
    marcatore: String,
}

impl Transazione {
    /// Records a request to disable a user.
    pub fn crea_disabilitazione(&mut self, d: NuovaDisabilitazione) {
        let p = self.valore(d);
        self.istruzione(format!(
            "CREATE type::record('disabilitazione', {p}.id) CONTENT {{ \
               comune: type::record('comune', {p}.comune), utente: type::record('utente', {p}.utente), \
               motivo: {p}.motivo, richiedente: {p}.richiedente, quando: {p}.quando, \
               stato: 'in_attesa' }} RETURN NONE"
        ));
    }

    /// Decides a request to disable (`confermata` or `respinta`) if it is still waiting; else
    /// the transaction fails with [`CAMBIATA`].
    pub fn decidi_disabilitazione(
        &mut self,
        id: &str,
        stato: &str,
        da: &str,
        quando: DateTime<Utc>,
        motivo: Option<String>,
    ) {
        let p = self.valore(DecisioneDisabilitazione {
            id: id.to_owned(),
            stato: stato.to_owned(),
            da: da.to_owned(),
            quando,
            motivo,
            marcatore: CAMBIATA.to_owned(),
        });
        self.istruzione(format!(
            "LET $d = (SELECT stato FROM ONLY type::record('disabilitazione', {p}.id))"
        ));
        self.istruzione(format!(
            "IF $d = NONE OR $d.stato != 'in_attesa' {{ THROW {p}.marcatore }}"
        ));
        self.istruzione(format!(
            "UPDATE type::record('disabilitazione', {p}.id) SET stato = {p}.stato, \
               deciso_da = {p}.da, deciso_il = {p}.quando, motivo_decisione = {p}.motivo RETURN NONE"
        ));
    }

    /// Closes the waiting requests to disable `utente` as confirmed (the Region disabled it
    /// directly).
    pub fn chiudi_disabilitazioni(&mut self, utente: &str, da: &str, quando: DateTime<Utc>) {
        let (u, d, q) = (
            self.valore(utente.to_owned()),
            self.valore(da.to_owned()),
            self.valore(quando),
        );
        self.istruzione(format!(
            "UPDATE disabilitazione SET stato = 'confermata', deciso_da = {d}, deciso_il = {q} \
             WHERE utente = type::record('utente', {u}) AND stato = 'in_attesa' RETURN NONE"
        ));
    }
}

impl Store {
    /// One request to disable.
    pub async fn disabilitazione(
        &self,
        id: &str,
    ) -> Result<Option<DisabilitazioneRow>, StoreError> {
        let mut res = self
            .db()
            .query(format!(
                "SELECT {COLONNE_DISABILITAZIONE} FROM ONLY type::record('disabilitazione', $id)"
            ))
            .bind(("id", id.to_owned()))
            .await?;
        Ok(res.take(0)?)
    }

    /// Requests to disable: waiting ones first, then the newest decided (at most 500); of one
    /// comune, or all.
    pub async fn disabilitazioni(
        &self,
        comune: Option<&str>,
    ) -> Result<Vec<DisabilitazioneRow>, StoreError> {
        let mut res = self
            .db()
            .query(format!(
                "SELECT {COLONNE_DISABILITAZIONE} FROM disabilitazione \
                 WHERE $comune = NONE OR comune = type::record('comune', $comune) \
                 ORDER BY quando DESC LIMIT 500"
            ))
            .bind(("comune", comune.map(str::to_owned)))
            .await?;
        let mut righe: Vec<DisabilitazioneRow> = res.take(0)?;
        righe.sort_by_key(|r| r.stato != "in_attesa");
        Ok(righe)
    }

    /// Whether `utente` has a request to disable still waiting.
    pub async fn disabilitazione_aperta(&self, utente: &str) -> Result<bool, StoreError> {
        let mut res = self
            .db()
            .query(
                "SELECT VALUE record::id(id) FROM disabilitazione \
                 WHERE utente = type::record('utente', $u) AND stato = 'in_attesa' LIMIT 1",
            )
            .bind(("u", utente.to_owned()))
            .await?;
        let v: Vec<String> = res.take(0)?;
        Ok(!v.is_empty())
    }
}
