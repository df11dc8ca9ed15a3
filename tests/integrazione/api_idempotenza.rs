//! Idempotency keys: the offline queue retries a save or a send it may already have delivered
//! (the answer was lost); with the same key the write is applied once and answered as the first
//! time, also when the retries race each other. A key cannot be replayed on another write.

use crate::api_servizi::{crea, modulo};
use crate::helpers::{error_data, spawn_app, TestUser};
use serde_json::{json, Value};
use shared::routes;

use crate::campagne_prova::{campagna, dichiara_tutti};

async fn invia(client: &reqwest::Client, url: String, metodo: &str, body: Value) -> (u16, Value) {
    let req = match metodo {
        "PUT" => client.put(url),
        _ => client.post(url),
    };
    let res = req.json(&body).send().await.unwrap();
    (
        res.status().as_u16(),
        res.json().await.unwrap_or(Value::Null),
    )
}

#[tokio::test]
async fn a_save_and_a_send_retried_with_their_keys_apply_once_even_when_racing() {
    let app = spawn_app().await;
    let regione = app.logged_in(TestUser::Regione).await;
    let torino = app.logged_in(TestUser::Torino).await;
    let id = app.pubblica_campagna(&regione, campagna(-60, 60, "")).await;
    let scheda = app.url(&routes::scheda(&id, "001272"));
    let s = dichiara_tutti(&app, &torino, &routes::scheda(&id, "001272")).await;
    let righe: Vec<Value> = s["servizi"].as_array().unwrap().iter()
        .map(|x| json!({ "servizio": x["id"], "iscritti": ["0","0","1","0"], "frequentanti": ["0","0","1","0"] }))
        .collect();
    let dati = json!({ "righe": righe });

    // Five copies of one queued save, at once: all answered 200, applied once.
    let corpo =
        json!({ "versione": 0, "dati": dati, "chiave": "2b6f0cf4-6d1e-4c57-9a53-0b1d5f1c9e11" });
    let mut tasks = Vec::new();
    for _ in 0..5 {
        let (client, url, corpo) = (torino.clone(), scheda.clone(), corpo.clone());
        tasks.push(tokio::spawn(async move {
            invia(&client, url, "PUT", corpo).await
        }));
    }
    for t in tasks {
        let (status, s) = t.await.unwrap();
        assert_eq!((status, s["versione"].as_u64()), (200, Some(1)), "{s}");
    }
    // Without the key, the same retry is (rightly) a version conflict.
    let (status, _) = invia(
        &torino,
        scheda.clone(),
        "PUT",
        json!({ "versione": 0, "dati": dati }),
    )
    .await;
    assert_eq!(status, 409);

    // The send, retried: the same receipt, and the counter moved once.
    let corpo = json!({ "chiave": "invio-7f3a9c2e" });
    let (status, prima) = invia(&torino, format!("{scheda}/invio"), "POST", corpo.clone()).await;
    assert_eq!(status, 200, "{prima}");
    let (status, dopo) = invia(&torino, format!("{scheda}/invio"), "POST", corpo).await;
    assert_eq!((status, &dopo), (200, &prima));
    let (status, body) = invia(
        &torino,
        format!("{scheda}/invio"),
        "POST",
        json!({ "chiave": "invio-altro-1" }),
    )
    .await;
    assert_eq!(status, 409, "a new send of a sent form: {body}");

    let azioni: Vec<String> = app
        .state
        .store
        .audit_for(&format!("scheda:{id}_001272"))
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.azione)
        .collect();
    assert_eq!(azioni, ["dichiarazione", "bozza", "invio"]);

    // A key is bound to its user and write.
    let alba = app.logged_in(TestUser::Alba).await;
    let (status, body) = invia(
        &alba,
        app.url(&routes::scheda_azione(&id, "004003", "invio")),
        "POST",
        json!({ "chiave": "invio-7f3a9c2e" }),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(error_data(&body)["fields"][0]["rule"], "chiave.riusata");
    for male in ["corta", "con spazi dentro", "ü-ü-ü-ü-ü"] {
        let (status, _) = invia(
            &torino,
            scheda.clone(),
            "PUT",
            json!({ "versione": 1, "dati": dati, "chiave": male }),
        )
        .await;
        assert_eq!(status, 422, "{male}");
    }
}

