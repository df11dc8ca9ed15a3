//! Hostile input, round two: bodies too large or too deep (declared, chunked, nested) answer
//! 413/422 in the Italian envelope before anything parses them, never a server error, and the
//! server keeps answering the others meanwhile.

use crate::helpers::{spawn_app, TestApp, TestUser};
use backend::service::demo::DEMO_PASSWORD;
use serde_json::{json, Value};
use shared::routes;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Sends `testa` (request line and headers, without the blank line) and then the body's
/// pieces over a raw connection, as a client that does not wait for the server would; the
/// status and the body of the answer.
async fn grezza(app: &TestApp, testa: &str, pezzi: impl Iterator<Item = Vec<u8>>) -> (u16, Value) {
    let indirizzo = app.base.trim_start_matches("http://");
    let mut s = tokio::net::TcpStream::connect(indirizzo).await.unwrap();
    s.write_all(format!("{testa}\r\nHost: {indirizzo}\r\nConnection: close\r\n\r\n").as_bytes())
        .await
        .unwrap();
    for p in pezzi {
        // The server may answer and close before the whole body is sent.
        if s.write_all(&p).await.is_err() {
            break;
        }
    }
    let mut risposta = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(20), s.read_to_end(&mut risposta)).await;
    let testo = String::from_utf8_lossy(&risposta).into_owned();
    let status = testo
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let corpo = testo
        .split_once("\r\n\r\n")
        .map(|x| x.1)
        .unwrap_or_default();
    // A chunked answer: the JSON is between the chunk sizes.
    let json = corpo
        .find('{')
        .and_then(|i| corpo.rfind('}').map(|j| &corpo[i..=j]))
        .and_then(|j| serde_json::from_str(j).ok())
        .unwrap_or(Value::Null);
    (status, json)
}

fn troppo_grande(status: u16, body: &Value) {
    assert_eq!(status, 413, "{body}");
    assert_eq!(body["data"]["code"], "richiesta_troppo_grande", "{body}");
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .starts_with("La richiesta è troppo grande"),
        "{body}"
    );
}

const MB: usize = 1024 * 1024;

#[tokio::test]
async fn bodies_over_the_routes_limit_get_413_declared_or_streamed() {
    let app = spawn_app().await;

    // A 50 MB login, declared.
    let (status, body) = grezza(
        &app,
        &format!(
            "POST /api/v1/auth/login HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: {}",
            50 * MB
        ),
        (0..50).map(|_| vec![b' '; MB]),
    )
    .await;
    troppo_grande(status, &body);

    // The same, chunked: no length to refuse at once, refused once past the limit.
    let pezzo = {
        let mut p = format!("{:x}\r\n", MB).into_bytes();
        p.extend(std::iter::repeat_n(b' ', MB));
        p.extend(b"\r\n");
        p
    };
    let (status, body) = grezza(
        &app,
        "POST /api/v1/auth/login HTTP/1.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked",
        (0..50).map(|_| pezzo.clone()).chain([b"0\r\n\r\n".to_vec()]),
    )
    .await;
    troppo_grande(status, &body);

    // A 3 MB form save, and an object of 200,000 keys: over the form's limit.
    let torino = app.logged_in(TestUser::Torino).await;
    let grande = json!({ "versione": 0, "dati": { "giustificazione": "x".repeat(3 * MB) } });
    let res = torino
        .put(app.url("/api/v1/campagne/qualsiasi/comuni/001272/scheda"))
        .json(&grande)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    troppo_grande(status, &res.json().await.unwrap());
    let chiavi: serde_json::Map<String, Value> =
        (0..200_000).map(|i| (format!("k{i}"), json!(0))).collect();
    let res = torino
        .put(app.url("/api/v1/campagne/qualsiasi/comuni/001272/scheda"))
        .json(&json!({ "versione": 0, "dati": chiavi }))
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    troppo_grande(status, &res.json().await.unwrap());

    // Under the limit everything works as before.
    assert_eq!(
        app.login(&app.client(), "torino", DEMO_PASSWORD)
            .await
            .status(),
        200
    );
    let (status, h) = app.get_json(&app.client(), "/api/v1/health").await;
    assert_eq!((status, h["status"].as_str()), (200, Some("ok")));
}

#[tokio::test]
async fn a_body_nested_too_deep_is_refused_as_malformed_not_a_server_error() {
    let app = spawn_app().await;
    let torino = app.logged_in(TestUser::Torino).await;
    let profondo = format!(
        "{{\"versione\": 0, \"dati\": {}{}}}",
        "[".repeat(20_000),
        "]".repeat(20_000)
    );
    for percorso in [
        "/api/v1/campagne/qualsiasi/comuni/001272/scheda",
        "/api/v1/auth/login",
    ] {
        let res = torino
            .put(app.url(percorso))
            .header("content-type", "application/json")
            .body(profondo.clone())
            .send()
            .await
            .unwrap();
        let status = res.status().as_u16();
        let body: Value = res.json().await.unwrap_or(Value::Null);
        assert!(
            (400..500).contains(&status) && body["data"]["code"].is_string(),
            "{percorso}: {status} {body}"
        );
    }
}

