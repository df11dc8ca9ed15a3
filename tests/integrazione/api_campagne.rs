//! Campaigns over HTTP: the Region creates, publishes and extends; a comune sees only the
//! published campaigns it is eligible for; whether a form can be compiled is decided by the
//! server's clock, and a block overrides an open window with its reason.

use crate::campagne_prova::{campagna, dichiara_tutti, righe, tra, voci_operanti};
use crate::helpers::{error_data, spawn_app, TestUser};
use chrono::Duration;
use serde_json::{json, Value};
use shared::routes;

#[tokio::test]
async fn an_open_campaign_is_compilable_and_a_block_closes_it_with_its_reason() {
    let app = spawn_app().await;
    let regione = app.logged_in(TestUser::Regione).await;
    let torino = app.logged_in(TestUser::Torino).await;
    let id = app
        .pubblica_campagna(&regione, campagna(-60, 60 * 24, ""))
        .await;

    let scheda = routes::scheda(&id, "001272");
    let (status, s) = app.get_json(&torino, &scheda).await;
    assert_eq!(status, 200, "{s}");
    assert_eq!(s["stato"], "non_iniziata");
    assert_eq!(s["compilabile"], true);
    assert!(s["messaggio"]
        .as_str()
        .unwrap()
        .starts_with("La compilazione è aperta fino al"));

    let (status, s) = app
        .post(
            &regione,
            &format!("{scheda}/blocco"),
            json!({ "motivo": "Verifica dei servizi cessati" }),
        )
        .await;
    assert_eq!(status, 200, "{s}");
    let (_, s) = app.get_json(&torino, &scheda).await;
    assert_eq!(
        (s["stato"].as_str(), s["compilabile"].as_bool()),
        (Some("bloccata"), Some(false))
    );
    assert_eq!(
        s["messaggio"],
        "La scheda è bloccata dalla Regione: Verifica dei servizi cessati"
    );

    let (status, _) = app
        .post(
            &regione,
            &format!("{scheda}/sblocco"),
            json!({ "motivo": "Verifica conclusa" }),
        )
        .await;
    assert_eq!(status, 200);
    let (_, s) = app.get_json(&torino, &scheda).await;
    assert_eq!(
        (s["stato"].as_str(), s["compilabile"].as_bool()),
        (Some("non_iniziata"), Some(true))
    );

    let azioni: Vec<String> = app
        .state
        .store
        .audit_for(&format!("scheda:{id}_001272"))
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.azione)
        .collect();
    assert_eq!(azioni, vec!["blocco", "sblocco"]);
}

#[tokio::test]
async fn a_closed_window_says_when_it_closed_and_extensions_reopen_it() {
    let app = spawn_app().await;
    let regione = app.logged_in(TestUser::Regione).await;
    let torino = app.logged_in(TestUser::Torino).await;
    let alba = app.logged_in(TestUser::Alba).await;
    let id = app
        .pubblica_campagna(&regione, campagna(-120, -5, ""))
        .await;
    let scheda_to = routes::scheda(&id, "001272");
    let (_, s) = app.get_json(&torino, &scheda_to).await;
    assert_eq!(s["compilabile"], false);
    assert!(
        s["messaggio"]
            .as_str()
            .unwrap()
            .starts_with("La compilazione è chiusa: il termine è scaduto il"),
        "{s}"
    );

    // One comune's own extension reopens it for that comune only.
    let (status, s) = app
        .post(
            &regione,
            &format!("{scheda_to}/proroga"),
            json!({ "chiusura": tra(60), "motivo": "Problemi tecnici segnalati dal comune" }),
        )
        .await;
    assert_eq!(status, 200, "{s}");
    assert_eq!(s["compilabile"], true);
    assert!(
        s["messaggio"]
            .as_str()
            .unwrap()
            .ends_with("(termine prorogato)."),
        "{s}"
    );
    let (_, s) = app.get_json(&alba, &routes::scheda(&id, "004003")).await;
    assert_eq!(s["compilabile"], false, "Alba still closed");

    // A global extension must move the deadline later, and produces the public notice.
    let globale = routes::campagna_azione(&id, "proroghe");
    let (status, body) = app
        .post(
            &regione,
            &globale,
            json!({ "chiusura": tra(-60), "motivo": "Troppo presto" }),
        )
        .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(error_data(&body)["fields"][0]["rule"], "proroga.successiva");
    let (status, body) = app
        .post(
            &regione,
            &globale,
            json!({ "chiusura": tra(120), "motivo": "Richieste dei comuni" }),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert!(body["avviso"].as_str().unwrap().starts_with(
        "I termini per la compilazione della rilevazione «Bambini frequentanti al 31/12/2025» sono stati prorogati al"
    ));
    assert_eq!(body["campagna"]["proroghe"].as_array().unwrap().len(), 1);
    let (_, s) = app.get_json(&alba, &routes::scheda(&id, "004003")).await;
    assert_eq!(
        s["compilabile"], true,
        "Alba reopened by the global extension"
    );
}

#[tokio::test]
async fn comuni_see_only_published_campaigns_they_are_eligible_for() {
    let app = spawn_app().await;
    let regione = app.logged_in(TestUser::Regione).await;
    let torino = app.logged_in(TestUser::Torino).await;
    let alba = app.logged_in(TestUser::Alba).await;
    let solo_torino = app
        .pubblica_campagna(&regione, campagna(-60, 60, "001272"))
        .await;
    let (status, bozza) = app
        .post(
            &regione,
            "/api/v1/campagne",
            json!({ "campagna": campagna(-60, 60, "") }),
        )
        .await;
    assert_eq!(status, 200);
    let bozza = bozza["id"].as_str().unwrap().to_owned();

    let (_, elenco) = app.get_json(&torino, "/api/v1/campagne").await;
    let ids: Vec<&str> = elenco
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, vec![solo_torino.as_str()], "not the draft");
    let (_, elenco) = app.get_json(&alba, "/api/v1/campagne").await;
    assert!(
        elenco.as_array().unwrap().is_empty(),
        "Alba is not eligible"
    );
    let (_, elenco) = app.get_json(&regione, "/api/v1/campagne").await;
    assert_eq!(elenco.as_array().unwrap().len(), 2);

    let (status, _) = app
        .get_json(&alba, &routes::scheda(&solo_torino, "004003"))
        .await;
    assert_eq!(status, 404, "not eligible: not even its existence");
    let (status, _) = app
        .get_json(&torino, &routes::scheda(&bozza, "001272"))
        .await;
    assert_eq!(status, 404, "a draft is invisible to comuni");
    let (status, _) = app
        .get_json(&alba, &routes::scheda(&solo_torino, "001272"))
        .await;
    assert_eq!(status, 403, "another comune's form");
}

