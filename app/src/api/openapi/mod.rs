//! The OpenAPI 3 document of the public HTTP API, served at `GET /api/v1/openapi.json`.
//!
//! Every operation is declared here once, with the schemas of its body and answer derived from
//! the very types the endpoints take and return (`schemars`, following the serde attributes).
//! A test compares this document with the routes the server registers: a route missing here,
//! or an operation here that the server does not answer, fails it.

mod account;
mod costruttore;

pub use costruttore::parametri_di_percorso;
use costruttore::Documento;
use serde_json::{json, Value};
use shared::auth::UtenteCorrente;
use shared::campagna as cr;
use shared::comune::{Comune, ComuneRef};
use shared::fondi::{Assegnato, RiepilogoRiparto, RigaRiparto};
use shared::servizio::regole::ServizioForm;
use shared::servizio::{FiltroServizi, PaginaServizi, ServizioRiga, ServizioScheda, StoriaVoce};

/// Where the document is served.
pub const PERCORSO: &str = "/api/v1/openapi.json";

/// The whole document.
#[rustfmt::skip]
pub fn documento() -> Value {
    let mut d = Documento::new();

    // Service and session.
    d.get("/api/v1/health", "salute", "Stato del servizio e del database").pubblico().json::<shared::health::Health>();
    d.get("/api/v1/config/pubblica", "config_pubblica", "Impostazioni pubbliche dell'installazione").pubblico().json::<super::health::ConfigPubblica>();
    d.get(PERCORSO, "openapi", "Questo documento").pubblico().schema(json!({ "type": "object" }));
    d.post(shared::routes::LOGIN, "accesso", "Accesso con nome utente e password; imposta il cookie di sessione").pubblico().campo::<String>("username").campo::<String>("password").json::<UtenteCorrente>();
    d.post(shared::routes::LOGOUT, "uscita", "Chiude la sessione").pubblico().schema(json!({}));
    d.get(shared::routes::ME, "utente_corrente", "L'utente della sessione").json::<UtenteCorrente>();

    // Comuni.
    d.get("/api/v1/comuni", "comuni", "I comuni della Regione").json::<Vec<ComuneRef>>();
    d.get("/api/v1/comuni/{codice}", "comune", "Un comune (codice ISTAT)").json::<Comune>();

    // Registry of services.
    d.get("/api/v1/comuni/{codice}/servizi", "servizi_del_comune", "I servizi di un comune").json::<Vec<ServizioRiga>>();
    d.post("/api/v1/comuni/{codice}/servizi", "crea_servizio", "Registra un servizio; `chiave` rende ripetibile la richiesta").campo::<ServizioForm>("servizio").facoltativo::<String>("chiave").json::<ServizioScheda>();
    d.get("/api/v1/servizi/{id}", "servizio", "Un servizio").json::<ServizioScheda>();
    d.put("/api/v1/servizi/{id}", "aggiorna_servizio", "Salva una modifica (409 se la versione non è l'ultima)").campo::<u64>("versione").campo::<ServizioForm>("servizio").facoltativo::<String>("chiave").json::<ServizioScheda>();
    d.get("/api/v1/servizi/{id}/storia", "storia_servizio", "Chi ha cambiato cosa e quando").json::<Vec<StoriaVoce>>();
    d.get(shared::routes::SERVIZI, "cerca_servizi", "Servizi filtrati e paginati").query::<FiltroServizi>().json::<PaginaServizi>();
    d.get(shared::routes::SERVIZI_CSV, "servizi_csv", "Servizi filtrati, in CSV").query::<FiltroServizi>().file("text/csv");
    d.get(shared::routes::SERVIZI_XLSX, "servizi_xlsx", "Servizi filtrati, in XLSX").query::<FiltroServizi>().file(XLSX);

    // Campaigns.
    d.get("/api/v1/campagne", "campagne", "Le campagne visibili all'utente").json::<Vec<cr::Campagna>>();
    d.post("/api/v1/campagne", "crea_campagna", "Crea una campagna in bozza").regione().campo::<cr::CampagnaForm>("campagna").json::<cr::Campagna>();
    d.get("/api/v1/campagne/{id}", "campagna", "Una campagna").json::<cr::Campagna>();
    d.put("/api/v1/campagne/{id}", "aggiorna_campagna", "Modifica una campagna in bozza").regione().campo::<cr::CampagnaForm>("campagna").json::<cr::Campagna>();
    d.get("/api/v1/da-fare", "da_fare", "Le schede da compilare del comune (con `chiuse=true` anche le rilevazioni chiuse)").query::<cr::FiltroDaFare>().json::<Vec<cr::DaFare>>();
    d.post("/api/v1/campagne/{id}/pubblica", "pubblica_campagna", "Pubblica una campagna in bozza").regione().json::<cr::Campagna>();
    d.post("/api/v1/campagne/{id}/proroghe", "proroga_campagna", "Proroga la chiusura per tutti i comuni").regione().campo::<String>("chiusura").campo::<String>("motivo").json::<super::campagne::ProrogaConcessa>();
    d.get("/api/v1/campagne/{id}/schede", "schede", "Lo stato delle schede di ogni comune").regione().json::<Vec<cr::SchedaRiga>>();
    d.get(super::export::ESPORTAZIONE_CSV, "esportazione_csv", "Un foglio dell'esportazione, in CSV").regione().parametro(json!({ "name": "foglio", "in": "query", "required": false, "schema": { "type": "string", "enum": ["comuni", "interventi", "province"] } })).file("text/csv");
    d.get(super::export::ESPORTAZIONE_XLSX, "esportazione_xlsx", "L'esportazione di una campagna sui fondi").regione().file(XLSX);

    // A comune's form.
    const SCHEDA: &str = "/api/v1/campagne/{id}/comuni/{codice}/scheda";
    d.get(SCHEDA, "scheda", "La scheda del comune: stato, blocco, scadenza").json::<cr::Scheda>();
    d.put(SCHEDA, "salva_scheda", "Salva la bozza (409 se cambiata dopo la versione, o se non compilabile)").campo::<u64>("versione").campo::<Value>("dati").facoltativo::<String>("chiave").json::<cr::Scheda>();
    d.post(&format!("{SCHEDA}/invio"), "invia_scheda", "Invia la scheda e ne rilascia la ricevuta").facoltativo::<String>("chiave").json::<cr::Ricevuta>();
    d.post(&format!("{SCHEDA}/dichiarazione"), "dichiara", "Dichiarazione preliminare dei servizi cessati o sospesi").campo::<Vec<cr::VoceDichiarazione>>("voci").json::<cr::Scheda>();
    d.post(&format!("{SCHEDA}/segnalazioni"), "segnala_servizi", "Segnala servizi non raggiunti dai fondi").campo::<String>("servizio").campo::<String>("indirizzo").campo::<String>("titolare").campo::<String>("motivo").json::<cr::Scheda>();
    d.get(super::export::RICEVUTA_PDF, "ricevuta", "La ricevuta dell'invio, in PDF").file("application/pdf");
    for (azione, id, sintesi) in [
        (
            "blocco",
            "blocca_scheda",
            "Blocca la scheda fino al controllo della Regione",
        ),
        ("sblocco", "sblocca_scheda", "Sblocca la scheda"),
        ("riapertura", "riapri_scheda", "Riapre una scheda inviata"),
    ] {
        d.post(&format!("{SCHEDA}/{azione}"), id, sintesi).regione().campo::<String>("motivo").json::<cr::Scheda>();
    }
    d.post(&format!("{SCHEDA}/proroga"), "proroga_scheda", "Una scadenza propria per il comune").regione().campo::<String>("chiusura").campo::<String>("motivo").json::<cr::Scheda>();
    d.post(&format!("{SCHEDA}/accettazione"), "accetta_scheda", "Accetta la scheda inviata (definitivo)").regione().json::<cr::Scheda>();
    d.post(&format!("{SCHEDA}/restituzione"), "restituisci_scheda", "Restituisce la scheda con commenti sui campi").regione().campo::<Vec<cr::Commento>>("commenti").json::<cr::Scheda>();

    // Funds.
    d.get("/api/v1/riparti/{annualita}", "riparto", "Il riparto dell'annualità, per comune").regione().json::<Vec<RigaRiparto>>();
    d.put("/api/v1/riparti/{annualita}/{fonte}", "importa_riparto", "Sostituisce il riparto di una fonte con un CSV (tutto o niente)").regione().campo::<String>("csv").json::<RiepilogoRiparto>();
    d.get("/api/v1/riparti/{annualita}/comuni/{codice}", "assegnato", "Gli importi assegnati a un comune").json::<Assegnato>();

    d.put("/api/v1/sito", "salva_sito", "Sostituisce le impostazioni del sito: piè di pagina, note legali, dichiarazione di accessibilità").regione().campo::<shared::sito::ImpostazioniSito>("impostazioni").json::<shared::sito::ImpostazioniSito>();

    account::dichiara(&mut d);

    json!({
        "openapi": "3.0.3",
        "info": {
            "title": "Servizi 0-6",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "API dei servizi educativi 0-6: anagrafe dei servizi, rilevazioni, fondi. \
                Gli errori sono in italiano; le scritture accettano una `chiave` di idempotenza.",
        },
        "servers": [{ "url": "/" }],
        "components": { "securitySchemes": { "sessione": {
            "type": "apiKey", "in": "cookie", "name": shared::routes::SESSION_COOKIE
        } } },
        "paths": d.percorsi,
    })
}

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// The operations of a document: `(METHOD, path)`.
pub fn operazioni(doc: &Value) -> Vec<(String, String)> {
    let mut ops = Vec::new();
    if let Some(paths) = doc["paths"].as_object() {
        for (percorso, voce) in paths {
            for metodo in voce.as_object().into_iter().flat_map(|o| o.keys()) {
                ops.push((metodo.to_ascii_uppercase(), percorso.clone()));
            }
        }
    }
    ops.sort();
    ops
}

