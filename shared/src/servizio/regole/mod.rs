//! The service form as typed, and its rules: run on every keystroke in the browser and again,
//! authoritatively, on the server. Each failure names the field, a stable rule id and an
//! Italian message.

use super::{Gestione, ServizioDati, StatoServizio, TipoServizio, Titolarita, MESI as NOMI_MESI};
use crate::error::{ApiError, FieldError};
use crate::fiscale::{self, ErroreCodice, TipoCodice};
use crate::tempo::data_italiana;
use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize};

mod campi;
mod tempi;

use campi::*;
pub use tempi::parse_data;
use tempi::*;

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