#[tokio::test]
async fn only_the_region_manages_campaigns_and_bad_input_is_named() {
    let app = spawn_app().await;
    let regione = app.logged_in(TestUser::Regione).await;
    let torino = app.logged_in(TestUser::Torino).await;
    let id = app.pubblica_campagna(&regione, campagna(-60, 60, "")).await;
    let base = routes::campagna(&id);
    for (path, body) in [
        (
            "/api/v1/campagne".to_owned(),
            json!({ "campagna": campagna(-60, 60, "") }),
        ),
        (format!("{base}/pubblica"), json!({})),
        (
            format!("{base}/proroghe"),
            json!({ "chiusura": tra(600), "motivo": "Mi serve più tempo" }),
        ),
        (
            format!("{base}/comuni/001272/scheda/blocco"),
            json!({ "motivo": "prova" }),
        ),
        (
            format!("{base}/comuni/001272/scheda/sblocco"),
            json!({ "motivo": "prova" }),
        ),
        (
            format!("{base}/comuni/001272/scheda/proroga"),
            json!({ "chiusura": tra(600), "motivo": "Mi serve più tempo" }),
        ),
    ] {
        let (status, body) = app.chiama(&torino, "POST", &path, &body).await;
        assert_eq!(status, 403, "POST {path}: {body}");
    }
    let mut male = campagna(60, -60, "001272 12");
    male["tipo"] = json!("censimento");
    let (status, body) = app
        .post(&regione, "/api/v1/campagne", json!({ "campagna": male }))
        .await;
    assert_eq!(status, 422);
    let campi: Vec<&str> = error_data(&body)["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(campi, vec!["chiusura", "comuni", "tipo"]);
    let (status, _) = app
        .post(&regione, &format!("{base}/pubblica"), json!({}))
        .await;
    assert_eq!(status, 409, "already published");
    let (status, body) = app
        .post(
            &regione,
            &format!("{base}/comuni/001272/scheda/blocco"),
            json!({ "motivo": "" }),
        )
        .await;
    assert_eq!(status, 422, "{body}");
}

/// The declaration's "not after today" is decided by the server's clock, the one that decides
/// the window: with that clock three days ahead, a service ceased the day after the system's
/// today is accepted.
#[tokio::test]
async fn the_declaration_reads_today_from_the_servers_clock() {
    let app = spawn_app().await;
    let regione = app.logged_in(TestUser::Regione).await;
    let torino = app.logged_in(TestUser::Torino).await;
    let id = app
        .pubblica_campagna(&regione, campagna(-60, 60 * 24 * 10, ""))
        .await;
    let scheda = routes::scheda(&id, "001272");
    app.state.orologio.avanza(Duration::days(3));
    let domani = shared::tempo::oggi_in_italia(app.state.orologio.adesso() - Duration::days(2));
    let (_, s) = app.get_json(&torino, &scheda).await;
    let mut voci = voci_operanti(&s);
    voci[0]["stato"] = json!("cessato");
    voci[0]["dal"] = json!(domani.format("%d/%m/%Y").to_string());
    voci[0]["motivo"] = json!("Chiusura definitiva");
    let (status, body) = app
        .post(
            &torino,
            &format!("{scheda}/dichiarazione"),
            json!({ "voci": voci }),
        )
        .await;
    assert_eq!(status, 200, "{body}");
}

/// The declaration and the registry changes it makes commit together: the database refusing
/// the second service's change (a failure injected with an event on the table) leaves the
/// first service, its history and the form exactly as they were; the same declaration then
/// goes through whole.
#[tokio::test]
async fn a_declaration_that_fails_half_way_changes_nothing() {
    let app = spawn_app().await;
    let regione = app.logged_in(TestUser::Regione).await;
    let torino = app.logged_in(TestUser::Torino).await;
    let id = app.pubblica_campagna(&regione, campagna(-60, 60, "")).await;
    let scheda = routes::scheda(&id, "001272");
    let (_, s) = app.get_json(&torino, &scheda).await;
    let mut voci = voci_operanti(&s);
    let primo = voci[0]["servizio"].as_str().unwrap().to_owned();
    let secondo = voci[1]["servizio"].as_str().unwrap().to_owned();
    voci[0] = json!({ "servizio": primo, "stato": "cessato", "dal": "30/06/2025", "motivo": "Chiusura definitiva" });
    voci[1] = json!({ "servizio": secondo, "stato": "sospeso", "dal": "01/09/2025", "motivo": "Lavori di ristrutturazione" });
    let servizio = |sid: String| {
        let (app, torino) = (&app, &torino);
        async move {
            let (_, s) = app
                .get_json(torino, &format!("/api/v1/servizi/{sid}"))
                .await;
            let (_, storia) = app
                .get_json(torino, &format!("/api/v1/servizi/{sid}/storia"))
                .await;
            (s["versione"].clone(), s["dati"]["stato"].clone(), storia)
        }
    };
    let prima = (
        servizio(primo.clone()).await,
        servizio(secondo.clone()).await,
    );

    app.state
        .store
        .connessione()
        .query(format!(
            "DEFINE EVENT guasto_di_prova ON servizio WHEN $event = 'UPDATE' \
             AND record::id($after.id) = '{secondo}' THEN {{ THROW 'guasto iniettato' }}"
        ))
        .await
        .unwrap()
        .check()
        .unwrap();
    let (status, body) = app
        .post(
            &torino,
            &format!("{scheda}/dichiarazione"),
            json!({ "voci": voci.clone() }),
        )
        .await;
    assert_eq!(status, 500, "{body}");
    let dopo = (
        servizio(primo.clone()).await,
        servizio(secondo.clone()).await,
    );
    assert_eq!(dopo, prima, "no service changed, no history entry added");
    let (_, s) = app.get_json(&torino, &scheda).await;
    assert_eq!(s["dichiarazione"], Value::Null, "no declaration: {s}");
    assert_eq!(s["stato"], "non_iniziata");

    app.state
        .store
        .connessione()
        .query("REMOVE EVENT guasto_di_prova ON servizio")
        .await
        .unwrap()
        .check()
        .unwrap();
    let (status, s) = app
        .post(
            &torino,
            &format!("{scheda}/dichiarazione"),
            json!({ "voci": voci }),
        )
        .await;
    assert_eq!(status, 200, "{s}");
    assert!(s["dichiarazione"].is_object(), "{s}");
    let ((_, stato1, storia1), (_, stato2, storia2)) =
        (servizio(primo).await, servizio(secondo).await);
    assert_eq!((stato1, stato2), (json!("cessato"), json!("sospeso")));
    for storia in [storia1, storia2] {
        assert_eq!(
            storia.as_array().unwrap().last().unwrap()["attore"],
            "torino",
            "{storia}"
        );
    }
}

/// A sent or accepted form cannot be blocked (409, nothing written), and the form's page and
/// the Region's overview show the same state for it.
#[tokio::test]
async fn a_sent_or_accepted_form_cannot_be_blocked_and_every_view_shows_one_state() {
    let app = spawn_app().await;
    let regione = app.logged_in(TestUser::Regione).await;
    let torino = app.logged_in(TestUser::Torino).await;
    let id = app.pubblica_campagna(&regione, campagna(-60, 60, "")).await;
    let scheda = routes::scheda(&id, "001272");
    let s = dichiara_tutti(&app, &torino, &scheda).await;
    let dati = json!({ "righe": righe(&s["servizi"], 3), "giustificazione": "" });
    let (status, s) = app
        .put(&torino, &scheda, json!({ "versione": 0, "dati": dati }))
        .await;
    assert_eq!(status, 200, "{s}");
    let (status, r) = app
        .post(&torino, &format!("{scheda}/invio"), json!({}))
        .await;
    assert_eq!(status, 200, "{r}");
    let blocco = format!("{scheda}/blocco");
    let motivo = json!({ "motivo": "Verifica dei dati" });
    let blocca = || app.chiama(&regione, "POST", &blocco, &motivo);
    let stati = || async {
        let (_, s) = app.get_json(&regione, &scheda).await;
        let (_, tutte) = app
            .get_json(&regione, &routes::campagna_azione(&id, "schede"))
            .await;
        let riga = tutte
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["comune"]["codice"] == "001272")
            .unwrap()
            .clone();
        (
            s["stato"].clone(),
            riga["stato"].clone(),
            riga["blocco"].clone(),
        )
    };

    let (status, body) = blocca().await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(
        error_data(&body)["message"],
        "La scheda è già stata inviata o accettata: non si può bloccare."
    );
    assert_eq!(
        stati().await,
        (json!("inviata"), json!("inviata"), Value::Null)
    );

    let (status, body) = app
        .post(&regione, &format!("{scheda}/accettazione"), json!({}))
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = blocca().await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(
        stati().await,
        (json!("accettata"), json!("accettata"), Value::Null)
    );
}

