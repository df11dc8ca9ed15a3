//! Deadline surge: the app's server (`server-prova`, same profile) on the durable on-disk
//! engine, many officials logging in, loading their form, saving drafts (re-reading on a
//! version conflict) and sending; then the same drafts written straight into SurrealDB (same
//! engine and sync setting, same concurrency, no HTTP, no sessions, no rules) as the limit.
//!
//! `cargo run --release -p tests --bin banco-scadenza -- --comuni 100 --concorrenza 64`
//! Figures on stdout; the markdown section also in the file named by `BENCH_MD`, if set.

use anyhow::Context;
use clap::Parser;
use serde_json::Value;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tests::banco::cliente::{dati_scheda, nuova_chiave, Cliente};
use tests::banco::misure::{esito, ms, scrivi_bench_md, sintesi, Registro, Sintesi};
use tests::banco::seme::{semina, Semina, PASSWORD};
use tests::banco::server::{endpoint_surrealkv, eseguibile_accanto, Avvio, ServerFiglio};
use tokio::sync::Semaphore;

#[derive(Parser, Debug, Clone)]
#[command(
    name = "banco-scadenza",
    about = "Picco di salvataggi e invii alla scadenza"
)]
struct Opzioni {
    /// Comuni ammessi alla rilevazione (i primi della Regione nell'elenco ISTAT).
    #[arg(long, default_value_t = 100)]
    comuni: usize,
    /// Operatori per comune (da 1 a 3), tutti al lavoro sulla stessa scheda.
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u8).range(1..=3))]
    utenti_per_comune: u8,
    /// Salvataggi della bozza per operatore.
    #[arg(long, default_value_t = 5)]
    salvataggi: usize,
    /// Richieste HTTP in corso al massimo (client concorrenti).
    #[arg(long, default_value_t = 64)]
    concorrenza: usize,
    /// Servizi nell'anagrafe di ogni comune (una riga della scheda ciascuno).
    #[arg(long, default_value_t = 3)]
    servizi_per_comune: usize,
    /// Regione servita (codice ISTAT): 01 Piemonte (1.180 comuni), 03 Lombardia (1.502).
    #[arg(long, default_value = "01")]
    regione: String,
    /// Impostazione `sync` di SurrealKV.
    #[arg(long, default_value = "every")]
    sync: String,
}

/// One signed-in official with the form as last read.
struct Sessione {
    username: String,
    comune: String,
    cookie: String,
    versione: u64,
    servizi: Value,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let o = Opzioni::parse();
    // `BANCO_CARTELLA` keeps the databases and the server's log for a look afterwards.
    let tmp = tempfile::tempdir()?;
    let tmp = std::env::var_os("BANCO_CARTELLA").map_or_else(|| tmp.path().to_owned(), Into::into);
    let public = tmp.join("public");
    std::fs::create_dir_all(&public)?;
    let endpoint = endpoint_surrealkv(&tmp.join("db"), &o.sync);
    println!(
        "Semina: {} comuni, {} operatori ciascuno…",
        o.comuni, o.utenti_per_comune
    );
    let seme = semina(&Semina {
        endpoint: endpoint.clone(),
        regione: o.regione.clone(),
        comuni: o.comuni,
        utenti_per_comune: usize::from(o.utenti_per_comune),
        servizi_per_comune: o.servizi_per_comune,
        campagne: 1,
    })
    .await?;
    let campagna = seme.campagne.first().context("campagna")?.clone();
    println!(
        "Semina fatta in {:.1} s: {} comuni su {} della Regione {}.",
        seme.durata.as_secs_f64(),
        seme.comuni.len(),
        seme.comuni_regione,
        o.regione
    );
    let server = ServerFiglio::avvia(
        &Avvio {
            eseguibile: eseguibile_accanto()?,
            endpoint,
            regione: o.regione.clone(),
            public,
            log: tmp.join("server.log"),
            ambiente: Vec::new(),
        },
        Duration::from_secs(300),
    )?;
    let cliente = Cliente::nuovo(&server.base, o.concorrenza)?;
    server
        .attendi_salute(&reqwest::Client::new(), Duration::from_secs(60))
        .await?;
    println!(
        "Server pronto in {:.2} s su {}.",
        server.avvio.as_secs_f64(),
        server.base
    );
    let registro = Arc::new(Registro::default());
    let permessi = Arc::new(Semaphore::new(o.concorrenza));

