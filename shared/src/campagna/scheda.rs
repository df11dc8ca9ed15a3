//! A comune's form in a campaign: its states and the state shown, the block, the receipt and the
//! canonical bytes its hash is computed on, the differences between two versions, the form and
//! overview rows the API returns, and what the comune still has to do ("Da fare").

use super::{Commento, DichiarazioneForm, Finestra, Proroga, Segnalazione, StatoCampagna};
use crate::comune::ComuneRef;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

crate::codici! {
    /// State of one comune's form in a campaign.
    StatoScheda {
        NonIniziata => ("non_iniziata", "Non iniziata"),
        Bozza => ("bozza", "Bozza"),
        Bloccata => ("bloccata", "Bloccata"),
        Inviata => ("inviata", "Inviata"),
        Restituita => ("restituita", "Restituita per correzioni"),
        Accettata => ("accettata", "Accettata"),
    }
}

impl StatoScheda {
    /// Whether a form stored in this state is closed: sent (the sending has locked it, and the
    /// Region accepts or returns it) or accepted (final). A closed form is not the comune's to
    /// save, send or report on, nor the Region's to block.
    pub fn chiusa(self) -> bool {
        matches!(self, StatoScheda::Inviata | StatoScheda::Accettata)
    }

    /// Whether the Region may block a form stored in this state (one not [`Self::chiusa`]).
    pub fn bloccabile(self) -> bool {
        !self.chiusa()
    }

    /// The codes of the closed states, bound into the store's guards (saving, sending,
    /// reporting, blocking), so the rule is written once, here.
    pub fn chiuse() -> Vec<&'static str> {
        Self::ALL
            .iter()
            .filter(|s| s.chiusa())
            .map(|s| s.code())
            .collect()
    }

    /// The state shown, on the form's page and in every overview alike, for a form stored in
    /// `self` with or without a block: a blocked form is `Bloccata` unless it is sent or
    /// accepted, which say so whatever an older block left behind.
    pub fn mostrato(self, bloccata: bool) -> StatoScheda {
        if bloccata && self.bloccabile() {
            StatoScheda::Bloccata
        } else {
            self
        }
    }
}

/// A block of a comune's form by the Region.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct Blocco {
    pub motivo: String,
    pub quando: DateTime<Utc>,
    pub da: String,
}

/// Whether a form stored in `stato`, with `blocco`, in a campaign in `campagna` with window
/// `finestra`, can be compiled at `adesso`, and the Italian sentence that says why (never a
/// form closed without its reason): sent and accepted forms are closed; a block closes the
/// form with its reason even inside an open window; a campaign not published is closed; a
/// form returned by the Region is correctable whatever the window; otherwise the window decides.
pub fn compilazione(
    stato: StatoScheda,
    blocco: Option<&Blocco>,
    campagna: StatoCampagna,
    finestra: &Finestra,
    adesso: DateTime<Utc>,
) -> (bool, String) {
    match (blocco, stato.mostrato(blocco.is_some())) {
        (_, StatoScheda::Inviata) => (false, "La scheda è stata inviata.".to_owned()),
        (_, StatoScheda::Accettata) => (
            false,
            "La scheda è stata accettata dalla Regione.".to_owned(),
        ),
        (Some(b), StatoScheda::Bloccata) => (
            false,
            format!("La scheda è bloccata dalla Regione: {}", b.motivo),
        ),
        _ if campagna != StatoCampagna::Pubblicata => {
            (false, "La rilevazione non è ancora pubblicata.".to_owned())
        }
        (_, StatoScheda::Restituita) => (
            true,
            "La Regione ha restituito la scheda per correzioni: vedi i commenti, correggi e \
             inviala di nuovo."
                .to_owned(),
        ),
        _ => (finestra.aperta(adesso), finestra.stato(adesso).messaggio()),
    }
}

/// The receipt of a sent form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct Ricevuta {
    /// Progressive number within the campaign.
    pub numero: u64,
    /// When it was sent (server clock).
    pub quando: DateTime<Utc>,
    /// Who sent it.
    pub da: String,
    /// SHA-256 (hex) of the sent data in canonical form: see [`dati_canonici`].
    pub impronta: String,
}

/// The bytes a receipt's SHA-256 is computed on: compact JSON of
/// `{"campagna": id, "comune": ISTAT code, "dati": the form}` with every object's keys in
/// sorted order (as RFC 8785 orders these ASCII keys), so anyone can recompute it.
pub fn dati_canonici(campagna: &str, comune: &str, dati: &impl Serialize) -> Vec<u8> {
    let dati = serde_json::to_value(dati).unwrap_or(serde_json::Value::Null);
    let v = serde_json::json!({ "campagna": campagna, "comune": comune, "dati": dati });
    serde_json::to_vec(&ordinato(v)).unwrap_or_default()
}