#[tokio::test]
async fn a_comune_saves_a_draft_and_sends_it_once_with_a_receipt_matching_the_data() {
    let app = spawn_app().await;
    let regione = app.logged_in(TestUser::Regione).await;
    let torino = app.logged_in(TestUser::Torino).await;
    let torino_http = torino.clone();
    let id = app.pubblica_campagna(&regione, campagna(-60, 60, "")).await;
    let scheda = routes::scheda(&id, "001272");
    let (_, s) = app.get_json(&torino, &scheda).await;
    assert_eq!(
        s["servizi"].as_array().unwrap().len(),
        5,
        "Torino's demo services operating at 31/12/2025"
    );
    let (status, body) = app
        .put(&torino, &scheda, json!({ "versione": 0, "dati": {} }))
        .await;
    assert_eq!(status, 409, "no draft before the preliminary declaration");
    assert_eq!(
        body["message"],
        "Prima conferma la dichiarazione preliminare dei servizi."
    );

    // The declaration: the first active service ceased before the reference date; the
    // registry is updated (audited) and the service leaves the form.
    let attivi = s["da_dichiarare"].as_array().unwrap().clone();
    assert_eq!(attivi.len(), 4, "the suspended baby parking is not active");
    let cessato = attivi[0]["id"].as_str().unwrap().to_owned();
    let mut voci = voci_operanti(&s);
    voci[0] = json!({ "servizio": cessato, "stato": "cessato", "dal": "30/06/2025", "motivo": "Chiusura definitiva" });
    let (status, s) = app
        .post(
            &torino,
            &format!("{scheda}/dichiarazione"),
            json!({ "voci": voci.clone() }),
        )
        .await;
    assert_eq!(status, 200, "{s}");
    let servizi = s["servizi"].clone();
    assert_eq!(servizi.as_array().unwrap().len(), 4, "{servizi}");
    assert!(!servizi
        .as_array()
        .unwrap()
        .iter()
        .any(|x| x["id"] == cessato.as_str()));
    let (_, registro) = app
        .get_json(&torino, &format!("/api/v1/servizi/{cessato}"))
        .await;
    assert_eq!(
        (
            registro["dati"]["stato"].as_str(),
            registro["dati"]["stato_dal"].as_str()
        ),
        (Some("cessato"), Some("2025-06-30"))
    );
    let (_, storia) = app
        .get_json(&torino, &format!("/api/v1/servizi/{cessato}/storia"))
        .await;
    assert_eq!(
        storia.as_array().unwrap().last().unwrap()["attore"],
        "torino"
    );
    let (status, _) = app
        .post(
            &torino,
            &format!("{scheda}/dichiarazione"),
            json!({ "voci": voci }),
        )
        .await;
    assert_eq!(status, 409, "declared once");

    // A draft with too many children for one service: a warning that needs a justification.
    let mut dati = json!({ "righe": righe(&servizi, 5), "giustificazione": "" });
    dati["righe"][0]["iscritti"] = json!(["0", "500", "0", "0"]);
    dati["righe"][0]["frequentanti"] = json!(["0", "500", "0", "0"]);
    let (status, s) = app
        .put(&torino, &scheda, json!({ "versione": 0, "dati": dati }))
        .await;
    assert_eq!(status, 200, "{s}");
    assert_eq!(
        (s["stato"].as_str(), s["versione"].as_u64()),
        (Some("bozza"), Some(1))
    );
    let regole: Vec<&str> = s["rilievi"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["regola"].as_str().unwrap())
        .collect();
    assert!(
        regole.contains(&"iscritti.posti") && regole.contains(&"giustificazione.obbligatoria"),
        "{regole:?}"
    );

    let invio = format!("{scheda}/invio");
    let (status, body) = app.post(&torino, &invio, json!({})).await;
    assert_eq!(status, 422, "an error finding blocks sending: {body}");
    assert_eq!(
        error_data(&body)["fields"][0]["rule"],
        "giustificazione.obbligatoria"
    );

    // A stale draft is refused; the justified one is saved and sent.
    dati["giustificazione"] = json!("Deroga temporanea per lavori in un'altra sede");
    let (status, _) = app
        .put(&torino, &scheda, json!({ "versione": 0, "dati": dati }))
        .await;
    assert_eq!(status, 409, "version 0 is stale");
    let (status, s) = app
        .put(&torino, &scheda, json!({ "versione": 1, "dati": dati }))
        .await;
    assert_eq!(status, 200, "{s}");
    let (status, ricevuta) = app.post(&torino, &invio, json!({})).await;
    assert_eq!(status, 200, "{ricevuta}");
    assert_eq!(ricevuta["numero"], 1);
    assert_eq!(ricevuta["da"], "torino");

    // The receipt's hash is the SHA-256 of the sent data as compact JSON with sorted keys
    // (serde_json's default map is sorted).
    let (_, s) = app.get_json(&torino, &scheda).await;
    assert_eq!(s["stato"], "inviata");
    assert_eq!(s["ricevuta"], ricevuta);
    let canonici =
        serde_json::to_vec(&json!({ "campagna": id, "comune": "001272", "dati": s["dati"] }))
            .unwrap();
    let atteso = {
        use sha2::Digest;
        hex::encode(sha2::Sha256::digest(&canonici))
    };
    assert_eq!(ricevuta["impronta"], atteso);

    // The receipt as a PDF: for Torino and the Region, not for another comune.
    let pdf_url = format!("{scheda}/ricevuta.pdf");
    let res = torino.get(app.url(&pdf_url)).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/pdf");
    let pdf = res.bytes().await.unwrap();
    assert!(pdf.starts_with(b"%PDF-1.7"), "PDF/A-2b");
    let testo = crate::helpers::testo_pdf(&pdf);
    assert!(testo.contains("Ricevuta n. 1"), "{testo}");
    assert!(testo.contains("Comune: Torino (ISTAT 001272)"), "{testo}");
    assert!(
        testo.contains(ricevuta["impronta"].as_str().unwrap()),
        "{testo}"
    );
    assert_eq!(
        regione
            .get(app.url(&pdf_url))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    let alba = app.logged_in(TestUser::Alba).await;
    assert_eq!(
        alba.get(app.url(&pdf_url)).send().await.unwrap().status(),
        403
    );

    // Sent: locked, and sent once.
    let (status, body) = app
        .put(&torino, &scheda, json!({ "versione": 2, "dati": dati }))
        .await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(error_data(&body)["message"], "La scheda è stata inviata.");
    let (status, _) = app.post(&torino, &invio, json!({})).await;
    assert_eq!(status, 409);
    // The Region sees it sent among all the comuni; it cannot send on a comune's behalf.
    let (_, s) = app.get_json(&regione, &scheda).await;
    assert_eq!(s["stato"], "inviata");
    let (status, tutte) = app
        .get_json(&regione, &routes::campagna_azione(&id, "schede"))
        .await;
    assert_eq!(status, 200);
    let tutte = tutte.as_array().unwrap();
    assert_eq!(tutte.len(), 1_180, "every comune of Piemonte is eligible");
    let torino = tutte
        .iter()
        .find(|r| r["comune"]["codice"] == "001272")
        .unwrap();
    assert_eq!(
        (torino["stato"].as_str(), torino["ricevuta"].as_u64()),
        (Some("inviata"), Some(1))
    );
    assert_eq!(
        tutte
            .iter()
            .filter(|r| r["stato"] == "non_iniziata")
            .count(),
        1_179
    );
    let (status, _) = app
        .get_json(&torino_http, &routes::campagna_azione(&id, "schede"))
        .await;
    assert_eq!(status, 403, "the overview is the Region's");
    let (status, _) = app.post(&regione, &invio, json!({})).await;
    assert_eq!(status, 403);

    // The Region reopens it with a reason: the comune corrects and sends again, new number.
    let riapertura = format!("{scheda}/riapertura");
    let (status, _) = app
        .post(&torino_http, &riapertura, json!({ "motivo": "Correzione" }))
        .await;
    assert_eq!(status, 403, "only the Region reopens");
    let (status, s) = app
        .post(
            &regione,
            &riapertura,
            json!({ "motivo": "Dati da correggere" }),
        )
        .await;
    assert_eq!(status, 200, "{s}");
    assert_eq!(
        (s["stato"].as_str(), s["ricevuta"].is_null()),
        (Some("bozza"), true)
    );
    let (status, _) = app
        .post(&regione, &riapertura, json!({ "motivo": "Di nuovo" }))
        .await;
    assert_eq!(status, 409, "only a sent form can be reopened");
    let (status, _) = app
        .put(
            &torino_http,
            &scheda,
            json!({ "versione": 2, "dati": dati }),
        )
        .await;
    assert_eq!(status, 200);
    let (status, seconda) = app.post(&torino_http, &invio, json!({})).await;
    assert_eq!(status, 200, "{seconda}");
    assert_eq!(seconda["numero"], 2);
    let azioni: Vec<String> = app
        .state
        .store
        .audit_for(&format!("scheda:{id}_001272"))
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.azione)
        .collect();
    assert_eq!(
        azioni,
        vec![
            "dichiarazione",
            "bozza",
            "bozza",
            "invio",
            "riapertura",
            "bozza",
            "invio"
        ]
    );
}