    // 1. Every official logs in and loads the form.
    let t0 = Instant::now();
    let mut lavori = tokio::task::JoinSet::new();
    for c in &seme.comuni {
        for u in &c.utenti {
            let (cliente, registro, permessi) =
                (cliente.clone(), registro.clone(), permessi.clone());
            let (username, comune, campagna) = (u.clone(), c.codice.clone(), campagna.clone());
            lavori.spawn(async move {
                let (r, cookie) = {
                    let _p = permessi.acquire().await.ok()?;
                    match cliente.accedi(&username, PASSWORD).await {
                        Ok(x) => x,
                        Err(_) => {
                            registro.senza_risposta("accesso");
                            return None;
                        }
                    }
                };
                registro.segna("accesso", r.status, r.durata);
                let cookie = cookie.filter(|_| r.ok())?;
                let s = leggi(&cliente, &registro, &permessi, &cookie, &campagna, &comune).await?;
                Some(Sessione {
                    username,
                    comune,
                    cookie,
                    versione: s["versione"].as_u64().unwrap_or(0),
                    servizi: s["servizi"].clone(),
                })
            });
        }
    }
    let mut sessioni = Vec::new();
    while let Some(s) = lavori.join_next().await {
        sessioni.extend(s?);
    }
    let fase_accesso = t0.elapsed();

    // 2. Every official saves K drafts; officials of one comune race on its version.
    let conflitti = Arc::new(AtomicU64::new(0));
    let t0 = Instant::now();
    let mut lavori = tokio::task::JoinSet::new();
    for s in sessioni.iter() {
        let (cliente, registro, permessi, conflitti) = (
            cliente.clone(),
            registro.clone(),
            permessi.clone(),
            conflitti.clone(),
        );
        let (username, comune, cookie, campagna) = (
            s.username.clone(),
            s.comune.clone(),
            s.cookie.clone(),
            campagna.clone(),
        );
        let (mut versione, servizi, k) = (s.versione, s.servizi.clone(), o.salvataggi);
        lavori.spawn(async move {
            let mut salvati = Vec::new();
            let mut n = 0;
            let mut tentativi = 0;
            while n < k && tentativi < 1000 {
                tentativi += 1;
                let dati = dati_scheda(&servizi, n, &username);
                let r = {
                    let _p = permessi.acquire().await.ok()?;
                    cliente
                        .salva(
                            &cookie,
                            (&campagna, &comune),
                            versione,
                            &dati,
                            &nuova_chiave(),
                        )
                        .await
                };
                let Ok(r) = r else {
                    registro.senza_risposta("salvataggio");
                    break;
                };
                registro.segna("salvataggio", r.status, r.durata);
                if r.ok() {
                    versione = r.corpo["versione"].as_u64().unwrap_or(versione + 1);
                    salvati.push((comune.clone(), dati));
                    n += 1;
                } else if r.status == 409 {
                    conflitti.fetch_add(1, Ordering::Relaxed);
                    let s =
                        leggi(&cliente, &registro, &permessi, &cookie, &campagna, &comune).await?;
                    versione = s["versione"].as_u64().unwrap_or(versione);
                } else {
                    break;
                }
            }
            Some(salvati)
        });
    }
    let mut salvati = Vec::new();
    while let Some(s) = lavori.join_next().await {
        salvati.extend(s?.unwrap_or_default());
    }
    let fase_salvataggi = t0.elapsed();

    // 3. One official per comune sends.
    let t0 = Instant::now();
    let mut lavori = tokio::task::JoinSet::new();
    let mut mittenti = std::collections::HashSet::new();
    for s in sessioni
        .iter()
        .filter(|s| mittenti.insert(s.comune.clone()))
    {
        let (cliente, registro, permessi) = (cliente.clone(), registro.clone(), permessi.clone());
        let (comune, cookie, campagna) = (s.comune.clone(), s.cookie.clone(), campagna.clone());
        lavori.spawn(async move {
            let _p = permessi.acquire().await.ok()?;
            match cliente
                .invia_scheda(&cookie, (&campagna, &comune), &nuova_chiave())
                .await
            {
                Ok(r) => {
                    registro.segna("invio", r.status, r.durata);
                    r.ok().then_some(())
                }
                Err(_) => {
                    registro.senza_risposta("invio");
                    None
                }
            }
        });
    }
    let mut inviati = 0usize;
    while let Some(s) = lavori.join_next().await {
        inviati += usize::from(s?.is_some());
    }
    let fase_invii = t0.elapsed();
    let picco_rss = server.picco_rss_kib();
    server.uccidi()?;

