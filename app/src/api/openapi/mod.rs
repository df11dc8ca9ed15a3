//! The OpenAPI 3 document of the public HTTP API, served at `GET /api/v1/openapi.json`.
//!
//! Every operation is declared here once, with the schemas of its body and answer derived from
//! the very types the endpoints take and return (`schemars`, following the serde attributes).
//! A test compares this document with the routes the server registers: a route missing here,
//! or an operation here that the server does not answer, fails it.

mod account;

use schemars::generate::{SchemaGenerator, SchemaSettings};
use schemars::JsonSchema;
use serde_json::{json, Map, Value};
use shared::auth::UtenteCorrente;
use shared::campagna as cr;
use shared::comune::{Comune, ComuneRef};
use shared::fondi::{Assegnato, RiepilogoRiparto, RigaRiparto};
use shared::servizio::regole::ServizioForm;
use shared::servizio::{FiltroServizi, PaginaServizi, ServizioRiga, ServizioScheda, StoriaVoce};

/// Where the document is served.
pub const PERCORSO: &str = "/api/v1/openapi.json";

/// Who may call an operation (what the document says; the services decide).
#[derive(Clone, Copy)]
enum Accesso {
    /// Anyone, no session.
    Pubblico,
    /// A signed-in user; comune roles only for their own comune.
    Sessione,
    /// Regional officials and administrators.
    Regione,
    /// Administrators only.
    Amministratore,
}

