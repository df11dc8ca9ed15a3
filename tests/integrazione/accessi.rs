//! The access matrix: every route the server answers under `/api/`, called by every role on
//! its own comune and on another comune, against one table of what each may do. A route
//! without a row in [`MATRICE`] fails the test, as does a row for a route that no longer exists.

use crate::api_servizi::modulo;
use crate::campagne_prova::{campagna, dichiara_tutti, righe, tra};
use crate::helpers::{spawn_app, TestApp, TestUser};
use backend::service::demo::DEMO_PASSWORD;
use serde_json::{json, Value};
use shared::routes;

/// Who calls, in the order of the table's columns.
const RUOLI: [&str; 5] = [
    "anonimo",
    "operatore comunale",
    "legale rappresentante",
    "funzionario regionale",
    "amministratore",
];

/// What each role may do, per route: two groups of five marks, for the own comune (Torino,
/// the comune of the comune roles) and for another comune (Alba), in the order of [`RUOLI`].
/// `+` allowed (any answer but 401, 403, 404 or a server error), `-` refused (401 without a
/// session, 403 with one). Routes that name no comune have the same marks in both groups.
/// Only a comune's own officials compile, declare and send its forms: the Region reviews them
/// (blocks, unlocks, reopens, accepts, returns) but never fills them in.
const MATRICE: &[(&str, &str, &str)] = &[
    // route                                                    own      other
    ("GET /api/v1/health", "+++++", "+++++"),
    ("GET /api/v1/config/pubblica", "+++++", "+++++"),
    ("GET /api/v1/openapi.json", "+++++", "+++++"),
    ("GET /api/v1/auth/me", "-++++", "-++++"),
    ("GET /api/v1/comuni", "-++++", "-++++"),
    ("GET /api/v1/comuni/{codice}", "-++++", "---++"),
    ("GET /api/v1/comuni/{codice}/servizi", "-++++", "---++"),
    ("GET /api/v1/servizi", "-++++", "-++++"),
    ("GET /api/v1/servizi.csv", "-++++", "-++++"),
    ("GET /api/v1/servizi.xlsx", "-++++", "-++++"),
    ("GET /api/v1/servizi/{id}", "-++++", "---++"),
    ("GET /api/v1/servizi/{id}/storia", "-++++", "---++"),
    ("GET /api/v1/campagne", "-++++", "-++++"),
    ("GET /api/v1/campagne/{id}", "-++++", "-++++"),
    ("GET /api/v1/da-fare", "-++--", "-++--"),
    ("GET /api/v1/campagne/{id}/schede", "---++", "---++"),
    (
        "GET /api/v1/campagne/{id}/esportazione.xlsx",
        "---++",
        "---++",
    ),
    (
        "GET /api/v1/campagne/{id}/esportazione.csv",
        "---++",
        "---++",
    ),
    (
        "GET /api/v1/campagne/{id}/comuni/{codice}/scheda",
        "-++++",
        "---++",
    ),
    (
        "GET /api/v1/campagne/{id}/comuni/{codice}/scheda/ricevuta.pdf",
        "-++++",
        "---++",
    ),
    ("GET /api/v1/riparti/{annualita}", "---++", "---++"),
    (
        "GET /api/v1/riparti/{annualita}/comuni/{codice}",
        "-++++",
        "---++",
    ),
    ("POST /api/v1/auth/login", "+++++", "+++++"),
    ("POST /api/v1/comuni/{codice}/servizi", "-++++", "---++"),
    ("PUT /api/v1/servizi/{id}", "-++++", "---++"),
    ("POST /api/v1/campagne", "---++", "---++"),
    ("PUT /api/v1/campagne/{id}", "---++", "---++"),
    ("POST /api/v1/campagne/{id}/pubblica", "---++", "---++"),
    ("POST /api/v1/campagne/{id}/proroghe", "---++", "---++"),
    (
        "PUT /api/v1/campagne/{id}/comuni/{codice}/scheda",
        "-++--",
        "-----",
    ),
    (
        "POST /api/v1/campagne/{id}/comuni/{codice}/scheda/dichiarazione",
        "-++--",
        "-----",
    ),
    (
        "POST /api/v1/campagne/{id}/comuni/{codice}/scheda/invio",
        "-++--",
        "-----",
    ),
    (
        "POST /api/v1/campagne/{id}/comuni/{codice}/scheda/segnalazioni",
        "-++--",
        "-----",
    ),
    (
        "POST /api/v1/campagne/{id}/comuni/{codice}/scheda/blocco",
        "---++",
        "---++",
    ),
    (
        "POST /api/v1/campagne/{id}/comuni/{codice}/scheda/sblocco",
        "---++",
        "---++",
    ),
    (
        "POST /api/v1/campagne/{id}/comuni/{codice}/scheda/proroga",
        "---++",
        "---++",
    ),
    (
        "POST /api/v1/campagne/{id}/comuni/{codice}/scheda/riapertura",
        "---++",
        "---++",
    ),
    (
        "POST /api/v1/campagne/{id}/comuni/{codice}/scheda/accettazione",
        "---++",
        "---++",
    ),
    (
        "POST /api/v1/campagne/{id}/comuni/{codice}/scheda/restituzione",
        "---++",
        "---++",
    ),
    ("PUT /api/v1/riparti/{annualita}/{fonte}", "---++", "---++"),
    ("PUT /api/v1/sito", "---++", "---++"),
    // Accounts: one's own (public pages answer everyone; bodies that fail the rules are
    // accepted calls, 422).
    ("GET /api/v1/password/comuni", "+++++", "+++++"),
    ("POST /api/v1/auth/link", "+++++", "+++++"),
    ("POST /api/v1/auth/attivazione", "+++++", "+++++"),
    ("POST /api/v1/auth/nuova-password", "+++++", "+++++"),
    ("POST /api/v1/auth/password-dimenticata", "+++++", "+++++"),
    ("POST /api/v1/auth/verifica", "+++++", "+++++"),
    ("POST /api/v1/account/password", "-++++", "-++++"),
    // The Region's accounts: regional accounts are the administrators'.
    ("GET /api/v1/utenti", "---++", "---++"),
    ("POST /api/v1/utenti", "----+", "----+"),
    ("GET /api/v1/utenti/{username}", "---++", "---++"),
    ("PUT /api/v1/utenti/{username}/ruolo", "----+", "----+"),
    (
        "POST /api/v1/utenti/{username}/disabilitazione",
        "---++",
        "---++",
    ),
    (
        "POST /api/v1/utenti/{username}/riabilitazione",
        "---++",
        "---++",
    ),
    (
        "POST /api/v1/utenti/{username}/nuova-password",
        "---++",
        "---++",
    ),
    (
        "POST /api/v1/utenti/{username}/cambio-obbligato",
        "---++",
        "---++",
    ),
    ("POST /api/v1/cambio-password-obbligato", "----+", "----+"),
    ("GET /api/v1/comuni/{codice}/utenti", "--+++", "---++"),
    ("GET /api/v1/legali-rappresentanti", "---++", "---++"),
    (
        "POST /api/v1/comuni/{codice}/legale-rappresentante",
        "---++",
        "---++",
    ),
    (
        "POST /api/v1/legali-rappresentanti/importazione",
        "---++",
        "---++",
    ),
    // Registration requests: only the comune's legal representative asks; the Region decides.
    ("POST /api/v1/registrazioni", "--+--", "-----"),
    ("GET /api/v1/registrazioni", "---++", "---++"),
    ("GET /api/v1/registrazioni/{id}", "--+++", "---++"),
    (
        "POST /api/v1/registrazioni/{id}/utenti/{indice}/approvazione",
        "---++",
        "---++",
    ),
    (
        "POST /api/v1/registrazioni/{id}/utenti/{indice}/rifiuto",
        "---++",
        "---++",
    ),
    (
        "GET /api/v1/comuni/{codice}/registrazioni",
        "--+++",
        "---++",
    ),
    (
        "GET /api/v1/comuni/{codice}/registrazioni/bozza",
        "--+--",
        "-----",
    ),
    (
        "PUT /api/v1/comuni/{codice}/registrazioni/bozza",
        "--+--",
        "-----",
    ),
    (
        "POST /api/v1/comuni/{codice}/disabilitazioni",
        "--+--",
        "-----",
    ),
    ("GET /api/v1/disabilitazioni", "--+++", "--+++"),
    (
        "POST /api/v1/disabilitazioni/{id}/conferma",
        "---++",
        "---++",
    ),
    (
        "POST /api/v1/disabilitazioni/{id}/rifiuto",
        "---++",
        "---++",
    ),
    // The outbox: administrators.
    ("GET /api/v1/posta", "----+", "----+"),
    ("POST /api/v1/posta/{id}/nuovo-tentativo", "----+", "----+"),
    // Last: it ends the caller's session.
    ("POST /api/v1/auth/logout", "+++++", "+++++"),
];

