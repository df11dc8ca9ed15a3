//! The children-attending form (rilevazione "frequentanti"): for each service operating at the
//! reference date, children enrolled and attending by age band, of whom with disabilities, and
//! places available. Rules carry an id and a severity: an error blocks sending, a warning asks
//! for a written justification.

/// The longest justification.
pub const GIUSTIFICAZIONE_MAX: usize = 2_000;
/// The most rows a form holds (one per service; no comune has near this many).
pub const RIGHE_MAX: usize = 2_000;

use crate::servizio::TipoServizio;
use serde::{Deserialize, Serialize};

/// Age bands, in months: `[da, a)`.
pub const FASCE: [(u8, u8, &str); 4] = [
    (0, 12, "meno di 12 mesi"),
    (12, 24, "12–24 mesi"),
    (24, 36, "24–36 mesi"),
    (36, 72, "36–72 mesi"),
];

/// One service's row as typed (counts as text, one per band).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(default)]
pub struct RigaForm {
    /// The service's id in the registry.
    pub servizio: String,
    /// Enrolled, one per band of [`FASCE`].
    pub iscritti: Vec<String>,
    /// Attending, one per band.
    pub frequentanti: Vec<String>,
    /// Enrolled children with disabilities.
    pub disabili: String,
    /// Places still available.
    pub posti_disponibili: String,
}

/// The whole form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(default)]
pub struct FrequentantiForm {
    pub righe: Vec<RigaForm>,
    /// Required when a warning is raised (e.g. more enrolled than authorised places).
    pub giustificazione: String,
}

/// What the rules need to know of a service operating at the reference date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct ServizioOperante {
    pub id: String,
    pub denominazione: String,
    pub tipo: TipoServizio,
    pub posti_autorizzati: u16,
    pub eta_min_mesi: u8,
    pub eta_max_mesi: u8,
}

/// Severity of a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Gravita {
    /// Blocks sending.
    Errore,
    /// Needs a written justification before sending.
    Avviso,
}

/// One rule's finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct Rilievo {
    /// `righe[2].iscritti[1]`, `giustificazione`…
    pub campo: String,
    pub regola: String,
    pub gravita: Gravita,
    pub messaggio: String,
}

/// Totals of the form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct Totali {
    pub iscritti: u32,
    pub frequentanti: u32,
    pub disabili: u32,
    pub posti_disponibili: u32,
}

fn conta(v: &str) -> Result<u32, ()> {
    let t = v.trim();
    if t.is_empty() {
        return Ok(0);
    }
    if !t.bytes().all(|b| b.is_ascii_digit()) {
        return Err(());
    }
    t.parse::<u32>().ok().filter(|n| *n <= 10_000).ok_or(())
}

/// Whether band `[da, a)` overlaps the ages `[min, max]` a service admits.
fn fascia_ammessa(s: &ServizioOperante, (da, a): (u8, u8)) -> bool {
    da < s.eta_max_mesi && a > s.eta_min_mesi
}

