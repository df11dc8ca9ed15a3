//! The registry of services over HTTP: create, edit, list, history, exports; 422 naming each
//! bad field; 409 on a stale version; 403 across comuni on every endpoint; hostile strings
//! stored verbatim.

use crate::helpers::{error_data, spawn_app, TestApp, TestUser};
use serde_json::{json, Value};

/// A valid service form for Torino.
pub fn modulo() -> Value {
    json!({
        "denominazione": "Nido Le Rondini",
        "tipo": "nido_infanzia",
        "titolarita": "privata",
        "gestione": "privata_convenzionata",
        "titolare_denominazione": "Le Rondini Società Cooperativa",
        "titolare_codice_fiscale": "RSSMRA85T10A562S",
        "indirizzo": "Via Po",
        "numero_civico": "7",
        "cap": "10124",
        "posti_autorizzati": 40,
        "eta_min_mesi": 3,
        "eta_max_mesi": 36,
        "autorizzazione_numero": "12/2022",
        "autorizzazione_data": "2022-09-01",
        "autorizzazione_ente": "Comune di Torino",
        "email": "lerondini@example.it",
        "pec": "",
        "telefono": "+39 011 123456",
        "mesi_apertura": [1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12],
        "orario_apertura": "07:30",
        "orario_chiusura": "18:00",
        "stato": "attivo",
        "stato_dal": "",
        "stato_motivo": ""
    })
}

/// `POST /api/v1/comuni/{codice}/servizi` with `servizio`; status and body.
pub async fn crea(
    app: &TestApp,
    client: &reqwest::Client,
    codice: &str,
    servizio: &Value,
) -> (u16, Value) {
    let res = client
        .post(app.url(&format!("/api/v1/comuni/{codice}/servizi")))
        .json(&json!({ "servizio": servizio }))
        .send()
        .await
        .unwrap();
    (
        res.status().as_u16(),
        res.json().await.unwrap_or(Value::Null),
    )
}

/// `PUT /api/v1/servizi/{id}`; status and body.
async fn aggiorna(
    app: &TestApp,
    client: &reqwest::Client,
    id: &str,
    versione: u64,
    servizio: &Value,
) -> (u16, Value) {
    let res = client
        .put(app.url(&format!("/api/v1/servizi/{id}")))
        .json(&json!({ "versione": versione, "servizio": servizio }))
        .send()
        .await
        .unwrap();
    (
        res.status().as_u16(),
        res.json().await.unwrap_or(Value::Null),
    )
}