/// A comune the test calls routes for.
struct Comune {
    codice: &'static str,
    /// One of its services.
    servizio: String,
    /// One of its operators (an account the Region manages).
    utente: &'static str,
    /// A request to enable users it sent.
    richiesta: String,
}

/// The data every call refers to: a published campaign with both comuni's forms sent (so
/// that receipts exist), a service and a request to enable users in each comune, a request
/// to disable a user waiting.
struct Mondo {
    campagna: String,
    disabilitazione: String,
    proprio: Comune,
    altro: Comune,
}

/// A body for the route: valid, so that an allowed caller is not refused for its input —
/// or, for a change that would alter the accounts the table's callers use (disabling,
/// forcing a new password), one that fails the rules (422) after the access check.
fn corpo(route: &str, comune: &str) -> Value {
    let motivo = json!({ "motivo": "Verifica d'ufficio" });
    let ultimo = route.rsplit('/').next().unwrap_or_default();
    if route.contains("/utenti/{username}/") || route.ends_with("/cambio-password-obbligato") {
        return json!({ "motivo": "", "ruolo": "" });
    }
    match ultimo {
        "link" | "attivazione" | "nuova-password" => {
            json!({ "token": "0".repeat(64), "password": "x", "conferma": "x" })
        }
        "password-dimenticata" => json!({ "identificativo": "nessuno@prova.invalid" }),
        "verifica" => json!({ "username": "torino", "password": DEMO_PASSWORD }),
        "password" => json!({ "attuale": DEMO_PASSWORD, "password": "corta", "conferma": "corta" }),
        "utenti" if route.starts_with("POST") => json!({
            "identita": { "nome": "Nuovo", "cognome": "Funzionario",
                          "codice_fiscale": backend::service::demo::codice_fiscale_sintetico(77),
                          "email": "nuovo.funzionario@prova.invalid" },
            "ruolo": "funzionario_regionale"
        }),
        "legale-rappresentante" => json!({ "legale": {
            "nome": "", "cognome": "", "codice_fiscale": "", "email": "", "pec": "" } }),
        "importazione" => json!({ "csv": "" }),
        "sito" => json!({ "impostazioni": shared::sito::ImpostazioniSito::iniziali("Piemonte") }),
        "registrazioni" if route.starts_with("POST") => json!({ "comune": comune, "utenti": [] }),
        "bozza" => json!({ "versione": 0, "utenti": [] }),
        "disabilitazioni" => {
            json!({ "nome": "", "cognome": "", "codice_fiscale": "", "motivo": "" })
        }
        "approvazione" => json!({ "ruolo": "" }),
        "rifiuto" => json!({ "motivo": "" }),
        "login" => json!({ "username": "torino", "password": DEMO_PASSWORD }),
        "servizi" => json!({ "servizio": modulo() }),
        "{id}" if route.starts_with("PUT /api/v1/servizi") => {
            json!({ "versione": 1, "servizio": modulo() })
        }
        "campagne" | "{id}" => json!({ "campagna": campagna(60, 120, "001272, 004003") }),
        "proroghe" | "proroga" => json!({ "chiusura": tra(60 * 48), "motivo": "Proroga" }),
        "scheda" => json!({ "versione": 1, "dati": {} }),
        "dichiarazione" => json!({ "voci": [] }),
        "segnalazioni" => json!({
            "servizio": "Nido Aperto", "indirizzo": "Via Roma 1",
            "titolare": "Cooperativa Aperta", "motivo": "Non raggiunto dai fondi"
        }),
        "blocco" | "sblocco" | "riapertura" => motivo,
        "restituzione" => json!({ "commenti": [{ "campo": "", "testo": "Da rivedere" }] }),
        "{fonte}" => json!({ "csv": "codice ISTAT;importo\n001272;1000,00\n004003;500,00" }),
        _ => json!({}),
    }
}

