//! The offline queue's rules: what a save made without a connection becomes, in what order
//! queued writes go out, what happens after each answer, and when to try again. The browser
//! keeps the queue in IndexedDB and runs these rules; every queued write carries the version it
//! was based on and an idempotency key, and the server decides (a refusal is kept, with its
//! reason, never dropped).

use crate::servizio::regole::ServizioForm;
use crate::ApiError;
use serde::{Deserialize, Serialize};

/// A queued write.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(tag = "tipo", rename_all = "snake_case")]
pub enum Operazione {
    /// A campaign form's draft, typed on `versione`: the form of the campaign's kind (the
    /// children attending, the plan or the monitoring), which the server reads as its kind
    /// requires.
    SalvaScheda {
        campagna: String,
        comune: String,
        versione: u64,
        dati: serde_json::Value,
    },
    /// The intention to send a campaign form (the server's clock decides).
    InviaScheda { campagna: String, comune: String },
    /// A registry record's edit, typed on `versione`.
    SalvaServizio {
        id: String,
        versione: u64,
        servizio: Box<ServizioForm>,
    },
}

impl Operazione {
    /// The form it belongs to: `scheda:{campagna}:{comune}` or `servizio:{id}` (drafts use the
    /// same name).
    pub fn modulo(&self) -> String {
        match self {
            Operazione::SalvaScheda {
                campagna, comune, ..
            }
            | Operazione::InviaScheda { campagna, comune } => modulo_scheda(campagna, comune),
            Operazione::SalvaServizio { id, .. } => modulo_servizio(id),
        }
    }

    fn e_salvataggio(&self) -> bool {
        !matches!(self, Operazione::InviaScheda { .. })
    }

    /// What it is, in Italian, for the list of pending changes.
    pub fn descrizione(&self) -> &'static str {
        match self {
            Operazione::SalvaScheda { .. } => "Bozza della scheda",
            Operazione::InviaScheda { .. } => "Invio della scheda",
            Operazione::SalvaServizio { .. } => "Modifica del servizio",
        }
    }

    /// The version a save was typed on (0 for a send).
    pub fn versione(&self) -> u64 {
        match self {
            Operazione::SalvaScheda { versione, .. }
            | Operazione::SalvaServizio { versione, .. } => *versione,
            Operazione::InviaScheda { .. } => 0,
        }
    }

    fn ribasa(&mut self, nuova: u64) {
        if let Operazione::SalvaScheda { versione, .. }
        | Operazione::SalvaServizio { versione, .. } = self
        {
            *versione = nuova;
        }
    }
}

/// Name of a campaign form (draft key and queue group).
pub fn modulo_scheda(campagna: &str, comune: &str) -> String {
    format!("scheda:{campagna}:{comune}")
}

/// Name of a registry record's form.
pub fn modulo_servizio(id: &str) -> String {
    format!("servizio:{id}")
}

/// Why the server refused a queued write: kept and shown until the user decides.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct Rifiuto {
    /// The HTTP status (409 conflict or closed window, 422 rules, 403…).
    pub stato: u16,
    /// The server's Italian message.
    pub messaggio: String,
}

/// One entry of the queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct Voce {
    /// Idempotency key sent with every attempt of this write.
    pub chiave: String,
    pub operazione: Operazione,
    /// When it was queued (ms since 1970, device clock: for display and order only).
    pub creata: i64,
    /// Attempts that got no answer (network down, server unreachable).
    pub tentativi: u32,
    /// Set when the server refused it.
    pub rifiuto: Option<Rifiuto>,
}

/// The queue: entries in the order they were made.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct Coda {
    pub voci: Vec<Voce>,
}

/// How to treat an answer that is an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Esito {
    /// No answer or a temporary failure: keep it and try again later.
    Riprova,
    /// The server refused it: keep it, with the reason, until the user decides.
    Rifiutata,
}

/// What an error means for a queued write.
pub fn classifica(e: &ApiError) -> Esito {
    match e {
        ApiError::Unavailable
        | ApiError::Internal { .. }
        | ApiError::TooManyRequests { .. }
        | ApiError::Unauthorized { .. }
        // Kept until the user has chosen the new password the Region asked for.
        | ApiError::CambioPassword => Esito::Riprova,
        ApiError::Validation { .. }
        | ApiError::Forbidden
        | ApiError::NotFound
        | ApiError::Conflict { .. }
        | ApiError::WindowClosed { .. } => Esito::Rifiutata,
    }
}