#[tokio::test]
async fn once_the_window_closes_no_action_of_the_comune_changes_its_form() {
    let app = spawn_app().await;
    let regione = app.logged_in(TestUser::Regione).await;
    let alba = app.logged_in(TestUser::Alba).await;
    let mut c = crate::campagne_prova::campagna(-60, 60, "");
    c["tipo"] = json!("monitoraggio");
    c["titolo"] = json!("Monitoraggio delle risorse 2025");
    let id = app.pubblica_campagna(&regione, c).await;
    let scheda = routes::scheda(&id, "004003");
    let (_, prima) = app.get_json(&alba, &scheda).await;
    assert_eq!(prima["compilabile"], true, "{prima}");
    app.state.orologio.avanza(chrono::Duration::minutes(61));

    let azioni = [
        (
            "POST",
            "segnalazioni",
            json!({
                "servizio": "Nido Aperto", "indirizzo": "Via Roma 1",
                "titolare": "Cooperativa Aperta", "motivo": "Non raggiunto dai fondi"
            }),
        ),
        ("POST", "dichiarazione", json!({ "voci": [] })),
        ("PUT", "", json!({ "versione": 0, "dati": {} })),
        ("POST", "invio", json!({})),
    ];
    for (metodo, coda, corpo) in azioni {
        let path = if coda.is_empty() {
            scheda.clone()
        } else {
            format!("{scheda}/{coda}")
        };
        let (status, body) = app.chiama(&alba, metodo, &path, &corpo).await;
        assert_eq!(
            (status, body["data"]["code"].as_str()),
            (409, Some("finestra_chiusa")),
            "{metodo} {path}: {body}"
        );
    }
    let (_, dopo) = app.get_json(&alba, &scheda).await;
    assert_eq!(
        (&dopo["stato"], &dopo["blocco"]),
        (&prima["stato"], &prima["blocco"])
    );
}

/// Characters that make a name display as something else.
const NASCOSTI: [char; 6] = [
    '\u{202E}', '\u{2066}', '\u{2069}', '\u{200B}', '\u{FEFF}', '\u{061C}',
];

#[tokio::test]
async fn names_with_bidirectional_or_invisible_characters_are_refused_everywhere() {
    let app = spawn_app().await;
    let torino = app.logged_in(TestUser::Torino).await;
    let regione = app.logged_in(TestUser::Regione).await;
    for c in NASCOSTI {
        for campo in [
            "denominazione",
            "titolare_denominazione",
            "indirizzo",
            "autorizzazione_ente",
        ] {
            let mut m = crate::api_servizi::modulo();
            m[campo] = json!(format!("Nido{c}Rondini"));
            let (status, body) = crate::api_servizi::crea(&app, &torino, "001272", &m).await;
            assert_eq!(status, 422, "{campo} with U+{:04X}: {body}", c as u32);
            let campi: Vec<&str> = body["data"]["fields"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| f["field"].as_str().unwrap())
                .collect();
            assert!(campi.contains(&campo), "{campo}: {campi:?}");
        }
        let mut camp = crate::campagne_prova::campagna(60, 120, "");
        camp["titolo"] = json!(format!("Rilevazione{c} 2025"));
        let (status, _) = app
            .post(&regione, "/api/v1/campagne", json!({ "campagna": camp }))
            .await;
        assert_eq!(status, 422, "campaign title with U+{:04X}", c as u32);
    }
}

#[tokio::test]
async fn every_page_carries_a_strict_policy_that_allows_only_its_own_inline_scripts() {
    let app = spawn_app().await;
    let torino = app.logged_in(TestUser::Torino).await;
    for (client, path) in [
        (app.client(), "/"),
        (app.client(), "/accesso"),
        (app.client(), "/accessibilita"),
        (torino.clone(), "/area-riservata"),
        (torino.clone(), "/servizi/nuovo"),
    ] {
        let res = client.get(app.url(path)).send().await.unwrap();
        let h = res.headers().clone();
        let html = res.text().await.unwrap();
        let csp = h["content-security-policy"].to_str().unwrap().to_owned();
        for parte in [
            "default-src 'self'",
            "object-src 'none'",
            "frame-ancestors 'self'",
            "base-uri 'self'",
            "form-action 'self'",
        ] {
            assert!(csp.contains(parte), "{path}: {parte} in {csp}");
        }
        assert_eq!(h["x-frame-options"], "SAMEORIGIN", "{path}");
        assert!(h["permissions-policy"]
            .to_str()
            .unwrap()
            .contains("camera=()"));
        // Every inline script the page holds is the app's own, so each has its hash.
        let inline = app::csp::script_in_linea(&html).len();
        assert!(inline >= 2, "{path}: {inline}");
        assert_eq!(csp.matches("'sha256-").count(), inline, "{path}: {csp}");
        assert!(!csp
            .split(';')
            .any(|d| d.trim().starts_with("script-src") && d.contains("unsafe-inline")));
    }
    // JSON answers carry no page policy (nothing to render).
    let res = app
        .client()
        .get(app.url("/api/v1/health"))
        .send()
        .await
        .unwrap();
    assert!(res.headers().get("content-security-policy").is_none());
}

#[test]
fn only_the_apps_own_inline_scripts_are_allowed_by_the_policy() {
    use app::csp::{ammesso, script_in_linea};
    let noti = vec!["console.log('caricatore')".to_owned()];
    let pagina = "<head><script>console.log('caricatore')</script>\
        <script type=\"module\" src=\"/a.js\"></script></head><body>\
        <input value=\"<script>alert(1)</script>\">\
        <script>window.initial_dioxus_hydration_data=\"AbC+/=\";</script>\
        <script>window.initial_dioxus_hydration_data=\"\";alert(1)</script>\
        <script>window.initial_dioxus_hydration_data=\"x\";window.initial_dioxus_hydration_debug_types=[\"a\"];window.initial_dioxus_hydration_debug_locations=[\"b\"];</script>\
        <script>window.initial_dioxus_hydration_data=\"x\";window.initial_dioxus_hydration_debug_types=alert(1);window.initial_dioxus_hydration_debug_locations=[];</script>\
        </body>";
    let esiti: Vec<bool> = script_in_linea(pagina)
        .into_iter()
        .map(|s| ammesso(s, &noti))
        .collect();
    assert_eq!(esiti, [true, false, true, false, true, false]);
}
