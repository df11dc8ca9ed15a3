//! Funds: the amounts allocated to each comune per source, the interventions a comune plans
//! with them (campaign `interventi`) and their monitoring at the reference date (campaign
//! `monitoraggio`), with the money rules that tie the three together. The same functions run in
//! the browser (on the data loaded with the form) and on the server (on the database's data).
//! Amounts are exact cents ([`Importo`]).

use crate::denaro::Importo;
use crate::frequentanti::{Gravita, Rilievo};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

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

/// Runs the plan's rules: each intervention complete and consistent; per source, the total
/// planned not above the allocation (error) and, below it, a warning asking where the rest goes.
pub fn controlla_interventi(f: &InterventiForm, ctx: &Contesto) -> (Vec<Rilievo>, TotaliFondi) {
    let mut r = Rilievi(Vec::new());
    let mut tot = TotaliFondi::default();
    if f.interventi.len() > VOCI_MAX {
        r.errore(
            "interventi".into(),
            "interventi.troppi",
            format!("Al massimo {VOCI_MAX} interventi."),
        );
        return (r.0, tot);
    }
    let mut visti = std::collections::BTreeSet::new();
    for (i, x) in f.interventi.iter().enumerate() {
        let c = |n: &str| format!("interventi[{i}].{n}");
        if x.id.trim().is_empty() || visti.contains(&x.id) {
            r.errore(
                c("id"),
                "intervento.id",
                "Intervento senza identificativo univoco.".into(),
            );
        }
        visti.insert(x.id.clone());
        let linea = Linea::from_code(x.linea.trim());
        if linea.is_none() {
            r.errore(
                c("linea"),
                "scelta.valore",
                "Scegli la linea di intervento (a, b o c).".into(),
            );
        }
        let fonte = Fonte::from_code(x.fonte.trim());
        if fonte.is_none() {
            r.errore(c("fonte"), "scelta.valore", "Scegli il fondo.".into());
        }
        let n = x.descrizione.trim().chars().count();
        if !(5..=500).contains(&n) {
            r.errore(
                c("descrizione"),
                "testo.lunghezza",
                "Descrivi l'intervento (da 5 a 500 caratteri).".into(),
            );
        } else {
            r.testo_libero(c("descrizione"), &x.descrizione, 500);
        }
        let previsto = r.importo(c("importo_previsto"), &x.importo_previsto, false);
        if previsto == Importo::ZERO && Importo::parse(&x.importo_previsto).is_ok() {
            r.errore(
                c("importo_previsto"),
                "importo.positivo",
                "L'importo previsto deve essere maggiore di zero.".into(),
            );
        }
        let inizio = crate::servizio::regole::parse_data(&x.inizio);
        let fine = crate::servizio::regole::parse_data(&x.fine);
        if inizio.is_none() {
            r.errore(
                c("inizio"),
                "data.formato",
                "Data non valida: usa il formato gg/mm/aaaa.".into(),
            );
        }
        if fine.is_none() {
            r.errore(
                c("fine"),
                "data.formato",
                "Data non valida: usa il formato gg/mm/aaaa.".into(),
            );
        }
        if let (Some(a), Some(b)) = (inizio, fine) {
            if b < a {
                r.errore(
                    c("fine"),
                    "date.ordine",
                    "La fine non può precedere l'inizio.".into(),
                );
            }
        }
        if linea == Some(Linea::Edilizia) && x.servizi.is_empty() {
            r.errore(
                c("servizi"),
                "linea_a.servizi",
                "Gli interventi edilizi (linea a) indicano almeno un servizio.".into(),
            );
        }
        controlla_servizi(&mut r, &c("servizi"), &x.servizi, ctx, inizio);
        aggiungi(&mut tot.previsto, fonte, previsto);
    }
    for fonte in Fonte::ALL {
        let (previsto, assegnato) = (tot.previsto.di(*fonte), ctx.assegnato.di(*fonte));
        if previsto > assegnato {
            r.errore(
                "interventi".into(),
                "totale.oltre_assegnato",
                format!(
                    "{}: il totale previsto (€ {}) supera l'assegnato (€ {}).",
                    fonte.label(),
                    previsto.testo(),
                    assegnato.testo()
                ),
            );
        } else if previsto < assegnato {
            r.avviso(
                "interventi".into(),
                "totale.sotto_assegnato",
                format!(
                    "{}: restano da destinare € {} dell'assegnato: indica nella nota a cosa sono destinati.",
                    fonte.label(),
                    assegnato.meno(previsto).testo()
                ),
            );
        }
    }
    r.testo_libero("nota_residuo".into(), &f.nota_residuo, NOTA_MAX);
    let avvisi = r.0.iter().any(|x| x.gravita == Gravita::Avviso);
    if avvisi && f.nota_residuo.trim().chars().count() < 10 {
        r.errore(
            "nota_residuo".into(),
            "nota_residuo.obbligatoria",
            "Una parte dell'assegnato non è destinata: spiega nella nota (almeno 10 caratteri) a cosa va.".into(),
        );
    }
    (r.0, tot)
}

