//! The API contract: the OpenAPI document served at `/api/v1/openapi.json` names exactly the
//! routes the server answers, with the parameters their paths hold.

use crate::helpers::spawn_app;
use app::api::openapi::{operazioni, parametri_di_percorso, rotte_registrate, PERCORSO};
use backend::service::demo::DEMO_PASSWORD;

#[tokio::test]
async fn the_openapi_document_names_exactly_the_routes_the_server_answers() {
    let app = spawn_app().await;
    let (status, doc) = app.get_json(&app.client(), PERCORSO).await;
    assert_eq!(status, 200);
    assert_eq!(doc["openapi"], "3.0.3");
    if let Ok(f) = std::env::var("OPENAPI_DUMP") {
        std::fs::write(f, serde_json::to_string_pretty(&doc).unwrap()).unwrap();
    }
    let documentate = operazioni(&doc);
    let registrate = rotte_registrate();
    let mancanti: Vec<_> = registrate
        .iter()
        .filter(|r| !documentate.contains(r))
        .collect();
    let in_piu: Vec<_> = documentate
        .iter()
        .filter(|r| !registrate.contains(r))
        .collect();
    assert!(
        mancanti.is_empty() && in_piu.is_empty(),
        "rotte senza voce nel documento OpenAPI: {mancanti:?}; voci senza rotta: {in_piu:?}"
    );
    assert!(registrate.len() >= 40, "{registrate:?}");
    // Each operation declares exactly its path's parameters.
    for (metodo, percorso) in &documentate {
        let op = &doc["paths"][percorso][metodo.to_ascii_lowercase()];
        let mut dichiarati: Vec<&str> = op["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|p| p["in"] == "path")
            .map(|p| p["name"].as_str().unwrap())
            .collect();
        dichiarati.sort_unstable();
        let mut attesi = parametri_di_percorso(percorso);
        attesi.sort_unstable();
        assert_eq!(dichiarati, attesi, "{metodo} {percorso}");
        assert!(op["responses"]["200"].is_object(), "{metodo} {percorso}");
    }
}

/// The session cookie (`name=value`) of a fresh sign-in.
async fn cookie_di(app: &crate::helpers::TestApp, username: &str) -> String {
    let res = app.login(&app.client(), username, DEMO_PASSWORD).await;
    assert_eq!(res.status(), 200, "accesso di {username}");
    res.headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().split(';').next().unwrap().to_owned())
        .find(|c| c.starts_with(shared::routes::SESSION_COOKIE))
        .expect("cookie di sessione")
}

/// schemathesis (installed by the README's test command; `SCHEMATHESIS` names another).
fn schemathesis() -> std::path::PathBuf {
    let exe = std::env::var_os("SCHEMATHESIS")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| {
            let home = std::env::var_os("HOME").expect("HOME");
            std::path::Path::new(&home).join(".cache/servizi06/venv-schemathesis/bin/schemathesis")
        });
    assert!(
        exe.is_file(),
        "schemathesis non trovato in {exe:?}: lo installa `./dev test` (o indicane uno con SCHEMATHESIS)"
    );
    exe
}

/// schemathesis against the served document, as each role in turn: no server error, every
/// answer in the documented status, content type and schema, and every error answer in our
/// envelope with nothing internal in it (`tests/schemathesis/controlli.py`). Bounded: a few
/// examples per operation, fixed seed; the benchmark run can raise `SCHEMATHESIS_ESEMPI`.
#[tokio::test]
#[cfg_attr(
    not(feature = "esterni"),
    ignore = "serve schemathesis: lo installa `./dev test` (feature esterni)"
)]
async fn schemathesis_finds_no_server_error_and_no_answer_outside_the_contract_for_any_role() {
    let exe = schemathesis();
    let app = spawn_app().await;
    let esempi = std::env::var("SCHEMATHESIS_ESEMPI").unwrap_or_else(|_| "6".to_owned());
    let controlli = crate::helpers::cartella_test().join("schemathesis/controlli.py");
    let rapporti = tempfile::tempdir().unwrap();
    let mut esiti = Vec::new();
    let mut righe_md = Vec::new();
    for username in ["", "torino", "sindaco.torino", "regione", "amministratore"] {
        let mut cmd = tokio::process::Command::new(&exe);
        cmd.arg("run")
            .arg(app.url(PERCORSO))
            .args(["--checks", "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,nessun_dettaglio_interno"])
            .args(["--phases", "coverage,fuzzing"])
            .args(["--max-examples", &esempi, "--seed", "6", "--workers", "1"])
            .args(["--no-shrink", "--continue-on-failure"])
            .args(["--suppress-health-check", "all", "--warnings", "off"])
            .args(["--request-timeout", "30"])
            .arg("--report-dir")
            .arg(rapporti.path())
            // Its cache folder goes there too, not into the source tree.
            .current_dir(rapporti.path())
            .env("SCHEMATHESIS_HOOKS", &controlli)
            .env("NO_COLOR", "1")
            .kill_on_drop(true);
        if !username.is_empty() {
            cmd.args([
                "-H",
                &format!("Cookie: {}", cookie_di(&app, username).await),
            ])
            // Signing out would end the session the rest of the run uses.
            .args(["--exclude-path", shared::routes::LOGOUT]);
        }
        let out = cmd.output().await.expect("avvio di schemathesis");
        let testo = String::from_utf8_lossy(&out.stdout).into_owned();
        let riepilogo: String = testo.lines().rev().take(3).collect::<Vec<_>>().join(" | ");
        println!(
            "schemathesis come {:?}: {riepilogo}",
            if username.is_empty() {
                "anonimo"
            } else {
                username
            }
        );
        // schemathesis's counts (test cases generated and passed, failures) and its verdict.
        let conteggi: Vec<String> = testo
            .lines()
            .filter(|l| {
                let l = l.to_lowercase();
                l.contains("generated")
                    || l.contains("api operations")
                    || l.contains("issues found")
            })
            .map(|l| {
                l.trim_matches(|c: char| c == '=' || c.is_whitespace())
                    .to_owned()
            })
            .collect();
        righe_md.push(format!(
            "| {} | {esempi} | {} | {} |",
            if username.is_empty() {
                "anonimo"
            } else {
                username
            },
            conteggi.join("; ").replace('|', "/"),
            if out.status.success() {
                "nessun problema"
            } else {
                "PROBLEMI"
            }
        ));
        if !out.status.success() {
            esiti.push(format!(
                "come {username:?}:\n{testo}\n{}",
                String::from_utf8_lossy(&out.stderr)
            ));
        }
    }
    // Under `./dev benchmarks` (more examples), the summary of each role's run as a section
    // of docs/benchmarks.md: schemathesis's own closing lines (requests, failures, 5xx).
    if let Ok(file) = std::env::var("BENCH_MD") {
        let md = format!(
            "## Contratto dell'API (schemathesis)\n\n{esempi} esempi per operazione e per \
             ruolo, seme fisso; controlli: nessun errore del server (5xx), stato, tipo e schema \
             documentati, nessun dettaglio interno.\n\n| ruolo | esempi | riepilogo di \
             schemathesis | esito |\n|---|---|---|---|\n{}\n",
            righe_md.join("\n")
        );
        let _ = std::fs::write(file, md);
    }
    assert!(
        esiti.is_empty(),
        "schemathesis ha trovato problemi:\n{}",
        esiti.join("\n")
    );
}