/// The leaves that differ between two JSON values (e.g. two sent versions of a form), as
/// `(path, before, after)` with paths like `righe[0].iscritti[2]`; absent leaves are empty.
pub fn differenze_json(
    prima: &serde_json::Value,
    dopo: &serde_json::Value,
) -> Vec<(String, String, String)> {
    fn foglie(
        v: &serde_json::Value,
        via: String,
        out: &mut std::collections::BTreeMap<String, String>,
    ) {
        use serde_json::Value;
        match v {
            Value::Object(m) => {
                for (k, x) in m {
                    foglie(
                        x,
                        if via.is_empty() {
                            k.clone()
                        } else {
                            format!("{via}.{k}")
                        },
                        out,
                    );
                }
            }
            Value::Array(a) => {
                for (i, x) in a.iter().enumerate() {
                    foglie(x, format!("{via}[{i}]"), out);
                }
            }
            Value::Null => {}
            Value::String(t) => {
                out.insert(via, t.clone());
            }
            altro => {
                out.insert(via, altro.to_string());
            }
        }
    }
    let (mut a, mut b) = (Default::default(), Default::default());
    foglie(prima, String::new(), &mut a);
    foglie(dopo, String::new(), &mut b);
    let chiavi: std::collections::BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    chiavi
        .into_iter()
        .filter_map(|k| {
            let (x, y) = (
                a.get(k).cloned().unwrap_or_default(),
                b.get(k).cloned().unwrap_or_default(),
            );
            (x.trim() != y.trim()).then(|| (k.clone(), x, y))
        })
        .collect()
}

/// The value with every object's keys sorted (whatever map order serde_json was built with).
fn ordinato(v: serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match v {
        Value::Object(m) => {
            let mut coppie: Vec<(String, Value)> = m.into_iter().collect();
            coppie.sort_by(|a, b| a.0.cmp(&b.0));
            Value::Object(coppie.into_iter().map(|(k, v)| (k, ordinato(v))).collect())
        }
        Value::Array(a) => Value::Array(a.into_iter().map(ordinato).collect()),
        altro => altro,
    }
}

/// One eligible comune's form in the Region's overview of a campaign.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct SchedaRiga {
    pub comune: ComuneRef,
    pub stato: StatoScheda,
    /// The block's reason, when blocked.
    pub blocco: Option<String>,
    /// The receipt number, once sent.
    pub ricevuta: Option<u64>,
}

/// One comune's form in a campaign: its state, and whether and why it can be compiled now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct Scheda {
    pub campagna: String,
    /// The campaign's kind (which form this is).
    #[serde(default = "tipo_predefinito")]
    pub tipo: crate::campagna::TipoCampagna,
    pub comune: ComuneRef,
    pub stato: StatoScheda,
    pub blocco: Option<Blocco>,
    /// This comune's own later deadline.
    pub proroga_comune: Option<Proroga>,
    /// Open now (server clock) and not blocked.
    pub compilabile: bool,
    /// Why it is or is not compilable, in Italian.
    pub messaggio: String,
    /// The deadline in force for this comune.
    pub chiusura: DateTime<Utc>,
    /// Version of the saved draft (0: nothing saved yet).
    pub versione: u64,
    /// The draft or the sent data.
    pub dati: Option<crate::frequentanti::FrequentantiForm>,
    /// The services operating at the reference date: one row each.
    pub servizi: Vec<crate::frequentanti::ServizioOperante>,
    /// The findings of the rules on the saved data, and its totals.
    pub rilievi: Vec<crate::frequentanti::Rilievo>,
    pub totali: crate::frequentanti::Totali,
    /// Present once sent.
    pub ricevuta: Option<Ricevuta>,
    /// The preliminary declaration, once made (required before compiling).
    pub dichiarazione: Option<DichiarazioneForm>,
    /// The comune's services active now: the ones to declare.
    pub da_dichiarare: Vec<crate::frequentanti::ServizioOperante>,
    /// Funds campaigns (`interventi`, `monitoraggio`): their form, context and totals.
    #[serde(default)]
    pub fondi: Option<SchedaFondi>,
    /// The Region's comments when it returned the form for corrections.
    #[serde(default)]
    pub commenti: Vec<Commento>,
    /// Every version sent, oldest first (receipt and data).
    #[serde(default)]
    pub invii: Vec<Invio>,
    /// "Services not reached" requests filed by the comune.
    #[serde(default)]
    pub segnalazioni: Vec<Segnalazione>,
}

fn tipo_predefinito() -> crate::campagna::TipoCampagna {
    crate::campagna::TipoCampagna::Frequentanti
}

/// A funds campaign's form with what its rules read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct SchedaFondi {
    /// Allocation, registry, reference date and (monitoring) the plan sent.
    pub contesto: crate::fondi::Contesto,
    pub interventi: Option<crate::fondi::InterventiForm>,
    pub monitoraggio: Option<crate::fondi::MonitoraggioForm>,
    pub totali: crate::fondi::TotaliFondi,
}

