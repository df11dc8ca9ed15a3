//! A comune's form values by the campaign's kind: what a draft saves and a sending fixes.

use super::TipoCampagna;
use crate::fondi::{InterventiForm, MonitoraggioForm};
use crate::frequentanti::FrequentantiForm;
use serde::Serialize;

/// The values of a form, of the kind its campaign collects. Written as the form itself (no
/// tag: the campaign says which it is), read back with [`DatiScheda::da_json`].
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum DatiScheda {
    Frequentanti(FrequentantiForm),
    Interventi(InterventiForm),
    Monitoraggio(MonitoraggioForm),
}

impl DatiScheda {
    /// `v` read as the form of a `tipo` campaign (fields it does not have are dropped).
    pub fn da_json(tipo: TipoCampagna, v: serde_json::Value) -> Result<Self, serde_json::Error> {
        Ok(match tipo {
            TipoCampagna::Frequentanti => Self::Frequentanti(serde_json::from_value(v)?),
            TipoCampagna::Interventi => Self::Interventi(serde_json::from_value(v)?),
            TipoCampagna::Monitoraggio => Self::Monitoraggio(serde_json::from_value(v)?),
        })
    }

    /// The children-attending form, if this is one.
    pub fn frequentanti(self) -> Option<FrequentantiForm> {
        match self {
            Self::Frequentanti(f) => Some(f),
            _ => None,
        }
    }

    /// The plan of interventions, if this is one.
    pub fn interventi(self) -> Option<InterventiForm> {
        match self {
            Self::Interventi(f) => Some(f),
            _ => None,
        }
    }

    /// The monitoring, if this is one.
    pub fn monitoraggio(self) -> Option<MonitoraggioForm> {
        match self {
            Self::Monitoraggio(f) => Some(f),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_read_as_their_campaigns_kind_and_written_back_untagged() {
        let v = serde_json::json!({ "interventi": [], "nota_residuo": "x", "estraneo": 1 });
        let d = DatiScheda::da_json(TipoCampagna::Interventi, v).unwrap();
        assert_eq!(
            serde_json::to_value(&d).unwrap(),
            serde_json::to_value(InterventiForm {
                nota_residuo: "x".into(),
                ..Default::default()
            })
            .unwrap()
        );
        assert!(d.clone().interventi().is_some());
        assert!(d.monitoraggio().is_none());
        assert!(
            DatiScheda::da_json(TipoCampagna::Frequentanti, serde_json::json!("testo")).is_err()
        );
    }
}
