//! The registry of early-childhood services (anagrafica servizi educativi 0-6): the record's
//! types and views. The form and its rules are in [`regole`]; the list's filters and pages in
//! `elenco`.

mod elenco;
pub mod regole;
#[cfg(test)]
mod test_regole;

pub use elenco::*;

use crate::codici;
use crate::comune::ComuneRef;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

codici! {
    /// Type of service (D.Lgs. 65/2017 art. 2 and regional rules).
    TipoServizio {
        NidoInfanzia => ("nido_infanzia", "Nido d'infanzia"),
        Micronido => ("micronido", "Micronido"),
        SezionePrimavera => ("sezione_primavera", "Sezione primavera"),
        CentroBambiniFamiglie => ("centro_bambini_famiglie", "Centro per bambini e famiglie"),
        SpazioGioco => ("spazio_gioco", "Spazio gioco"),
        Domiciliare => ("domiciliare", "Servizio educativo in contesto domiciliare / nido in famiglia"),
        BabyParking => ("baby_parking", "Baby parking / centro di custodia oraria"),
    }
}

impl TipoServizio {
    /// Plausible authorised places (inclusive).
    pub fn posti_ammessi(self) -> (u16, u16) {
        match self {
            TipoServizio::NidoInfanzia => (10, 120),
            TipoServizio::Micronido => (5, 30),
            TipoServizio::SezionePrimavera => (5, 20),
            TipoServizio::CentroBambiniFamiglie | TipoServizio::SpazioGioco => (5, 60),
            TipoServizio::Domiciliare => (1, 5),
            TipoServizio::BabyParking => (1, 40),
        }
    }

    /// Admitted ages in months (inclusive bounds); 36–72 is the 3-6 side, where the type has it.
    pub fn eta_ammesse(self) -> (u8, u8) {
        match self {
            TipoServizio::NidoInfanzia | TipoServizio::Micronido | TipoServizio::Domiciliare => {
                (3, 36)
            }
            TipoServizio::SezionePrimavera => (24, 36),
            TipoServizio::SpazioGioco => (12, 36),
            TipoServizio::CentroBambiniFamiglie => (3, 72),
            TipoServizio::BabyParking => (13, 72),
        }
    }
}

codici! {
    /// Ownership.
    Titolarita {
        Pubblica => ("pubblica", "Pubblica"),
        Privata => ("privata", "Privata"),
    }
}

codici! {
    /// Management.
    Gestione {
        Diretta => ("diretta", "Diretta"),
        Indiretta => ("indiretta", "Indiretta (appalto o concessione)"),
        PrivataConvenzionata => ("privata_convenzionata", "Privata convenzionata"),
        Privata => ("privata", "Privata"),
    }
}

impl Gestione {
    /// Whether this management is possible for the ownership.
    pub fn compatibile(self, titolarita: Titolarita) -> bool {
        match titolarita {
            Titolarita::Pubblica => matches!(self, Gestione::Diretta | Gestione::Indiretta),
            Titolarita::Privata => {
                matches!(self, Gestione::PrivataConvenzionata | Gestione::Privata)
            }
        }
    }
}

codici! {
    /// Status of a service. Ceased is final.
    StatoServizio {
        Attivo => ("attivo", "Attivo"),
        Sospeso => ("sospeso", "Sospeso"),
        Cessato => ("cessato", "Cessato"),
    }
}

/// Italian month names, January first (for opening months).
pub const MESI: [&str; 12] = [
    "gennaio",
    "febbraio",
    "marzo",
    "aprile",
    "maggio",
    "giugno",
    "luglio",
    "agosto",
    "settembre",
    "ottobre",
    "novembre",
    "dicembre",
];

/// A service's data once its rules passed: typed, trimmed, normalized. Built only by
/// [`regole::ServizioValido::parse`] on input; read back from storage as it was stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct ServizioDati {
    pub denominazione: String,
    pub tipo: TipoServizio,
    pub titolarita: Titolarita,
    pub gestione: Gestione,
    pub titolare_denominazione: String,
    /// Codice fiscale (16) or partita IVA (11), upper case.
    pub titolare_codice_fiscale: String,
    pub indirizzo: String,
    pub numero_civico: String,
    pub cap: String,
    pub posti_autorizzati: u16,
    pub eta_min_mesi: u8,
    pub eta_max_mesi: u8,
    pub autorizzazione_numero: String,
    pub autorizzazione_data: NaiveDate,
    pub autorizzazione_ente: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pec: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub telefono: Option<String>,
    /// Opening months, 1–12, ascending.
    pub mesi_apertura: Vec<u8>,
    /// `HH:MM`.
    pub orario_apertura: String,
    /// `HH:MM`.
    pub orario_chiusura: String,
    pub stato: StatoServizio,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stato_dal: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stato_motivo: Option<String>,
}

/// A stored service as `GET /api/v1/servizi/{id}` returns it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct ServizioScheda {
    pub id: String,
    /// Incremented at every change; a save must carry the version it was based on.
    pub versione: u64,
    pub comune: ComuneRef,
    pub sigla_provincia: String,
    pub dati: ServizioDati,
    /// RFC 3339, server clock.
    pub creato: String,
    /// RFC 3339, server clock.
    pub aggiornato: String,
}

