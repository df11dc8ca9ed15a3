//! Hostile input: a corpus of SurrealQL injection attempts put, one at a time, in every string
//! of every write endpoint's body and in every path parameter. Each is stored verbatim or
//! refused with a 4xx, never a server error; afterwards the database holds the same tables,
//! the same accounts and comuni, and nothing the attempts tried to create or delete.

use crate::api_servizi::modulo;
use crate::campagne_prova::{campagna, dichiara_tutti, tra};
use crate::helpers::{spawn_app, TestApp, TestUser};
use backend::service::demo::DEMO_PASSWORD;
use serde_json::{json, Value};
use shared::routes;

/// Injection attempts: statement breaks, comments, record ids, subqueries, parameters,
/// functions, and the characters that break naive quoting.
const CORPUS: &[&str] = &[
    "'; DELETE utente; --",
    "\"; REMOVE TABLE servizio; --",
    "x'); DELETE comune; SELECT * FROM utente WHERE ('1'='1",
    "⟩; CREATE violato:1 SET da = 'iniezione'; --",
    "`; DEFINE TABLE violato2 SCHEMALESS; --",
    "utente:regione",
    "type::record('utente', 'regione')",
    "(SELECT * FROM utente)",
    "$auth",
    "$session.tk",
    "fn::nonesiste()",
    "crypto::argon2::generate('x')",
    "1; UPDATE utente SET ruolo = 'amministratore'",
    "{ ruolo: 'amministratore' }",
    "\\'; DELETE audit; --",
    "Nido /* commento */ -- fine",
    "%27%3B%20DELETE%20utente%3B",
    "Nido \u{0000} nullo",
];

/// The write endpoints with a valid body; `{…}` parts of the path are parameters.
fn scritture(campagna_id: &str, servizio: &str) -> Vec<(&'static str, String, Value)> {
    let scheda = routes::scheda(campagna_id, "001272");
    vec![
        (
            "POST",
            "/api/v1/auth/login".to_owned(),
            json!({ "username": "torino", "password": DEMO_PASSWORD }),
        ),
        (
            "POST",
            "/api/v1/comuni/001272/servizi".to_owned(),
            json!({ "servizio": modulo(), "chiave": "chiave-1" }),
        ),
        (
            "PUT",
            format!("/api/v1/servizi/{servizio}"),
            json!({ "versione": 1, "servizio": modulo(), "chiave": "chiave-2" }),
        ),
        (
            "POST",
            "/api/v1/campagne".to_owned(),
            json!({ "campagna": campagna(60, 120, "001272") }),
        ),
        (
            "POST",
            routes::campagna_azione(campagna_id, "proroghe"),
            json!({ "chiusura": tra(60 * 48), "motivo": "Proroga" }),
        ),
        (
            "PUT",
            scheda.clone(),
            json!({ "versione": 1, "dati": { "righe": [], "giustificazione": "Motivo" }, "chiave": "c" }),
        ),
        (
            "POST",
            format!("{scheda}/dichiarazione"),
            json!({ "voci": [{ "servizio": servizio, "stato": "sospeso", "dal": "01/01/2025", "motivo": "Lavori" }] }),
        ),
        (
            "POST",
            format!("{scheda}/blocco"),
            json!({ "motivo": "Verifica" }),
        ),
        (
            "POST",
            format!("{scheda}/sblocco"),
            json!({ "motivo": "Verificato" }),
        ),
        (
            "POST",
            format!("{scheda}/proroga"),
            json!({ "chiusura": tra(60 * 72), "motivo": "Proroga" }),
        ),
        (
            "POST",
            format!("{scheda}/riapertura"),
            json!({ "motivo": "Correzione" }),
        ),
        (
            "POST",
            format!("{scheda}/restituzione"),
            json!({ "commenti": [{ "campo": "righe", "testo": "Da rivedere" }] }),
        ),
        (
            "POST",
            format!("{scheda}/segnalazioni"),
            json!({ "servizio": "Nido", "indirizzo": "Via Roma 1", "titolare": "Coop", "motivo": "Non raggiunto" }),
        ),
        (
            "POST",
            format!("{scheda}/invio"),
            json!({ "chiave": "invio-1" }),
        ),
        (
            "PUT",
            "/api/v1/riparti/2025/statale".to_owned(),
            json!({ "csv": "codice ISTAT;importo\n001272;1000,00" }),
        ),
        // Accounts (the writes that would create or change an account the test's callers
        // use are in the access matrix and the account tests instead).
        (
            "POST",
            "/api/v1/registrazioni".to_owned(),
            json!({ "comune": "001272", "utenti": [crate::conti::persona(400, "Anna", "Verdi")] }),
        ),
        (
            "PUT",
            "/api/v1/comuni/001272/registrazioni/bozza".to_owned(),
            json!({ "versione": 0, "utenti": [crate::conti::persona(401, "Bruno", "Neri")] }),
        ),
        (
            "POST",
            "/api/v1/comuni/001272/disabilitazioni".to_owned(),
            json!({ "nome": "Marco", "cognome": "Bianchi",
                    "codice_fiscale": backend::service::demo::con_controllo("BNCMRC80A01L219"),
                    "motivo": "Trasferito" }),
        ),
        (
            "POST",
            "/api/v1/auth/password-dimenticata".to_owned(),
            json!({ "identificativo": "torino" }),
        ),
        (
            "POST",
            "/api/v1/auth/verifica".to_owned(),
            json!({ "username": "alba", "password": DEMO_PASSWORD }),
        ),
        (
            "POST",
            "/api/v1/auth/attivazione".to_owned(),
            json!({ "token": "a".repeat(64), "password": "cavallo batteria graffetta", "conferma": "x" }),
        ),
        (
            "POST",
            "/api/v1/auth/link".to_owned(),
            json!({ "token": "b".repeat(64) }),
        ),
        (
            "POST",
            "/api/v1/account/password".to_owned(),
            json!({ "attuale": "sbagliata", "password": "cavallo batteria graffetta", "conferma": "cavallo batteria graffetta" }),
        ),
        (
            "POST",
            "/api/v1/legali-rappresentanti/importazione".to_owned(),
            json!({ "csv": "1272;XXX;Ugo;Neri;u@x.it;p@x.it" }),
        ),
    ]
}

