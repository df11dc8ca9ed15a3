//! What a form being compiled does: save, send, decide after a refusal, and what it shows.

use super::*;

impl ModuloScheda {
    /// A send of this form waits in the queue.
    pub fn invio_in_attesa(&self) -> bool {
        self.in_coda
            .read()
            .iter()
            .any(|v| matches!(v.operazione, Operazione::InviaScheda { .. }) && v.rifiuto.is_none())
    }

    /// Where the values of a queued save differ from what the server holds for `s`, in Italian
    /// (`None`: they are not this form's values).
    pub fn differenze_da(&self, s: &Scheda, dati: &serde_json::Value) -> Option<Vec<String>> {
        self.differenze.call((s.clone(), dati.clone()))
    }

    /// This tab may change `s` now.
    pub fn modificabile(&self, s: &Scheda) -> bool {
        s.compilabile
            && s.ricevuta.is_none()
            && *self.editore.read() == Some(true)
            && !self.invio_in_attesa()
    }

    fn operazione_salva(&self, s: &Scheda) -> Operazione {
        Operazione::SalvaScheda {
            campagna: self.c.id.peek().clone(),
            comune: self.c.codice.peek().clone(),
            versione: s.versione,
            dati: self.dati.call(()),
        }
    }

    /// Re-reads this form's queued writes; the reason of the first refused one.
    async fn rileggi_coda(mut self) -> Option<shared::coda::Rifiuto> {
        let coda = crate::offline::coda(&self.c.utente.peek()).await;
        let modulo = self.c.modulo.peek().clone();
        self.in_coda
            .set(coda.del_modulo(&modulo).cloned().collect());
        let rifiuto = coda.del_modulo(&modulo).find_map(|v| v.rifiuto.clone());
        rifiuto
    }

    /// Queues the draft as typed and sends the queue; `automatico`: by the autosave.
    pub async fn salva(mut self, automatico: bool) {
        let Some(s) = self.c.corrente.peek().clone() else {
            return;
        };
        self.in_corso.set(true);
        let utente = self.c.utente.peek().clone();
        let fine = self
            .offline
            .accoda_e_invia(&utente, self.operazione_salva(&s))
            .await;
        self.in_corso.set(false);
        let rifiuto = self.rileggi_coda().await;
        let quando = shared::tempo::ora_italiana(crate::components::ora::adesso()).format("%H:%M");
        self.esito.set(Some(match (fine, rifiuto) {
            (_, Some(r)) => (false, r.messaggio),
            (Fine::Riprova, None) => (false, format!(
                "Sei offline: la bozza è salvata su questo dispositivo (alle {quando}) e sarà inviata al server appena torna la connessione."
            )),
            (Fine::Vuota, None) if automatico => (true, format!("Bozza salvata automaticamente alle {quando}.")),
            (Fine::Vuota, None) => (true, "Bozza salvata.".into()),
        }));
    }

    /// Sends the form: the draft first if changed, then the intention to send; offline both
    /// wait in the queue and the user is told the form is NOT sent yet.
    pub async fn invia(mut self) {
        let Some(s) = self.c.corrente.peek().clone() else {
            return;
        };
        self.in_corso.set(true);
        let utente = self.c.utente.peek().clone();
        if self.cambiata.call(s.clone()) {
            let voce = Voce {
                chiave: crate::offline::nuova_chiave(),
                operazione: self.operazione_salva(&s),
                creata: crate::offline::adesso_ms(),
                tentativi: 0,
                rifiuto: None,
            };
            crate::offline::modifica_coda(&utente, move |c| c.accoda(voce.clone())).await;
        }
        let invio = Operazione::InviaScheda {
            campagna: self.c.id.peek().clone(),
            comune: self.c.codice.peek().clone(),
        };
        let fine = self.offline.accoda_e_invia(&utente, invio).await;
        let rifiuto = self.rileggi_coda().await;
        let esito = match (fine, rifiuto) {
            (_, Some(r)) => (false, r.messaggio),
            (Fine::Riprova, None) => (false, format!(
                "Sei offline: la scheda NON è ancora inviata. L'invio è in coda su questo dispositivo e partirà al ritorno \
                 della connessione; vale l'ora in cui il server lo riceve (termine: {}).",
                data_ora_estesa(s.chiusura)
            )),
            (Fine::Vuota, None) => {
                let letta =
                    crate::api::campagne::scheda(self.c.id.peek().clone(), self.c.codice.peek().clone())
                        .await;
                match letta.ok().filter(|n| n.ricevuta.is_some()) {
                    Some(n) => {
                        let numero = n.ricevuta.as_ref().map(|r| r.numero).unwrap_or_default();
                        self.c.corrente.set(Some(n));
                        (true, format!("Scheda inviata: ricevuta n. {numero}."))
                    }
                    None => (true, "Scheda inviata.".into()),
                }
            }
        };
        self.in_corso.set(false);
        self.esito.set(Some(esito));
    }

    /// The user's decision on the refused queued write `chiave`: keep their values (saved
    /// again on the current version) or take the server's.
    pub async fn decidi(mut self, chiave: String, mantieni: bool) {
        let Some(s) = self.c.corrente.peek().clone() else {
            return;
        };
        let utente = self.c.utente.peek().clone();
        let dati = self
            .in_coda
            .peek()
            .iter()
            .find(|v| v.chiave == chiave)
            .and_then(|v| match &v.operazione {
                Operazione::SalvaScheda { dati, .. } => Some(dati.clone()),
                _ => None,
            });
        crate::offline::modifica_coda(&utente, move |c| c.scarta(&chiave)).await;
        match (mantieni, dati) {
            (true, Some(d)) if self.riparti.call((s.clone(), Some(d.clone()))) => {
                self.salva(false).await;
            }
            (false, Some(d)) if self.differenze_da(&s, &d).is_some() => {
                self.riparti.call((s, None));
                self.esito
                    .set(Some((true, "Ripresi i valori salvati sul server.".into())));
            }
            _ => self.esito.set(Some((
                true,
                "Operazione tolta dalla coda; i valori scritti restano nel modulo.".into(),
            ))),
        }
        self.rileggi_coda().await;
        self.offline.conta(&utente).await;
    }

    /// Shows `nuova`, the form after its declaration was confirmed (the form starts again
    /// from it: its rows are the services declared operating), kept as the device's copy.
    pub async fn dichiarata(self, nuova: Scheda) {
        self.riparti.call((nuova.clone(), None));
        self.aggiornata(
            nuova,
            "Dichiarazione confermata: ora puoi compilare la scheda.",
        )
        .await;
    }

    /// Shows `nuova`, the form after a change made straight on the server (a request to the
    /// Region), kept as the device's copy; the values typed stay.
    pub async fn aggiornata(mut self, nuova: Scheda, messaggio: &str) {
        crate::offline::scrivi(
            &self.c.utente.peek(),
            "copie",
            &self.c.modulo.peek(),
            &nuova,
        )
        .await;
        self.c.corrente.set(Some(nuova));
        self.esito.set(Some((true, messaggio.to_owned())));
    }
}