fn campi(body: &Value) -> Vec<String> {
    error_data(body)["fields"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|f| f["field"].as_str().unwrap_or_default().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn an_official_creates_edits_and_lists_a_service_and_sees_its_history() {
    let app = spawn_app().await;
    let torino = app.logged_in(TestUser::Torino).await;
    let (status, creato) = crea(&app, &torino, "001272", &modulo()).await;
    assert_eq!(status, 200, "{creato}");
    assert_eq!(creato["versione"], 1);
    assert_eq!(creato["comune"]["codice"], "001272");
    assert_eq!(creato["dati"]["telefono"], "+39011123456", "normalized");
    let id = creato["id"].as_str().unwrap().to_owned();

    let (status, elenco) = app.get_json(&torino, "/api/v1/comuni/001272/servizi").await;
    assert_eq!(status, 200);
    assert!(elenco
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["id"] == id.as_str() && r["stato"] == "attivo"));

    let mut modificato = modulo();
    modificato["posti_autorizzati"] = json!(36);
    modificato["stato"] = json!("sospeso");
    modificato["stato_dal"] = json!("2026-10-01");
    modificato["stato_motivo"] = json!("Lavori di manutenzione straordinaria");
    let (status, dopo) = aggiorna(&app, &torino, &id, 1, &modificato).await;
    assert_eq!(status, 200, "{dopo}");
    assert_eq!(dopo["versione"], 2);
    assert_eq!(dopo["dati"]["posti_autorizzati"], 36);
    assert_eq!(dopo["dati"]["stato"], "sospeso");

    let (status, storia) = app
        .get_json(&torino, &format!("/api/v1/servizi/{id}/storia"))
        .await;
    assert_eq!(status, 200);
    let storia = storia.as_array().unwrap();
    assert_eq!(storia.len(), 2, "{storia:?}");
    assert_eq!(storia[0]["azione"], "creazione");
    assert_eq!(storia[1]["azione"], "modifica");
    assert_eq!(storia[1]["attore"], "torino");
    assert_eq!(storia[1]["versione"], 2);
    let modifiche = storia[1]["modifiche"].as_array().unwrap();
    let posti = modifiche
        .iter()
        .find(|m| m["campo"] == "posti_autorizzati")
        .unwrap();
    assert_eq!(
        (posti["prima"].as_str(), posti["dopo"].as_str()),
        (Some("40"), Some("36"))
    );
    let stato = modifiche.iter().find(|m| m["campo"] == "stato").unwrap();
    assert_eq!(stato["dopo"], "Sospeso");
    assert!(
        !modifiche.iter().any(|m| m["campo"] == "denominazione"),
        "only changed fields"
    );
}

#[tokio::test]
async fn each_invalid_field_sent_to_the_api_is_refused_with_its_name() {
    let app = spawn_app().await;
    let torino = app.logged_in(TestUser::Torino).await;
    let cases = [
        ("titolare_codice_fiscale", json!("RSSMRA85T10A562X")),
        ("cap", json!("1012")),
        ("posti_autorizzati", json!(0)),
        ("posti_autorizzati", json!("tanti")),
        ("eta_min_mesi", json!(1)),
        ("autorizzazione_data", json!("2099-01-01")),
        ("email", json!("non-una-mail")),
        ("telefono", json!("abc")),
        ("orario_chiusura", json!("06:00")),
        ("denominazione", json!("  ")),
        ("denominazione", json!("Nido\u{0}nullo")),
        ("tipo", json!("asilo_di_lusso")),
        ("mesi_apertura", json!([])),
    ];
    for (campo, valore) in cases {
        let mut m = modulo();
        m[campo] = valore.clone();
        let (status, body) = crea(&app, &torino, "001272", &m).await;
        assert_eq!(status, 422, "{campo} = {valore}: {body}");
        assert_eq!(error_data(&body)["code"], "validazione");
        assert_eq!(campi(&body), vec![campo.to_owned()], "{campo} = {valore}");
    }
    // A body that is not even the right shape is a 422 too, never a 500.
    let res = torino
        .post(app.url("/api/v1/comuni/001272/servizi"))
        .json(&json!({ "servizio": "nido" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let (_, elenco) = app.get_json(&torino, "/api/v1/comuni/001272/servizi").await;
    assert!(
        !elenco
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["denominazione"] == "Nido Le Rondini"),
        "nothing was stored"
    );
}

#[tokio::test]
async fn saving_a_stale_version_is_refused_and_the_first_save_is_kept() {
    let app = spawn_app().await;
    let torino = app.logged_in(TestUser::Torino).await;
    let regione = app.logged_in(TestUser::Regione).await;
    let (_, creato) = crea(&app, &torino, "001272", &modulo()).await;
    let id = creato["id"].as_str().unwrap();

    let mut primo = modulo();
    primo["posti_autorizzati"] = json!(50);
    let (status, _) = aggiorna(&app, &regione, id, 1, &primo).await;
    assert_eq!(status, 200);

    let mut secondo = modulo();
    secondo["posti_autorizzati"] = json!(30);
    let (status, body) = aggiorna(&app, &torino, id, 1, &secondo).await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(error_data(&body)["code"], "conflitto");
    assert!(body["message"]
        .as_str()
        .unwrap()
        .contains("modificato da un altro utente"));

    let (_, attuale) = app
        .get_json(&torino, &format!("/api/v1/servizi/{id}"))
        .await;
    assert_eq!(attuale["dati"]["posti_autorizzati"], 50);
    assert_eq!(attuale["versione"], 2);
}

#[tokio::test]
async fn concurrent_saves_of_one_version_apply_exactly_once() {
    let app = spawn_app().await;
    let torino = app.logged_in(TestUser::Torino).await;
    let (_, creato) = crea(&app, &torino, "001272", &modulo()).await;
    let id = creato["id"].as_str().unwrap().to_owned();
    let mut tasks = Vec::new();
    for posti in 20..28 {
        let (client, url, id) = (torino.clone(), app.url(""), id.clone());
        tasks.push(tokio::spawn(async move {
            let mut m = modulo();
            m["posti_autorizzati"] = json!(posti);
            let res = client
                .put(format!("{url}/api/v1/servizi/{id}"))
                .json(&json!({ "versione": 1, "servizio": m }))
                .send()
                .await
                .unwrap();
            res.status().as_u16()
        }));
    }
    let mut statuses = Vec::new();
    for t in tasks {
        statuses.push(t.await.unwrap());
    }
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 409).count(),
        7,
        "{statuses:?}"
    );
    let (_, attuale) = app
        .get_json(&torino, &format!("/api/v1/servizi/{id}"))
        .await;
    assert_eq!(attuale["versione"], 2);
}

#[tokio::test]
async fn a_comune_official_gets_403_on_another_comunes_services_everywhere() {
    let app = spawn_app().await;
    let torino = app.logged_in(TestUser::Torino).await;
    let alba = app.logged_in(TestUser::Alba).await;
    let (_, creato) = crea(&app, &torino, "001272", &modulo()).await;
    let id = creato["id"].as_str().unwrap();

    for path in [
        "/api/v1/comuni/001272/servizi".to_owned(),
        format!("/api/v1/servizi/{id}"),
        format!("/api/v1/servizi/{id}/storia"),
        "/api/v1/servizi?comune=001272".to_owned(),
        "/api/v1/servizi.csv?comune=001272".to_owned(),
        "/api/v1/servizi.xlsx?comune=001272".to_owned(),
    ] {
        let res = alba.get(app.url(&path)).send().await.unwrap();
        assert_eq!(res.status(), 403, "GET {path}");
        let body: Value = res.json().await.unwrap();
        assert_eq!(error_data(&body)["code"], "non_autorizzato", "{path}");
    }
    let (status, _) = crea(&app, &alba, "001272", &modulo()).await;
    assert_eq!(status, 403, "POST into Torino");
    let (status, _) = aggiorna(&app, &alba, id, 1, &modulo()).await;
    assert_eq!(status, 403, "PUT on Torino's service");

    // Without a comune filter, Alba's official gets Alba's services only.
    let (status, pagina) = app.get_json(&alba, "/api/v1/servizi").await;
    assert_eq!(status, 200);
    let voci = pagina["voci"].as_array().unwrap();
    assert!(!voci.is_empty());
    assert!(
        voci.iter().all(|v| v["comune"]["codice"] == "004003"),
        "{voci:?}"
    );
    let csv = alba
        .get(app.url("/api/v1/servizi.csv"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(csv.contains("Alba") && !csv.contains("Torino;"), "{csv}");

    // Without a session: 401 everywhere.
    let anonimo = app.client();
    for path in [
        "/api/v1/comuni/001272/servizi".to_owned(),
        format!("/api/v1/servizi/{id}"),
        "/api/v1/servizi".to_owned(),
        "/api/v1/servizi.csv".to_owned(),
    ] {
        let res = anonimo.get(app.url(&path)).send().await.unwrap();
        assert_eq!(res.status(), 401, "GET {path}");
    }
}

#[tokio::test]
async fn hostile_strings_are_stored_and_returned_verbatim() {
    let app = spawn_app().await;
    let torino = app.logged_in(TestUser::Torino).await;
    let ostili = [
        "'; DELETE servizio; --",
        "\"); REMOVE TABLE servizio; (\"",
        "$dati.denominazione",
        "`servizio`:⟨x⟩ RETURN NONE",
        "Nido \u{1F476} «Città» ñ 漢字",
        "<script>alert(1)</script>",
    ];
    let (_, prima) = app.get_json(&torino, "/api/v1/comuni/001272/servizi").await;
    let n_prima = prima.as_array().unwrap().len();
    let mut ids = Vec::new();
    for s in ostili {
        let mut m = modulo();
        m["denominazione"] = json!(s);
        m["titolare_denominazione"] = json!(s);
        m["indirizzo"] = json!(s);
        m["autorizzazione_ente"] = json!(s);
        m["stato"] = json!("cessato");
        m["stato_dal"] = json!("2026-01-31");
        m["stato_motivo"] = json!(s);
        let (status, body) = crea(&app, &torino, "001272", &m).await;
        assert_eq!(status, 200, "{s}: {body}");
        ids.push((s, body["id"].as_str().unwrap().to_owned()));
    }
    for (s, id) in &ids {
        let (_, scheda) = app
            .get_json(&torino, &format!("/api/v1/servizi/{id}"))
            .await;
        for campo in [
            "denominazione",
            "titolare_denominazione",
            "indirizzo",
            "autorizzazione_ente",
            "stato_motivo",
        ] {
            assert_eq!(scheda["dati"][campo], *s, "{campo}");
        }
    }
    let (_, dopo) = app
        .get_json(&torino, "/api/v1/servizi?q=%27%3B%20DELETE")
        .await;
    assert_eq!(
        dopo["totale"], 1,
        "the search matches the text, nothing else"
    );
    let (_, elenco) = app.get_json(&torino, "/api/v1/comuni/001272/servizi").await;
    assert_eq!(
        elenco.as_array().unwrap().len(),
        n_prima + ostili.len(),
        "nothing deleted"
    );
}

#[tokio::test]
async fn a_ceased_service_cannot_be_reactivated() {
    let app = spawn_app().await;
    let torino = app.logged_in(TestUser::Torino).await;
    let mut m = modulo();
    m["stato"] = json!("cessato");
    m["stato_dal"] = json!("2026-06-30");
    m["stato_motivo"] = json!("Chiusura definitiva");
    let (_, creato) = crea(&app, &torino, "001272", &m).await;
    let id = creato["id"].as_str().unwrap();
    let (status, body) = aggiorna(&app, &torino, id, 1, &modulo()).await;
    assert_eq!(status, 422);
    assert_eq!(
        error_data(&body)["fields"][0]["rule"],
        "stato.cessato_definitivo"
    );
}

#[tokio::test]
async fn the_region_filters_searches_and_pages_the_services() {
    let app = spawn_app().await;
    let regione = app.logged_in(TestUser::Regione).await;
    let torino = app.logged_in(TestUser::Torino).await;
    for i in 0..30 {
        let mut m = modulo();
        m["denominazione"] = json!(format!("Nido Sequenza {i:02}"));
        assert_eq!(crea(&app, &torino, "001272", &m).await.0, 200);
    }
    let (status, p1) = app.get_json(&regione, "/api/v1/servizi?q=sequenza").await;
    assert_eq!(status, 200, "{p1}");
    assert_eq!(p1["totale"], 30);
    assert_eq!(p1["voci"].as_array().unwrap().len(), 25);
    let (_, p2) = app
        .get_json(&regione, "/api/v1/servizi?q=sequenza&page=2")
        .await;
    assert_eq!(p2["voci"].as_array().unwrap().len(), 5);
    assert_eq!(p2["pagina"], 2);

    let (_, alba) = app
        .get_json(&regione, "/api/v1/servizi?comune=004003")
        .await;
    assert!(alba["totale"].as_u64().unwrap() >= 1);
    assert!(alba["voci"]
        .as_array()
        .unwrap()
        .iter()
        .all(|v| v["comune"]["nome"] == "Alba"));
    let (_, cn) = app.get_json(&regione, "/api/v1/servizi?provincia=cn").await;
    assert_eq!(
        cn["totale"], alba["totale"],
        "Alba is the only demo comune in Cuneo"
    );
    let (_, sospesi) = app
        .get_json(&regione, "/api/v1/servizi?stato=sospeso")
        .await;
    assert!(sospesi["voci"]
        .as_array()
        .unwrap()
        .iter()
        .all(|v| v["stato"] == "sospeso"));
    assert!(sospesi["totale"].as_u64().unwrap() >= 1);
    let (_, primavera) = app
        .get_json(
            &regione,
            "/api/v1/servizi?tipo=sezione_primavera&titolarita=pubblica",
        )
        .await;
    assert!(primavera["voci"]
        .as_array()
        .unwrap()
        .iter()
        .all(|v| v["tipo"] == "sezione_primavera"));

    for bad in [
        "tipo=asilo",
        "stato=chiuso",
        "provincia=Torino",
        "comune=12",
        "page=0",
    ] {
        let (status, body) = app
            .get_json(&regione, &format!("/api/v1/servizi?{bad}"))
            .await;
        assert_eq!(status, 422, "{bad}: {body}");
    }
}

#[tokio::test]
async fn exports_hold_the_filtered_list_and_neutralise_formulas() {
    let app = spawn_app().await;
    let torino = app.logged_in(TestUser::Torino).await;
    let regione = app.logged_in(TestUser::Regione).await;
    let mut m = modulo();
    m["denominazione"] = json!("=HYPERLINK(\"http://x\";\"clic\")");
    m["titolare_denominazione"] = json!("@SOMMA(A1:A2)");
    assert_eq!(crea(&app, &torino, "001272", &m).await.0, 200);

    let res = regione
        .get(app.url("/api/v1/servizi.csv?comune=001272"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    assert!(res.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .contains("servizi.csv"));
    let csv = res.text().await.unwrap();
    let righe: Vec<&str> = csv.lines().collect();
    assert!(righe[0]
        .trim_start_matches('\u{feff}')
        .starts_with("ID;Codice ISTAT comune;Comune"));
    assert_eq!(
        righe.len(),
        1 + 5 + 1,
        "header, 5 demo services, the new one"
    );
    assert!(
        csv.contains("\"'=HYPERLINK(\"\"http://x\"\";\"\"clic\"\")\""),
        "{csv}"
    );
    assert!(csv.contains(";'@SOMMA(A1:A2);"), "{csv}");
    assert!(!csv.contains(";=HYPERLINK") && !csv.contains(";@SOMMA"));

    let res = regione
        .get(app.url("/api/v1/servizi.xlsx?comune=001272"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"]
        .to_str()
        .unwrap()
        .contains("spreadsheetml"));
    let bytes = res.bytes().await.unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let mut testi = String::new();
    std::io::Read::read_to_string(
        &mut zip.by_name("xl/sharedStrings.xml").unwrap(),
        &mut testi,
    )
    .unwrap();
    assert!(
        testi.contains("Nido d&apos;infanzia Il Girasole")
            || testi.contains("Nido d'infanzia Il Girasole"),
        "{testi}"
    );
    assert!(
        testi.contains("&apos;=HYPERLINK") || testi.contains("'=HYPERLINK"),
        "{testi}"
    );
    assert!(testi.contains("'@SOMMA") || testi.contains("&apos;@SOMMA"));
}

#[tokio::test]
async fn the_list_sees_services_written_by_another_app_server() {
    let app = spawn_app().await;
    let regione = app.logged_in(TestUser::Regione).await;
    let (_, prima) = app
        .get_json(&regione, "/api/v1/servizi?q=scritto%20altrove")
        .await;
    assert_eq!(prima["totale"], 0);
    // Another process writes straight to the shared database (its own in-memory list).
    let form: shared::servizio::regole::ServizioForm = serde_json::from_value({
        let mut m = modulo();
        m["denominazione"] = json!("Nido scritto altrove");
        m
    })
    .unwrap();
    let dati =
        shared::servizio::regole::ServizioValido::parse(&form, app.state.orologio.oggi(), None)
            .unwrap();
    let dove = backend::store::servizi::Collocazione {
        comune: "004003".into(),
        comune_nome: "Alba".into(),
        sigla_provincia: "CN".into(),
        codice_regione: "01".into(),
    };
    app.state
        .store
        .servizio_create(
            "altroprocesso1",
            &dove,
            dati.dati(),
            "altro",
            &Default::default(),
        )
        .await
        .unwrap();
    let (_, dopo) = app
        .get_json(&regione, "/api/v1/servizi?q=scritto%20altrove")
        .await;
    assert_eq!(dopo["totale"], 1, "{dopo}");
    assert_eq!(dopo["voci"][0]["id"], "altroprocesso1");
}