    // The limit: the same drafts straight into SurrealDB.
    let grezzo = grezzo(
        &endpoint_surrealkv(&tmp.join("grezzo"), &o.sync),
        salvati.clone(),
        o.concorrenza,
    )
    .await?;

    let app_s = salvati.len() as f64 / fase_salvataggi.as_secs_f64();
    let grezzo_s = salvati.len() as f64 / grezzo.durata.as_secs_f64();
    let accessi = sessioni.len() as f64 / fase_accesso.as_secs_f64();
    let invii_s = inviati as f64 / fase_invii.as_secs_f64();
    let rapporto = app_s / grezzo_s;
    let sal = registro.sintesi("salvataggio");
    let nproc = std::thread::available_parallelism().map_or(0, |n| n.get());
    let mut md = String::new();
    md += "## Picco di scadenza (`banco-scadenza`)\n\n";
    md += &format!(
        "Opzioni: `--comuni {} --utenti-per-comune {} --salvataggi {} --concorrenza {} \
         --servizi-per-comune {} --regione {} --sync {}` ({} comuni seminati su {} della Regione; \
         {} core; server `server-prova` figlio, client nello stesso computer; SurrealKV `sync={}`).\n\n",
        o.comuni, o.utenti_per_comune, o.salvataggi, o.concorrenza, o.servizi_per_comune,
        o.regione, o.sync, seme.comuni.len(), seme.comuni_regione, nproc, o.sync
    );
    // The ratio first: absolute rates move with the machine's load, the ratio of the two
    // measured in the same run much less.
    md += &format!(
        "**Rapporto app/diretto: {rapporto:.2}** ({app_s:.1} salvataggi/s attraverso l'app contro \
         {grezzo_s:.1}/s scritti direttamente in SurrealDB, nello stesso giro).\n\n"
    );
    md += "| misura | valore |\n|---|---|\n";
    for (nome, valore) in [
        (
            "operatori (accessi riusciti)",
            format!("{}", sessioni.len()),
        ),
        (
            "accessi/s (fase 1: accesso e lettura della scheda)",
            format!("{accessi:.1}"),
        ),
        ("salvataggi riusciti", format!("{}", salvati.len())),
        (
            "conflitti di versione (409, riletti e ripetuti)",
            format!("{}", conflitti.load(Ordering::Relaxed)),
        ),
        ("salvataggi/s (app, HTTP)", format!("{app_s:.1}")),
        (
            "salvataggi/s (SurrealDB diretto, stessi dati)",
            format!("{grezzo_s:.1}"),
        ),
        ("rapporto app/diretto", format!("{rapporto:.2}")),
        ("invii riusciti", format!("{inviati}")),
        ("invii/s", format!("{invii_s:.1}")),
        (
            "picco RSS del server (VmHWM)",
            picco_rss.map_or("n.d.".into(), |k| format!("{:.1} MiB", k as f64 / 1024.0)),
        ),
    ] {
        md += &format!("| {nome} | {valore} |\n");
    }
    md += "\n| endpoint | richieste | p50 ms | p95 ms | p99 ms | max ms |\n|---|---|---|---|---|---|\n";
    for (nome, s) in [
        ("`POST /auth/login`", registro.sintesi("accesso")),
        ("`GET …/scheda`", registro.sintesi("scheda")),
        ("`PUT …/scheda`", sal),
        ("`POST …/scheda/invio`", registro.sintesi("invio")),
        ("UPSERT diretto in SurrealDB", grezzo.latenze),
    ] {
        md += &riga(nome, &s);
    }
    let errori = registro.errori();
    md += "\nRisposte non 2xx e richieste senza risposta: ";
    if errori.is_empty() {
        md += "nessuna.\n";
    } else {
        let v: Vec<String> = errori
            .iter()
            .map(|(e, s, n)| match s {
                Some(s) => format!("{e} {s}: {n}"),
                None => format!("{e} senza risposta: {n}"),
            })
            .collect();
        md += &format!(
            "{} (i 409 dei salvataggi sono i conflitti di versione).\n",
            v.join(", ")
        );
    }
    md += "\n| obiettivo | misurato | esito |\n|---|---|---|\n";
    md += &format!(
        "| ≥ 1.000 salvataggi/s | {app_s:.1} | {} |\n",
        esito(app_s >= 1000.0)
    );
    md += &format!(
        "| p99 del salvataggio ≤ 100 ms | {} ms | {} |\n",
        ms(sal.p99),
        esito(sal.p99 <= Duration::from_millis(100))
    );
    md += &format!(
        "| rapporto app/diretto ≥ 0,5 | {rapporto:.2} | {} |\n",
        esito(rapporto >= 0.5)
    );
    println!("\n{md}");
    if let Some(f) = scrivi_bench_md(&md)? {
        println!("Sezione markdown scritta in {f}.");
    }
    Ok(())
}