#[tokio::test]
async fn a_registry_edit_retried_with_its_key_applies_once() {
    let app = spawn_app().await;
    let torino = app.logged_in(TestUser::Torino).await;
    let (_, creato) = crea(&app, &torino, "001272", &modulo()).await;
    let id = creato["id"].as_str().unwrap().to_owned();
    let mut m = modulo();
    m["posti_autorizzati"] = json!(31);
    let corpo = json!({ "versione": 1, "servizio": m, "chiave": "c0ffee00-1234" });
    let url = app.url(&format!("/api/v1/servizi/{id}"));
    for _ in 0..3 {
        let (status, s) = invia(&torino, url.clone(), "PUT", corpo.clone()).await;
        assert_eq!((status, s["versione"].as_u64()), (200, Some(2)), "{s}");
    }
    let (_, storia) = app
        .get_json(&torino, &format!("/api/v1/servizi/{id}/storia"))
        .await;
    assert_eq!(
        storia.as_array().unwrap().len(),
        2,
        "created and edited once: {storia}"
    );
}

#[tokio::test]
async fn a_registration_retried_with_its_key_creates_one_record() {
    let app = spawn_app().await;
    let torino = app.logged_in(TestUser::Torino).await;
    let url = app.url("/api/v1/comuni/001272/servizi");
    let corpo = json!({ "servizio": modulo(), "chiave": "3f1d2c4b-aaaa-bbbb-cccc-0123456789ab" });
    let mut tasks = Vec::new();
    for _ in 0..4 {
        let (client, url, corpo) = (torino.clone(), url.clone(), corpo.clone());
        tasks.push(tokio::spawn(async move {
            invia(&client, url, "POST", corpo).await
        }));
    }
    let mut ids = Vec::new();
    for t in tasks {
        let (status, s) = t.await.unwrap();
        assert_eq!(status, 200, "{s}");
        ids.push(s["id"].as_str().unwrap().to_owned());
    }
    ids.dedup();
    assert_eq!(ids.len(), 1, "one record for one key: {ids:?}");
    let (_, elenco) = app.get_json(&torino, "/api/v1/comuni/001272/servizi").await;
    let rondini = elenco
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["denominazione"] == "Nido Le Rondini")
        .count();
    assert_eq!(rondini, 1);
    // Another user's same key is another registration.
    let (status, _) = invia(&torino, url, "POST", json!({ "servizio": modulo() })).await;
    assert_eq!(
        status, 200,
        "without a key, a second registration is a second record"
    );
}

#[tokio::test]
async fn a_key_names_one_write_another_comune_or_body_is_refused_never_answered_with_another_record(
) {
    let app = spawn_app().await;
    let regione = app.logged_in(TestUser::Regione).await;
    let chiave = "feedc0de-0000-1111";
    let in_torino = app.url("/api/v1/comuni/001272/servizi");
    let in_alba = app.url("/api/v1/comuni/004003/servizi");
    let corpo = json!({ "servizio": modulo(), "chiave": chiave });
    let (status, torino) = invia(&regione, in_torino.clone(), "POST", corpo.clone()).await;
    assert_eq!(status, 200, "{torino}");
    assert_eq!(torino["comune"]["codice"], "001272");

    // The same key for another comune: refused, nothing created there.
    let (status, body) = invia(&regione, in_alba.clone(), "POST", corpo.clone()).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(error_data(&body)["fields"][0]["rule"], "chiave.riusata");
    let (_, alba) = app
        .get_json(&regione, "/api/v1/comuni/004003/servizi")
        .await;
    assert!(
        !alba
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["denominazione"] == "Nido Le Rondini"),
        "{alba}"
    );
    // The same key with another service: refused too.
    let mut altro = modulo();
    altro["denominazione"] = json!("Nido Il Girasole");
    let (status, _) = invia(
        &regione,
        in_torino.clone(),
        "POST",
        json!({ "servizio": altro, "chiave": chiave }),
    )
    .await;
    assert_eq!(status, 422);
    // The very same write again: its record.
    let (status, again) = invia(&regione, in_torino, "POST", corpo).await;
    assert_eq!((status, &again["id"]), (200, &torino["id"]));

    // An edit's key replayed with other data is refused; the first edit stands.
    let id = torino["id"].as_str().unwrap();
    let url = app.url(&format!("/api/v1/servizi/{id}"));
    let mut m = modulo();
    m["posti_autorizzati"] = json!(31);
    let k2 = "0ddba11-2222-3333";
    let (status, s) = invia(
        &regione,
        url.clone(),
        "PUT",
        json!({ "versione": 1, "servizio": m, "chiave": k2 }),
    )
    .await;
    assert_eq!((status, s["versione"].as_u64()), (200, Some(2)), "{s}");
    m["posti_autorizzati"] = json!(99);
    let (status, _) = invia(
        &regione,
        url,
        "PUT",
        json!({ "versione": 1, "servizio": m, "chiave": k2 }),
    )
    .await;
    assert_eq!(status, 422);
    let (_, s) = app
        .get_json(&regione, &format!("/api/v1/servizi/{id}"))
        .await;
    assert_eq!(s["dati"]["posti_autorizzati"], 31);
}