/// Runs the monitoring's rules: every planned intervention listed; per intervention paid ≤
/// committed ≤ planned, the act (number and date not after the reference date) when something
/// is committed, the amount not used with its reason; new interventions with their reason; per
/// source, the total committed not above the allocation.
pub fn controlla_monitoraggio(f: &MonitoraggioForm, ctx: &Contesto) -> (Vec<Rilievo>, TotaliFondi) {
    let mut r = Rilievi(Vec::new());
    let mut tot = TotaliFondi::default();
    if f.voci.len() > VOCI_MAX || ctx.piano.interventi.len() > VOCI_MAX {
        r.errore(
            "voci".into(),
            "voci.troppe",
            format!("Al massimo {VOCI_MAX} interventi."),
        );
        return (r.0, tot);
    }
    for (j, p) in ctx.piano.interventi.iter().enumerate() {
        if !f.voci.iter().any(|v| !v.nuovo && v.intervento == p.id) {
            r.errore(
                "voci".into(),
                "monitoraggio.intervento_mancante",
                format!(
                    "Manca il monitoraggio dell'intervento {} «{}».",
                    j + 1,
                    p.descrizione.trim()
                ),
            );
        }
    }
    for (i, v) in f.voci.iter().enumerate() {
        let c = |n: &str| format!("voci[{i}].{n}");
        let piano = ctx.piano.interventi.iter().find(|p| p.id == v.intervento);
        let (fonte, previsto, inizio) = match (v.nuovo, piano) {
            (false, Some(p)) => (
                Fonte::from_code(p.fonte.trim()),
                Importo::parse(&p.importo_previsto).ok(),
                crate::servizio::regole::parse_data(&p.inizio),
            ),
            (false, None) => {
                r.errore(
                    c("intervento"),
                    "monitoraggio.intervento_sconosciuto",
                    "Intervento non presente nel piano inviato.".into(),
                );
                (None, None, None)
            }
            (true, _) => {
                if Linea::from_code(v.linea.trim()).is_none() {
                    r.errore(
                        c("linea"),
                        "scelta.valore",
                        "Scegli la linea di intervento (a, b o c).".into(),
                    );
                }
                let fonte = Fonte::from_code(v.fonte.trim());
                if fonte.is_none() {
                    r.errore(c("fonte"), "scelta.valore", "Scegli il fondo.".into());
                }
                if v.descrizione.trim().chars().count() < 5 {
                    r.errore(
                        c("descrizione"),
                        "testo.lunghezza",
                        "Descrivi l'intervento (almeno 5 caratteri).".into(),
                    );
                } else {
                    r.testo_libero(c("descrizione"), &v.descrizione, 500);
                }
                r.testo_libero(c("motivo_nuovo"), &v.motivo_nuovo, NOTA_MAX);
                if v.motivo_nuovo.trim().chars().count() < 10 {
                    r.errore(c("motivo_nuovo"), "nuovo.motivo", "Un intervento non previsto nel piano richiede il motivo (almeno 10 caratteri).".into());
                }
                (fonte, None, None)
            }
        };
        let impegnato = r.importo(c("impegnato"), &v.impegnato, true);
        let liquidato = r.importo(c("liquidato"), &v.liquidato, true);
        let non_utilizzato = r.importo(c("non_utilizzato"), &v.non_utilizzato, true);
        if liquidato > impegnato {
            r.errore(
                c("liquidato"),
                "importo.liquidato_oltre_impegnato",
                format!(
                    "Il liquidato (€ {}) non può superare l'impegnato (€ {}).",
                    liquidato.testo(),
                    impegnato.testo()
                ),
            );
        }
        if let Some(p) = previsto {
            if impegnato > p {
                r.errore(
                    c("impegnato"),
                    "importo.impegnato_oltre_previsto",
                    format!(
                        "L'impegnato (€ {}) non può superare il previsto (€ {}).",
                        impegnato.testo(),
                        p.testo()
                    ),
                );
            }
        }
        if impegnato > Importo::ZERO {
            if v.atto_numero.trim().is_empty() {
                r.errore(
                    c("atto_numero"),
                    "atto.numero",
                    "Indica il numero dell'atto di impegno.".into(),
                );
            }
            match crate::servizio::regole::parse_data(&v.atto_data) {
                None => r.errore(
                    c("atto_data"),
                    "data.formato",
                    "Data dell'atto non valida: usa il formato gg/mm/aaaa.".into(),
                ),
                Some(d) if ctx.data_riferimento.is_some_and(|rif| d > rif) => r.errore(
                    c("atto_data"),
                    "atto.dopo_riferimento",
                    format!(
                        "L'atto è successivo alla data di riferimento ({}).",
                        ctx.data_riferimento
                            .map(crate::tempo::data_italiana)
                            .unwrap_or_default()
                    ),
                ),
                Some(_) => {}
            }
        }
        if crate::fondi::Avanzamento::from_code(v.avanzamento.trim()).is_none() {
            r.errore(
                c("avanzamento"),
                "scelta.valore",
                "Indica lo stato di avanzamento.".into(),
            );
        }
        r.testo_libero(
            c("motivo_non_utilizzato"),
            &v.motivo_non_utilizzato,
            NOTA_MAX,
        );
        if non_utilizzato > Importo::ZERO && v.motivo_non_utilizzato.trim().chars().count() < 5 {
            r.errore(
                c("motivo_non_utilizzato"),
                "non_utilizzato.motivo",
                "Indica perché l'importo non è stato utilizzato.".into(),
            );
        }
        controlla_servizi(
            &mut r,
            &c("servizi_raggiunti"),
            &v.servizi_raggiunti,
            ctx,
            inizio,
        );
        aggiungi(&mut tot.previsto, fonte, previsto.unwrap_or_default());
        aggiungi(&mut tot.impegnato, fonte, impegnato);
        aggiungi(&mut tot.liquidato, fonte, liquidato);
    }
    for fonte in Fonte::ALL {
        let (impegnato, assegnato) = (tot.impegnato.di(*fonte), ctx.assegnato.di(*fonte));
        if impegnato > assegnato {
            r.errore(
                "voci".into(),
                "totale.impegnato_oltre_assegnato",
                format!(
                    "{}: il totale impegnato (€ {}) supera l'assegnato (€ {}).",
                    fonte.label(),
                    impegnato.testo(),
                    assegnato.testo()
                ),
            );
        }
    }
    (r.0, tot)
}