#[tokio::test]
async fn nothing_is_saved_or_sent_when_closed_or_blocked_whatever_time_the_client_claims() {
    let app = spawn_app().await;
    let regione = app.logged_in(TestUser::Regione).await;
    let torino = app.logged_in(TestUser::Torino).await;
    let chiusa = app
        .pubblica_campagna(&regione, campagna(-120, -5, ""))
        .await;
    let scheda = routes::scheda(&chiusa, "001272");
    let (_, s) = app.get_json(&torino, &scheda).await;
    let dati = json!({ "righe": righe(&s["servizi"], 3), "giustificazione": "" });
    // Extra fields claiming another time are ignored: the server's clock decides.
    let (status, body) = app.put(&torino, &scheda, json!({ "versione": 0, "dati": dati, "adesso": "2020-01-01T00:00:00Z", "quando": "2020-01-01T00:00:00Z" }))
    .await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(error_data(&body)["code"], "finestra_chiusa");
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .starts_with("La compilazione è chiusa"),
        "{body}"
    );
    let (status, _) = app
        .post(
            &torino,
            &format!("{scheda}/invio"),
            json!({ "quando": "2020-01-01T00:00:00Z" }),
        )
        .await;
    assert_eq!(status, 409);

    let aperta = app.pubblica_campagna(&regione, campagna(-60, 60, "")).await;
    let scheda = routes::scheda(&aperta, "001272");
    dichiara_tutti(&app, &torino, &scheda).await;
    let (status, _) = app
        .put(&torino, &scheda, json!({ "versione": 0, "dati": dati }))
        .await;
    assert_eq!(status, 200);
    app.post(
        &regione,
        &format!("{scheda}/blocco"),
        json!({ "motivo": "Controllo dei dati" }),
    )
    .await;
    let (status, body) = app
        .post(&torino, &format!("{scheda}/invio"), json!({}))
        .await;
    assert_eq!(status, 409);
    assert_eq!(
        body["message"],
        "La scheda è bloccata dalla Regione: Controllo dei dati"
    );
    let (status, _) = app
        .put(&torino, &scheda, json!({ "versione": 1, "dati": dati }))
        .await;
    assert_eq!(status, 409, "a blocked draft cannot be saved either");
}