/// Every string leaf of `v`, as a JSON pointer.
fn stringhe(v: &Value, dove: String, out: &mut Vec<String>) {
    match v {
        Value::String(_) => out.push(dove),
        Value::Array(a) => a
            .iter()
            .enumerate()
            .for_each(|(i, x)| stringhe(x, format!("{dove}/{i}"), out)),
        Value::Object(o) => o
            .iter()
            .for_each(|(k, x)| stringhe(x, format!("{dove}/{k}"), out)),
        _ => {}
    }
}

/// Whether `needle` is one of the strings anywhere in `v`.
fn contiene(v: &Value, needle: &str) -> bool {
    match v {
        Value::String(s) => s == needle,
        Value::Array(a) => a.iter().any(|x| contiene(x, needle)),
        Value::Object(o) => o.values().any(|x| contiene(x, needle)),
        _ => false,
    }
}

/// What must not change: the tables, the accounts and their roles, the comuni, the services.
async fn impronta(app: &TestApp) -> Value {
    let store = &app.state.store;
    let mut utenti = Vec::new();
    for u in ["regione", "torino", "alba"] {
        let r = store.utente(u).await.unwrap().expect("account presente");
        utenti.push(json!([
            r.username,
            r.ruolo,
            r.comune,
            r.stato,
            r.codice_fiscale
        ]));
    }
    json!({
        "tabelle": store.tabelle().await.unwrap(),
        "utenti": utenti,
        "n_utenti": store.conta("utente").await.unwrap(),
        "comuni": store.conta("comune").await.unwrap(),
    })
}