/// Milliseconds to wait before the next attempt after `tentativi` failed ones: 1 s, 2 s, 4 s…
/// up to one minute.
pub fn attesa_ms(tentativi: u32) -> u64 {
    1_000u64.saturating_mul(1 << tentativi.min(6)).min(60_000)
}

impl Coda {
    /// Adds a write. A save replaces a pending save of the same form that was never tried
    /// (only the latest values matter, on the same base version); a send is not queued twice.
    pub fn accoda(&mut self, nuova: Voce) {
        let modulo = nuova.operazione.modulo();
        if !nuova.operazione.e_salvataggio() {
            if !self
                .voci
                .iter()
                .any(|v| v.operazione == nuova.operazione && v.rifiuto.is_none())
            {
                self.voci.push(nuova);
            }
            return;
        }
        // The form's last write: the same save again is not queued twice (e.g. the autosave
        // after a manual save made offline); a save never tried is replaced by the new values.
        let ultima = self
            .voci
            .iter_mut()
            .rev()
            .find(|v| v.operazione.modulo() == modulo);
        if ultima
            .as_ref()
            .is_some_and(|v| v.operazione == nuova.operazione && v.rifiuto.is_none())
        {
            return;
        }
        if let Some(v) = ultima
            .filter(|v| v.operazione.e_salvataggio() && v.tentativi == 0 && v.rifiuto.is_none())
        {
            let base = v.operazione.versione();
            v.operazione = nuova.operazione;
            v.operazione.ribasa(base);
            v.chiave = nuova.chiave;
            v.creata = nuova.creata;
            return;
        }
        self.voci.push(nuova);
    }

    /// The next write to send: the first one not refused whose form has no refused write
    /// before it (a form's writes go out in order; a refusal stops that form only).
    pub fn prossima(&self) -> Option<&Voce> {
        let mut fermi: Vec<String> = Vec::new();
        for v in &self.voci {
            let m = v.operazione.modulo();
            if v.rifiuto.is_some() {
                fermi.push(m);
            } else if !fermi.contains(&m) {
                return Some(v);
            }
        }
        None
    }

    /// After the server accepted `chiave`: it leaves the queue, and the later saves of the
    /// same form were typed on top of it, so they are based on `nuova_versione`.
    pub fn accettata(&mut self, chiave: &str, nuova_versione: Option<u64>) {
        let Some(i) = self.voci.iter().position(|v| v.chiave == chiave) else {
            return;
        };
        let fatta = self.voci.remove(i);
        if let Some(n) = nuova_versione {
            let modulo = fatta.operazione.modulo();
            for v in self.voci.iter_mut().skip(i) {
                if v.operazione.modulo() == modulo {
                    v.operazione.ribasa(n);
                }
            }
        }
    }

    /// After an attempt with no answer.
    pub fn non_arrivata(&mut self, chiave: &str) {
        if let Some(v) = self.voci.iter_mut().find(|v| v.chiave == chiave) {
            v.tentativi += 1;
        }
    }

    /// After the server refused `chiave`.
    pub fn rifiutata(&mut self, chiave: &str, e: &ApiError) {
        if let Some(v) = self.voci.iter_mut().find(|v| v.chiave == chiave) {
            v.rifiuto = Some(Rifiuto {
                stato: e.status(),
                messaggio: e.message(),
            });
        }
    }

    /// The user's decision on a refused write: drop it (and the form's writes after it), or
    /// try it again on `versione` (e.g. after choosing their values in a conflict).
    pub fn scarta(&mut self, chiave: &str) {
        if let Some(i) = self.voci.iter().position(|v| v.chiave == chiave) {
            let modulo = self.voci[i].operazione.modulo();
            let mut j = 0;
            self.voci.retain(|v| {
                let tieni = j < i || v.operazione.modulo() != modulo;
                j += 1;
                tieni
            });
        }
    }

    /// Writes not yet accepted, refused ones included.
    pub fn in_attesa(&self) -> usize {
        self.voci.len()
    }

