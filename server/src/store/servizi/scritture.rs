//! The registry's writes: a new service and an edit, each with its audit entry and the
//! registry's new generation, in one transaction.

use super::*;

impl Store {
    /// Creates a service (version 1) and its audit entry, in one transaction; returns the
    /// registry's new generation.
    pub async fn servizio_create(
        &self,
        id: &str,
        dove: &Collocazione,
        dati: &ServizioDati,
        utente: &str,
        chiave: &crate::store::ChiaveScritta,
    ) -> Result<u64, StoreError> {
        let dati_json = json(dati)?;
        let ricerca = testo_ricerca(dati, &dove.comune_nome);
        let dove_json = serde_json::json!({
            "comune": dove.comune, "comune_nome": dove.comune_nome,
            "sigla_provincia": dove.sigla_provincia, "codice_regione": dove.codice_regione,
        });
        let audit = inserisci("$voce");
        with_retry(|| async {
            let res = self
                .db()
                .query(format!(
                    "BEGIN; \
                     CREATE type::record('servizio', $id) CONTENT {{ comune: $dove.comune, \
                       comune_nome: $dove.comune_nome, sigla_provincia: $dove.sigla_provincia, \
                       codice_regione: $dove.codice_regione, versione: 1, creato: time::now(), \
                       aggiornato: time::now(), creato_da: $utente, aggiornato_da: $utente, \
                       ricerca: $ricerca, dati: $dati }} RETURN NONE; \
                     {audit}; \
                     {GENERAZIONE_PIU_UNO} \
                     {REGISTRA_CHIAVE} \
                     COMMIT;"
                ))
                .bind(("id", id.to_owned()))
                .bind(("dove", dove_json.clone()))
                .bind(("utente", utente.to_owned()))
                .bind(("ricerca", ricerca.clone()))
                .bind(("dati", dati_json.clone()))
                .bind((
                    "voce",
                    AuditEntry::riuscita(
                        utente,
                        "creazione",
                        &format!("servizio:{id}"),
                        serde_json::json!({ "versione": 1 }),
                    ),
                ))
                .bind(("k", chiave.clone()))
                .await?;
            let mut res = check_all(res)?;
            generazione_da(&mut res, 3)
        })
        .await
    }

    /// Applies an edit if the stored version is still `versione`, with its audit entry
    /// (the fields changed), in one transaction. Retried on write conflicts.
    #[allow(clippy::too_many_arguments)]
    pub async fn servizio_update(
        &self,
        id: &str,
        versione: u64,
        dati: &ServizioDati,
        comune_nome: &str,
        utente: &str,
        modifiche: &[Modifica],
        chiave: &crate::store::ChiaveScritta,
    ) -> Result<EsitoModifica, StoreError> {
        let dati_json = json(dati)?;
        let modifiche = json(&modifiche)?;
        let ricerca = testo_ricerca(dati, comune_nome);
        let audit = inserisci("$voce");
        let esito = with_retry(|| async {
            let res = self
                .db()
                .query(format!(
                    "BEGIN; \
                     LET $nuova = (UPDATE type::record('servizio', $id) SET dati = $dati, \
                       versione = versione + 1, aggiornato = time::now(), aggiornato_da = $utente, \
                       ricerca = $ricerca WHERE versione = $versione RETURN VALUE versione); \
                     IF array::len($nuova) = 0 {{ THROW '{VERSIONE_SUPERATA}' }}; \
                     {audit}; \
                     {GENERAZIONE_PIU_UNO} \
                     {REGISTRA_CHIAVE} \
                     COMMIT;"
                ))
                .bind(("k", chiave.clone()))
                .bind(("id", id.to_owned()))
                .bind(("versione", versione))
                .bind(("dati", dati_json.clone()))
                .bind(("utente", utente.to_owned()))
                .bind(("ricerca", ricerca.clone()))
                .bind((
                    "voce",
                    AuditEntry::riuscita(
                        utente,
                        "modifica",
                        &format!("servizio:{id}"),
                        serde_json::json!({
                            "versione": versione + 1,
                            "modifiche": modifiche.clone(),
                        }),
                    ),
                ))
                .await?;
            match check_all(res) {
                Ok(mut res) => Ok(EsitoModifica::Fatto {
                    versione: versione + 1,
                    generazione: generazione_da(&mut res, 4)?,
                }),
                Err(StoreError::Db(e)) if e.message().contains(VERSIONE_SUPERATA) => {
                    Ok(EsitoModifica::VersioneSuperata)
                }
                Err(e) => Err(e),
            }
        })
        .await?;
        Ok(esito)
    }
}