/// What an operation answers on success.
enum Risposta {
    /// JSON of this schema.
    Json(Value),
    /// A file of this media type.
    File(&'static str),
}

/// The document being built: one generator for what clients send (deserialization contract)
/// and one for what the server answers (serialization contract), both inlining subschemas so
/// each operation is self-contained.
struct Documento {
    richieste: SchemaGenerator,
    risposte: SchemaGenerator,
    percorsi: Map<String, Value>,
}

fn generatore(serializza: bool) -> SchemaGenerator {
    let s = SchemaSettings::openapi3().with(|s| s.inline_subschemas = true);
    let s = if serializza {
        s.for_serialize()
    } else {
        s.for_deserialize()
    };
    s.into_generator()
}

/// A field of a JSON body: name, schema, required.
type Campo = (&'static str, Value, bool);

impl Documento {
    fn new() -> Self {
        Self {
            richieste: generatore(false),
            risposte: generatore(true),
            percorsi: Map::new(),
        }
    }

    /// The schema of a value clients send.
    fn dato<T: JsonSchema>(&mut self) -> Value {
        senza_meta(self.richieste.root_schema_for::<T>().to_value())
    }

    /// A required body field.
    fn campo<T: JsonSchema>(&mut self, nome: &'static str) -> Campo {
        (nome, self.dato::<T>(), true)
    }

    /// An optional body field.
    fn facoltativo<T: JsonSchema>(&mut self, nome: &'static str) -> Campo {
        (nome, self.dato::<T>(), false)
    }

    /// A JSON answer of type `T`.
    fn json<T: JsonSchema>(&mut self) -> Risposta {
        Risposta::Json(senza_meta(self.risposte.root_schema_for::<T>().to_value()))
    }

    /// Declares one operation.
    #[allow(clippy::too_many_arguments)]
    fn op(
        &mut self,
        metodo: &str,
        percorso: &str,
        id: &str,
        sintesi: &str,
        accesso: Accesso,
        corpo: Option<Vec<Campo>>,
        query: Vec<Value>,
        risposta: Risposta,
    ) {
        let mut parametri: Vec<Value> = parametri_di_percorso(percorso)
            .into_iter()
            .map(|nome| {
                json!({ "name": nome, "in": "path", "required": true,
                        "schema": { "type": "string", "maxLength": 200 } })
            })
            .collect();
        parametri.extend(query);
        let ok = match risposta {
            Risposta::Json(schema) => json!({
                "description": "Esito",
                "content": { "application/json": { "schema": schema } }
            }),
            Risposta::File(tipo) => json!({
                "description": "Il file",
                "content": { tipo: { "schema": { "type": "string", "format": "binary" } } }
            }),
        };
        let errore = self.errore();
        let mut o = json!({
            "operationId": id,
            "summary": sintesi,
            "tags": [percorso.split('/').nth(3).unwrap_or("api").trim_end_matches(".csv").trim_end_matches(".xlsx")],
            "parameters": parametri,
            "responses": { "200": ok, "default": errore },
            "security": match accesso {
                Accesso::Pubblico => json!([]),
                Accesso::Sessione | Accesso::Regione | Accesso::Amministratore => {
                    json!([{ "sessione": [] }])
                }
            },
        });
        match accesso {
            Accesso::Regione => {
                o["description"] = json!("Solo funzionari regionali e amministratori.");
            }
            Accesso::Amministratore => o["description"] = json!("Solo amministratori."),
            _ => {}
        }
        if let Some(campi) = corpo {
            let mut proprieta = Map::new();
            let mut obbligatori = Vec::new();
            for (nome, schema, obbligatorio) in campi {
                proprieta.insert(nome.to_owned(), schema);
                if obbligatorio {
                    obbligatori.push(json!(nome));
                }
            }
            let mut schema = json!({ "type": "object", "properties": proprieta });
            if !obbligatori.is_empty() {
                schema["required"] = Value::Array(obbligatori);
            }
            o["requestBody"] = json!({
                "required": true,
                "content": { "application/json": { "schema": schema } }
            });
        }
        let voce = self
            .percorsi
            .entry(percorso.to_owned())
            .or_insert_with(|| json!({}));
        voce[metodo.to_ascii_lowercase()] = o;
    }

    /// Every error: Dioxus's envelope around ours.
    fn errore(&mut self) -> Value {
        let data = senza_meta(
            self.risposte
                .root_schema_for::<shared::ApiError>()
                .to_value(),
        );
        json!({
            "description": "Errore, con il messaggio in italiano",
            "content": { "application/json": { "schema": {
                "type": "object",
                "required": ["message", "code", "data"],
                "properties": {
                    "message": { "type": "string" },
                    "code": { "type": "integer" },
                    "data": data,
                }
            } } }
        })
    }

    /// Query parameters, one per property of `T`'s schema, all optional.
    fn query<T: JsonSchema>(&mut self) -> Vec<Value> {
        let schema = self.dato::<T>();
        schema["properties"]
            .as_object()
            .map(|p| {
                p.iter()
                    .map(|(nome, s)| {
                        let mut s = s.clone();
                        // Query values are single values: drop `nullable`.
                        if let Some(o) = s.as_object_mut() {
                            o.remove("nullable");
                        }
                        json!({ "name": nome, "in": "query", "required": false, "schema": s })
                    })
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// A schema without the `$schema` keyword (not allowed inside an OpenAPI document).
fn senza_meta(mut v: Value) -> Value {
    if let Some(o) = v.as_object_mut() {
        o.remove("$schema");
    }
    v
}

/// The `{name}` parameters of a path template.
pub fn parametri_di_percorso(percorso: &str) -> Vec<&str> {
    percorso
        .split('/')
        .filter_map(|p| p.strip_prefix('{'))
        .filter_map(|p| p.split('}').next())
        .collect()
}

/// The whole document.
pub fn documento() -> Value {
    use Accesso::{Pubblico, Regione, Sessione};
    let mut d = Documento::new();

    // Service and session.
    let r = d.json::<shared::health::Health>();
    d.op(
        "GET",
        "/api/v1/health",
        "salute",
        "Stato del servizio e del database",
        Pubblico,
        None,
        vec![],
        r,
    );
    let r = d.json::<super::health::ConfigPubblica>();
    d.op(
        "GET",
        "/api/v1/config/pubblica",
        "config_pubblica",
        "Impostazioni pubbliche dell'installazione",
        Pubblico,
        None,
        vec![],
        r,
    );
    d.op(
        "GET",
        PERCORSO,
        "openapi",
        "Questo documento",
        Pubblico,
        None,
        vec![],
        Risposta::Json(json!({ "type": "object" })),
    );
    let corpo = vec![d.campo::<String>("username"), d.campo::<String>("password")];
    let r = d.json::<UtenteCorrente>();
    d.op(
        "POST",
        shared::routes::LOGIN,
        "accesso",
        "Accesso con nome utente e password; imposta il cookie di sessione",
        Pubblico,
        Some(corpo),
        vec![],
        r,
    );
    d.op(
        "POST",
        shared::routes::LOGOUT,
        "uscita",
        "Chiude la sessione",
        Pubblico,
        None,
        vec![],
        Risposta::Json(json!({})),
    );
    let r = d.json::<UtenteCorrente>();
    d.op(
        "GET",
        shared::routes::ME,
        "utente_corrente",
        "L'utente della sessione",
        Sessione,
        None,
        vec![],
        r,
    );

    // Comuni.
    let r = d.json::<Vec<ComuneRef>>();
    d.op(
        "GET",
        "/api/v1/comuni",
        "comuni",
        "I comuni della Regione",
        Sessione,
        None,
        vec![],
        r,
    );
    let r = d.json::<Comune>();
    d.op(
        "GET",
        "/api/v1/comuni/{codice}",
        "comune",
        "Un comune (codice ISTAT)",
        Sessione,
        None,
        vec![],
        r,
    );

    // Registry of services.
    let r = d.json::<Vec<ServizioRiga>>();
    d.op(
        "GET",
        "/api/v1/comuni/{codice}/servizi",
        "servizi_del_comune",
        "I servizi di un comune",
        Sessione,
        None,
        vec![],
        r,
    );
    let corpo = vec![
        d.campo::<ServizioForm>("servizio"),
        d.facoltativo::<String>("chiave"),
    ];
    let r = d.json::<ServizioScheda>();
    d.op(
        "POST",
        "/api/v1/comuni/{codice}/servizi",
        "crea_servizio",
        "Registra un servizio; `chiave` rende ripetibile la richiesta",
        Sessione,
        Some(corpo),
        vec![],
        r,
    );
    let r = d.json::<ServizioScheda>();
    d.op(
        "GET",
        "/api/v1/servizi/{id}",
        "servizio",
        "Un servizio",
        Sessione,
        None,
        vec![],
        r,
    );
    let corpo = vec![
        d.campo::<u64>("versione"),
        d.campo::<ServizioForm>("servizio"),
        d.facoltativo::<String>("chiave"),
    ];
    let r = d.json::<ServizioScheda>();
    d.op(
        "PUT",
        "/api/v1/servizi/{id}",
        "aggiorna_servizio",
        "Salva una modifica (409 se la versione non è l'ultima)",
        Sessione,
        Some(corpo),
        vec![],
        r,
    );
    let r = d.json::<Vec<StoriaVoce>>();
    d.op(
        "GET",
        "/api/v1/servizi/{id}/storia",
        "storia_servizio",
        "Chi ha cambiato cosa e quando",
        Sessione,
        None,
        vec![],
        r,
    );
    let q = d.query::<FiltroServizi>();
    let r = d.json::<PaginaServizi>();
    d.op(
        "GET",
        shared::routes::SERVIZI,
        "cerca_servizi",
        "Servizi filtrati e paginati",
        Sessione,
        None,
        q,
        r,
    );
    let q = d.query::<FiltroServizi>();
    d.op(
        "GET",
        shared::routes::SERVIZI_CSV,
        "servizi_csv",
        "Servizi filtrati, in CSV",
        Sessione,
        None,
        q,
        Risposta::File("text/csv"),
    );
    let q = d.query::<FiltroServizi>();
    d.op(
        "GET",
        shared::routes::SERVIZI_XLSX,
        "servizi_xlsx",
        "Servizi filtrati, in XLSX",
        Sessione,
        None,
        q,
        Risposta::File(XLSX),
    );

    // Campaigns.
    let r = d.json::<Vec<cr::Campagna>>();
    d.op(
        "GET",
        "/api/v1/campagne",
        "campagne",
        "Le campagne visibili all'utente",
        Sessione,
        None,
        vec![],
        r,
    );
    let corpo = vec![d.campo::<cr::CampagnaForm>("campagna")];
    let r = d.json::<cr::Campagna>();
    d.op(
        "POST",
        "/api/v1/campagne",
        "crea_campagna",
        "Crea una campagna in bozza",
        Regione,
        Some(corpo),
        vec![],
        r,
    );
    let r = d.json::<cr::Campagna>();
    d.op(
        "GET",
        "/api/v1/campagne/{id}",
        "campagna",
        "Una campagna",
        Sessione,
        None,
        vec![],
        r,
    );
    let corpo = vec![d.campo::<cr::CampagnaForm>("campagna")];
    let r = d.json::<cr::Campagna>();
    d.op(
        "PUT",
        "/api/v1/campagne/{id}",
        "aggiorna_campagna",
        "Modifica una campagna in bozza",
        Regione,
        Some(corpo),
        vec![],
        r,
    );
    let q = d.query::<cr::FiltroDaFare>();
    let r = d.json::<Vec<cr::DaFare>>();
    d.op(
        "GET",
        "/api/v1/da-fare",
        "da_fare",
        "Le schede da compilare del comune (con `chiuse=true` anche le rilevazioni chiuse)",
        Sessione,
        None,
        q,
        r,
    );
    let r = d.json::<cr::Campagna>();
    d.op(
        "POST",
        "/api/v1/campagne/{id}/pubblica",
        "pubblica_campagna",
        "Pubblica una campagna in bozza",
        Regione,
        None,
        vec![],
        r,
    );
    let corpo = vec![d.campo::<String>("chiusura"), d.campo::<String>("motivo")];
    let r = d.json::<super::campagne::ProrogaConcessa>();
    d.op(
        "POST",
        "/api/v1/campagne/{id}/proroghe",
        "proroga_campagna",
        "Proroga la chiusura per tutti i comuni",
        Regione,
        Some(corpo),
        vec![],
        r,
    );
    let r = d.json::<Vec<cr::SchedaRiga>>();
    d.op(
        "GET",
        "/api/v1/campagne/{id}/schede",
        "schede",
        "Lo stato delle schede di ogni comune",
        Regione,
        None,
        vec![],
        r,
    );
    let q = vec![json!({ "name": "foglio", "in": "query", "required": false,
        "schema": { "type": "string", "enum": ["comuni", "interventi", "province"] } })];
    d.op(
        "GET",
        super::export::ESPORTAZIONE_CSV,
        "esportazione_csv",
        "Un foglio dell'esportazione, in CSV",
        Regione,
        None,
        q,
        Risposta::File("text/csv"),
    );
    d.op(
        "GET",
        super::export::ESPORTAZIONE_XLSX,
        "esportazione_xlsx",
        "L'esportazione di una campagna sui fondi",
        Regione,
        None,
        vec![],
        Risposta::File(XLSX),
    );

    // A comune's form.
    const SCHEDA: &str = "/api/v1/campagne/{id}/comuni/{codice}/scheda";
    let r = d.json::<cr::Scheda>();
    d.op(
        "GET",
        SCHEDA,
        "scheda",
        "La scheda del comune: stato, blocco, scadenza",
        Sessione,
        None,
        vec![],
        r,
    );
    let corpo = vec![
        d.campo::<u64>("versione"),
        d.campo::<Value>("dati"),
        d.facoltativo::<String>("chiave"),
    ];
    let r = d.json::<cr::Scheda>();
    d.op(
        "PUT",
        SCHEDA,
        "salva_scheda",
        "Salva la bozza (409 se cambiata dopo la versione, o se non compilabile)",
        Sessione,
        Some(corpo),
        vec![],
        r,
    );
    let corpo = vec![d.facoltativo::<String>("chiave")];
    let r = d.json::<cr::Ricevuta>();
    d.op(
        "POST",
        &format!("{SCHEDA}/invio"),
        "invia_scheda",
        "Invia la scheda e ne rilascia la ricevuta",
        Sessione,
        Some(corpo),
        vec![],
        r,
    );
    let corpo = vec![d.campo::<Vec<cr::VoceDichiarazione>>("voci")];
    let r = d.json::<cr::Scheda>();
    d.op(
        "POST",
        &format!("{SCHEDA}/dichiarazione"),
        "dichiara",
        "Dichiarazione preliminare dei servizi cessati o sospesi",
        Sessione,
        Some(corpo),
        vec![],
        r,
    );
    let corpo = vec![
        d.campo::<String>("servizio"),
        d.campo::<String>("indirizzo"),
        d.campo::<String>("titolare"),
        d.campo::<String>("motivo"),
    ];
    let r = d.json::<cr::Scheda>();
    d.op(
        "POST",
        &format!("{SCHEDA}/segnalazioni"),
        "segnala_servizi",
        "Segnala servizi non raggiunti dai fondi",
        Sessione,
        Some(corpo),
        vec![],
        r,
    );
    d.op(
        "GET",
        super::export::RICEVUTA_PDF,
        "ricevuta",
        "La ricevuta dell'invio, in PDF",
        Sessione,
        None,
        vec![],
        Risposta::File("application/pdf"),
    );
    for (azione, id, sintesi) in [
        (
            "blocco",
            "blocca_scheda",
            "Blocca la scheda fino al controllo della Regione",
        ),
        ("sblocco", "sblocca_scheda", "Sblocca la scheda"),
        ("riapertura", "riapri_scheda", "Riapre una scheda inviata"),
    ] {
        let corpo = vec![d.campo::<String>("motivo")];
        let r = d.json::<cr::Scheda>();
        d.op(
            "POST",
            &format!("{SCHEDA}/{azione}"),
            id,
            sintesi,
            Regione,
            Some(corpo),
            vec![],
            r,
        );
    }
    let corpo = vec![d.campo::<String>("chiusura"), d.campo::<String>("motivo")];
    let r = d.json::<cr::Scheda>();
    d.op(
        "POST",
        &format!("{SCHEDA}/proroga"),
        "proroga_scheda",
        "Una scadenza propria per il comune",
        Regione,
        Some(corpo),
        vec![],
        r,
    );
    let r = d.json::<cr::Scheda>();
    d.op(
        "POST",
        &format!("{SCHEDA}/accettazione"),
        "accetta_scheda",
        "Accetta la scheda inviata (definitivo)",
        Regione,
        None,
        vec![],
        r,
    );
    let corpo = vec![d.campo::<Vec<cr::Commento>>("commenti")];
    let r = d.json::<cr::Scheda>();
    d.op(
        "POST",
        &format!("{SCHEDA}/restituzione"),
        "restituisci_scheda",
        "Restituisce la scheda con commenti sui campi",
        Regione,
        Some(corpo),
        vec![],
        r,
    );

    // Funds.
    let r = d.json::<Vec<RigaRiparto>>();
    d.op(
        "GET",
        "/api/v1/riparti/{annualita}",
        "riparto",
        "Il riparto dell'annualità, per comune",
        Regione,
        None,
        vec![],
        r,
    );
    let corpo = vec![d.campo::<String>("csv")];
    let r = d.json::<RiepilogoRiparto>();
    d.op(
        "PUT",
        "/api/v1/riparti/{annualita}/{fonte}",
        "importa_riparto",
        "Sostituisce il riparto di una fonte con un CSV (tutto o niente)",
        Regione,
        Some(corpo),
        vec![],
        r,
    );
    let r = d.json::<Assegnato>();
    d.op(
        "GET",
        "/api/v1/riparti/{annualita}/comuni/{codice}",
        "assegnato",
        "Gli importi assegnati a un comune",
        Sessione,
        None,
        vec![],
        r,
    );

    let corpo = vec![d.campo::<shared::sito::ImpostazioniSito>("impostazioni")];
    let r = d.json::<shared::sito::ImpostazioniSito>();
    d.op(
        "PUT",
        "/api/v1/sito",
        "salva_sito",
        "Sostituisce le impostazioni del sito: piè di pagina, note legali, dichiarazione di accessibilità",
        Regione,
        Some(corpo),
        vec![],
        r,
    );

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
