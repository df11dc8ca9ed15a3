//! Forms of the Region's campaign management (new campaign, extension, block and unlock) and
//! their rules, and the campaign and form views the API returns.

use crate::campagna::{parse_data_ora, StatoCampagna, TipoCampagna};
use crate::comune::{CodiceIstat, ComuneRef};
use crate::error::{ApiError, FieldError};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// A new campaign as typed by a regional official.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(default)]
pub struct CampagnaForm {
    pub tipo: String,
    pub titolo: String,
    pub annualita: String,
    /// `gg/mm/aaaa`.
    pub data_riferimento: String,
    /// `gg/mm/aaaa hh:mm`, Italian time.
    pub apertura: String,
    /// `gg/mm/aaaa hh:mm`, Italian time.
    pub chiusura: String,
    /// ISTAT codes of the eligible comuni (separated by spaces, commas, semicolons or new
    /// lines, as pasted from a CSV column); empty: every comune of the Region.
    pub comuni: String,
}

impl CampagnaForm {
    /// The form that gives back `d` (to edit a draft campaign).
    pub fn da_dati(d: &CampagnaDati) -> Self {
        use crate::campagna::testo_data_ora;
        CampagnaForm {
            tipo: d.tipo.code().to_owned(),
            titolo: d.titolo.clone(),
            annualita: d.annualita.to_string(),
            data_riferimento: crate::tempo::data_italiana(d.data_riferimento),
            apertura: testo_data_ora(d.apertura),
            chiusura: testo_data_ora(d.chiusura),
            comuni: d.comuni_ammessi.as_deref().unwrap_or_default().join("\n"),
        }
    }
}

/// A campaign's data once its rules passed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct CampagnaDati {
    pub tipo: TipoCampagna,
    pub titolo: String,
    pub annualita: u16,
    pub data_riferimento: NaiveDate,
    pub apertura: DateTime<Utc>,
    /// The closing time first announced (extensions are kept apart).
    pub chiusura: DateTime<Utc>,
    /// `None`: every comune of the Region.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comuni_ammessi: Option<Vec<String>>,
}

fn errore(campo: &str, regola: &str, messaggio: &str) -> FieldError {
    FieldError::new(campo, regola, messaggio)
}

/// Runs the rules of a new campaign.
pub fn controlla_campagna(f: &CampagnaForm) -> Result<CampagnaDati, ApiError> {
    let mut e = Vec::new();
    let tipo = TipoCampagna::from_code(f.tipo.trim());
    if tipo.is_none() {
        e.push(errore(
            "tipo",
            "scelta.valore",
            "Scegli il tipo di rilevazione.",
        ));
    }
    let titolo = f.titolo.trim().to_owned();
    let n = titolo.chars().count();
    if !(3..=150).contains(&n) || titolo.chars().any(crate::text::nascosto) {
        e.push(errore(
            "titolo",
            "testo.lunghezza",
            "Il titolo ha da 3 a 150 caratteri, su una riga.",
        ));
    }
    let annualita = f
        .annualita
        .trim()
        .parse::<u16>()
        .ok()
        .filter(|a| (2015..=2100).contains(a));
    if annualita.is_none() {
        e.push(errore(
            "annualita",
            "annualita.valore",
            "L'annualità è un anno tra il 2015 e il 2100.",
        ));
    }
    let data_riferimento = crate::servizio::regole::parse_data(&f.data_riferimento);
    if data_riferimento.is_none() {
        e.push(errore(
            "data_riferimento",
            "data.formato",
            "Data non valida: usa il formato gg/mm/aaaa.",
        ));
    }
    let apertura = parse_data_ora(&f.apertura)
        .map_err(|m| e.push(errore("apertura", "data_ora.formato", m)))
        .ok();
    let chiusura = parse_data_ora(&f.chiusura)
        .map_err(|m| e.push(errore("chiusura", "data_ora.formato", m)))
        .ok();
    if let (Some(a), Some(c)) = (apertura, chiusura) {
        if c <= a {
            e.push(errore(
                "chiusura",
                "finestra.ordine",
                "La chiusura deve essere successiva all'apertura.",
            ));
        }
    }
    let mut comuni: Vec<String> = f
        .comuni
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | ';'))
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect();
    if let Some(male) = comuni.iter().find(|c| CodiceIstat::parse(c).is_err()) {
        e.push(FieldError {
            field: "comuni".into(),
            rule: "comuni.codice".into(),
            message: format!("«{male}» non è un codice ISTAT di comune (6 cifre, es. 001272)."),
        });
    }
    comuni.sort();
    comuni.dedup();
    match (
        e.is_empty(),
        tipo,
        annualita,
        data_riferimento,
        apertura,
        chiusura,
    ) {
        (
            true,
            Some(tipo),
            Some(annualita),
            Some(data_riferimento),
            Some(apertura),
            Some(chiusura),
        ) => Ok(CampagnaDati {
            tipo,
            titolo,
            annualita,
            data_riferimento,
            apertura,
            chiusura,
            comuni_ammessi: (!comuni.is_empty()).then_some(comuni),
        }),
        _ => {
            e.sort_by(|a, b| a.field.cmp(&b.field));
            Err(ApiError::Validation { fields: e })
        }
    }
}

