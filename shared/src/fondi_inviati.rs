//! The amounts of a funds form as sent: read once, when the form is sent, by the same parser
//! the rules used to accept it, and kept beside the form as typed in exact cents with their
//! line and fund. What reads a sent form's money (the Region's export) reads these and never
//! parses the typed text again.

use crate::denaro::Importo;
use crate::fondi::{Fonte, InterventiForm, Linea, MonitoraggioForm};
use serde::{Deserialize, Serialize};

/// One intervention's amounts as sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct VoceInviata {
    /// The intervention's id in the plan (or the monitoring's own id for one not planned).
    pub intervento: String,
    pub linea: Linea,
    pub fonte: Fonte,
    pub descrizione: String,
    /// Planned; `None` for an intervention monitored but not in the plan.
    pub previsto: Option<Importo>,
    /// Committed (monitoring only).
    pub impegnato: Option<Importo>,
    /// Paid (monitoring only).
    pub liquidato: Option<Importo>,
    /// Not used (monitoring only).
    pub non_utilizzato: Option<Importo>,
}

/// Every intervention's amounts, in the order of the form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct ImportiInviati {
    pub voci: Vec<VoceInviata>,
}

/// Why a form's amounts could not be read: the field (as the rules name it) and the message.
pub type Illeggibile = (String, String);

fn importo(campo: String, raw: &str, facoltativo: bool) -> Result<Importo, Illeggibile> {
    crate::fondi::leggi_importo(raw, facoltativo).map_err(|m| (campo, m.to_owned()))
}

fn codice<T>(campo: String, raw: &str, da: fn(&str) -> Option<T>) -> Result<T, Illeggibile> {
    da(raw.trim()).ok_or_else(|| (campo, "Valore non ammesso.".to_owned()))
}

/// A plan's amounts (the rules accepted `f`: every amount and code reads).
pub fn del_piano(f: &InterventiForm) -> Result<ImportiInviati, Illeggibile> {
    let voci = f
        .interventi
        .iter()
        .enumerate()
        .map(|(i, x)| {
            let c = |n: &str| format!("interventi[{i}].{n}");
            Ok(VoceInviata {
                intervento: x.id.clone(),
                linea: codice(c("linea"), &x.linea, Linea::from_code)?,
                fonte: codice(c("fonte"), &x.fonte, Fonte::from_code)?,
                descrizione: x.descrizione.trim().to_owned(),
                previsto: Some(importo(c("importo_previsto"), &x.importo_previsto, false)?),
                impegnato: None,
                liquidato: None,
                non_utilizzato: None,
            })
        })
        .collect::<Result<Vec<_>, Illeggibile>>()?;
    Ok(ImportiInviati { voci })
}

/// A monitoring's amounts; a planned intervention takes its line, fund, description and
/// planned amount from `piano`, the plan as sent.
pub fn del_monitoraggio(
    f: &MonitoraggioForm,
    piano: &InterventiForm,
) -> Result<ImportiInviati, Illeggibile> {
    let voci = f
        .voci
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let c = |n: &str| format!("voci[{i}].{n}");
            let pianificato = piano
                .interventi
                .iter()
                .enumerate()
                .find(|(_, p)| !v.nuovo && p.id == v.intervento);
            let (linea, fonte, descrizione, previsto) = match pianificato {
                Some((j, p)) => {
                    let c = |n: &str| format!("piano.interventi[{j}].{n}");
                    (
                        codice(c("linea"), &p.linea, Linea::from_code)?,
                        codice(c("fonte"), &p.fonte, Fonte::from_code)?,
                        p.descrizione.trim().to_owned(),
                        Some(importo(c("importo_previsto"), &p.importo_previsto, false)?),
                    )
                }
                None => (
                    codice(c("linea"), &v.linea, Linea::from_code)?,
                    codice(c("fonte"), &v.fonte, Fonte::from_code)?,
                    v.descrizione.trim().to_owned(),
                    None,
                ),
            };
            Ok(VoceInviata {
                intervento: v.intervento.clone(),
                linea,
                fonte,
                descrizione,
                previsto,
                impegnato: Some(importo(c("impegnato"), &v.impegnato, true)?),
                liquidato: Some(importo(c("liquidato"), &v.liquidato, true)?),
                non_utilizzato: Some(importo(c("non_utilizzato"), &v.non_utilizzato, true)?),
            })
        })
        .collect::<Result<Vec<_>, Illeggibile>>()?;
    Ok(ImportiInviati { voci })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fondi::{InterventoForm, MonitoraggioVoceForm};

    fn piano() -> InterventiForm {
        InterventiForm {
            interventi: vec![InterventoForm {
                id: "i1".into(),
                linea: "a".into(),
                fonte: "statale".into(),
                descrizione: " Tetto ".into(),
                importo_previsto: "1.234,5".into(),
                ..Default::default()
            }],
            nota_residuo: String::new(),
        }
    }

    #[test]
    fn a_plan_reads_in_exact_cents_and_an_unreadable_amount_is_named() {
        let i = del_piano(&piano()).unwrap();
        assert_eq!(i.voci[0].previsto, Some(Importo(123_450)));
        assert_eq!(
            (i.voci[0].linea, i.voci[0].fonte),
            (Linea::Edilizia, Fonte::Statale)
        );
        let mut rotto = piano();
        rotto.interventi[0].importo_previsto = "mille".into();
        assert_eq!(
            del_piano(&rotto).unwrap_err().0,
            "interventi[0].importo_previsto"
        );
    }

    #[test]
    fn a_monitoring_takes_the_planned_amount_from_the_plan_and_none_for_a_new_one() {
        let f = MonitoraggioForm {
            voci: vec![
                MonitoraggioVoceForm {
                    intervento: "i1".into(),
                    impegnato: "1.000".into(),
                    ..Default::default()
                },
                MonitoraggioVoceForm {
                    intervento: "n1".into(),
                    nuovo: true,
                    linea: "c".into(),
                    fonte: "regionale".into(),
                    liquidato: "10,01".into(),
                    ..Default::default()
                },
            ],
        };
        let i = del_monitoraggio(&f, &piano()).unwrap();
        assert_eq!(
            (
                i.voci[0].previsto,
                i.voci[0].impegnato,
                i.voci[0].descrizione.as_str()
            ),
            (Some(Importo(123_450)), Some(Importo(100_000)), "Tetto")
        );
        assert_eq!(
            (i.voci[1].previsto, i.voci[1].liquidato, i.voci[1].fonte),
            (None, Some(Importo(1_001)), Fonte::Regionale)
        );
    }
}
