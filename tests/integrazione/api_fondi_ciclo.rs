//! The funds cycle over HTTP: allocation → planned interventions → monitoring → send → returned
//! with comments → corrected → sent again → accepted; every transition refused from the wrong
//! state or role; the "services not reached" request blocks the form until the Region unlocks it.

use crate::campagne_prova::{campagna_fondi, dichiara_tutti};
use crate::helpers::{error_data, spawn_app, TestApp, TestUser};
use serde_json::{json, Value};
use shared::routes;

async fn campagna(app: &TestApp, regione: &reqwest::Client, tipo: &str) -> String {
    app.pubblica_campagna(regione, campagna_fondi(tipo, -60, 60, ""))
        .await
}

/// The receipt PDF of a sent form, as a reader shows its text.
async fn testo_ricevuta(app: &TestApp, client: &reqwest::Client, scheda: &str) -> String {
    let res = client
        .get(app.url(&format!("{scheda}/ricevuta.pdf")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    crate::helpers::testo_pdf(&res.bytes().await.unwrap())
}

fn regole(body: &Value) -> Vec<String> {
    error_data(body)["fields"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|f| f["rule"].as_str().unwrap_or_default().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn allocation_plan_monitoring_return_with_comments_fix_resend_and_accept() {
    let app = spawn_app().await;
    let regione = app.logged_in(TestUser::Regione).await;
    let torino = app.logged_in(TestUser::Torino).await;
    for (fonte, csv) in [
        ("statale", "001272;10.000,00"),
        ("regionale", "001272;2.000"),
    ] {
        let (status, r) = app
            .put(
                &regione,
                &format!("/api/v1/riparti/2023/{fonte}"),
                json!({ "csv": csv }),
            )
            .await;
        assert_eq!(status, 200, "{r}");
    }

    // The plan.
    let piano_id = campagna(&app, &regione, "interventi").await;
    let piano = routes::scheda(&piano_id, "001272");
    let s = dichiara_tutti(&app, &torino, &piano).await;
    assert_eq!(
        s["fondi"]["contesto"]["assegnato"],
        json!({ "statale": 1_000_000, "regionale": 200_000 })
    );
    let nido = s["fondi"]["contesto"]["servizi"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let intervento = |id: &str, linea: &str, fonte: &str, importo: &str| {
        json!({
        "id": id, "linea": linea, "fonte": fonte, "descrizione": "Rifacimento del tetto del nido",
        "servizi": if linea == "a" { json!([nido]) } else { json!([]) }, "importo_previsto": importo,
        "inizio": "01/09/2022", "fine": "30/06/2023" })
    };
    let troppo = json!({ "interventi": [intervento("i1", "a", "statale", "10.000,01"), intervento("i2", "c", "regionale", "2.000")] });
    let (status, s) = app
        .put(&torino, &piano, json!({ "versione": 0, "dati": troppo }))
        .await;
    assert_eq!(status, 200, "a draft may break the rules: {s}");
    assert!(
        s["rilievi"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["regola"] == "totale.oltre_assegnato"),
        "{s}"
    );
    let (status, e) = app
        .post(&torino, &format!("{piano}/invio"), json!({}))
        .await;
    assert_eq!(status, 422);
    assert_eq!(regole(&e), ["totale.oltre_assegnato"]);
    let giusto = json!({ "interventi": [intervento("i1", "a", "statale", "8.000"), intervento("i2", "b", "statale", "2.000,00"), intervento("i3", "c", "regionale", "2.000")] });
    let (status, s) = app
        .put(&torino, &piano, json!({ "versione": 1, "dati": giusto }))
        .await;
    assert_eq!(status, 200, "{s}");
    assert_eq!(
        s["fondi"]["totali"]["previsto"],
        json!({ "statale": 1_000_000, "regionale": 200_000 })
    );
    let (status, r) = app
        .post(&torino, &format!("{piano}/invio"), json!({}))
        .await;
    assert_eq!(status, 200, "{r}");
    // Its receipt prints the plan's totals per fund, not children.
    let pdf = testo_ricevuta(&app, &torino, &piano).await;
    assert!(
        pdf.contains("Totale previsto: fondo statale € 10.000,00, fondo regionale € 2.000,00"),
        "{pdf}"
    );
    assert!(!pdf.contains("iscritti"), "{pdf}");

    // The monitoring reads the plan sent.
    let mon_id = campagna(&app, &regione, "monitoraggio").await;
    let mon = routes::scheda(&mon_id, "001272");
    let s = dichiara_tutti(&app, &torino, &mon).await;
    assert_eq!(
        s["fondi"]["contesto"]["piano"]["interventi"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
    let voce = |id: &str, impegnato: &str, liquidato: &str| {
        json!({ "intervento": id, "impegnato": impegnato,
        "atto_numero": "DD 12/2023", "atto_data": "15/03/2023", "liquidato": liquidato, "avanzamento": "in_corso",
        "servizi_raggiunti": [] })
    };
    let incompleto = json!({ "voci": [voce("i1", "8.000", "9.000"), voce("i2", "2.000", "0")] });
    let (status, _) = app
        .put(&torino, &mon, json!({ "versione": 0, "dati": incompleto }))
        .await;
    assert_eq!(status, 200);
    // The page runs the same rules on the data delivered with the form: the same findings.
    let (_, s) = app.get_json(&torino, &mon).await;
    let form: shared::fondi::MonitoraggioForm =
        serde_json::from_value(s["fondi"]["monitoraggio"].clone()).unwrap();
    let contesto: shared::fondi::Contesto =
        serde_json::from_value(s["fondi"]["contesto"].clone()).unwrap();
    let (nel_browser, _) = shared::fondi::controlla_monitoraggio(&form, &contesto);
    let dal_server: Vec<shared::frequentanti::Rilievo> =
        serde_json::from_value(s["rilievi"].clone()).unwrap();
    assert_eq!(nel_browser, dal_server, "browser and server agree");
    assert_eq!(dal_server.len(), 2, "{dal_server:?}");
    let (status, e) = app.post(&torino, &format!("{mon}/invio"), json!({})).await;
    assert_eq!(status, 422);
    let mut r = regole(&e);
    r.sort();
    assert_eq!(
        r,
        [
            "importo.liquidato_oltre_impegnato",
            "monitoraggio.intervento_mancante"
        ]
    );
    let primo = json!({ "voci": [voce("i1", "8.000", "5.000"), voce("i2", "2.000", "0"), voce("i3", "1.500", "1.500")] });
    let (status, _) = app
        .put(&torino, &mon, json!({ "versione": 1, "dati": primo }))
        .await;
    assert_eq!(status, 200);
    let (status, r1) = app.post(&torino, &format!("{mon}/invio"), json!({})).await;
    assert_eq!(status, 200, "{r1}");
    let pdf = testo_ricevuta(&app, &torino, &mon).await;
    for riga in [
        "Totale impegnato: fondo statale € 10.000,00, fondo regionale € 1.500,00",
        "Totale liquidato: fondo statale € 5.000,00, fondo regionale € 1.500,00",
    ] {
        assert!(pdf.contains(riga), "{riga} in {pdf}");
    }
    assert!(!pdf.contains("iscritti"), "{pdf}");

    // Wrong role and wrong state.
    let (status, _) = app
        .post(&torino, &format!("{mon}/accettazione"), json!({}))
        .await;
    assert_eq!(status, 403);
    let (status, e) = app
        .post(
            &regione,
            &format!("{mon}/restituzione"),
            json!({ "commenti": [] }),
        )
        .await;
    assert_eq!(
        (status, regole(&e)),
        (422, vec!["commenti.obbligatori".to_string()])
    );

    // Returned with a comment on a field.
    let (status, s) = app.post(&regione, &format!("{mon}/restituzione"), json!({ "commenti": [{ "campo": "voci[2].impegnato", "testo": "L'atto DD 12/2023 impegna 1.400 euro, non 1.500." }] })).await;
    assert_eq!(status, 200, "{s}");
    assert_eq!(s["stato"], "restituita");
    let (_, s) = app.get_json(&torino, &mon).await;
    assert_eq!(
        (s["stato"].as_str(), s["compilabile"].as_bool()),
        (Some("restituita"), Some(true))
    );
    assert_eq!(s["commenti"][0]["campo"], "voci[2].impegnato");
    assert_eq!(s["ricevuta"], Value::Null);
    let (status, _) = app
        .post(&regione, &format!("{mon}/accettazione"), json!({}))
        .await;
    assert_eq!(
        status, 409,
        "a returned form is not accepted before it comes back"
    );

    let corretto = json!({ "voci": [voce("i1", "8.000", "5.000"), voce("i2", "2.000", "0"), voce("i3", "1.400", "1.400")] });
    let (status, s) = app
        .put(&torino, &mon, json!({ "versione": 2, "dati": corretto }))
        .await;
    assert_eq!(
        (status, s["stato"].as_str()),
        (200, Some("restituita")),
        "{s}"
    );
    let (status, r2) = app.post(&torino, &format!("{mon}/invio"), json!({})).await;
    assert_eq!(status, 200, "{r2}");
    assert_eq!(
        r2["numero"].as_u64(),
        Some(r1["numero"].as_u64().unwrap() + 1),
        "a new receipt"
    );

    // Every version kept; the Region sees what changed.
    let (_, s) = app.get_json(&regione, &mon).await;
    let invii = s["invii"].as_array().unwrap();
    assert_eq!(invii.len(), 2);
    let diff = shared::campagna::differenze_json(&invii[0]["dati"], &invii[1]["dati"]);
    assert_eq!(
        diff,
        [
            (
                "voci[2].impegnato".to_string(),
                "1.500".to_string(),
                "1.400".to_string()
            ),
            (
                "voci[2].liquidato".to_string(),
                "1.500".to_string(),
                "1.400".to_string()
            ),
        ]
    );
    let (status, s) = app
        .post(&regione, &format!("{mon}/accettazione"), json!({}))
        .await;
    assert_eq!(
        (status, s["stato"].as_str()),
        (200, Some("accettata")),
        "{s}"
    );
    let (status, _) = app
        .put(&torino, &mon, json!({ "versione": 3, "dati": corretto }))
        .await;
    assert_eq!(status, 409, "an accepted form is final");
    let (status, _) = app
        .post(
            &regione,
            &format!("{mon}/restituzione"),
            json!({ "commenti": [{ "testo": "Ancora" }] }),
        )
        .await;
    assert_eq!(status, 409);
    let azioni: Vec<String> = app
        .state
        .store
        .audit_for(&format!("scheda:{mon_id}_001272"))
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.azione)
        .collect();
    assert_eq!(
        azioni,
        [
            "dichiarazione",
            "bozza",
            "bozza",
            "invio",
            "restituita",
            "bozza",
            "invio",
            "accettata"
        ]
    );

    // The Region's exports: a row per comune, per intervention, per province.
    let scarica = |client: reqwest::Client, percorso: String| {
        let url = app.url(&percorso);
        async move {
            let r = client.get(url).send().await.unwrap();
            (r.status().as_u16(), r.text().await.unwrap_or_default())
        }
    };
    let (status, comuni) = scarica(
        regione.clone(),
        format!("/api/v1/campagne/{mon_id}/esportazione.csv?foglio=comuni"),
    )
    .await;
    assert_eq!(status, 200, "{comuni}");
    let torino_riga = comuni
        .lines()
        .find(|l| l.starts_with("001272;"))
        .unwrap()
        .to_owned();
    assert!(
        torino_riga.starts_with("001272;Torino;TO;Accettata;"),
        "{torino_riga}"
    );
    assert!(
        torino_riga.contains(";10.000,00;2.000,00;"),
        "allocation: {torino_riga}"
    );
    assert!(
        torino_riga.ends_with(";8.000,00;0,00;2.000,00;0,00;0,00;1.400,00;11.400,00;6.400,00"),
        "committed and paid totals: {torino_riga}"
    );
    let (_, interventi) = scarica(
        regione.clone(),
        format!("/api/v1/campagne/{mon_id}/esportazione.csv?foglio=interventi"),
    )
    .await;
    assert_eq!(
        interventi
            .lines()
            .filter(|l| l.starts_with("001272;"))
            .count(),
        3,
        "{interventi}"
    );
    let (_, province) = scarica(
        regione.clone(),
        format!("/api/v1/campagne/{mon_id}/esportazione.csv?foglio=province"),
    )
    .await;
    let to = province
        .lines()
        .find(|l| l.starts_with("Torino;"))
        .unwrap()
        .to_owned();
    assert!(to.ends_with(";1;10.000,00;2.000,00;11.400,00"), "{to}");
    let r = regione
        .get(app.url(&format!("/api/v1/campagne/{mon_id}/esportazione.xlsx")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(&r.bytes().await.unwrap()[..2], b"PK", "an XLSX (zip) file");
    let (status, _) = scarica(
        torino.clone(),
        format!("/api/v1/campagne/{mon_id}/esportazione.csv"),
    )
    .await;
    assert_eq!(status, 403, "the Region's export");
}

#[tokio::test]
async fn a_services_not_reached_request_blocks_the_monitoring_until_the_region_unlocks_it() {
    let app = spawn_app().await;
    let regione = app.logged_in(TestUser::Regione).await;
    let alba = app.logged_in(TestUser::Alba).await;
    let piano_id = campagna(&app, &regione, "interventi").await;
    let mon_id = campagna(&app, &regione, "monitoraggio").await;
    let mon = routes::scheda(&mon_id, "004003");
    let richiesta = json!({ "servizio": "Nido Il Castello", "indirizzo": "Via Roma 3, Alba",
        "titolare": "Comune di Alba", "motivo": "Il gestore ha rinunciato al contributo per lavori in corso." });
    let (status, _) = app
        .chiama(
            &alba,
            "POST",
            &format!("/api/v1/campagne/{piano_id}/comuni/004003/scheda/segnalazioni"),
            &richiesta.clone(),
        )
        .await;
    assert_eq!(status, 409, "only on a monitoring form");
    let (status, e) = app
        .post(
            &alba,
            &format!("{mon}/segnalazioni"),
            json!({ "servizio": "x" }),
        )
        .await;
    assert_eq!(status, 422, "{e}");
    let (status, _) = app
        .chiama(
            &regione,
            "POST",
            &format!("{mon}/segnalazioni"),
            &richiesta.clone(),
        )
        .await;
    assert_eq!(status, 403, "filed by the comune");

    let (status, s) = app
        .chiama(&alba, "POST", &format!("{mon}/segnalazioni"), &richiesta)
        .await;
    assert_eq!(status, 200, "{s}");
    assert_eq!(
        (s["stato"].as_str(), s["compilabile"].as_bool()),
        (Some("bloccata"), Some(false))
    );
    assert!(
        s["messaggio"]
            .as_str()
            .unwrap()
            .contains("servizi non raggiunti"),
        "{s}"
    );
    assert_eq!(s["segnalazioni"][0]["servizio"], "Nido Il Castello");
    let (_, righe) = app
        .get_json(&regione, &routes::campagna_azione(&mon_id, "schede"))
        .await;
    let alba_riga = righe
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["comune"]["codice"] == "004003")
        .unwrap()
        .clone();
    assert_eq!(alba_riga["stato"], "bloccata");
    let (status, _) = app
        .put(
            &alba,
            &mon,
            json!({ "versione": 0, "dati": { "voci": [] } }),
        )
        .await;
    assert_eq!(status, 409, "blocked");

    let (status, _) = app
        .post(
            &regione,
            &format!("{mon}/sblocco"),
            json!({ "motivo": "Verificato: servizio escluso" }),
        )
        .await;
    assert_eq!(status, 200);
    dichiara_tutti(&app, &alba, &mon).await;
    let (status, _) = app
        .put(
            &alba,
            &mon,
            json!({ "versione": 0, "dati": { "voci": [] } }),
        )
        .await;
    assert_eq!(status, 200);
    let (status, r) = app.post(&alba, &format!("{mon}/invio"), json!({})).await;
    assert_eq!(status, 200, "{r}");
    let azioni: Vec<String> = app
        .state
        .store
        .audit_for(&format!("scheda:{mon_id}_004003"))
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.azione)
        .collect();
    assert_eq!(
        azioni,
        ["segnalazione", "sblocco", "dichiarazione", "bozza", "invio"]
    );
}

/// A sent plan keeps its amounts in exact cents, read once by the rules that accepted them;
/// the export prints those and, if a stored amount cannot be read, refuses to export rather
/// than print zero.
#[tokio::test]
async fn a_sent_plan_keeps_exact_cents_and_the_export_never_guesses() {
    let app = spawn_app().await;
    let regione = app.logged_in(TestUser::Regione).await;
    let torino = app.logged_in(TestUser::Torino).await;
    for (fonte, csv) in [("statale", "001272;10.000"), ("regionale", "001272;2.000")] {
        let url = format!("/api/v1/riparti/2023/{fonte}");
        let (status, r) = app.put(&regione, &url, json!({ "csv": csv })).await;
        assert_eq!(status, 200, "{r}");
    }
    let piano_id = campagna(&app, &regione, "interventi").await;
    let piano = routes::scheda(&piano_id, "001272");
    dichiara_tutti(&app, &torino, &piano).await;
    let intervento = |id: &str, linea: &str, fonte: &str, importo: &str| {
        json!({ "id": id, "linea": linea, "fonte": fonte, "descrizione": "Formazione del personale educativo",
                "servizi": [], "importo_previsto": importo, "inizio": "01/09/2022", "fine": "30/06/2023" })
    };
    let dati = json!({ "interventi": [
        intervento("i1", "b", "statale", " 7.999,5 "),
        intervento("i2", "c", "statale", "2000,50"),
        intervento("i3", "c", "regionale", "2.000"),
    ] });
    let (status, s) = app
        .put(&torino, &piano, json!({ "versione": 0, "dati": dati }))
        .await;
    assert_eq!(status, 200, "{s}");
    let (status, r) = app
        .post(&torino, &format!("{piano}/invio"), json!({}))
        .await;
    assert_eq!(status, 200, "{r}");

    let id = format!("{piano_id}_001272");
    let leggi = || async {
        let mut res = app
            .state
            .store
            .connessione()
            .query("SELECT invii FROM ONLY type::record('scheda', $id)")
            .bind(("id", id.clone()))
            .await
            .unwrap();
        let riga: Option<Value> = res.take(0).unwrap();
        riga.unwrap()["invii"].clone()
    };
    let invii = leggi().await;
    let voci = invii[0]["importi"]["voci"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let centesimi: Vec<(Value, Value, Value)> = voci
        .iter()
        .map(|v| {
            (
                v["intervento"].clone(),
                v["fonte"].clone(),
                v["previsto"].clone(),
            )
        })
        .collect();
    assert_eq!(
        centesimi,
        [
            (json!("i1"), json!("statale"), json!(799_950)),
            (json!("i2"), json!("statale"), json!(200_050)),
            (json!("i3"), json!("regionale"), json!(200_000)),
        ],
        "the amounts as sent, in cents: {invii}"
    );
    assert_eq!(
        invii[0]["dati"]["interventi"][0]["importo_previsto"], " 7.999,5 ",
        "the form as typed stays with its receipt"
    );

    let esporta = || async {
        let r = regione
            .get(app.url(&format!(
                "/api/v1/campagne/{piano_id}/esportazione.csv?foglio=interventi"
            )))
            .send()
            .await
            .unwrap();
        (r.status().as_u16(), r.text().await.unwrap_or_default())
    };
    let (status, csv) = esporta().await;
    assert_eq!(status, 200, "{csv}");
    let righe: Vec<&str> = csv.lines().filter(|l| l.starts_with("001272;")).collect();
    assert_eq!(righe.len(), 3, "{csv}");
    assert!(
        righe[0].ends_with(";i1;b;statale;Formazione del personale educativo;7.999,50"),
        "{csv}"
    );
    assert!(righe[1].ends_with(";2.000,50"), "{csv}");

    // An amount that cannot be read (damaged in the database) stops the export.
    let mut guasti = invii.clone();
    guasti[0]["importi"]["voci"][1]["previsto"] = json!("duemila");
    app.state
        .store
        .connessione()
        .query("UPDATE type::record('scheda', $id) SET invii = $invii")
        .bind(("id", id.clone()))
        .bind(("invii", guasti))
        .await
        .unwrap()
        .check()
        .unwrap();
    let (status, body) = esporta().await;
    assert_eq!(status, 500, "no sheet with a guessed zero: {body}");
    assert!(!body.contains("0,00"), "{body}");
}