#[tokio::test]
async fn injection_attempts_in_every_string_are_stored_verbatim_or_refused_never_executed() {
    let app = spawn_app().await;
    let regione = app.logged_in(TestUser::Regione).await;
    let torino = app.logged_in(TestUser::Torino).await;
    let sindaco = app.logged_in(TestUser::SindacoTorino).await;
    let id = app
        .pubblica_campagna(&regione, campagna(-60, 60 * 24, "001272"))
        .await;
    let scheda = routes::scheda(&id, "001272");
    let s = dichiara_tutti(&app, &torino, &scheda).await;
    let servizio = s["servizi"][0]["id"].as_str().unwrap().to_owned();
    let prima = impronta(&app).await;

    let mut problemi = Vec::new();
    let mut prove = 0;
    let mut salvate = 0;
    for (metodo, path, corpo) in scritture(&id, &servizio) {
        // The Region for its own routes, the comune for the rest.
        let client = if path.contains("/campagne") && !path.contains("/scheda")
            || path.contains("/riparti")
            || path.contains("/legali-rappresentanti")
            || ["blocco", "sblocco", "proroga", "riapertura", "restituzione"]
                .iter()
                .any(|a| path.ends_with(a))
        {
            &regione
        } else if path.contains("registrazioni") || path.contains("disabilitazioni") {
            &sindaco
        } else {
            &torino
        };
        let mut campi = Vec::new();
        stringhe(&corpo, String::new(), &mut campi);
        for attacco in CORPUS {
            // In each string of the body…
            for campo in &campi {
                let mut body = corpo.clone();
                // A new idempotency key per attempt: a repeated key replays the first answer.
                if let Some(k) = body.get_mut("chiave") {
                    *k = json!(format!("chiave-{prove}"));
                }
                *body.pointer_mut(campo).unwrap() = json!(attacco);
                // A login attempt from a fresh client (the others keep their sessions).
                let proprio = app.client();
                let c = if path.ends_with("/login") {
                    &proprio
                } else {
                    client
                };
                let (status, risposta) = app.chiama(c, metodo, &path, &body).await;
                prove += 1;
                if (200..300).contains(&status) {
                    salvate += 1;
                    // Stored verbatim: the answer holds the value as sent, except for the
                    // fields that are not echoed (credentials, keys, the allocation's CSV, the
                    // reason of an unlock, which goes to the audit trail).
                    let non_restituito = [
                        "/password",
                        "/username",
                        "/chiave",
                        "/csv",
                        "/identificativo",
                        "/attuale",
                        "/conferma",
                        "/token",
                    ]
                    .iter()
                    .any(|f| campo.ends_with(f))
                        || path.ends_with("/sblocco")
                        // An active service has no status date or reason: the rules drop them.
                        || campo.ends_with("/stato_dal")
                        || campo.ends_with("/stato_motivo");
                    if !non_restituito && !contiene(&risposta, attacco) {
                        problemi.push(format!(
                            "{metodo} {path} {campo}={attacco:?}: {status} ma il valore non torna com'era: {risposta}"
                        ));
                    }
                } else if !(400..500).contains(&status) {
                    problemi.push(format!(
                        "{metodo} {path} {campo}={attacco:?}: {status} {risposta}"
                    ));
                }
            }
            // …and in each path parameter (ids and codes).
            for (i, parte) in path.split('/').enumerate() {
                let parametro = parte == id
                    || parte == servizio
                    || parte == "001272"
                    || parte == "2025"
                    || parte == "statale";
                if !parametro {
                    continue;
                }
                let mut parti: Vec<String> = path.split('/').map(str::to_owned).collect();
                parti[i] = url::form_urlencoded::byte_serialize(attacco.as_bytes())
                    .collect::<String>()
                    .replace('+', "%20");
                let (status, risposta) = app.chiama(client, metodo, &parti.join("/"), &corpo).await;
                prove += 1;
                if !(400..500).contains(&status) {
                    problemi.push(format!(
                        "{metodo} {path} parametro {i}={attacco:?}: {status} {risposta}"
                    ));
                }
            }
        }
    }
    assert!(
        problemi.is_empty(),
        "{} prove su {prove} andate male:\n{}",
        problemi.len(),
        problemi.join("\n")
    );
    assert!(salvate > 100, "solo {salvate} prove salvate su {prove}");
    // Nothing was executed: same tables, same accounts and roles, same comuni.
    assert_eq!(impronta(&app).await, prima);
    let (status, _) = app.get_json(&regione, shared::routes::ME).await;
    assert_eq!(status, 200, "the Region's session still works");
}
