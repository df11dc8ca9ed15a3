//! The allocation of funds over HTTP: the Region imports a year's amounts per source from a CSV
//! file, all or nothing; each comune reads only its own amounts; nobody else imports.

use crate::helpers::{error_data, spawn_app, TestUser};
use serde_json::{json, Value};

async fn importa(
    app: &crate::helpers::TestApp,
    client: &reqwest::Client,
    percorso: &str,
    csv: &str,
) -> (u16, Value) {
    let r = client
        .put(app.url(percorso))
        .json(&json!({ "csv": csv }))
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn the_region_imports_an_allocation_and_each_comune_reads_only_its_own() {
    let app = spawn_app().await;
    let regione = app.logged_in(TestUser::Regione).await;
    let torino = app.logged_in(TestUser::Torino).await;
    let alba = app.logged_in(TestUser::Alba).await;

    let csv = "Codice ISTAT;Importo\r\n1272;1.234.567,89\r\n004003;50.000\r\n";
    let (status, r) = importa(&app, &regione, "/api/v1/riparti/2023/statale", csv).await;
    assert_eq!(status, 200, "{r}");
    assert_eq!(
        (r["comuni"].as_u64(), r["totale"].as_i64()),
        (Some(2), Some(128_456_789))
    );
    let (status, _) = importa(
        &app,
        &regione,
        "/api/v1/riparti/2023/regionale",
        "001272;10000,50",
    )
    .await;
    assert_eq!(status, 200);

    let (status, a) = app
        .get_json(&torino, "/api/v1/riparti/2023/comuni/001272")
        .await;
    assert_eq!(status, 200, "{a}");
    assert_eq!(a, json!({ "statale": 123_456_789, "regionale": 1_000_050 }));
    let (_, a) = app
        .get_json(&alba, "/api/v1/riparti/2023/comuni/004003")
        .await;
    assert_eq!(a, json!({ "statale": 5_000_000, "regionale": 0 }));
    let (status, _) = app
        .get_json(&alba, "/api/v1/riparti/2023/comuni/001272")
        .await;
    assert_eq!(status, 403, "a comune cannot read another comune's amounts");
    let (status, _) = app.get_json(&torino, "/api/v1/riparti/2023").await;
    assert_eq!(status, 403);
    let (status, _) = importa(&app, &torino, "/api/v1/riparti/2023/statale", "001272;1").await;
    assert_eq!(status, 403, "only the Region imports");

    let (status, tabella) = app.get_json(&regione, "/api/v1/riparti/2023").await;
    assert_eq!(status, 200);
    let nomi: Vec<&str> = tabella
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["comune"]["nome"].as_str().unwrap())
        .collect();
    assert_eq!(nomi, ["Alba", "Torino"]);

    // A new import of a source replaces it whole; a wrong file changes nothing.
    let (status, _) = importa(&app, &regione, "/api/v1/riparti/2023/statale", "001272;100").await;
    assert_eq!(status, 200);
    let (_, a) = app
        .get_json(&alba, "/api/v1/riparti/2023/comuni/004003")
        .await;
    assert_eq!(a["statale"], 0);
    let (status, e) = importa(
        &app,
        &regione,
        "/api/v1/riparti/2023/statale",
        "001272;7\n004003;1,234\n099999;5\n",
    )
    .await;
    assert_eq!(status, 422, "{e}");
    let messaggi: Vec<&str> = error_data(&e)["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["message"].as_str().unwrap())
        .collect();
    assert_eq!(
        messaggi,
        ["Riga 2: L'importo ha al massimo due decimali (i centesimi)."]
    );
    let (status, e) = importa(
        &app,
        &regione,
        "/api/v1/riparti/2023/statale",
        "001272;7\n058091;5\n",
    )
    .await;
    assert_eq!(status, 422, "Rome is not in Piedmont: {e}");
    let (_, a) = app
        .get_json(&torino, "/api/v1/riparti/2023/comuni/001272")
        .await;
    assert_eq!(a["statale"], 10_000, "nothing imported from wrong files");
    let (status, _) = importa(&app, &regione, "/api/v1/riparti/2023/europeo", "001272;7").await;
    assert_eq!(status, 404);

    let audit = app
        .state
        .store
        .audit_for("riparto:2023_statale")
        .await
        .unwrap();
    assert_eq!(audit.len(), 2, "one entry per import");
}
