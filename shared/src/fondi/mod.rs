//! Funds: the amounts allocated to each comune per source, the interventions a comune plans
//! with them (campaign `interventi`) and their monitoring at the reference date (campaign
//! `monitoraggio`), with the money rules that tie the three together. The same functions run in
//! the browser (on the data loaded with the form) and on the server (on the database's data).
//! Amounts are exact cents ([`Importo`]).

use crate::denaro::Importo;
use crate::frequentanti::{Gravita, Rilievo};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

mod interventi;
mod monitoraggio;
mod riparto;
#[cfg(test)]
mod test_fondi;

pub use interventi::*;
pub use monitoraggio::*;
pub use riparto::*;

crate::codici! {
    /// Source of a fund.
    Fonte {
        Statale => ("statale", "Fondo statale (Piano nazionale 0-6)"),
        Regionale => ("regionale", "Fondo regionale"),
    }
}

crate::codici! {
    /// Lines of use of the funds, D.Lgs. 65/2017 art. 8.
    Linea {
        Edilizia => ("a", "a) Interventi edilizi: nuove costruzioni, ristrutturazione, messa in sicurezza, risparmio energetico di edifici pubblici"),
        Gestione => ("b", "b) Quota delle spese di gestione dei servizi"),
        Formazione => ("c", "c) Formazione continua del personale e coordinamento pedagogico territoriale"),
    }
}

crate::codici! {
    /// Progress of an intervention.
    Avanzamento {
        NonAvviato => ("non_avviato", "Non avviato"),
        InCorso => ("in_corso", "In corso"),
        Concluso => ("concluso", "Concluso"),
    }
}

/// A comune's allocation for a funding year: the amount per source.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct Assegnato {
    pub statale: Importo,
    pub regionale: Importo,
}

impl Assegnato {
    /// The amount of one source.
    pub fn di(&self, f: Fonte) -> Importo {
        match f {
            Fonte::Statale => self.statale,
            Fonte::Regionale => self.regionale,
        }
    }
}

/// One comune's row of a year's allocation (Region's view).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct RigaRiparto {
    pub comune: crate::comune::ComuneRef,
    pub assegnato: Assegnato,
}

/// The outcome of an allocation import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct RiepilogoRiparto {
    pub annualita: u16,
    pub fonte: Fonte,
    /// Comuni with an amount.
    pub comuni: usize,
    pub totale: Importo,
}

/// What the rules need to know of a registry service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct ServizioFondi {
    pub id: String,
    pub denominazione: String,
    /// When it ceased, if it did.
    pub cessato_dal: Option<NaiveDate>,
}

/// One planned intervention as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(default)]
pub struct InterventoForm {
    /// Stable id given when the row is added (the monitoring refers to it).
    pub id: String,
    /// `a`, `b` or `c`.
    pub linea: String,
    /// `statale` or `regionale`.
    pub fonte: String,
    pub descrizione: String,
    /// Registry ids of the services concerned (required for line a).
    pub servizi: Vec<String>,
    pub importo_previsto: String,
    /// `gg/mm/aaaa`.
    pub inizio: String,
    /// `gg/mm/aaaa`.
    pub fine: String,
}

/// The plan as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(default)]
pub struct InterventiForm {
    pub interventi: Vec<InterventoForm>,
    /// Where the part of the allocation not planned goes (needed when the plan is below it).
    pub nota_residuo: String,
}

/// One intervention's monitoring as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(default)]
pub struct MonitoraggioVoceForm {
    /// The planned intervention's id, or a new id for an intervention not in the plan.
    pub intervento: String,
    /// Not in the plan: then `linea`, `fonte`, `descrizione` and `motivo_nuovo` are needed.
    pub nuovo: bool,
    pub linea: String,
    pub fonte: String,
    pub descrizione: String,
    pub motivo_nuovo: String,
    pub impegnato: String,
    pub atto_numero: String,
    /// `gg/mm/aaaa`.
    pub atto_data: String,
    pub liquidato: String,
    /// `non_avviato`, `in_corso`, `concluso`.
    pub avanzamento: String,
    pub servizi_raggiunti: Vec<String>,
    pub non_utilizzato: String,
    pub motivo_non_utilizzato: String,
}

/// The monitoring form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(default)]
pub struct MonitoraggioForm {
    pub voci: Vec<MonitoraggioVoceForm>,
}