/// The routes the server answers under `/api/`: its server functions and plain routes, as
/// `(METHOD, path)` with the path as a template (`{id}`) and without a query.
pub fn rotte_registrate() -> Vec<(String, String)> {
    let mut rotte: Vec<(String, String)> = dioxus::server::ServerFunction::collect()
        .into_iter()
        .map(|f| {
            let path = f.path().split('?').next().unwrap_or_default().to_owned();
            (f.method().to_string(), path)
        })
        .filter(|(_, p)| p.starts_with("/api/"))
        .collect();
    rotte.extend(
        super::export::PERCORSI
            .iter()
            .chain([&PERCORSO])
            .map(|p| ("GET".to_owned(), (*p).to_owned())),
    );
    rotte.sort();
    rotte.dedup();
    rotte
}

/// `GET /api/v1/openapi.json`.
pub async fn servi() -> axum::response::Response {
    use axum::response::IntoResponse;
    static DOC: std::sync::OnceLock<Value> = std::sync::OnceLock::new();
    axum::Json(DOC.get_or_init(documento).clone()).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_operation_has_its_own_id_and_declares_each_path_parameter() {
        let doc = documento();
        let mut id = std::collections::HashSet::new();
        for (percorso, voce) in doc["paths"].as_object().unwrap() {
            for (metodo, o) in voce.as_object().unwrap() {
                let nome = o["operationId"].as_str().unwrap().to_owned();
                assert!(id.insert(nome.clone()), "operationId ripetuto: {nome}");
                let nel_percorso: Vec<&str> = o["parameters"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter(|p| p["in"] == "path")
                    .map(|p| p["name"].as_str().unwrap())
                    .collect();
                assert_eq!(
                    nel_percorso,
                    parametri_di_percorso(percorso),
                    "{metodo} {percorso}"
                );
            }
        }
        assert!(id.len() > 60, "{} operazioni", id.len());
    }
}
