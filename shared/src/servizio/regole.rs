//! The service form as typed, and its rules: run on every keystroke in the browser and again,
//! authoritatively, on the server. Each failure names the field, a stable rule id and an
//! Italian message.

use super::{Gestione, ServizioDati, StatoServizio, TipoServizio, Titolarita, MESI as NOMI_MESI};
use crate::error::{ApiError, FieldError};
use crate::fiscale::{self, ErroreCodice, TipoCodice};
use crate::tempo::data_italiana;
use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize};

/// The form as typed: every input is text (a half-typed number is still shown), the opening
/// months are checkboxes. API callers may send numbers where text is expected.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(default)]
pub struct ServizioForm {
    #[serde(deserialize_with = "testo")]
    pub denominazione: String,
    #[serde(deserialize_with = "testo")]
    pub tipo: String,
    #[serde(deserialize_with = "testo")]
    pub titolarita: String,
    #[serde(deserialize_with = "testo")]
    pub gestione: String,
    #[serde(deserialize_with = "testo")]
    pub titolare_denominazione: String,
    #[serde(deserialize_with = "testo")]
    pub titolare_codice_fiscale: String,
    #[serde(deserialize_with = "testo")]
    pub indirizzo: String,
    #[serde(deserialize_with = "testo")]
    pub numero_civico: String,
    #[serde(deserialize_with = "testo")]
    pub cap: String,
    #[serde(deserialize_with = "testo")]
    pub posti_autorizzati: String,
    #[serde(deserialize_with = "testo")]
    pub eta_min_mesi: String,
    #[serde(deserialize_with = "testo")]
    pub eta_max_mesi: String,
    #[serde(deserialize_with = "testo")]
    pub autorizzazione_numero: String,
    /// `AAAA-MM-GG` (date input) or `GG/MM/AAAA`.
    #[serde(deserialize_with = "testo")]
    pub autorizzazione_data: String,
    #[serde(deserialize_with = "testo")]
    pub autorizzazione_ente: String,
    #[serde(deserialize_with = "testo")]
    pub email: String,
    #[serde(deserialize_with = "testo")]
    pub pec: String,
    #[serde(deserialize_with = "testo")]
    pub telefono: String,
    pub mesi_apertura: Vec<u8>,
    #[serde(deserialize_with = "testo")]
    pub orario_apertura: String,
    #[serde(deserialize_with = "testo")]
    pub orario_chiusura: String,
    #[serde(deserialize_with = "testo")]
    pub stato: String,
    #[serde(deserialize_with = "testo")]
    pub stato_dal: String,
    #[serde(deserialize_with = "testo")]
    pub stato_motivo: String,
}

/// Accepts a string, a number, a boolean or null as text.
fn testo<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    #[derive(Deserialize)]
    #[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
    #[serde(untagged)]
    enum Qualsiasi {
        Testo(String),
        Intero(i64),
        Decimale(f64),
        Booleano(bool),
        Nullo(()),
    }
    Ok(match Qualsiasi::deserialize(d)? {
        Qualsiasi::Testo(s) => s,
        Qualsiasi::Intero(n) => n.to_string(),
        Qualsiasi::Decimale(n) => n.to_string(),
        Qualsiasi::Booleano(b) => b.to_string(),
        Qualsiasi::Nullo(()) => String::new(),
    })
}

impl ServizioForm {
    /// A new service's form: active, open September to July, 7:30–18:00.
    pub fn nuovo() -> Self {
        Self {
            stato: StatoServizio::Attivo.code().to_owned(),
            mesi_apertura: vec![1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12],
            orario_apertura: "07:30".into(),
            orario_chiusura: "18:00".into(),
            ..Self::default()
        }
    }

    /// The form for editing stored data.
    pub fn da_dati(d: &ServizioDati) -> Self {
        let opt = |v: &Option<String>| v.clone().unwrap_or_default();
        Self {
            denominazione: d.denominazione.clone(),
            tipo: d.tipo.code().into(),
            titolarita: d.titolarita.code().into(),
            gestione: d.gestione.code().into(),
            titolare_denominazione: d.titolare_denominazione.clone(),
            titolare_codice_fiscale: d.titolare_codice_fiscale.clone(),
            indirizzo: d.indirizzo.clone(),
            numero_civico: d.numero_civico.clone(),
            cap: d.cap.clone(),
            posti_autorizzati: d.posti_autorizzati.to_string(),
            eta_min_mesi: d.eta_min_mesi.to_string(),
            eta_max_mesi: d.eta_max_mesi.to_string(),
            autorizzazione_numero: d.autorizzazione_numero.clone(),
            autorizzazione_data: data_italiana(d.autorizzazione_data),
            autorizzazione_ente: d.autorizzazione_ente.clone(),
            email: opt(&d.email),
            pec: opt(&d.pec),
            telefono: opt(&d.telefono),
            mesi_apertura: d.mesi_apertura.clone(),
            orario_apertura: d.orario_apertura.clone(),
            orario_chiusura: d.orario_chiusura.clone(),
            stato: d.stato.code().into(),
            stato_dal: d.stato_dal.map(data_italiana).unwrap_or_default(),
            stato_motivo: opt(&d.stato_motivo),
        }
    }
}

