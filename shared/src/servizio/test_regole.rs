//! Rules of the service form: tables of valid and invalid inputs, and property tests (valid
//! generated records pass; each single breaking mutation is caught on the right field).

use super::regole::{controlla, ServizioForm, ServizioValido};
use super::{StatoServizio, TipoServizio};
use crate::fiscale::{carattere_controllo, cifra_controllo_numerico};
use chrono::NaiveDate;
use proptest::prelude::*;

fn oggi() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()
}

fn valido() -> ServizioForm {
    ServizioForm {
        denominazione: "Nido Il Girasole".into(),
        tipo: "nido_infanzia".into(),
        titolarita: "pubblica".into(),
        gestione: "indiretta".into(),
        titolare_denominazione: "Comune di Torino".into(),
        titolare_codice_fiscale: "00514490010".into(),
        indirizzo: "Via Roma".into(),
        numero_civico: "12/A".into(),
        cap: "10121".into(),
        posti_autorizzati: "60".into(),
        eta_min_mesi: "3".into(),
        eta_max_mesi: "36".into(),
        autorizzazione_numero: "123/2019".into(),
        autorizzazione_data: "2019-09-01".into(),
        autorizzazione_ente: "Comune di Torino".into(),
        email: "nido.girasole@comune.torino.it".into(),
        ..ServizioForm::nuovo()
    }
}

/// The rule ids that fail for a form, as `field:rule`.
fn falliti(form: &ServizioForm) -> Vec<String> {
    match controlla(form, oggi(), None) {
        Ok(_) => Vec::new(),
        Err(errs) => errs
            .into_iter()
            .map(|e| format!("{}:{}", e.field, e.rule))
            .collect(),
    }
}

#[test]
fn a_complete_form_passes_and_is_normalized() {
    let mut f = valido();
    f.denominazione = "  Nido Il Girasole ".into();
    f.titolare_codice_fiscale = " 00514490010 ".into();
    f.telefono = "011 443 1234".into();
    f.mesi_apertura = vec![9, 1, 9, 2];
    f.stato_dal = "2020-01-01".into(); // dropped: the service is active
    let d = controlla(&f, oggi(), None).unwrap();
    assert_eq!(d.denominazione, "Nido Il Girasole");
    assert_eq!(d.titolare_codice_fiscale, "00514490010");
    assert_eq!(d.telefono.as_deref(), Some("0114431234"));
    assert_eq!(d.mesi_apertura, vec![1, 2, 9]);
    assert_eq!(d.stato_dal, None);
    assert_eq!(d.tipo, TipoServizio::NidoInfanzia);
}