#[tokio::test]
async fn a_draft_campaign_is_edited_until_published_then_only_extended() {
    let app = spawn_app().await;
    let regione = app.logged_in(TestUser::Regione).await;
    let torino = app.logged_in(TestUser::Torino).await;
    let (status, c) = app
        .post(
            &regione,
            "/api/v1/campagne",
            json!({ "campagna": campagna(-60, 60, "001272") }),
        )
        .await;
    assert_eq!(status, 200, "{c}");
    let base = format!("/api/v1/campagne/{}", c["id"].as_str().unwrap());

    let mut modificata = campagna(-60, 120, "001272 004003");
    modificata["titolo"] = json!("Frequentanti al 31/12/2025 (rettifica)");
    let (status, body) = app
        .put(&torino, &base, json!({ "campagna": modificata.clone() }))
        .await;
    assert_eq!(status, 403, "a comune does not edit campaigns: {body}");
    let (status, body) = app
        .put(&regione, &base, json!({ "campagna": { "titolo": "x" } }))
        .await;
    assert_eq!(status, 422, "{body}");
    let (status, body) = app
        .put(&regione, &base, json!({ "campagna": modificata.clone() }))
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["dati"]["titolo"],
        "Frequentanti al 31/12/2025 (rettifica)"
    );
    assert_eq!(body["dati"]["comuni_ammessi"], json!(["001272", "004003"]));
    let (status, uno) = app.get_json(&regione, &base).await;
    assert_eq!((status, uno), (200, body));
    let (status, _) = app.get_json(&torino, &base).await;
    assert_eq!(status, 404, "a draft is invisible to comuni");

    let audit = app
        .state
        .store
        .audit_for(&format!("campagna:{}", c["id"].as_str().unwrap()))
        .await
        .unwrap();
    assert_eq!(
        audit.iter().map(|r| r.azione.as_str()).collect::<Vec<_>>(),
        ["creazione_campagna", "modifica_campagna"]
    );

    let (status, _) = app
        .post(&regione, &format!("{base}/pubblica"), json!({}))
        .await;
    assert_eq!(status, 200);
    let (status, body) = app
        .put(&regione, &base, json!({ "campagna": modificata }))
        .await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(
        body["message"],
        "La rilevazione è già pubblicata: si può solo prorogarne il termine."
    );
    let (status, _) = app.get_json(&torino, &base).await;
    assert_eq!(status, 200, "published and eligible");
}