/// One row of a list of services.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct ServizioRiga {
    pub id: String,
    pub denominazione: String,
    pub tipo: TipoServizio,
    pub titolarita: Titolarita,
    pub stato: StatoServizio,
    pub posti_autorizzati: u16,
    pub comune: ComuneRef,
    pub sigla_provincia: String,
    pub versione: u64,
}

/// One field changed by one edit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct Modifica {
    /// Field name (`posti_autorizzati`).
    pub campo: String,
    /// Value before, as shown to people (empty when absent).
    pub prima: String,
    /// Value after.
    pub dopo: String,
}

/// One entry of a service's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct StoriaVoce {
    /// RFC 3339, server clock.
    pub quando: String,
    /// Username.
    pub attore: Option<String>,
    /// `creazione`, `modifica`.
    pub azione: String,
    /// Version after the change.
    pub versione: Option<u64>,
    pub modifiche: Vec<Modifica>,
}

/// A service record id: 1–64 ASCII letters, digits, `_` or `-`.
pub fn id_valido(id: &str) -> bool {
    (1..=64).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// Every field of the form, in form order, with its Italian label.
pub const CAMPI: &[(&str, &str)] = &[
    ("denominazione", "Denominazione"),
    ("tipo", "Tipologia"),
    ("titolarita", "Titolarità"),
    ("gestione", "Gestione"),
    ("titolare_denominazione", "Titolare (denominazione)"),
    (
        "titolare_codice_fiscale",
        "Codice fiscale o partita IVA del titolare",
    ),
    ("indirizzo", "Indirizzo"),
    ("numero_civico", "Numero civico"),
    ("cap", "CAP"),
    ("posti_autorizzati", "Posti autorizzati"),
    ("eta_min_mesi", "Età minima (mesi)"),
    ("eta_max_mesi", "Età massima (mesi)"),
    (
        "autorizzazione_numero",
        "Numero autorizzazione al funzionamento",
    ),
    ("autorizzazione_data", "Data autorizzazione"),
    (
        "autorizzazione_ente",
        "Ente che ha rilasciato l'autorizzazione",
    ),
    ("email", "E-mail"),
    ("pec", "PEC"),
    ("telefono", "Telefono"),
    ("mesi_apertura", "Mesi di apertura"),
    ("orario_apertura", "Orario di apertura"),
    ("orario_chiusura", "Orario di chiusura"),
    ("stato", "Stato"),
    ("stato_dal", "Stato in vigore dal"),
    ("stato_motivo", "Motivo dello stato"),
];

/// The Italian label of a field (the name itself if unknown).
pub fn etichetta(campo: &str) -> &str {
    CAMPI
        .iter()
        .find(|(c, _)| *c == campo)
        .map_or(campo, |(_, l)| *l)
}

impl ServizioDati {
    /// Each field's value as shown to people, in form order (for history and exports).
    pub fn valori(&self) -> Vec<(&'static str, String)> {
        let opt = |v: &Option<String>| v.clone().unwrap_or_default();
        let mesi = self
            .mesi_apertura
            .iter()
            .filter_map(|m| MESI.get(usize::from(*m).wrapping_sub(1)))
            .copied()
            .collect::<Vec<_>>()
            .join(", ");
        vec![
            ("denominazione", self.denominazione.clone()),
            ("tipo", self.tipo.label().to_owned()),
            ("titolarita", self.titolarita.label().to_owned()),
            ("gestione", self.gestione.label().to_owned()),
            (
                "titolare_denominazione",
                self.titolare_denominazione.clone(),
            ),
            (
                "titolare_codice_fiscale",
                self.titolare_codice_fiscale.clone(),
            ),
            ("indirizzo", self.indirizzo.clone()),
            ("numero_civico", self.numero_civico.clone()),
            ("cap", self.cap.clone()),
            ("posti_autorizzati", self.posti_autorizzati.to_string()),
            ("eta_min_mesi", self.eta_min_mesi.to_string()),
            ("eta_max_mesi", self.eta_max_mesi.to_string()),
            ("autorizzazione_numero", self.autorizzazione_numero.clone()),
            (
                "autorizzazione_data",
                crate::tempo::data_italiana(self.autorizzazione_data),
            ),
            ("autorizzazione_ente", self.autorizzazione_ente.clone()),
            ("email", opt(&self.email)),
            ("pec", opt(&self.pec)),
            ("telefono", opt(&self.telefono)),
            ("mesi_apertura", mesi),
            ("orario_apertura", self.orario_apertura.clone()),
            ("orario_chiusura", self.orario_chiusura.clone()),
            ("stato", self.stato.label().to_owned()),
            (
                "stato_dal",
                self.stato_dal
                    .map(crate::tempo::data_italiana)
                    .unwrap_or_default(),
            ),
            ("stato_motivo", opt(&self.stato_motivo)),
        ]
    }

    /// The fields that differ from `prima`, with both values as shown to people.
    pub fn differenze(&self, prima: &ServizioDati) -> Vec<Modifica> {
        prima
            .valori()
            .into_iter()
            .zip(self.valori())
            .filter(|((_, a), (_, b))| a != b)
            .map(|((campo, a), (_, b))| Modifica {
                campo: campo.to_owned(),
                prima: a,
                dopo: b,
            })
            .collect()
    }
}