#[test]
fn each_invalid_input_names_its_field_and_rule() {
    type Mut = fn(&mut ServizioForm);
    let cases: &[(Mut, &str, &str)] = &[
        (
            |f| f.denominazione = "".into(),
            "denominazione:testo.obbligatorio",
            "empty name",
        ),
        (
            |f| f.denominazione = "ab".into(),
            "denominazione:testo.lunghezza",
            "name too short",
        ),
        (
            |f| f.denominazione = "x".repeat(151),
            "denominazione:testo.lunghezza",
            "name too long",
        ),
        (
            |f| f.denominazione = "Nido\nBis".into(),
            "denominazione:testo.caratteri_controllo",
            "newline",
        ),
        (
            |f| f.tipo = "".into(),
            "tipo:scelta.obbligatoria",
            "no type",
        ),
        (
            |f| f.tipo = "asilo".into(),
            "tipo:scelta.valore",
            "unknown type",
        ),
        (
            |f| f.gestione = "privata".into(),
            "gestione:gestione.titolarita",
            "public owner, private management",
        ),
        (
            |f| f.titolare_codice_fiscale = "".into(),
            "titolare_codice_fiscale:codice_fiscale.obbligatorio",
            "no code",
        ),
        (
            |f| f.titolare_codice_fiscale = "0051449001".into(),
            "titolare_codice_fiscale:codice_fiscale.lunghezza",
            "10 digits",
        ),
        (
            |f| f.titolare_codice_fiscale = "00514490011".into(),
            "titolare_codice_fiscale:codice_fiscale.controllo",
            "wrong check digit",
        ),
        (
            |f| f.titolare_codice_fiscale = "RSSMRA85T10A562S".into(),
            "titolare_codice_fiscale:codice_fiscale.ente",
            "person's code for a public owner",
        ),
        (|f| f.cap = "1012".into(), "cap:cap.formato", "4-digit CAP"),
        (
            |f| f.cap = "10l21".into(),
            "cap:cap.formato",
            "letter in CAP",
        ),
        (
            |f| f.numero_civico = "bis".into(),
            "numero_civico:numero_civico.formato",
            "civic number without digits",
        ),
        (
            |f| f.posti_autorizzati = "0".into(),
            "posti_autorizzati:posti.positivo",
            "zero places",
        ),
        (
            |f| f.posti_autorizzati = "-4".into(),
            "posti_autorizzati:numero.intero",
            "negative places",
        ),
        (
            |f| f.posti_autorizzati = "12,5".into(),
            "posti_autorizzati:numero.intero",
            "decimal places",
        ),
        (
            |f| f.posti_autorizzati = "999999".into(),
            "posti_autorizzati:numero.fuori_intervallo",
            "overflow",
        ),
        (
            |f| f.posti_autorizzati = "500".into(),
            "posti_autorizzati:posti.intervallo",
            "500 places in a nido",
        ),
        (
            |f| f.eta_min_mesi = "36".into(),
            "eta_max_mesi:eta.ordine",
            "from = to",
        ),
        (
            |f| f.eta_min_mesi = "1".into(),
            "eta_min_mesi:eta.intervallo",
            "under 3 months",
        ),
        (
            |f| f.eta_max_mesi = "72".into(),
            "eta_max_mesi:eta.intervallo",
            "a nido up to 6 years",
        ),
        (
            |f| f.autorizzazione_data = "2027-01-01".into(),
            "autorizzazione_data:data.futura",
            "future authorisation",
        ),
        (
            |f| f.autorizzazione_data = "31/02/2020".into(),
            "autorizzazione_data:data.formato",
            "31 February",
        ),
        (
            |f| f.autorizzazione_data = "1900-01-01".into(),
            "autorizzazione_data:data.formato",
            "before 1950",
        ),
        (
            |f| f.email = "nido@".into(),
            "email:email.formato",
            "bad e-mail",
        ),
        (
            |f| f.email = "".into(),
            "email:recapito.obbligatorio",
            "no e-mail nor PEC",
        ),
        (
            |f| f.pec = "pec at comune.it".into(),
            "pec:email.formato",
            "bad PEC",
        ),
        (
            |f| f.telefono = "011-44A".into(),
            "telefono:telefono.formato",
            "letter in phone",
        ),
        (
            |f| f.telefono = "123".into(),
            "telefono:telefono.formato",
            "too few digits",
        ),
        (
            |f| f.mesi_apertura = vec![],
            "mesi_apertura:mesi.obbligatori",
            "no month",
        ),
        (
            |f| f.mesi_apertura = vec![13],
            "mesi_apertura:mesi.valore",
            "month 13",
        ),
        (
            |f| f.orario_apertura = "7.30".into(),
            "orario_apertura:orario.formato",
            "dot in time",
        ),
        (
            |f| f.orario_chiusura = "06:00".into(),
            "orario_chiusura:orario.ordine",
            "closes before opening",
        ),
        (
            |f| f.orario_chiusura = "24:00".into(),
            "orario_chiusura:orario.formato",
            "hour 24",
        ),
        (
            |f| f.stato = "chiuso".into(),
            "stato:scelta.valore",
            "unknown status",
        ),
        (
            |f| {
                f.stato = "sospeso".into();
                f.stato_motivo = "Lavori".into();
            },
            "stato_dal:data.obbligatoria",
            "suspended without date",
        ),
        (
            |f| {
                f.stato = "cessato".into();
                f.stato_dal = "2026-06-30".into();
            },
            "stato_motivo:stato.motivo_obbligatorio",
            "ceased without reason",
        ),
    ];
    for (mutate, expected, why) in cases {
        let mut f = valido();
        mutate(&mut f);
        assert_eq!(falliti(&f), vec![expected.to_string()], "{why}");
    }
}

#[test]
fn a_sezione_primavera_admits_only_24_to_36_months() {
    let mut f = valido();
    f.tipo = "sezione_primavera".into();
    f.posti_autorizzati = "20".into();
    assert_eq!(
        falliti(&f),
        vec!["eta_min_mesi:eta.intervallo".to_string()],
        "3 months is too young for a sezione primavera"
    );
    f.eta_min_mesi = "24".into();
    assert!(falliti(&f).is_empty());
}