/// One sent version of a form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct Invio {
    pub numero: u64,
    pub quando: DateTime<Utc>,
    pub da: String,
    pub impronta: String,
    pub dati: serde_json::Value,
}

/// What a comune still has to do on its form, in Italian, in order (empty once sent).
pub fn cosa_manca(s: &Scheda) -> Vec<String> {
    use crate::frequentanti::Gravita;
    if s.ricevuta.is_some() || s.stato == StatoScheda::Accettata {
        return Vec::new();
    }
    let mut v = Vec::new();
    if s.stato == StatoScheda::Restituita {
        v.push("Correggere secondo i commenti della Regione.".into());
    }
    if let Some(b) = &s.blocco {
        v.push(format!(
            "Attendere lo sblocco della Regione ({}).",
            b.motivo
        ));
    }
    if s.dichiarazione.is_none() {
        v.push("Confermare la dichiarazione preliminare sui servizi.".into());
    }
    if s.versione == 0 {
        v.push("Compilare la scheda e salvare la bozza.".into());
    } else {
        let errori = s
            .rilievi
            .iter()
            .filter(|r| r.gravita == Gravita::Errore)
            .count();
        match errori {
            0 => {}
            1 => v.push("Correggere 1 errore.".into()),
            n => v.push(format!("Correggere {n} errori.")),
        }
    }
    v.push("Inviare la scheda.".into());
    v
}

/// One entry of a comune's "Da fare": a published campaign not yet closed for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct DaFare {
    pub campagna: String,
    pub titolo: String,
    pub tipo: crate::campagna::TipoCampagna,
    pub stato: StatoScheda,
    pub compilabile: bool,
    /// Why it is or is not compilable now (server clock).
    pub messaggio: String,
    /// The deadline in force for this comune.
    pub chiusura: DateTime<Utc>,
    /// The block's reason, when blocked.
    pub blocco: Option<String>,
    /// The receipt number, once sent.
    pub ricevuta: Option<u64>,
    /// See [`cosa_manca`].
    pub manca: Vec<String>,
    /// The window is closed for the comune (listed only when closed ones are asked for).
    #[serde(default)]
    pub chiusa: bool,
}

/// Which campaigns `GET /api/v1/da-fare` lists (query string).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct FiltroDaFare {
    /// Also the campaigns whose window is closed for the comune, after the open ones.
    #[serde(default)]
    pub chiuse: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};

    #[test]
    fn a_form_is_compilable_only_when_state_block_campaign_and_window_allow_it() {
        let adesso = Utc.with_ymd_and_hms(2026, 6, 1, 10, 0, 0).unwrap();
        let finestra = |da: i64, a: i64| Finestra {
            apertura: adesso + Duration::hours(da),
            chiusura: adesso + Duration::hours(a),
            proroghe: Vec::new(),
            proroga_comune: None,
        };
        let aperta = finestra(-1, 1);
        let chiusa = finestra(-2, -1);
        let blocco = Blocco {
            motivo: "Verifica dei servizi cessati".into(),
            quando: adesso,
            da: "regione".into(),
        };
        let pubblicata = StatoCampagna::Pubblicata;
        let c = |stato, b, campagna, f: &Finestra| compilazione(stato, b, campagna, f, adesso);

        let (si, perche) = c(StatoScheda::Bozza, None, pubblicata, &aperta);
        assert!(si);
        assert!(
            perche.starts_with("La compilazione è aperta fino al"),
            "{perche}"
        );
        let (si, perche) = c(StatoScheda::Bozza, None, pubblicata, &chiusa);
        assert!(!si);
        assert!(perche.starts_with("La compilazione è chiusa"), "{perche}");
        // A block closes an open window, with its reason.
        assert_eq!(
            c(StatoScheda::Bozza, Some(&blocco), pubblicata, &aperta),
            (
                false,
                "La scheda è bloccata dalla Regione: Verifica dei servizi cessati".into()
            )
        );
        // Sent and accepted forms say so, whatever an older block left behind.
        assert_eq!(
            c(StatoScheda::Inviata, Some(&blocco), pubblicata, &aperta),
            (false, "La scheda è stata inviata.".into())
        );
        assert!(!c(StatoScheda::Accettata, None, pubblicata, &aperta).0);
        // A campaign not published is closed, even inside its window.
        assert_eq!(
            c(
                StatoScheda::NonIniziata,
                None,
                StatoCampagna::Bozza,
                &aperta
            ),
            (false, "La rilevazione non è ancora pubblicata.".into())
        );
        // A returned form is correctable after the deadline.
        let (si, perche) = c(StatoScheda::Restituita, None, pubblicata, &chiusa);
        assert!(si);
        assert!(
            perche.starts_with("La Regione ha restituito la scheda"),
            "{perche}"
        );
    }
}