/// Service data that passed every rule: the only input the registry's services accept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServizioValido(ServizioDati);

impl ServizioValido {
    /// Runs every rule. `oggi` is today's date in Italy (the server's clock decides);
    /// `precedente` the stored status when editing (a ceased service stays ceased).
    pub fn parse(
        form: &ServizioForm,
        oggi: NaiveDate,
        precedente: Option<StatoServizio>,
    ) -> Result<Self, ApiError> {
        controlla(form, oggi, precedente)
            .map(Self)
            .map_err(|fields| ApiError::Validation { fields })
    }

    /// The checked data.
    pub fn dati(&self) -> &ServizioDati {
        &self.0
    }

    /// The checked data, owned.
    pub fn into_dati(self) -> ServizioDati {
        self.0
    }
}

/// Collects failures field by field.
struct Esito(Vec<FieldError>);

impl Esito {
    fn errore(&mut self, campo: &str, regola: &str, messaggio: impl Into<String>) {
        self.0.push(FieldError {
            field: campo.to_owned(),
            rule: regola.to_owned(),
            message: messaggio.into(),
        });
    }

    fn ha(&self, campo: &str) -> bool {
        self.0.iter().any(|e| e.field == campo)
    }
}

/// Runs every rule on the form: the normalized data, or every failure (sorted by field).
pub fn controlla(
    form: &ServizioForm,
    oggi: NaiveDate,
    precedente: Option<StatoServizio>,
) -> Result<ServizioDati, Vec<FieldError>> {
    let mut e = Esito(Vec::new());
    let denominazione = testo_obbligatorio(&mut e, "denominazione", &form.denominazione, 3, 150);
    let tipo = scelta(
        &mut e,
        "tipo",
        &form.tipo,
        TipoServizio::from_code,
        "la tipologia",
    );
    let titolarita = scelta(
        &mut e,
        "titolarita",
        &form.titolarita,
        Titolarita::from_code,
        "la titolarità",
    );
    let gestione = scelta(
        &mut e,
        "gestione",
        &form.gestione,
        Gestione::from_code,
        "la gestione",
    );
    if let (Some(t), Some(g)) = (titolarita, gestione) {
        if !g.compatibile(t) {
            e.errore(
                "gestione",
                "gestione.titolarita",
                "Con titolarità pubblica la gestione è diretta o indiretta; con titolarità privata è privata o privata convenzionata.",
            );
        }
    }
    let titolare = testo_obbligatorio(
        &mut e,
        "titolare_denominazione",
        &form.titolare_denominazione,
        2,
        200,
    );
    let codice = codice_fiscale(&mut e, &form.titolare_codice_fiscale, titolarita);
    let indirizzo = testo_obbligatorio(&mut e, "indirizzo", &form.indirizzo, 3, 150);
    let civico = numero_civico(&mut e, &form.numero_civico);
    let cap = cap(&mut e, &form.cap);
    let posti = posti(&mut e, &form.posti_autorizzati, tipo);
    let (eta_min, eta_max) = eta(&mut e, form, tipo);
    let aut_numero = testo_obbligatorio(
        &mut e,
        "autorizzazione_numero",
        &form.autorizzazione_numero,
        1,
        50,
    );
    let aut_data = data(
        &mut e,
        "autorizzazione_data",
        &form.autorizzazione_data,
        true,
    )
    .filter(|d| non_futura(&mut e, "autorizzazione_data", *d, oggi));
    let aut_ente = testo_obbligatorio(
        &mut e,
        "autorizzazione_ente",
        &form.autorizzazione_ente,
        2,
        150,
    );
    let email = posta(&mut e, "email", &form.email);
    let pec = posta(&mut e, "pec", &form.pec);
    if email.is_none() && pec.is_none() && !e.ha("email") && !e.ha("pec") {
        e.errore(
            "email",
            "recapito.obbligatorio",
            "Indica almeno un recapito: e-mail o PEC.",
        );
    }
    let telefono = telefono(&mut e, &form.telefono);
    let mesi = mesi(&mut e, &form.mesi_apertura);
    let apertura = orario(&mut e, "orario_apertura", &form.orario_apertura);
    let chiusura = orario(&mut e, "orario_chiusura", &form.orario_chiusura);
    if let (Some(a), Some(c)) = (&apertura, &chiusura) {
        if a >= c {
            e.errore(
                "orario_chiusura",
                "orario.ordine",
                "L'orario di chiusura deve essere successivo all'orario di apertura.",
            );
        }
    }
    let (stato, stato_dal, stato_motivo) = stato(&mut e, form, precedente);

    e.0.sort_by(|a, b| a.field.cmp(&b.field).then(a.rule.cmp(&b.rule)));
    match (
        e.0.is_empty(),
        (
            tipo, titolarita, gestione, posti, eta_min, eta_max, aut_data, stato,
        ),
    ) {
        (
            true,
            (
                Some(tipo),
                Some(titolarita),
                Some(gestione),
                Some(posti),
                Some(eta_min),
                Some(eta_max),
                Some(aut_data),
                Some(stato),
            ),
        ) => Ok(ServizioDati {
            denominazione,
            tipo,
            titolarita,
            gestione,
            titolare_denominazione: titolare,
            titolare_codice_fiscale: codice,
            indirizzo,
            numero_civico: civico,
            cap,
            posti_autorizzati: posti,
            eta_min_mesi: eta_min,
            eta_max_mesi: eta_max,
            autorizzazione_numero: aut_numero,
            autorizzazione_data: aut_data,
            autorizzazione_ente: aut_ente,
            email,
            pec,
            telefono,
            mesi_apertura: mesi,
            orario_apertura: apertura.unwrap_or_default(),
            orario_chiusura: chiusura.unwrap_or_default(),
            stato,
            stato_dal,
            stato_motivo,
        }),
        _ => Err(e.0),
    }
}