#[tokio::test]
async fn the_comune_home_lists_open_forms_with_what_is_missing_the_block_and_the_receipt() {
    let app = spawn_app().await;
    let regione = app.logged_in(TestUser::Regione).await;
    let torino = app.logged_in(TestUser::Torino).await;
    let aperta = app.pubblica_campagna(&regione, campagna(-60, 60, "")).await;
    let futura = app
        .pubblica_campagna(&regione, campagna(60 * 24, 60 * 48, ""))
        .await;
    let _chiusa = app
        .pubblica_campagna(&regione, campagna(-120, -60, ""))
        .await;
    let _altrui = app
        .pubblica_campagna(&regione, campagna(-60, 60, "004003"))
        .await;

    let (status, v) = app.get_json(&regione, "/api/v1/da-fare").await;
    assert_eq!(status, 403, "the Region has no comune home: {v}");
    let (status, v) = app.get_json(&torino, "/api/v1/da-fare").await;
    assert_eq!(status, 200, "{v}");
    let ids: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["campagna"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [aperta.as_str(), futura.as_str()],
        "closed and not-eligible campaigns are left out; soonest deadline first"
    );
    assert_eq!(v[0]["stato"], "non_iniziata");
    assert_eq!(v[0]["compilabile"], true);
    assert_eq!(
        v[0]["manca"],
        json!([
            "Confermare la dichiarazione preliminare sui servizi.",
            "Compilare la scheda e salvare la bozza.",
            "Inviare la scheda."
        ])
    );
    assert_eq!(v[1]["compilabile"], false);
    assert!(
        v[1]["messaggio"]
            .as_str()
            .unwrap()
            .starts_with("La compilazione non è ancora aperta: si apre il"),
        "{}",
        v[1]
    );

    let scheda = routes::scheda(&aperta, "001272");
    let s = dichiara_tutti(&app, &torino, &scheda).await;
    let mut dati = json!({ "righe": righe(&s["servizi"], 1) });
    dati["righe"][0]["disabili"] = json!("5");
    let (status, body) = app
        .put(
            &torino,
            &scheda,
            json!({ "versione": 0, "dati": dati.clone() }),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, _) = app
        .post(
            &regione,
            &format!("{scheda}/blocco"),
            json!({ "motivo": "Verifica dei posti" }),
        )
        .await;
    assert_eq!(status, 200);
    let (_, v) = app.get_json(&torino, "/api/v1/da-fare").await;
    assert_eq!(
        (v[0]["stato"].as_str(), v[0]["blocco"].as_str()),
        (Some("bloccata"), Some("Verifica dei posti"))
    );
    assert_eq!(
        v[0]["manca"],
        json!([
            "Attendere lo sblocco della Regione (Verifica dei posti).",
            "Correggere 1 errore.",
            "Inviare la scheda."
        ])
    );

    let (status, _) = app
        .post(
            &regione,
            &format!("{scheda}/sblocco"),
            json!({ "motivo": "Verificato" }),
        )
        .await;
    assert_eq!(status, 200);
    dati["righe"][0]["disabili"] = json!("0");
    let (status, body) = app
        .put(&torino, &scheda, json!({ "versione": 1, "dati": dati }))
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, r) = app
        .post(&torino, &format!("{scheda}/invio"), json!({}))
        .await;
    assert_eq!(status, 200, "{r}");
    let (_, v) = app.get_json(&torino, "/api/v1/da-fare").await;
    assert_eq!(
        (v[0]["stato"].as_str(), v[0]["ricevuta"].as_u64()),
        (Some("inviata"), r["numero"].as_u64())
    );
    assert_eq!(v[0]["manca"], json!([]));
}