#[test]
fn a_ceased_service_cannot_be_reactivated_or_suspended() {
    let f = valido();
    let err = ServizioValido::parse(&f, oggi(), Some(StatoServizio::Cessato)).unwrap_err();
    assert_eq!(err.fields()[0].rule, "stato.cessato_definitivo");
    let mut ancora_cessato = valido();
    ancora_cessato.stato = "cessato".into();
    ancora_cessato.stato_dal = "2026-06-30".into();
    ancora_cessato.stato_motivo = "Chiusura definitiva".into();
    assert!(ServizioValido::parse(&ancora_cessato, oggi(), Some(StatoServizio::Cessato)).is_ok());
    // Active and suspended services may change status.
    assert!(ServizioValido::parse(&ancora_cessato, oggi(), Some(StatoServizio::Attivo)).is_ok());
    assert!(ServizioValido::parse(&f, oggi(), Some(StatoServizio::Sospeso)).is_ok());
}

#[test]
fn api_callers_may_send_numbers_where_the_form_has_text() {
    let mut json = serde_json::to_value(valido()).unwrap();
    json["posti_autorizzati"] = serde_json::json!(60);
    json["eta_min_mesi"] = serde_json::json!(3);
    json["pec"] = serde_json::Value::Null;
    let f: ServizioForm = serde_json::from_value(json).unwrap();
    assert_eq!(f.posti_autorizzati, "60");
    assert!(falliti(&f).is_empty());
    // Missing fields are empty, and reported as such.
    let vuoto: ServizioForm = serde_json::from_str("{}").unwrap();
    assert!(falliti(&vuoto).contains(&"denominazione:testo.obbligatorio".to_string()));
}

#[test]
fn stored_data_round_trips_through_the_edit_form() {
    let d = controlla(&valido(), oggi(), None).unwrap();
    let again = controlla(&ServizioForm::da_dati(&d), oggi(), None).unwrap();
    assert_eq!(d, again);
    let mut changed = again.clone();
    changed.posti_autorizzati = 48;
    let diff = changed.differenze(&d);
    assert_eq!(diff.len(), 1);
    assert_eq!(
        (
            diff[0].campo.as_str(),
            diff[0].prima.as_str(),
            diff[0].dopo.as_str()
        ),
        ("posti_autorizzati", "60", "48")
    );
}

fn codice_persona() -> impl Strategy<Value = String> {
    // letters, 2 digits, month letter, day (1-28, +40 for women), place letter + 3 digits
    (
        "[A-Z]{6}",
        0u8..100,
        prop::sample::select(b"ABCDEHLMPRST".to_vec()),
        1u8..29,
        any::<bool>(),
        "[A-Z]",
        0u16..1000,
    )
        .prop_map(|(nome, anno, mese, giorno, donna, luogo, n)| {
            let g = if donna { giorno + 40 } else { giorno };
            let primi = format!("{nome}{anno:02}{}{g:02}{luogo}{n:03}", mese as char);
            let c = carattere_controllo(primi.as_bytes()) as char;
            format!("{primi}{c}")
        })
}

fn codice_numerico() -> impl Strategy<Value = String> {
    "[0-9]{10}".prop_map(|p| {
        let c = cifra_controllo_numerico(p.as_bytes()) as char;
        format!("{p}{c}")
    })
}