fn riga(nome: &str, s: &Sintesi) -> String {
    format!(
        "| {nome} | {} | {} | {} | {} | {} |\n",
        s.n,
        ms(s.p50),
        ms(s.p95),
        ms(s.p99),
        ms(s.max)
    )
}

/// `GET …/scheda` under a permit, recorded; the form when 2xx.
async fn leggi(
    cliente: &Cliente,
    registro: &Registro,
    permessi: &Semaphore,
    cookie: &str,
    campagna: &str,
    comune: &str,
) -> Option<Value> {
    let _p = permessi.acquire().await.ok()?;
    match cliente.scheda(cookie, campagna, comune).await {
        Ok(r) => {
            registro.segna("scheda", r.status, r.durata);
            r.ok().then_some(r.corpo)
        }
        Err(_) => {
            registro.senza_risposta("scheda");
            None
        }
    }
}

struct Grezzo {
    durata: Duration,
    latenze: Sintesi,
}

/// The same drafts, in the same order, written by `concorrenza` tasks straight into a fresh
/// SurrealDB (one record per comune, version bumped as the app does; conflicts retried).
async fn grezzo(
    endpoint: &str,
    salvati: Vec<(String, Value)>,
    concorrenza: usize,
) -> anyhow::Result<Grezzo> {
    let db = surrealdb::engine::any::connect(endpoint).await?;
    db.use_ns("prova").use_db("grezzo").await?;
    db.query("DEFINE TABLE IF NOT EXISTS scheda SCHEMALESS")
        .await?
        .check()?;
    let salvati = Arc::new(salvati);
    let prossimo = Arc::new(AtomicUsize::new(0));
    let t0 = Instant::now();
    let mut lavori = tokio::task::JoinSet::new();
    for _ in 0..concorrenza {
        let (db, salvati, prossimo) = (db.clone(), salvati.clone(), prossimo.clone());
        lavori.spawn(async move {
            let mut latenze = Vec::new();
            loop {
                let i = prossimo.fetch_add(1, Ordering::Relaxed);
                let Some((comune, dati)) = salvati.get(i) else {
                    break;
                };
                let t = Instant::now();
                loop {
                    let r = db
                        .query(
                            "UPSERT type::record('scheda', $id) SET dati = $dati, \
                             versione = (versione OR 0) + 1, aggiornata = time::now() RETURN NONE",
                        )
                        .bind(("id", comune.clone()))
                        .bind(("dati", dati.clone()))
                        .await
                        .and_then(|r| r.check());
                    match r {
                        Ok(_) => break,
                        Err(e) if backend::store::StoreError::Db(e.clone()).is_conflict() => {}
                        Err(e) => return Err(anyhow::Error::from(e)),
                    }
                }
                latenze.push(t.elapsed());
            }
            Ok(latenze)
        });
    }
    let mut latenze = Vec::new();
    while let Some(l) = lavori.join_next().await {
        latenze.extend(l??);
    }
    let durata = t0.elapsed();
    Ok(Grezzo {
        durata,
        latenze: sintesi(&mut latenze),
    })
}