/// The concrete path of a route for a comune.
fn percorso(route: &str, mondo: &Mondo, comune: &Comune) -> String {
    let (_, template) = route.split_once(' ').unwrap();
    let id = if template.starts_with("/api/v1/servizi/") {
        comune.servizio.as_str()
    } else if template.starts_with("/api/v1/registrazioni/") {
        comune.richiesta.as_str()
    } else if template.starts_with("/api/v1/disabilitazioni/") {
        mondo.disabilitazione.as_str()
    } else {
        mondo.campagna.as_str()
    };
    template
        .replace("{codice}", comune.codice)
        .replace("{id}", id)
        .replace("{annualita}", "2025")
        .replace("{fonte}", "statale")
        .replace("{username}", comune.utente)
        .replace("{indice}", "0")
}

/// A request of the comune to enable one user, sent by its legal representative.
async fn richiesta_inviata(app: &TestApp, legale: &str, codice: &str, n: u64) -> String {
    let client = accedi(app, legale).await;
    let utente = json!({
        "nome": "Anna", "cognome": "Verdi",
        "codice_fiscale": backend::service::demo::codice_fiscale_sintetico(n),
        "email": format!("anna.{n}@prova.invalid"),
    });
    let (status, r) = app
        .post(
            &client,
            "/api/v1/registrazioni",
            json!({ "comune": codice, "utenti": [utente] }),
        )
        .await;
    assert_eq!(status, 200, "{r}");
    r["id"].as_str().unwrap().to_owned()
}