/// An extension as typed: the new closing time and the reason.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(default)]
pub struct ProrogaForm {
    /// `gg/mm/aaaa hh:mm`, Italian time.
    pub chiusura: String,
    pub motivo: String,
}

/// A granted extension.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct Proroga {
    pub chiusura: DateTime<Utc>,
    pub motivo: String,
    /// When it was granted (server clock).
    pub quando: DateTime<Utc>,
    /// Who granted it.
    pub da: String,
}

fn motivo(campo: &str, raw: &str) -> Result<String, FieldError> {
    let m = raw.trim();
    let n = m.chars().count();
    if !(3..=500).contains(&n) || m.chars().any(|c| c != '\n' && crate::text::nascosto(c)) {
        return Err(errore(
            campo,
            "motivo.obbligatorio",
            "Indica il motivo (da 3 a 500 caratteri).",
        ));
    }
    Ok(m.to_owned())
}

/// Runs the rules of an extension: a valid date-time later than the deadline in force, and a reason.
pub fn controlla_proroga(
    f: &ProrogaForm,
    chiusura_in_vigore: DateTime<Utc>,
) -> Result<(DateTime<Utc>, String), ApiError> {
    let mut e = Vec::new();
    let chiusura = match parse_data_ora(&f.chiusura) {
        Ok(c) if c <= chiusura_in_vigore => {
            e.push(FieldError {
                field: "chiusura".into(),
                rule: "proroga.successiva".into(),
                message: format!(
                    "La proroga deve spostare il termine dopo quello in vigore ({}).",
                    crate::tempo::data_ora_italiana(chiusura_in_vigore)
                ),
            });
            None
        }
        Ok(c) => Some(c),
        Err(m) => {
            e.push(errore("chiusura", "data_ora.formato", m));
            None
        }
    };
    let motivo = motivo("motivo", &f.motivo).map_err(|x| e.push(x)).ok();
    match (chiusura, motivo) {
        (Some(c), Some(m)) if e.is_empty() => Ok((c, m)),
        _ => Err(ApiError::Validation { fields: e }),
    }
}

/// A block or unlock as typed: the reason.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(default)]
pub struct MotivoForm {
    pub motivo: String,
}

impl MotivoForm {
    /// The trimmed reason, or 422.
    pub fn controlla(&self) -> Result<String, ApiError> {
        motivo("motivo", &self.motivo).map_err(|e| ApiError::Validation { fields: vec![e] })
    }
}