/// At the deadline every comune sends at once: each gets its receipt (no server error from
/// the receipts' shared counter), numbered 1..=n with no gaps or repeats.
#[tokio::test]
async fn comuni_sending_at_the_same_moment_all_get_receipts_numbered_without_gaps() {
    // On the durable engine, as in production: its transactions are the ones that collide.
    let dir = tempfile::tempdir().unwrap();
    let endpoint = format!("surrealkv://{}/db", dir.path().display());
    let app = crate::helpers::spawn_app_with(|s| s.database.endpoint = endpoint).await;
    let regione = app.logged_in(TestUser::Regione).await;
    let (_, comuni) = app.get_json(&regione, "/api/v1/comuni").await;
    let codici: Vec<String> = comuni
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["codice"].as_str().unwrap().to_owned())
        .filter(|c| c != "001272" && c != "004003")
        .take(40)
        .collect();
    let id = app
        .pubblica_campagna(&regione, campagna(-60, 60, &codici.join(", ")))
        .await;
    let mut pronti = Vec::new();
    for codice in &codici {
        let username = format!("operatore.{codice}");
        app.crea_utente(
            &username,
            shared::auth::Ruolo::OperatoreComunale,
            Some(codice),
        )
        .await;
        let client = app.client();
        let res = app
            .login(&client, &username, backend::service::demo::DEMO_PASSWORD)
            .await;
        assert_eq!(res.status(), 200);
        let scheda = routes::scheda(&id, codice);
        let s = dichiara_tutti(&app, &client, &scheda).await;
        let dati = json!({ "righe": righe(&s["servizi"], 1), "giustificazione": "" });
        let (status, s) = app
            .put(&client, &scheda, json!({ "versione": 0, "dati": dati }))
            .await;
        assert_eq!(status, 200, "{s}");
        pronti.push((client, format!("{scheda}/invio")));
    }
    let mut invii = tokio::task::JoinSet::new();
    for (client, invio) in pronti {
        let url = app.url(&invio);
        invii.spawn(async move {
            let res = client.post(url).json(&json!({})).send().await.unwrap();
            let status = res.status().as_u16();
            (status, res.json::<Value>().await.unwrap_or(Value::Null))
        });
    }
    let mut numeri = Vec::new();
    while let Some(esito) = invii.join_next().await {
        let (status, ricevuta) = esito.unwrap();
        assert_eq!(status, 200, "{ricevuta}");
        numeri.push(ricevuta["numero"].as_u64().unwrap());
    }
    numeri.sort_unstable();
    assert_eq!(numeri, (1..=codici.len() as u64).collect::<Vec<_>>());
}