prop_compose! {
    fn form_valido()(
        tipo in prop::sample::select(TipoServizio::ALL.to_vec()),
        pubblica in any::<bool>(),
        indiretta in any::<bool>(),
        persona in codice_persona(),
        numerico in codice_numerico(),
        frazione_posti in 0.0f64..1.0,
        eta_a in 0.0f64..1.0,
        nome in "[A-Za-zÀ-ú' ]{1,60}",
        mesi in prop::collection::vec(1u8..=12, 1..12),
        ora_a in 6u8..12,
        ora_c in 13u8..21,
        giorni in 0i64..20_000,
        cap in "[0-9]{5}",
        stato in prop::sample::select(StatoServizio::ALL.to_vec()),
    ) -> ServizioForm {
        let (pmin, pmax) = tipo.posti_ammessi();
        let posti = pmin + ((f64::from(pmax - pmin)) * frazione_posti) as u16;
        let (lo, hi) = tipo.eta_ammesse();
        let min = lo + ((f64::from(hi - lo - 1)) * eta_a) as u8;
        let data = (oggi() - chrono::Duration::days(giorni)).max(NaiveDate::from_ymd_opt(1950, 1, 1).unwrap());
        let (titolarita, gestione, codice) = match (pubblica, indiretta) {
            (true, true) => ("pubblica", "indiretta", numerico),
            (true, false) => ("pubblica", "diretta", numerico),
            (false, true) => ("privata", "privata_convenzionata", persona),
            (false, false) => ("privata", "privata", numerico),
        };
        ServizioForm {
            denominazione: format!("Nido {nome}"),
            tipo: tipo.code().into(),
            titolarita: titolarita.into(),
            gestione: gestione.into(),
            titolare_denominazione: format!("Titolare {nome}"),
            titolare_codice_fiscale: codice,
            indirizzo: format!("Via {nome}"),
            numero_civico: "1".into(),
            cap,
            posti_autorizzati: posti.to_string(),
            eta_min_mesi: min.to_string(),
            eta_max_mesi: hi.to_string(),
            autorizzazione_numero: "1/2020".into(),
            autorizzazione_data: data.to_string(),
            autorizzazione_ente: "Comune".into(),
            email: "a@b.it".into(),
            pec: String::new(),
            telefono: String::new(),
            mesi_apertura: mesi,
            orario_apertura: format!("{ora_a:02}:00"),
            orario_chiusura: format!("{ora_c:02}:30"),
            stato: stato.code().into(),
            stato_dal: data.to_string(),
            stato_motivo: "Motivo dichiarato".into(),
        }
    }
}

/// Single mutations that break exactly one rule, with the field that must be named.
type Mutazione = fn(&mut ServizioForm);

const MUTAZIONI: &[(&str, Mutazione)] = &[
    ("denominazione", |f| f.denominazione.clear()),
    ("tipo", |f| f.tipo.push('x')),
    ("titolare_denominazione", |f| {
        f.titolare_denominazione = "\u{7}".into()
    }),
    ("titolare_codice_fiscale", |f| {
        // change the check character to a wrong one
        let last = f.titolare_codice_fiscale.pop().unwrap();
        let wrong = match last {
            '0' => '1',
            'A' => 'B',
            c if c.is_ascii_digit() => '0',
            _ => 'A',
        };
        f.titolare_codice_fiscale.push(wrong);
    }),
    ("cap", |f| f.cap.push('0')),
    ("posti_autorizzati", |f| f.posti_autorizzati = "0".into()),
    ("eta_max_mesi", |f| f.eta_max_mesi = "200".into()),
    ("autorizzazione_data", |f| {
        f.autorizzazione_data = "2099-01-01".into()
    }),
    ("email", |f| f.email = "@".into()),
    ("telefono", |f| f.telefono = "abc".into()),
    ("mesi_apertura", |f| f.mesi_apertura.clear()),
    ("orario_chiusura", |f| f.orario_chiusura = "05:00".into()),
];

proptest! {
    #[test]
    fn generated_valid_records_pass(f in form_valido()) {
        let d = controlla(&f, oggi(), None);
        prop_assert!(d.is_ok(), "{:?}", d.err());
    }

    #[test]
    fn each_single_breaking_mutation_is_caught_on_its_field(f in form_valido(), i in 0..MUTAZIONI.len()) {
        let (campo, mutate) = MUTAZIONI[i];
        let mut g = f.clone();
        mutate(&mut g);
        let errs = controlla(&g, oggi(), None).err().unwrap_or_default();
        prop_assert!(!errs.is_empty(), "{campo}: not caught");
        prop_assert!(errs.iter().all(|e| e.field == campo), "{campo}: {errs:?}");
    }

    #[test]
    fn arbitrary_json_never_panics_the_rules(s in "\\PC{0,40}", n in any::<i64>()) {
        let json = serde_json::json!({"denominazione": s, "posti_autorizzati": n, "cap": s, "titolare_codice_fiscale": s, "autorizzazione_data": s, "orario_apertura": s});
        if let Ok(f) = serde_json::from_value::<ServizioForm>(json) {
            let _ = controlla(&f, oggi(), None);
        }
    }
}