/// A campaign as the API returns it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct Campagna {
    pub id: String,
    pub stato: StatoCampagna,
    pub dati: CampagnaDati,
    /// Global extensions, oldest first.
    pub proroghe: Vec<Proroga>,
    /// The deadline in force (after global extensions).
    pub chiusura_in_vigore: DateTime<Utc>,
}

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
    /// Whether the Region may block a form stored in this state: not once it is sent (the
    /// sending has locked it, and the Region accepts or returns it) or accepted (final).
    pub fn bloccabile(self) -> bool {
        !matches!(self, StatoScheda::Inviata | StatoScheda::Accettata)
    }

    /// The codes of the stored states a block is refused in (bound into the store's guard).
    pub fn non_bloccabili() -> Vec<&'static str> {
        Self::ALL
            .iter()
            .filter(|s| !s.bloccabile())
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

/// One service in the preliminary declaration: operating, suspended or ceased at the reference
/// date (with the date and a reason when not operating).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(default)]
pub struct VoceDichiarazione {
    pub servizio: String,
    /// `operante`, `sospeso` or `cessato`.
    pub stato: String,
    /// `gg/mm/aaaa`, for `sospeso` and `cessato`.
    pub dal: String,
    pub motivo: String,
}

/// The preliminary declaration as typed: one entry per active service.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(default)]
pub struct DichiarazioneForm {
    pub voci: Vec<VoceDichiarazione>,
}

/// A checked declaration entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct Dichiarato {
    pub servizio: String,
    /// `None`: operating; else the new status, its date and reason.
    pub cambio: Option<(crate::servizio::StatoServizio, NaiveDate, String)>,
}

