//! The site's settings (footer, help desk, legal notes, accessibility statement): everyone
//! reads them with the public configuration, only the Region changes them, every field is
//! checked with a message, and each change is in the audit log with the fields it touched.

use crate::helpers::{error_data, spawn_app, spawn_app_with, TestUser};
use serde_json::json;

#[tokio::test]
async fn everyone_reads_the_settings_and_only_the_region_changes_them() {
    let app = spawn_app().await;
    let anonimo = app.client();
    let (status, c) = app.get_json(&anonimo, "/api/v1/config/pubblica").await;
    assert_eq!(status, 200, "{c}");
    // The demo's own settings.
    assert_eq!(c["sito"]["assistenza_telefono"], "011 000 0000");
    assert_eq!(
        c["sito"]["accessibilita"]["url_modulo_agid"],
        "https://form.agid.gov.it/"
    );

    let mut nuove = c["sito"].clone();
    nuove["assistenza_telefono"] = json!("  011   432 1234 ");
    nuove["accessibilita"]["stato"] = json!("conforme");
    let corpo = json!({ "impostazioni": nuove });
    for (chi, atteso) in [(TestUser::Torino, 403), (TestUser::SindacoTorino, 403)] {
        let client = app.logged_in(chi).await;
        let (status, _) = app.chiama(&client, "PUT", "/api/v1/sito", &corpo).await;
        assert_eq!(status, atteso, "{chi:?}");
    }
    let (status, _) = app.chiama(&anonimo, "PUT", "/api/v1/sito", &corpo).await;
    assert_eq!(status, 401);

    let regione = app.logged_in(TestUser::Regione).await;
    let (status, salvate) = app.chiama(&regione, "PUT", "/api/v1/sito", &corpo).await;
    assert_eq!(status, 200, "{salvate}");
    assert_eq!(
        salvate["assistenza_telefono"], "011 432 1234",
        "spaces tidied"
    );
    let (_, c) = app.get_json(&anonimo, "/api/v1/config/pubblica").await;
    assert_eq!(c["sito"], salvate);

    let audit = app
        .state
        .store
        .audit_dettagli("impostazioni:sito")
        .await
        .unwrap();
    let ultima = audit.last().unwrap();
    assert_eq!(ultima["attore"], "regione");
    let mut campi: Vec<String> = ultima["dettagli"]["campi"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect();
    campi.sort();
    assert_eq!(campi, ["accessibilita.stato", "assistenza_telefono"]);
}

#[tokio::test]
async fn every_wrong_setting_is_named_in_italian_and_nothing_is_saved() {
    let app = spawn_app().await;
    let regione = app.logged_in(TestUser::Regione).await;
    let (_, prima) = app.get_json(&regione, "/api/v1/config/pubblica").await;
    let mut cattive = prima["sito"].clone();
    cattive["sito_regione"] = json!("javascript:alert(1)");
    cattive["assistenza_email"] = json!("assistenza");
    cattive["accessibilita"]["url_modulo_agid"] = json!("");
    cattive["note_legali"] = json!("x".repeat(shared::sito::TESTO_MAX + 1));
    let (status, body) = app
        .put(&regione, "/api/v1/sito", json!({ "impostazioni": cattive }))
        .await;
    assert_eq!(status, 422, "{body}");
    let mut campi: Vec<(String, String)> = error_data(&body)["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["field"].as_str().unwrap().to_owned(),
                f["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    campi.sort();
    assert_eq!(
        campi.iter().map(|c| c.0.as_str()).collect::<Vec<_>>(),
        [
            "accessibilita.url_modulo_agid",
            "assistenza_email",
            "note_legali",
            "sito_regione"
        ]
    );
    assert!(campi
        .iter()
        .any(|c| c.1 == "Scrivi un indirizzo web completo, per esempio https://www.regione.it"));
    let (_, dopo) = app.get_json(&regione, "/api/v1/config/pubblica").await;
    assert_eq!(dopo["sito"], prima["sito"], "nothing saved");
}

#[tokio::test]
async fn without_demo_data_the_footer_starts_from_the_initial_settings() {
    let app = spawn_app_with(|s| s.application.demo_data = false).await;
    let (status, c) = app.get_json(&app.client(), "/api/v1/config/pubblica").await;
    assert_eq!(status, 200, "{c}");
    let attese = shared::sito::ImpostazioniSito::iniziali(c["regione"].as_str().unwrap());
    assert_eq!(c["sito"], serde_json::to_value(attese).unwrap());
}
