//! Hostile input never panics the parsers and rules the server runs on every request: arbitrary
//! text (any Unicode, control characters included) and arbitrary JSON for every request type.

use proptest::prelude::*;
use serde_json::Value;

/// Object keys: the request types' own field names (so the values reach the rules) or others.
fn chiave() -> impl Strategy<Value = String> {
    const NOMI: &[&str] = &[
        "tipo",
        "titolo",
        "annualita",
        "data_riferimento",
        "apertura",
        "chiusura",
        "comuni",
        "motivo",
        "voci",
        "servizio",
        "stato",
        "dal",
        "righe",
        "iscritti",
        "frequentanti",
        "disabili",
        "posti_disponibili",
        "giustificazione",
        "interventi",
        "id",
        "linea",
        "fonte",
        "descrizione",
        "servizi",
        "importo_previsto",
        "inizio",
        "fine",
        "nota_residuo",
        "intervento",
        "nuovo",
        "impegnato",
        "atto_numero",
        "atto_data",
        "liquidato",
        "avanzamento",
        "servizi_raggiunti",
        "non_utilizzato",
        "motivo_non_utilizzato",
        "campo",
        "testo",
        "indirizzo",
        "titolare",
        "nome",
        "cognome",
        "codice_fiscale",
        "email",
        "pec",
        "telefono",
        "ufficio",
        "utenti",
        "ruolo",
        "token",
        "password",
        "conferma",
        "attuale",
        "identificativo",
    ];
    prop_oneof![
        prop::sample::select(NOMI).prop_map(String::from),
        "[a-z_]{1,12}"
    ]
}

fn json_arbitrario() -> impl Strategy<Value = Value> {
    let foglia = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| serde_json::Number::from_f64(f)
            .map(Value::Number)
            .unwrap_or(Value::Null)),
        any::<String>().prop_map(Value::from),
        "[0-9.,-]{0,12}".prop_map(Value::from),
    ];
    foglia.prop_recursive(4, 64, 8, |dentro| {
        prop_oneof![
            prop::collection::vec(dentro.clone(), 0..8).prop_map(Value::Array),
            prop::collection::hash_map(chiave(), dentro, 0..8)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn text_parsers_never_panic(t in any::<String>()) {
        let _ = crate::denaro::Importo::parse(&t);
        let _ = crate::campagna::parse_data_ora(&t);
        let _ = crate::campagna::codici_da_csv(&t);
        let _ = crate::fondi::riparto_da_csv(&t);
        let _ = crate::servizio::regole::parse_data(&t);
        let _ = crate::comune::CodiceIstat::parse(&t);
        let _ = crate::fiscale::verifica(&t);
        let _ = crate::servizio::id_valido(&t);
        let _ = crate::utente::legali_da_csv(&t);
        let _ = crate::utente::sembra_codice_fiscale(&t);
        let _ = crate::utente::username_da_nome(&t, &t);
        let _ = crate::utente::ruolo_regionale(&t);
        let _ = crate::utente::ruolo_comunale(&t);
        let _ = crate::account::token_valido(&t);
        let _ = crate::password::controlla(&t, &t, &Default::default(), &crate::password::PasswordComuni::da_testo(&t));
        let _ = crate::auth::normalize_username(&t);
    }

    #[test]
    fn every_request_body_decodes_or_is_refused_without_panic(v in json_arbitrario(), t in any::<String>()) {
        use crate::campagna::*;
        if let Ok(f) = serde_json::from_value::<CampagnaForm>(v.clone()) { let _ = controlla_campagna(&f); }
        if let Ok(f) = serde_json::from_value::<ProrogaForm>(v.clone()) { let _ = controlla_proroga(&f, chrono::DateTime::from_timestamp(1_700_000_000, 0).unwrap()); }
        if let Ok(f) = serde_json::from_value::<MotivoForm>(v.clone()) { let _ = f.controlla(); }
        if let Ok(f) = serde_json::from_value::<DichiarazioneForm>(v.clone()) {
            let _ = controlla_dichiarazione(&f, std::slice::from_ref(&t), chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap());
        }
        if let Ok(f) = serde_json::from_value::<Segnalazione>(v.clone()) { let _ = f.controlla(); }
        if let Ok(f) = serde_json::from_value::<Vec<Commento>>(v.clone()) { let _ = controlla_commenti(&f); }
        if let Ok(f) = serde_json::from_value::<crate::frequentanti::FrequentantiForm>(v.clone()) {
            let _ = crate::frequentanti::controlla(&f, &[]);
        }
        let ctx = crate::fondi::Contesto::default();
        if let Ok(f) = serde_json::from_value::<crate::fondi::InterventiForm>(v.clone()) { let _ = crate::fondi::controlla_interventi(&f, &ctx); }
        if let Ok(f) = serde_json::from_value::<crate::fondi::MonitoraggioForm>(v.clone()) { let _ = crate::fondi::controlla_monitoraggio(&f, &ctx); }
        let _ = serde_json::from_value::<crate::coda::Coda>(v.clone());
        if let Ok(f) = serde_json::from_value::<crate::utente::IdentitaForm>(v.clone()) { let _ = f.controlla(); }
        if let Ok(f) = serde_json::from_value::<crate::utente::LegaleForm>(v.clone()) { let _ = f.controlla(); }
        if let Ok(f) = serde_json::from_value::<crate::registrazione::RichiestaForm>(v.clone()) { let _ = f.controlla(); }
        if let Ok(f) = serde_json::from_value::<crate::registrazione::DisabilitazioneForm>(v.clone()) { let _ = f.controlla(); }
        if let Ok(f) = serde_json::from_value::<crate::registrazione::MotivazioneForm>(v.clone()) { let _ = f.controlla(); }
        if let Ok(f) = serde_json::from_value::<crate::account::NuovaPasswordForm>(v.clone()) {
            let _ = crate::password::controlla(&f.password, &f.conferma, &Default::default(), crate::password::PasswordComuni::predefinito());
        }
        let _ = differenze_json(&v, &Value::String(t));
    }
}