/// Runs every rule: the findings (errors and warnings, in form order) and the totals.
pub fn controlla(form: &FrequentantiForm, servizi: &[ServizioOperante]) -> (Vec<Rilievo>, Totali) {
    let mut r = Vec::new();
    let mut tot = Totali::default();
    let mut errore = |campo: String, regola: &str, messaggio: String| {
        r.push(Rilievo {
            campo,
            regola: regola.into(),
            gravita: Gravita::Errore,
            messaggio,
        });
    };
    let mut avvisi = Vec::new();
    // More rows than any comune has services: refused at once, nothing else evaluated.
    if form.righe.len() > RIGHE_MAX {
        errore(
            "righe".into(),
            "righe.troppe",
            format!("Al massimo {RIGHE_MAX} righe (una per servizio)."),
        );
        return (r, tot);
    }
    // Indexes, so that every rule costs O(n log n) in the rows and services.
    let presenti: std::collections::BTreeSet<&str> =
        form.righe.iter().map(|x| x.servizio.as_str()).collect();
    let per_id: std::collections::BTreeMap<&str, &ServizioOperante> =
        servizi.iter().map(|s| (s.id.as_str(), s)).collect();
    for s in servizi {
        if !presenti.contains(s.id.as_str()) {
            errore(
                "righe".into(),
                "righe.servizio_mancante",
                format!("Manca la riga del servizio «{}».", s.denominazione),
            );
        }
    }
    for (i, riga) in form.righe.iter().enumerate() {
        let Some(s) = per_id.get(riga.servizio.as_str()).copied() else {
            errore(
                format!("righe[{i}]"),
                "righe.servizio_sconosciuto",
                "Servizio non operante alla data di riferimento in questo comune.".into(),
            );
            continue;
        };
        let mut iscritti_riga = 0u32;
        for (f, (da, a, nome)) in FASCE.iter().enumerate() {
            let campo_i = format!("righe[{i}].iscritti[{f}]");
            let campo_f = format!("righe[{i}].frequentanti[{f}]");
            let isc = conta(riga.iscritti.get(f).map_or("", String::as_str));
            let fre = conta(riga.frequentanti.get(f).map_or("", String::as_str));
            for (campo, v) in [(&campo_i, &isc), (&campo_f, &fre)] {
                if v.is_err() {
                    errore(
                        campo.clone(),
                        "conteggio.intero",
                        "Inserisci un numero intero da 0 a 10.000.".into(),
                    );
                }
            }
            let (isc, fre) = (isc.unwrap_or(0), fre.unwrap_or(0));
            if fre > isc {
                errore(
                    campo_f.clone(),
                    "frequentanti.iscritti",
                    format!("I frequentanti ({nome}) non possono superare gli iscritti."),
                );
            }
            if !fascia_ammessa(s, (*da, *a)) && (isc > 0 || fre > 0) {
                errore(
                    campo_i.clone(),
                    "fascia.non_ammessa",
                    format!(
                        "Il servizio accoglie bambini da {} a {} mesi: la fascia {nome} deve essere 0.",
                        s.eta_min_mesi, s.eta_max_mesi
                    ),
                );
            }
            iscritti_riga += isc;
            tot.iscritti += isc;
            tot.frequentanti += fre;
        }
        match conta(&riga.disabili) {
            Err(()) => errore(
                format!("righe[{i}].disabili"),
                "conteggio.intero",
                "Inserisci un numero intero da 0 a 10.000.".into(),
            ),
            Ok(d) if d > iscritti_riga => errore(
                format!("righe[{i}].disabili"),
                "disabili.iscritti",
                "I bambini con disabilità non possono superare gli iscritti.".into(),
            ),
            Ok(d) => tot.disabili += d,
        }
        match conta(&riga.posti_disponibili) {
            Err(()) => errore(
                format!("righe[{i}].posti_disponibili"),
                "conteggio.intero",
                "Inserisci un numero intero da 0 a 10.000.".into(),
            ),
            Ok(p) => tot.posti_disponibili += p,
        }
        if iscritti_riga > u32::from(s.posti_autorizzati) {
            avvisi.push(Rilievo {
                campo: format!("righe[{i}]"),
                regola: "iscritti.posti".into(),
                gravita: Gravita::Avviso,
                messaggio: format!(
                    "«{}»: {iscritti_riga} iscritti superano i {} posti autorizzati. Spiega il motivo nella giustificazione.",
                    s.denominazione, s.posti_autorizzati
                ),
            });
        }
    }
    if !avvisi.is_empty() && form.giustificazione.trim().chars().count() < 10 {
        avvisi.push(Rilievo {
            campo: "giustificazione".into(),
            regola: "giustificazione.obbligatoria".into(),
            gravita: Gravita::Errore,
            messaggio:
                "Ci sono avvisi: scrivi una giustificazione (almeno 10 caratteri) prima di inviare."
                    .into(),
        });
    }
    if form.giustificazione.trim().chars().count() > GIUSTIFICAZIONE_MAX {
        r.push(Rilievo {
            campo: "giustificazione".into(),
            regola: "testo.lunghezza".into(),
            gravita: Gravita::Errore,
            messaggio: format!("Al massimo {GIUSTIFICAZIONE_MAX} caratteri."),
        });
    } else if form
        .giustificazione
        .chars()
        .any(crate::text::nascosto_su_piu_righe)
    {
        r.push(Rilievo {
            campo: "giustificazione".into(),
            regola: "testo.caratteri_controllo".into(),
            gravita: Gravita::Errore,
            messaggio: "Contiene caratteri di controllo o invisibili.".into(),
        });
    }
    r.extend(avvisi);
    (r, tot)
}

/// The services of the registry operating at the reference date: active ones, and suspended
/// or ceased ones whose status started after that date; authorised by then.
pub fn operanti(
    servizi: &[crate::servizio::ServizioScheda],
    data_riferimento: chrono::NaiveDate,
) -> Vec<ServizioOperante> {
    use crate::servizio::StatoServizio;
    servizi
        .iter()
        .filter(|s| s.dati.autorizzazione_data <= data_riferimento)
        .filter(|s| match s.dati.stato {
            StatoServizio::Attivo => true,
            _ => s.dati.stato_dal.is_some_and(|d| d > data_riferimento),
        })
        .map(ServizioOperante::da_scheda)
        .collect()
}

/// The services active now (the ones a preliminary declaration covers).
pub fn attivi(servizi: &[crate::servizio::ServizioScheda]) -> Vec<ServizioOperante> {
    servizi
        .iter()
        .filter(|s| s.dati.stato == crate::servizio::StatoServizio::Attivo)
        .map(ServizioOperante::da_scheda)
        .collect()
}

