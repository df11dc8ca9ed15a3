//! The builder of the OpenAPI document: one line per operation ([`Op`]), the schemas of
//! bodies and answers derived from the endpoints' own types with `schemars`.

use schemars::generate::{SchemaGenerator, SchemaSettings};
use schemars::JsonSchema;
use serde_json::{json, Map, Value};

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
pub(super) struct Documento {
    richieste: SchemaGenerator,
    risposte: SchemaGenerator,
    pub(super) percorsi: Map<String, Value>,
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
    pub(super) fn new() -> Self {
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

    /// An operation on `percorso`, then declared by the builder's calls (who may call it,
    /// its body and query) and added by its answer.
    pub(super) fn get(&mut self, percorso: &str, id: &str, sintesi: &str) -> Op<'_> {
        Op::new(self, "get", percorso, id, sintesi)
    }

    pub(super) fn post(&mut self, percorso: &str, id: &str, sintesi: &str) -> Op<'_> {
        Op::new(self, "post", percorso, id, sintesi)
    }

    pub(super) fn put(&mut self, percorso: &str, id: &str, sintesi: &str) -> Op<'_> {
        Op::new(self, "put", percorso, id, sintesi)
    }

    /// Adds the operation `o` answering `risposta`.
    fn aggiungi(&mut self, o: Dichiarata, risposta: Risposta) {
        let Dichiarata {
            metodo,
            percorso,
            id,
            sintesi,
            accesso,
            corpo,
            query,
        } = o;
        let percorso = percorso.as_str();
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
        voce[metodo] = o;
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

/// What an operation being declared says so far.
struct Dichiarata {
    metodo: &'static str,
    percorso: String,
    id: String,
    sintesi: String,
    accesso: Accesso,
    corpo: Option<Vec<Campo>>,
    query: Vec<Value>,
}

/// An operation being declared, one line per operation: `d.get(path, id, summary)`, then
/// `.pubblico()` / `.regione()` / `.amministratore()` (a signed-in user otherwise), the body's
/// fields (`.campo::<T>(name)`, `.facoltativo::<T>(name)`), the query (`.query::<T>()`,
/// `.parametro(…)`), and last its answer (`.json::<T>()`, `.file(type)`, `.schema(…)`,
/// `.vuota()`), which adds it to the document.
#[must_use = "an operation is added to the document by its answer"]
pub(super) struct Op<'d> {
    d: &'d mut Documento,
    o: Dichiarata,
}

impl<'d> Op<'d> {
    fn new(
        d: &'d mut Documento,
        metodo: &'static str,
        percorso: &str,
        id: &str,
        sintesi: &str,
    ) -> Self {
        Op {
            d,
            o: Dichiarata {
                metodo,
                percorso: percorso.to_owned(),
                id: id.to_owned(),
                sintesi: sintesi.to_owned(),
                accesso: Accesso::Sessione,
                corpo: None,
                query: Vec::new(),
            },
        }
    }

    /// Anyone may call it, with no session.
    pub(super) fn pubblico(mut self) -> Self {
        self.o.accesso = Accesso::Pubblico;
        self
    }

    /// Regional officials and administrators only.
    pub(super) fn regione(mut self) -> Self {
        self.o.accesso = Accesso::Regione;
        self
    }

    /// Administrators only.
    pub(super) fn amministratore(mut self) -> Self {
        self.o.accesso = Accesso::Amministratore;
        self
    }

    /// A required field of the JSON body.
    pub(super) fn campo<T: JsonSchema>(mut self, nome: &'static str) -> Self {
        let c = self.d.campo::<T>(nome);
        self.o.corpo.get_or_insert_with(Vec::new).push(c);
        self
    }

    /// An optional field of the JSON body.
    pub(super) fn facoltativo<T: JsonSchema>(mut self, nome: &'static str) -> Self {
        let c = self.d.facoltativo::<T>(nome);
        self.o.corpo.get_or_insert_with(Vec::new).push(c);
        self
    }

    /// Query parameters, one per property of `T`.
    pub(super) fn query<T: JsonSchema>(mut self) -> Self {
        let q = self.d.query::<T>();
        self.o.query.extend(q);
        self
    }

    /// One query parameter, as written.
    pub(super) fn parametro(mut self, p: Value) -> Self {
        self.o.query.push(p);
        self
    }

    /// It answers JSON of type `T`.
    pub(super) fn json<T: JsonSchema>(self) {
        let r = self.d.json::<T>();
        self.d.aggiungi(self.o, r);
    }

    /// It answers a file of media type `tipo`.
    pub(super) fn file(self, tipo: &'static str) {
        self.d.aggiungi(self.o, Risposta::File(tipo));
    }

    /// It answers JSON of this schema.
    pub(super) fn schema(self, schema: Value) {
        self.d.aggiungi(self.o, Risposta::Json(schema));
    }

    /// It answers an empty JSON object.
    pub(super) fn vuota(self) {
        self.schema(json!({}));
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builder_writes_who_may_call_the_body_the_query_and_the_answer() {
        let mut d = Documento::new();
        d.post("/api/v1/prova/{id}", "prova", "Una prova")
            .regione()
            .campo::<u64>("versione")
            .facoltativo::<String>("chiave")
            .parametro(json!({ "name": "foglio", "in": "query", "required": false }))
            .json::<Vec<String>>();
        d.get("/api/v1/aperta", "aperta", "Per tutti")
            .pubblico()
            .file("text/csv");
        let p = &d.percorsi["/api/v1/prova/{id}"]["post"];
        assert_eq!(p["operationId"], "prova");
        assert_eq!(p["security"], json!([{ "sessione": [] }]));
        assert_eq!(
            p["description"],
            "Solo funzionari regionali e amministratori."
        );
        let corpo = &p["requestBody"]["content"]["application/json"]["schema"];
        assert_eq!(corpo["required"], json!(["versione"]));
        assert!(corpo["properties"]["chiave"].is_object());
        let nomi: Vec<&str> = p["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x["name"].as_str().unwrap())
            .collect();
        assert_eq!(nomi, ["id", "foglio"]);
        let ok = &p["responses"]["200"]["content"]["application/json"]["schema"];
        assert_eq!(ok["type"], "array");
        let aperta = &d.percorsi["/api/v1/aperta"]["get"];
        assert_eq!(aperta["security"], json!([]));
        assert!(aperta.get("requestBody").is_none());
        assert!(aperta["responses"]["200"]["content"]["text/csv"].is_object());
    }
}