/// What the rules read besides the form: the allocation, the registry, the reference date and
/// (for the monitoring) the plan as sent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct Contesto {
    pub assegnato: Assegnato,
    pub servizi: Vec<ServizioFondi>,
    pub data_riferimento: Option<NaiveDate>,
    pub piano: InterventiForm,
}

/// Totals per source.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct TotaliFondi {
    pub previsto: Assegnato,
    pub impegnato: Assegnato,
    pub liquidato: Assegnato,
}

struct Rilievi(Vec<Rilievo>);

/// The longest note or reason in a funds form.
pub const NOTA_MAX: usize = 2_000;
/// The most interventions a plan or a monitoring holds.
pub const VOCI_MAX: usize = 500;
/// The most services one intervention reaches.
pub const SERVIZI_PER_VOCE_MAX: usize = 1_000;

impl Rilievi {
    fn errore(&mut self, campo: String, regola: &str, messaggio: String) {
        self.0.push(Rilievo {
            campo,
            regola: regola.into(),
            gravita: Gravita::Errore,
            messaggio,
        });
    }
    fn avviso(&mut self, campo: String, regola: &str, messaggio: String) {
        self.0.push(Rilievo {
            campo,
            regola: regola.into(),
            gravita: Gravita::Avviso,
            messaggio,
        });
    }
    /// A free text's limits: at most `max` characters, nothing hidden (line breaks allowed).
    fn testo_libero(&mut self, campo: String, v: &str, max: usize) {
        if v.trim().chars().count() > max {
            self.errore(
                campo,
                "testo.lunghezza",
                format!("Al massimo {max} caratteri."),
            );
        } else if v.chars().any(crate::text::nascosto_su_piu_righe) {
            self.errore(
                campo,
                "testo.caratteri_controllo",
                "Contiene caratteri di controllo o invisibili.".into(),
            );
        }
    }
    /// An amount, or an error on `campo` (empty is zero when `facoltativo`).
    fn importo(&mut self, campo: String, raw: &str, facoltativo: bool) -> Importo {
        leggi_importo(raw, facoltativo).unwrap_or_else(|m| {
            self.errore(campo, "importo.formato", m.into());
            Importo::ZERO
        })
    }
}

/// An amount of a funds form as typed (empty is zero when `facoltativo`): the one reading the
/// rules and the sent amounts ([`crate::fondi_inviati`]) share.
pub fn leggi_importo(raw: &str, facoltativo: bool) -> Result<Importo, &'static str> {
    if facoltativo && raw.trim().is_empty() {
        return Ok(Importo::ZERO);
    }
    Importo::parse(raw)
}

fn aggiungi(a: &mut Assegnato, f: Option<Fonte>, i: Importo) {
    match f {
        Some(Fonte::Statale) => a.statale = Importo(a.statale.0.saturating_add(i.0)),
        Some(Fonte::Regionale) => a.regionale = Importo(a.regionale.0.saturating_add(i.0)),
        None => {}
    }
}

/// Checks that `servizi` are services of the comune that had not ceased before `inizio`.
fn controlla_servizi(
    r: &mut Rilievi,
    campo: &str,
    servizi: &[String],
    ctx: &Contesto,
    inizio: Option<NaiveDate>,
) {
    if servizi.len() > SERVIZI_PER_VOCE_MAX {
        r.errore(
            campo.to_owned(),
            "servizi.troppi",
            format!("Al massimo {SERVIZI_PER_VOCE_MAX} servizi per intervento."),
        );
        return;
    }
    let per_id: std::collections::BTreeMap<&str, _> =
        ctx.servizi.iter().map(|s| (s.id.as_str(), s)).collect();
    for id in servizi {
        match per_id.get(id.as_str()).copied() {
            None => r.errore(
                campo.to_owned(),
                "servizio.sconosciuto",
                "Servizio non presente nell'anagrafica del comune.".into(),
            ),
            Some(s) => {
                if let (Some(c), Some(i)) = (s.cessato_dal, inizio) {
                    if c < i {
                        r.errore(
                            campo.to_owned(),
                            "servizio.cessato_prima",
                            format!(
                                "«{}» è cessato il {}, prima dell'inizio dell'intervento: non può esserne destinatario.",
                                s.denominazione,
                                crate::tempo::data_italiana(c)
                            ),
                        );
                    }
                }
            }
        }
    }
}