impl ServizioOperante {
    /// What the form's rules need of a registry record.
    pub fn da_scheda(s: &crate::servizio::ServizioScheda) -> Self {
        Self {
            id: s.id.clone(),
            denominazione: s.dati.denominazione.clone(),
            tipo: s.dati.tipo,
            posti_autorizzati: s.dati.posti_autorizzati,
            eta_min_mesi: s.dati.eta_min_mesi,
            eta_max_mesi: s.dati.eta_max_mesi,
        }
    }
}

/// Whether the findings allow sending (no error).
pub fn inviabile(rilievi: &[Rilievo]) -> bool {
    rilievi.iter().all(|r| r.gravita != Gravita::Errore)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nido() -> ServizioOperante {
        ServizioOperante {
            id: "n1".into(),
            denominazione: "Nido Il Girasole".into(),
            tipo: TipoServizio::NidoInfanzia,
            posti_autorizzati: 20,
            eta_min_mesi: 3,
            eta_max_mesi: 36,
        }
    }

    fn riga(iscritti: [&str; 4], frequentanti: [&str; 4]) -> RigaForm {
        RigaForm {
            servizio: "n1".into(),
            iscritti: iscritti.iter().map(|s| s.to_string()).collect(),
            frequentanti: frequentanti.iter().map(|s| s.to_string()).collect(),
            disabili: "0".into(),
            posti_disponibili: "2".into(),
        }
    }

    fn regole(form: &FrequentantiForm) -> Vec<(String, String)> {
        controlla(form, &[nido()])
            .0
            .into_iter()
            .map(|r| (r.campo, r.regola))
            .collect()
    }

    #[test]
    fn a_consistent_form_has_no_findings_and_its_totals() {
        let mut r = riga(["4", "8", "6", "0"], ["4", "7", "6", ""]);
        r.disabili = "1".into();
        let f = FrequentantiForm {
            righe: vec![r],
            ..Default::default()
        };
        let (r, t) = controlla(&f, &[nido()]);
        assert!(r.is_empty(), "{r:?}");
        assert_eq!(
            (t.iscritti, t.frequentanti, t.disabili, t.posti_disponibili),
            (18, 17, 1, 2)
        );
    }

    #[test]
    fn each_broken_count_is_an_error_on_its_cell() {
        let cases = [
            (
                riga(["-1", "0", "0", "0"], ["0", "0", "0", "0"]),
                "righe[0].iscritti[0]",
                "conteggio.intero",
            ),
            (
                riga(["1,5", "0", "0", "0"], ["0", "0", "0", "0"]),
                "righe[0].iscritti[0]",
                "conteggio.intero",
            ),
            (
                riga(["2", "0", "0", "0"], ["3", "0", "0", "0"]),
                "righe[0].frequentanti[0]",
                "frequentanti.iscritti",
            ),
            (
                riga(["1", "0", "0", "2"], ["1", "0", "0", "0"]),
                "righe[0].iscritti[3]",
                "fascia.non_ammessa",
            ),
        ];
        for (riga, campo, regola) in cases {
            let f = FrequentantiForm {
                righe: vec![riga],
                ..Default::default()
            };
            assert_eq!(regole(&f), vec![(campo.to_owned(), regola.to_owned())]);
        }
        let mut r = riga(["1", "0", "0", "0"], ["1", "0", "0", "0"]);
        r.disabili = "2".into();
        let f = FrequentantiForm {
            righe: vec![r],
            ..Default::default()
        };
        assert_eq!(
            regole(&f),
            vec![(
                "righe[0].disabili".to_owned(),
                "disabili.iscritti".to_owned()
            )]
        );
        let vuoto = FrequentantiForm::default();
        assert_eq!(
            regole(&vuoto),
            vec![("righe".to_owned(), "righe.servizio_mancante".to_owned())]
        );
    }

    #[test]
    fn more_enrolled_than_places_is_a_warning_that_needs_a_justification() {
        let mut f = FrequentantiForm {
            righe: vec![riga(["5", "10", "10", "0"], ["5", "10", "10", "0"])],
            ..Default::default()
        };
        let (r, _) = controlla(&f, &[nido()]);
        let gravita: Vec<(Gravita, &str)> =
            r.iter().map(|x| (x.gravita, x.regola.as_str())).collect();
        assert_eq!(
            gravita,
            vec![
                (Gravita::Avviso, "iscritti.posti"),
                (Gravita::Errore, "giustificazione.obbligatoria")
            ]
        );
        assert!(!inviabile(&r));
        f.giustificazione = "Deroga temporanea concessa dall'ASL".into();
        let (r, _) = controlla(&f, &[nido()]);
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].gravita, Gravita::Avviso);
        assert!(inviabile(&r));
    }
}