/// Runs the declaration's rules: every one of `attivi` (service ids) exactly once; suspended
/// or ceased need a date not after `oggi` and a reason.
pub fn controlla_dichiarazione(
    f: &DichiarazioneForm,
    attivi: &[String],
    oggi: NaiveDate,
) -> Result<Vec<Dichiarato>, ApiError> {
    use crate::servizio::StatoServizio;
    let mut e = Vec::new();
    let mut out = Vec::new();
    for a in attivi {
        if f.voci.iter().filter(|v| &v.servizio == a).count() != 1 {
            e.push(errore(
                "voci",
                "dichiarazione.servizi",
                "Dichiara una e una sola volta ogni servizio attivo.",
            ));
            break;
        }
    }
    for (i, v) in f.voci.iter().enumerate() {
        if !attivi.contains(&v.servizio) {
            e.push(FieldError::new(
                &format!("voci[{i}]"),
                "dichiarazione.servizio",
                "Servizio non attivo in questo comune.",
            ));
            continue;
        }
        let stato = match v.stato.trim() {
            "operante" => None,
            "sospeso" => Some(StatoServizio::Sospeso),
            "cessato" => Some(StatoServizio::Cessato),
            _ => {
                e.push(FieldError::new(
                    &format!("voci[{i}].stato"),
                    "scelta.valore",
                    "Scegli: operante, sospeso o cessato.",
                ));
                continue;
            }
        };
        let Some(stato) = stato else {
            out.push(Dichiarato {
                servizio: v.servizio.clone(),
                cambio: None,
            });
            continue;
        };
        let dal = crate::servizio::regole::parse_data(&v.dal).filter(|d| *d <= oggi);
        if dal.is_none() {
            e.push(FieldError::new(
                &format!("voci[{i}].dal"),
                "data.formato",
                "Indica la data (gg/mm/aaaa), non successiva a oggi.",
            ));
        }
        let motivo = motivo(&format!("voci[{i}].motivo"), &v.motivo)
            .map_err(|x| e.push(x))
            .ok();
        if let (Some(dal), Some(motivo)) = (dal, motivo) {
            out.push(Dichiarato {
                servizio: v.servizio.clone(),
                cambio: Some((stato, dal, motivo)),
            });
        }
    }
    if e.is_empty() {
        Ok(out)
    } else {
        Err(ApiError::Validation { fields: e })
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

/// A comment of the Region on a field or section of a returned form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(default)]
pub struct Commento {
    /// The field's path (`voci[0].impegnato`) or a section (`voci`); empty: the whole form.
    pub campo: String,
    pub testo: String,
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

/// A "services not reached" request, as typed by the comune.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(default)]
pub struct Segnalazione {
    pub servizio: String,
    pub indirizzo: String,
    pub titolare: String,
    pub motivo: String,
}

impl Segnalazione {
    /// Every field filled (the reason at least 10 characters), or 422 naming the fields.
    pub fn controlla(&self) -> Result<Segnalazione, ApiError> {
        let mut e = Vec::new();
        for (campo, v, min) in [
            ("servizio", &self.servizio, 3),
            ("indirizzo", &self.indirizzo, 5),
            ("titolare", &self.titolare, 3),
            ("motivo", &self.motivo, 10),
        ] {
            let n = v.trim().chars().count();
            if n < min || n > 500 || v.chars().any(|c| c != '\n' && crate::text::nascosto(c)) {
                e.push(FieldError::new(
                    campo,
                    "testo.lunghezza",
                    &format!("Compila questo campo (da {min} a 500 caratteri)."),
                ));
            }
        }
        if e.is_empty() {
            Ok(Segnalazione {
                servizio: self.servizio.trim().into(),
                indirizzo: self.indirizzo.trim().into(),
                titolare: self.titolare.trim().into(),
                motivo: self.motivo.trim().into(),
            })
        } else {
            Err(ApiError::Validation { fields: e })
        }
    }
}

/// The Region's comments as typed when returning a form: at least one, each with its text.
pub fn controlla_commenti(commenti: &[Commento]) -> Result<Vec<Commento>, ApiError> {
    let buoni: Vec<Commento> = commenti
        .iter()
        .filter(|c| !c.testo.trim().is_empty())
        .map(|c| Commento {
            campo: c.campo.trim().into(),
            testo: c.testo.trim().into(),
        })
        .collect();
    if buoni.is_empty()
        || buoni.len() > 200
        || buoni
            .iter()
            .any(|c| c.testo.chars().count() > 1000 || c.campo.chars().count() > 200)
    {
        return Err(ApiError::Validation {
            fields: vec![FieldError::new(
                "commenti",
                "commenti.obbligatori",
                "Scrivi almeno un commento (fino a 1.000 caratteri ciascuno) per dire cosa correggere.",
            )],
        });
    }
    Ok(buoni)
}

/// The ISTAT codes in a CSV file of eligible comuni, as the Region's offices export it: one
/// comune per line, fields separated by `;` or `,`, the code in any column (the first field made
/// of digits only). Spreadsheets drop leading zeros ("1272" for 001272), so 1 to 6 digits are
/// padded. A first line without a code is a header and is skipped; any other line without one is
/// refused, naming the line, so a wrong file is never half-imported.
pub fn codici_da_csv(testo: &str) -> Result<Vec<String>, String> {
    let mut codici = Vec::new();
    let righe = testo.trim_start_matches('\u{feff}').lines().enumerate();
    for (i, riga) in righe.filter(|(_, r)| !r.trim().is_empty()) {
        let codice = riga
            .split([';', ',', '\t'])
            .map(|c| c.trim().trim_matches('"').trim())
            .find(|c| !c.is_empty() && c.bytes().all(|b| b.is_ascii_digit()));
        match codice {
            Some(c) if c.len() <= 6 => codici.push(format!("{c:0>6}")),
            Some(c) => {
                return Err(format!(
                    "Riga {}: «{c}» non è un codice ISTAT di comune (6 cifre).",
                    i + 1
                ))
            }
            None if codici.is_empty() && i == 0 => {}
            None => return Err(format!("Riga {}: manca il codice ISTAT del comune.", i + 1)),
        }
        if codici.len() > 10_000 {
            return Err("Il file ha più di 10.000 righe: non è un elenco di comuni.".into());
        }
    }
    if codici.is_empty() {
        return Err("Il file non contiene codici ISTAT.".into());
    }
    Ok(codici)
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

    #[test]
    fn a_block_shows_only_on_forms_that_can_be_blocked() {
        use StatoScheda::*;
        for s in StatoScheda::ALL {
            let atteso = if matches!(s, Inviata | Accettata) {
                *s
            } else {
                Bloccata
            };
            assert_eq!(s.mostrato(true), atteso, "{s:?} bloccata");
            assert_eq!(s.mostrato(false), *s, "{s:?}");
            assert_eq!(s.bloccabile(), atteso == Bloccata, "{s:?}");
        }
        assert_eq!(StatoScheda::non_bloccabili(), ["inviata", "accettata"]);
    }

    fn form() -> CampagnaForm {
        CampagnaForm {
            tipo: "monitoraggio".into(),
            titolo: "Monitoraggio 2020".into(),
            annualita: "2020".into(),
            data_riferimento: "30/07/2023".into(),
            apertura: "29/08/2023 12:00".into(),
            chiusura: "06/10/2023 12:00".into(),
            comuni: "001272; 004003\n001272".into(),
        }
    }

    #[test]
    fn a_campaign_form_is_parsed_in_italian_time_with_its_eligible_comuni() {
        let d = controlla_campagna(&form()).unwrap();
        assert_eq!(d.chiusura.to_rfc3339(), "2023-10-06T10:00:00+00:00");
        assert_eq!(
            d.comuni_ammessi,
            Some(vec!["001272".to_owned(), "004003".to_owned()])
        );
        let mut tutti = form();
        tutti.comuni = "  ".into();
        assert_eq!(controlla_campagna(&tutti).unwrap().comuni_ammessi, None);
    }

    #[test]
    fn bad_campaign_fields_are_named() {
        type Mut = fn(&mut CampagnaForm);
        let cases: &[(Mut, &str)] = &[
            (|f| f.tipo = "censimento".into(), "tipo"),
            (|f| f.titolo = "x".into(), "titolo"),
            (|f| f.annualita = "20".into(), "annualita"),
            (
                |f| f.data_riferimento = "31/02/2023".into(),
                "data_riferimento",
            ),
            (|f| f.apertura = "29/08/2023".into(), "apertura"),
            (|f| f.chiusura = "29/08/2023 11:00".into(), "chiusura"),
            (|f| f.chiusura = "29/03/2026 02:30".into(), "chiusura"),
            (|f| f.comuni = "001272 1272".into(), "comuni"),
        ];
        for (m, campo) in cases {
            let mut f = form();
            m(&mut f);
            let err = controlla_campagna(&f).unwrap_err();
            let campi: Vec<&str> = err.fields().iter().map(|e| e.field.as_str()).collect();
            assert_eq!(campi, vec![*campo], "{campo}");
        }
    }

    #[test]
    fn an_extension_must_move_the_deadline_later_and_say_why() {
        let in_vigore = controlla_campagna(&form()).unwrap().chiusura;
        let ok = ProrogaForm {
            chiusura: "18/10/2023 12:00".into(),
            motivo: "Richieste dei comuni".into(),
        };
        assert_eq!(
            controlla_proroga(&ok, in_vigore).unwrap().0.to_rfc3339(),
            "2023-10-18T10:00:00+00:00"
        );
        let prima = ProrogaForm {
            chiusura: "06/10/2023 12:00".into(),
            ..ok.clone()
        };
        assert_eq!(
            controlla_proroga(&prima, in_vigore).unwrap_err().fields()[0].rule,
            "proroga.successiva"
        );
        let senza = ProrogaForm {
            motivo: " ".into(),
            ..ok
        };
        assert_eq!(
            controlla_proroga(&senza, in_vigore).unwrap_err().fields()[0].field,
            "motivo"
        );
    }

    #[test]
    fn a_declaration_covers_every_active_service_once_and_explains_each_change() {
        let oggi = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
        let attivi = vec!["a".to_owned(), "b".to_owned()];
        let voce = |s: &str, stato: &str, dal: &str, motivo: &str| VoceDichiarazione {
            servizio: s.into(),
            stato: stato.into(),
            dal: dal.into(),
            motivo: motivo.into(),
        };
        let ok = DichiarazioneForm {
            voci: vec![
                voce("a", "operante", "", ""),
                voce("b", "sospeso", "01/09/2026", "Lavori"),
            ],
        };
        let d = controlla_dichiarazione(&ok, &attivi, oggi).unwrap();
        assert_eq!(d[0].cambio, None);
        assert_eq!(
            d[1].cambio.as_ref().map(|c| c.0),
            Some(crate::servizio::StatoServizio::Sospeso)
        );
        let casi = [
            (
                vec![voce("a", "operante", "", "")],
                "voci",
                "a service missing",
            ),
            (
                vec![
                    voce("a", "operante", "", ""),
                    voce("a", "operante", "", ""),
                    voce("b", "operante", "", ""),
                ],
                "voci",
                "twice",
            ),
            (
                vec![voce("a", "operante", "", ""), voce("b", "chiuso", "", "")],
                "voci[1].stato",
                "unknown status",
            ),
            (
                vec![
                    voce("a", "operante", "", ""),
                    voce("b", "cessato", "01/12/2026", "Chiuso"),
                ],
                "voci[1].dal",
                "date after today",
            ),
            (
                vec![
                    voce("a", "operante", "", ""),
                    voce("b", "cessato", "01/09/2026", ""),
                ],
                "voci[1].motivo",
                "no reason",
            ),
            (
                vec![
                    voce("a", "operante", "", ""),
                    voce("b", "operante", "", ""),
                    voce("z", "operante", "", ""),
                ],
                "voci[2]",
                "not an active service",
            ),
        ];
        for (voci, campo, why) in casi {
            let err =
                controlla_dichiarazione(&DichiarazioneForm { voci }, &attivi, oggi).unwrap_err();
            assert_eq!(err.fields()[0].field, campo, "{why}");
        }
    }

    #[test]
    fn a_campaign_round_trips_through_its_edit_form() {
        for comuni in ["001272; 004003\n001272", ""] {
            let d = controlla_campagna(&CampagnaForm {
                comuni: comuni.into(),
                ..form()
            })
            .unwrap();
            assert_eq!(controlla_campagna(&CampagnaForm::da_dati(&d)).unwrap(), d);
        }
    }

    #[test]
    fn istat_codes_are_read_from_the_csv_files_offices_export() {
        let cases: &[(&str, Result<Vec<&str>, &str>)] = &[
            ("001272\n004003\n", Ok(vec!["001272", "004003"])),
            (
                "\u{feff}Comune;Codice ISTAT\r\nTorino;001272\r\nAlba;\"004003\"\r\n",
                Ok(vec!["001272", "004003"]),
            ),
            (
                "codice,importo\n1272,1500\n\n4003,200\n",
                Ok(vec!["001272", "004003"]),
            ),
            ("1272\tTorino\n", Ok(vec!["001272"])),
            (
                "001272\nTorino\n",
                Err("Riga 2: manca il codice ISTAT del comune."),
            ),
            (
                "Comune\n0012720\n",
                Err("Riga 2: «0012720» non è un codice ISTAT di comune (6 cifre)."),
            ),
            ("Comune;Codice\n", Err("Il file non contiene codici ISTAT.")),
            ("", Err("Il file non contiene codici ISTAT.")),
        ];
        for (testo, atteso) in cases {
            let atteso = atteso
                .clone()
                .map(|v| v.into_iter().map(String::from).collect::<Vec<_>>());
            assert_eq!(
                codici_da_csv(testo),
                atteso.map_err(String::from),
                "{testo:?}"
            );
        }
        // What the file gives is what the campaign form accepts.
        let f = CampagnaForm {
            comuni: codici_da_csv("x\n1272\n4003").unwrap().join("\n"),
            ..form()
        };
        assert_eq!(
            controlla_campagna(&f).unwrap().comuni_ammessi.unwrap(),
            ["001272", "004003"]
        );
    }
}