/// The allocation of one source read from a CSV file (`codice ISTAT;importo` per line, `;` or
/// tab separated, or `,` when the amounts use a dot; a header line is skipped; leading zeros
/// dropped by spreadsheets are restored). Every wrong line is reported (the first 20), naming
/// it; a comune listed twice is an error. Nothing is imported unless the whole file is right.
pub fn riparto_da_csv(testo: &str) -> Result<Vec<(String, Importo)>, Vec<String>> {
    let mut righe = Vec::new();
    let mut errori = Vec::new();
    for (i, riga) in testo.trim_start_matches('\u{feff}').lines().enumerate() {
        let riga = riga.trim();
        if riga.is_empty() {
            continue;
        }
        let campi: Vec<&str> = if riga.contains(';') || riga.contains('\t') {
            riga.split([';', '\t']).collect()
        } else {
            riga.split(',').collect()
        };
        let campi: Vec<&str> = campi
            .iter()
            .map(|c| c.trim().trim_matches('"').trim())
            .collect();
        let codice = campi.first().copied().unwrap_or_default();
        if !codice.bytes().all(|b| b.is_ascii_digit()) || codice.is_empty() {
            if i == 0 && righe.is_empty() {
                continue; // header
            }
            errori.push(format!(
                "Riga {}: «{codice}» non è un codice ISTAT di comune.",
                i + 1
            ));
            continue;
        }
        if codice.len() > 6 {
            errori.push(format!(
                "Riga {}: «{codice}» non è un codice ISTAT di comune (6 cifre).",
                i + 1
            ));
            continue;
        }
        let codice = format!("{codice:0>6}");
        match campi.get(1).map(|c| Importo::parse(c)) {
            Some(Ok(imp)) => {
                if righe.iter().any(|(c, _)| *c == codice) {
                    errori.push(format!(
                        "Riga {}: il comune {codice} compare più volte.",
                        i + 1
                    ));
                } else {
                    righe.push((codice, imp));
                }
            }
            Some(Err(m)) => errori.push(format!("Riga {}: {m}", i + 1)),
            None => errori.push(format!("Riga {}: manca l'importo.", i + 1)),
        }
        if righe.len() + errori.len() > 10_000 {
            errori.push("Il file ha più di 10.000 righe: non è un riparto per comune.".into());
            break;
        }
    }
    if righe.is_empty() && errori.is_empty() {
        errori.push("Il file non contiene righe di riparto.".into());
    }
    if errori.is_empty() {
        Ok(righe)
    } else {
        errori.truncate(20);
        Err(errori)
    }
}

#[cfg(test)]
#[path = "test_fondi.rs"]
mod test_fondi;