/// The campaigns a form is built from are cached in each app process; another process (here:
/// a write straight to the shared database, which this process's cache does not see happen)
/// extending the campaign must be seen by this process's very next form request, through the
/// generation counter read with the form.
#[tokio::test]
async fn an_extension_written_by_another_server_is_seen_by_the_next_form_request() {
    let app = spawn_app().await;
    let regione = app.logged_in(TestUser::Regione).await;
    let torino = app.logged_in(TestUser::Torino).await;
    let id = app
        .pubblica_campagna(&regione, campagna(-120, -5, ""))
        .await;
    let scheda = routes::scheda(&id, "001272");
    let (status, s) = app.get_json(&torino, &scheda).await;
    assert_eq!(status, 200, "{s}");
    assert_eq!(
        s["compilabile"], false,
        "closed, and now in this process's cache"
    );

    let adesso = app.state.orologio.adesso();
    let proroga = shared::campagna::Proroga {
        chiusura: adesso + Duration::hours(2),
        motivo: "Proroga concessa da un altro server".into(),
        quando: adesso,
        da: "regione".into(),
    };
    app.state
        .store
        .campagna_proroga(&id, &proroga, "regione", "avviso", Vec::new())
        .await
        .expect("extension written");

    let (status, s) = app.get_json(&torino, &scheda).await;
    assert_eq!(status, 200, "{s}");
    assert_eq!(s["compilabile"], true, "{s}");
    // The writes are checked against the new deadline too.
    let s = dichiara_tutti(&app, &torino, &scheda).await;
    let dati = json!({ "righe": righe(&s["servizi"], 3), "giustificazione": "" });
    let (status, s) = app
        .put(&torino, &scheda, json!({ "versione": 0, "dati": dati }))
        .await;
    assert_eq!(status, 200, "{s}");
}