/// Trimmed text, required, `min..=max` characters, no control characters.
fn testo_obbligatorio(e: &mut Esito, campo: &str, raw: &str, min: usize, max: usize) -> String {
    let v = raw.trim();
    if v.is_empty() {
        e.errore(campo, "testo.obbligatorio", "Campo obbligatorio.");
    } else {
        testo_limitato(e, campo, v, min, max);
    }
    v.to_owned()
}

fn testo_limitato(e: &mut Esito, campo: &str, v: &str, min: usize, max: usize) {
    let n = v.chars().count();
    if v.chars().any(crate::text::nascosto) {
        e.errore(
            campo,
            "testo.caratteri_controllo",
            "Contiene caratteri non ammessi (a capo, tabulazioni, di controllo o invisibili, che possono far apparire il testo diverso da com'è).",
        );
    } else if n < min || n > max {
        e.errore(
            campo,
            "testo.lunghezza",
            if min <= 1 {
                format!("Al massimo {max} caratteri.")
            } else {
                format!("Da {min} a {max} caratteri.")
            },
        );
    }
}

fn scelta<T>(
    e: &mut Esito,
    campo: &str,
    raw: &str,
    parse: fn(&str) -> Option<T>,
    cosa: &str,
) -> Option<T> {
    let v = raw.trim();
    if v.is_empty() {
        e.errore(campo, "scelta.obbligatoria", format!("Scegli {cosa}."));
        return None;
    }
    let out = parse(v);
    if out.is_none() {
        e.errore(
            campo,
            "scelta.valore",
            format!("Valore non ammesso per {cosa}."),
        );
    }
    out
}

fn codice_fiscale(e: &mut Esito, raw: &str, titolarita: Option<Titolarita>) -> String {
    const CAMPO: &str = "titolare_codice_fiscale";
    let v = fiscale::normalizza(raw);
    if v.is_empty() {
        e.errore(
            CAMPO,
            "codice_fiscale.obbligatorio",
            "Inserisci il codice fiscale o la partita IVA del titolare.",
        );
        return v;
    }
    match fiscale::verifica(&v) {
        Ok(TipoCodice::PersonaFisica) if titolarita == Some(Titolarita::Pubblica) => e.errore(
            CAMPO,
            "codice_fiscale.ente",
            "Un titolare pubblico ha un codice fiscale numerico di 11 cifre.",
        ),
        Ok(_) => {}
        Err(ErroreCodice::Lunghezza) => e.errore(
            CAMPO,
            "codice_fiscale.lunghezza",
            "Il codice fiscale ha 16 caratteri; la partita IVA (o il codice fiscale di un ente) 11 cifre.",
        ),
        Err(ErroreCodice::Formato) => e.errore(
            CAMPO,
            "codice_fiscale.formato",
            "Il codice fiscale o la partita IVA contiene caratteri non ammessi in quella posizione.",
        ),
        Err(ErroreCodice::Data) => e.errore(
            CAMPO,
            "codice_fiscale.data",
            "Il codice fiscale contiene un mese o un giorno di nascita impossibile.",
        ),
        Err(ErroreCodice::Controllo) => e.errore(
            CAMPO,
            "codice_fiscale.controllo",
            "Il codice fiscale o la partita IVA non è corretto: il carattere di controllo non corrisponde.",
        ),
    }
    v
}