    /// The entries of one form.
    pub fn del_modulo<'a>(&'a self, modulo: &'a str) -> impl Iterator<Item = &'a Voce> + 'a {
        self.voci
            .iter()
            .filter(move |v| v.operazione.modulo() == modulo)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn salva(chiave: &str, versione: u64, n: &str) -> Voce {
        Voce {
            chiave: chiave.into(),
            operazione: Operazione::SalvaScheda {
                campagna: "c".into(),
                comune: "001272".into(),
                versione,
                dati: serde_json::json!({ "giustificazione": n }),
            },
            creata: 0,
            tentativi: 0,
            rifiuto: None,
        }
    }

    fn invia(chiave: &str) -> Voce {
        Voce {
            chiave: chiave.into(),
            operazione: Operazione::InviaScheda {
                campagna: "c".into(),
                comune: "001272".into(),
            },
            creata: 0,
            tentativi: 0,
            rifiuto: None,
        }
    }

    fn versione(v: &Voce) -> u64 {
        v.operazione.versione()
    }

    #[test]
    fn saves_typed_offline_become_one_write_with_the_latest_values_on_the_first_base() {
        let mut c = Coda::default();
        c.accoda(salva("a", 3, "uno"));
        c.accoda(salva("b", 3, "due"));
        c.accoda(salva("c", 3, "tre"));
        assert_eq!(c.voci.len(), 1);
        assert_eq!((c.voci[0].chiave.as_str(), versione(&c.voci[0])), ("c", 3));
        // A send follows; a later save goes after it, and a second send is not queued.
        c.accoda(invia("i"));
        c.accoda(invia("j"));
        c.accoda(salva("d", 3, "quattro"));
        let chiavi: Vec<&str> = c.voci.iter().map(|v| v.chiave.as_str()).collect();
        assert_eq!(chiavi, ["c", "i", "d"]);
    }

    #[test]
    fn a_save_already_tried_is_not_replaced_and_later_saves_are_rebased_on_its_result() {
        let mut c = Coda::default();
        c.accoda(salva("a", 3, "uno"));
        c.non_arrivata("a");
        c.accoda(salva("a2", 3, "uno"));
        assert_eq!(
            c.voci.len(),
            1,
            "the same values again are not queued twice"
        );
        c.accoda(salva("b", 3, "due"));
        assert_eq!(c.voci.len(), 2, "a may have arrived: its key must stay");
        assert_eq!(c.prossima().unwrap().chiave, "a");
        c.accettata("a", Some(4));
        assert_eq!((c.voci[0].chiave.as_str(), versione(&c.voci[0])), ("b", 4));
    }

    #[test]
    fn a_refusal_stops_its_form_only_and_stays_until_the_user_decides() {
        let mut c = Coda::default();
        c.accoda(salva("a", 3, "uno"));
        c.accoda(invia("i"));
        let mut altro = salva("s", 1, "x");
        altro.operazione = Operazione::SalvaServizio {
            id: "srv".into(),
            versione: 1,
            servizio: Box::default(),
        };
        c.accoda(altro);
        c.rifiutata(
            "a",
            &ApiError::WindowClosed {
                message: "La compilazione è chiusa".into(),
            },
        );
        assert_eq!(
            c.prossima().unwrap().chiave,
            "s",
            "the form's send waits behind its refused save"
        );
        assert_eq!(c.in_attesa(), 3);
        assert_eq!(c.voci[0].rifiuto.as_ref().unwrap().stato, 409);
        c.scarta("a");
        let chiavi: Vec<&str> = c.voci.iter().map(|v| v.chiave.as_str()).collect();
        assert_eq!(
            chiavi,
            ["s"],
            "dropping a refused save drops the send that depended on it"
        );
    }

    #[test]
    fn errors_are_retried_or_kept_as_refusals_and_waits_grow_to_a_minute() {
        assert_eq!(classifica(&ApiError::Unavailable), Esito::Riprova);
        assert_eq!(
            classifica(&ApiError::Internal { id: "x".into() }),
            Esito::Riprova
        );
        assert_eq!(classifica(&ApiError::session_required()), Esito::Riprova);
        assert_eq!(
            classifica(&ApiError::Conflict {
                message: "x".into()
            }),
            Esito::Rifiutata
        );
        assert_eq!(
            classifica(&ApiError::Validation { fields: vec![] }),
            Esito::Rifiutata
        );
        let attese: Vec<u64> = (0..9).map(attesa_ms).collect();
        assert_eq!(
            attese,
            [1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000, 60_000]
        );
    }
}
