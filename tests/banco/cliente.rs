//! The HTTP client of the harnesses: one keep-alive connection pool shared by every simulated
//! official, each with its own session cookie; every call timed.

use anyhow::Context;
use serde_json::{json, Value};
use shared::routes::SESSION_COOKIE;
use std::time::{Duration, Instant};

/// An answer: status, JSON body (null when not JSON) and the time from sending to the
/// whole body read.
#[derive(Debug, Clone)]
pub struct Risposta {
    /// HTTP status.
    pub status: u16,
    /// The body as JSON.
    pub corpo: Value,
    /// Round-trip time.
    pub durata: Duration,
}

impl Risposta {
    /// Whether the status is 2xx.
    pub fn ok(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

/// A client of one server.
#[derive(Clone)]
pub struct Cliente {
    http: reqwest::Client,
    /// `http://127.0.0.1:PORT`.
    pub base: String,
}

/// A fresh idempotency key (as the app's queue sends with every write).
pub fn nuova_chiave() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

impl Cliente {
    /// A client keeping up to `connessioni` idle connections to `base`.
    pub fn nuovo(base: &str, connessioni: usize) -> anyhow::Result<Self> {
        let http = reqwest::Client::builder()
            .pool_max_idle_per_host(connessioni)
            .timeout(Duration::from_secs(120))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .context("client http")?;
        Ok(Self {
            http,
            base: base.to_owned(),
        })
    }

    async fn invia(&self, req: reqwest::RequestBuilder) -> reqwest::Result<Risposta> {
        let t0 = Instant::now();
        let res = req.send().await?;
        let status = res.status().as_u16();
        let testo = res.bytes().await?;
        Ok(Risposta {
            status,
            corpo: serde_json::from_slice(&testo).unwrap_or(Value::Null),
            durata: t0.elapsed(),
        })
    }

    /// `POST /api/v1/auth/login`: the answer and the session cookie (`name=value`).
    pub async fn accedi(
        &self,
        username: &str,
        password: &str,
    ) -> reqwest::Result<(Risposta, Option<String>)> {
        let t0 = Instant::now();
        let res = self
            .http
            .post(format!("{}{}", self.base, shared::routes::LOGIN))
            .json(&json!({ "username": username, "password": password }))
            .send()
            .await?;
        let status = res.status().as_u16();
        let cookie = res
            .headers()
            .get_all(reqwest::header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .filter_map(|v| v.split(';').next())
            .find(|v| v.starts_with(&format!("{SESSION_COOKIE}=")))
            .map(str::to_owned);
        let testo = res.bytes().await?;
        let r = Risposta {
            status,
            corpo: serde_json::from_slice(&testo).unwrap_or(Value::Null),
            durata: t0.elapsed(),
        };
        Ok((r, cookie))
    }

    fn percorso_scheda(&self, campagna: &str, comune: &str) -> String {
        format!(
            "{}/api/v1/campagne/{campagna}/comuni/{comune}/scheda",
            self.base
        )
    }

    /// `GET …/scheda`: the comune's form.
    pub async fn scheda(
        &self,
        cookie: &str,
        campagna: &str,
        comune: &str,
    ) -> reqwest::Result<Risposta> {
        let req = self
            .http
            .get(self.percorso_scheda(campagna, comune))
            .header(reqwest::header::COOKIE, cookie);
        self.invia(req).await
    }

    /// `PUT …/scheda`: saves the draft made on `versione`.
    pub async fn salva(
        &self,
        cookie: &str,
        (campagna, comune): (&str, &str),
        versione: u64,
        dati: &Value,
        chiave: &str,
    ) -> reqwest::Result<Risposta> {
        let req = self
            .http
            .put(self.percorso_scheda(campagna, comune))
            .header(reqwest::header::COOKIE, cookie)
            .json(&json!({ "versione": versione, "dati": dati, "chiave": chiave }));
        self.invia(req).await
    }

    /// `POST …/scheda/invio`: sends the saved form; the receipt.
    pub async fn invia_scheda(
        &self,
        cookie: &str,
        (campagna, comune): (&str, &str),
        chiave: &str,
    ) -> reqwest::Result<Risposta> {
        let req = self
            .http
            .post(format!("{}/invio", self.percorso_scheda(campagna, comune)))
            .header(reqwest::header::COOKIE, cookie)
            .json(&json!({ "chiave": chiave }));
        self.invia(req).await
    }
}

/// The age band (index of `shared::frequentanti::FASCE`) a service first admits.
fn prima_fascia(servizio: &Value) -> usize {
    let min = servizio["eta_min_mesi"].as_u64().unwrap_or(0);
    let max = servizio["eta_max_mesi"].as_u64().unwrap_or(72);
    shared::frequentanti::FASCE
        .iter()
        .position(|(da, a, _)| u64::from(*da) < max && u64::from(*a) > min)
        .unwrap_or(0)
}

/// A valid draft of the "frequentanti" form for the form's operating `servizi` (as `GET
/// …/scheda` lists them): its `n`-th save by `firma`, recognisable by its justification.
pub fn dati_scheda(servizi: &Value, n: usize, firma: &str) -> Value {
    let righe: Vec<Value> = servizi
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let mut conteggi = vec!["0".to_owned(); shared::frequentanti::FASCE.len()];
            let posti = s["posti_autorizzati"].as_u64().unwrap_or(1).max(1);
            conteggi[prima_fascia(s)] = (1 + (n + i) as u64 % posti).to_string();
            json!({
                "servizio": s["id"],
                "iscritti": conteggi,
                "frequentanti": conteggi,
                "disabili": "0",
                "posti_disponibili": ((n + i) % 7).to_string(),
            })
        })
        .collect();
    json!({
        "righe": righe,
        "giustificazione": format!("Salvataggio {n} di {firma}: dati aggiornati dal comune"),
    })
}