fn numero_civico(e: &mut Esito, raw: &str) -> String {
    let v = raw.trim().to_uppercase();
    if v.is_empty() {
        e.errore(
            "numero_civico",
            "testo.obbligatorio",
            "Campo obbligatorio (SNC se senza numero civico).",
        );
    } else if v.chars().count() > 10
        || !v
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | ' ' | '-'))
        || !(v.starts_with(|c: char| c.is_ascii_digit()) || v == "SNC")
    {
        e.errore(
            "numero_civico",
            "numero_civico.formato",
            "Il numero civico inizia con una cifra (es. 12, 12/A, 12 bis) o è SNC; al massimo 10 caratteri.",
        );
    }
    v
}

fn cap(e: &mut Esito, raw: &str) -> String {
    let v = raw.trim().to_owned();
    if v.len() != 5 || !v.bytes().all(|b| b.is_ascii_digit()) {
        e.errore("cap", "cap.formato", "Il CAP è formato da 5 cifre.");
    }
    v
}

fn intero<T: std::str::FromStr>(e: &mut Esito, campo: &str, raw: &str) -> Option<T> {
    let v = raw.trim();
    if v.is_empty() {
        e.errore(campo, "numero.obbligatorio", "Campo obbligatorio.");
        return None;
    }
    let ok = v.bytes().all(|b| b.is_ascii_digit());
    match v.parse::<T>() {
        Ok(n) if ok => Some(n),
        _ if ok => {
            e.errore(campo, "numero.fuori_intervallo", "Numero troppo grande.");
            None
        }
        _ => {
            e.errore(
                campo,
                "numero.intero",
                "Inserisci un numero intero non negativo, senza punti né virgole.",
            );
            None
        }
    }
}

fn posti(e: &mut Esito, raw: &str, tipo: Option<TipoServizio>) -> Option<u16> {
    let n = intero::<u16>(e, "posti_autorizzati", raw)?;
    if n == 0 {
        e.errore(
            "posti_autorizzati",
            "posti.positivo",
            "I posti autorizzati devono essere almeno 1.",
        );
        return None;
    }
    if let Some(t) = tipo {
        let (min, max) = t.posti_ammessi();
        if n < min || n > max {
            e.errore(
                "posti_autorizzati",
                "posti.intervallo",
                format!(
                    "Per la tipologia «{}» i posti autorizzati vanno da {min} a {max}.",
                    t.label()
                ),
            );
            return None;
        }
    }
    Some(n)
}

fn eta(e: &mut Esito, form: &ServizioForm, tipo: Option<TipoServizio>) -> (Option<u8>, Option<u8>) {
    let min = intero::<u8>(e, "eta_min_mesi", &form.eta_min_mesi);
    let max = intero::<u8>(e, "eta_max_mesi", &form.eta_max_mesi);
    let mut fuori = false;
    if let Some(t) = tipo {
        let (lo, hi) = t.eta_ammesse();
        let msg = format!(
            "Per la tipologia «{}» l'età ammessa va da {lo} a {hi} mesi.",
            t.label()
        );
        for (campo, v) in [("eta_min_mesi", min), ("eta_max_mesi", max)] {
            if v.is_some_and(|v| v < lo || v > hi) {
                e.errore(campo, "eta.intervallo", msg.clone());
                fuori = true;
            }
        }
    }
    if let (Some(a), Some(b), false) = (min, max, fuori) {
        if a >= b {
            e.errore(
                "eta_max_mesi",
                "eta.ordine",
                "L'età massima deve essere maggiore dell'età minima.",
            );
        }
    }
    (min, max)
}

/// Parses `AAAA-MM-GG` or `GG/MM/AAAA`; years 1950–2100.
pub fn parse_data(raw: &str) -> Option<NaiveDate> {
    let v = raw.trim();
    let d = NaiveDate::parse_from_str(v, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(v, "%d/%m/%Y"))
        .ok()?;
    let min = NaiveDate::from_ymd_opt(1950, 1, 1)?;
    let max = NaiveDate::from_ymd_opt(2100, 12, 31)?;
    (d >= min && d <= max).then_some(d)
}

