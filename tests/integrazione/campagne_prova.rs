//! Campaigns for the tests: the bodies of a new campaign, creating and publishing one as the
//! Region, a form's rows and its declaration with every service operating.

use crate::helpers::TestApp;
use serde_json::{json, Value};
use shared::routes;

pub(crate) use crate::helpers::tra;

/// A children-attending campaign (2025, reference date 31/12/2025) open from `apertura` to
/// `chiusura` minutes from now, for `comuni` (ISTAT codes; empty: every comune).
pub(crate) fn campagna(apertura: i64, chiusura: i64, comuni: &str) -> Value {
    json!({
        "tipo": "frequentanti",
        "titolo": "Bambini frequentanti al 31/12/2025",
        "annualita": "2025",
        "data_riferimento": "31/12/2025",
        "apertura": tra(apertura),
        "chiusura": tra(chiusura),
        "comuni": comuni,
    })
}

/// A funds campaign (`interventi` or `monitoraggio`, funding year 2023, reference date
/// 30/07/2023) open from `apertura` to `chiusura` minutes from now, for `comuni`.
pub(crate) fn campagna_fondi(tipo: &str, apertura: i64, chiusura: i64, comuni: &str) -> Value {
    json!({
        "tipo": tipo,
        "titolo": format!("{tipo} 2023"),
        "annualita": "2023",
        "data_riferimento": "30/07/2023",
        "apertura": tra(apertura),
        "chiusura": tra(chiusura),
        "comuni": comuni,
    })
}

impl TestApp {
    /// Creates campaign `c` as the Region (`regione`) and publishes it; its id.
    pub(crate) async fn pubblica_campagna(&self, regione: &reqwest::Client, c: Value) -> String {
        let (status, body) = self
            .post(regione, "/api/v1/campagne", json!({ "campagna": c }))
            .await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["stato"], "bozza");
        let id = body["id"].as_str().unwrap().to_owned();
        let (status, body) = self
            .post(
                regione,
                &routes::campagna_azione(&id, "pubblica"),
                json!({}),
            )
            .await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["stato"], "pubblicata");
        id
    }
}

/// A children-attending form's rows for `servizi` (a form's `servizi`): `iscritti` children
/// in the first age band each service admits.
pub(crate) fn righe(servizi: &Value, iscritti: u32) -> Value {
    let righe: Vec<Value> = servizi
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let min = s["eta_min_mesi"].as_u64().unwrap();
            // the first band the service admits
            let banda = [12u64, 24, 36, 72].iter().position(|a| *a > min).unwrap();
            let mut isc = vec!["0".to_owned(); 4];
            isc[banda] = iscritti.to_string();
            json!({ "servizio": s["id"], "iscritti": isc, "frequentanti": isc, "disabili": "0", "posti_disponibili": "1" })
        })
        .collect();
    json!(righe)
}

/// A declaration entry per active service of form `s`, each operating.
pub(crate) fn voci_operanti(s: &Value) -> Vec<Value> {
    s["da_dichiarare"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| json!({ "servizio": x["id"], "stato": "operante" }))
        .collect()
}

/// Confirms the declaration of form `scheda` (its path) with every service operating; the form.
pub(crate) async fn dichiara_tutti(app: &TestApp, client: &reqwest::Client, scheda: &str) -> Value {
    let (_, s) = app.get_json(client, scheda).await;
    let voci = voci_operanti(&s);
    let (status, s) = app
        .post(
            client,
            &format!("{scheda}/dichiarazione"),
            json!({ "voci": voci }),
        )
        .await;
    assert_eq!(status, 200, "{s}");
    s
}