async fn accedi(app: &TestApp, username: &str) -> reqwest::Client {
    let client = app.client();
    let res = app.login(&client, username, DEMO_PASSWORD).await;
    assert_eq!(res.status(), 200, "accesso di {username}");
    client
}

/// Declares, fills in and sends a comune's form of the campaign.
async fn inviata(app: &TestApp, client: &reqwest::Client, id: &str, codice: &str) {
    let scheda = routes::scheda(id, codice);
    let s = dichiara_tutti(app, client, &scheda).await;
    let dati = json!({ "righe": righe(&s["servizi"], 1), "giustificazione": "" });
    let (status, s) = app
        .put(client, &scheda, json!({ "versione": 0, "dati": dati }))
        .await;
    assert_eq!(status, 200, "{s}");
    let (status, r) = app
        .post(client, &format!("{scheda}/invio"), json!({}))
        .await;
    assert_eq!(status, 200, "{r}");
}

async fn un_servizio(app: &TestApp, client: &reqwest::Client, codice: &str) -> String {
    let (status, servizi) = app
        .get_json(client, &format!("/api/v1/comuni/{codice}/servizi"))
        .await;
    assert_eq!(status, 200, "{servizi}");
    servizi[0]["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn every_route_answers_each_role_on_its_own_and_another_comune_as_the_table_says() {
    // One row per registered route, one registered route per row.
    let registrate: Vec<String> = app::api::openapi::rotte_registrate()
        .into_iter()
        .map(|(m, p)| format!("{m} {p}"))
        .collect();
    let righe_tabella: Vec<&str> = MATRICE.iter().map(|(r, _, _)| *r).collect();
    let senza_riga: Vec<&String> = registrate
        .iter()
        .filter(|r| !righe_tabella.contains(&r.as_str()))
        .collect();
    let senza_rotta: Vec<&&str> = righe_tabella
        .iter()
        .filter(|r| !registrate.iter().any(|x| x == *r))
        .collect();
    assert!(
        senza_riga.is_empty() && senza_rotta.is_empty(),
        "rotte senza riga nella matrice degli accessi: {senza_riga:?}; righe senza rotta: {senza_rotta:?}"
    );

    let app = spawn_app().await;
    app.crea_utente(
        "sindaco.alba",
        shared::auth::Ruolo::LegaleRappresentante,
        Some("004003"),
    )
    .await;
    // A user whose disabling sindaco.torino asks for (confirming it changes no caller).
    let cf = app
        .crea_utente(
            "uscente.torino",
            shared::auth::Ruolo::OperatoreComunale,
            Some("001272"),
        )
        .await;
    let sindaco = accedi(&app, "sindaco.torino").await;
    let (status, d) = app
        .post(
            &sindaco,
            "/api/v1/comuni/001272/disabilitazioni",
            json!({ "nome": "Prova", "cognome": "uscente torino", "codice_fiscale": cf,
                     "motivo": "Trasferito ad altro ente" }),
        )
        .await;
    assert_eq!(status, 200, "{d}");
    let regione = app.logged_in(TestUser::Regione).await;
    let torino = app.logged_in(TestUser::Torino).await;
    let alba = app.logged_in(TestUser::Alba).await;
    let id = app
        .pubblica_campagna(&regione, campagna(-60, 60 * 24, "001272, 004003"))
        .await;
    inviata(&app, &torino, &id, "001272").await;
    inviata(&app, &alba, &id, "004003").await;
    let mondo = Mondo {
        proprio: Comune {
            codice: "001272",
            servizio: un_servizio(&app, &regione, "001272").await,
            utente: "torino",
            richiesta: richiesta_inviata(&app, "sindaco.torino", "001272", 501).await,
        },
        altro: Comune {
            codice: "004003",
            servizio: un_servizio(&app, &regione, "004003").await,
            utente: "alba",
            richiesta: richiesta_inviata(&app, "sindaco.alba", "004003", 502).await,
        },
        disabilitazione: d["id"].as_str().unwrap().to_owned(),
        campagna: id,
    };
    let chiamanti = [
        app.client(),
        torino,
        accedi(&app, "sindaco.torino").await,
        regione,
        accedi(&app, "amministratore").await,
    ];

    let mut sbagliate = Vec::new();
    let mut chiamate = 0;
    for (route, proprio, altro) in MATRICE {
        let metodo = route.split(' ').next().unwrap();
        for (comune, segni) in [(&mondo.proprio, proprio), (&mondo.altro, altro)] {
            let path = percorso(route, &mondo, comune);
            for ((ruolo, client), segno) in RUOLI.iter().zip(&chiamanti).zip(segni.chars()) {
                // Signing in would change the caller: a client of its own.
                let proprio_client;
                let client = if route.ends_with("/login") {
                    proprio_client = app.client();
                    &proprio_client
                } else {
                    client
                };
                let (status, body) = app
                    .chiama(client, metodo, &path, &corpo(route, comune.codice))
                    .await;
                chiamate += 1;
                let ok = match (segno, *ruolo) {
                    ('-', "anonimo") => status == 401,
                    ('-', _) => status == 403,
                    _ => !matches!(status, 401 | 403 | 404) && status < 500,
                };
                if !ok {
                    sbagliate.push(format!(
                        "{route} [{}] come {ruolo}: atteso {}, risposta {status} {body}",
                        comune.codice,
                        if segno == '+' {
                            "consentito"
                        } else {
                            "rifiutato"
                        },
                    ));
                }
            }
        }
    }
    assert!(
        sbagliate.is_empty(),
        "{} chiamate su {chiamate} non come da matrice:\n{}",
        sbagliate.len(),
        sbagliate.join("\n")
    );
}