fn data(e: &mut Esito, campo: &str, raw: &str, obbligatoria: bool) -> Option<NaiveDate> {
    if raw.trim().is_empty() {
        if obbligatoria {
            e.errore(campo, "data.obbligatoria", "Inserisci la data.");
        }
        return None;
    }
    let d = parse_data(raw);
    if d.is_none() {
        e.errore(
            campo,
            "data.formato",
            "Data non valida: usa il formato gg/mm/aaaa (anni dal 1950).",
        );
    }
    d
}

fn non_futura(e: &mut Esito, campo: &str, d: NaiveDate, oggi: NaiveDate) -> bool {
    if d > oggi {
        e.errore(
            campo,
            "data.futura",
            format!(
                "La data non può essere successiva a oggi ({}).",
                data_italiana(oggi)
            ),
        );
        return false;
    }
    true
}

fn posta(e: &mut Esito, campo: &str, raw: &str) -> Option<String> {
    let v = raw.trim();
    if v.is_empty() {
        return None;
    }
    if v.chars().count() > 254 || !crate::email::valida(v) {
        let cosa = if campo == "pec" {
            "L'indirizzo PEC"
        } else {
            "L'indirizzo e-mail"
        };
        e.errore(
            campo,
            "email.formato",
            format!("{cosa} non è valido (es. nome@dominio.it)."),
        );
    }
    Some(v.to_owned())
}

fn telefono(e: &mut Esito, raw: &str) -> Option<String> {
    let compatto: String = raw
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '.' | '-' | '/'))
        .collect();
    if compatto.is_empty() {
        return None;
    }
    let cifre = compatto.strip_prefix('+').unwrap_or(&compatto);
    if !(6..=15).contains(&cifre.len()) || !cifre.bytes().all(|b| b.is_ascii_digit()) {
        e.errore(
            "telefono",
            "telefono.formato",
            "Il telefono è formato da 6 a 15 cifre (eventualmente preceduto da +).",
        );
    }
    Some(compatto)
}

fn mesi(e: &mut Esito, mesi: &[u8]) -> Vec<u8> {
    let mut out: Vec<u8> = mesi.to_vec();
    out.sort_unstable();
    out.dedup();
    if out.is_empty() {
        e.errore(
            "mesi_apertura",
            "mesi.obbligatori",
            "Seleziona almeno un mese di apertura.",
        );
    } else if out.iter().any(|m| !(1..=12).contains(m)) {
        e.errore(
            "mesi_apertura",
            "mesi.valore",
            "I mesi vanno da 1 (gennaio) a 12 (dicembre).",
        );
    }
    debug_assert_eq!(NOMI_MESI.len(), 12);
    out
}

fn orario(e: &mut Esito, campo: &str, raw: &str) -> Option<String> {
    let v = raw.trim();
    let ok = v.len() == 5
        && v.as_bytes()[2] == b':'
        && v[..2].parse::<u8>().is_ok_and(|h| h < 24)
        && v[3..].parse::<u8>().is_ok_and(|m| m < 60)
        && v.bytes()
            .enumerate()
            .all(|(i, b)| i == 2 || b.is_ascii_digit());
    if !ok {
        e.errore(
            campo,
            "orario.formato",
            "Orario non valido: usa il formato hh:mm (es. 07:30).",
        );
        return None;
    }
    Some(v.to_owned())
}

fn stato(
    e: &mut Esito,
    form: &ServizioForm,
    precedente: Option<StatoServizio>,
) -> (Option<StatoServizio>, Option<NaiveDate>, Option<String>) {
    let stato = scelta(
        e,
        "stato",
        &form.stato,
        StatoServizio::from_code,
        "lo stato",
    );
    if precedente == Some(StatoServizio::Cessato)
        && stato.is_some_and(|s| s != StatoServizio::Cessato)
    {
        e.errore(
            "stato",
            "stato.cessato_definitivo",
            "Un servizio cessato non può essere riattivato né sospeso: registra un nuovo servizio.",
        );
    }
    match stato {
        Some(StatoServizio::Sospeso | StatoServizio::Cessato) => {
            let dal = data(e, "stato_dal", &form.stato_dal, true);
            let motivo = form.stato_motivo.trim();
            if motivo.is_empty() {
                e.errore(
                    "stato_motivo",
                    "stato.motivo_obbligatorio",
                    "Indica il motivo della sospensione o della cessazione.",
                );
            } else {
                testo_limitato(e, "stato_motivo", motivo, 3, 500);
            }
            (stato, dal, Some(motivo.to_owned()))
        }
        // An active service has no status date or reason: they are dropped.
        _ => (stato, None, None),
    }
}
