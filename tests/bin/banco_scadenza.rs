//! Deadline surge: the app's server (`server-prova`, same profile) on the durable on-disk
//! engine, many officials logging in, loading their form, saving drafts (re-reading on a
//! version conflict) as fast as answers come back (closed loop), then saves arriving at a
//! fixed rate whatever the answers (open loop, timed from the planned arrival) while more
//! officials log in, then sending (every receipt number checked unique); then the same drafts
//! written straight into SurrealDB (same engine and sync setting, same concurrency, no HTTP,
//! no sessions, no rules) twice as the limits: a plain UPSERT, and the app's own write
//! transaction. The server's peak memory per phase (`VmHWM`, reset between phases), and a
//! verdict per target of the deadline issue.
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
    /// Salvataggi al secondo della fase a ritmo fisso (arrivi indipendenti dalle risposte;
    /// 0: fase saltata).
    #[arg(long, default_value_t = 1000.0)]
    ritmo: f64,
    /// Durata della fase a ritmo fisso, in secondi.
    #[arg(long, default_value_t = 5.0)]
    durata_ritmo: f64,
    /// Accessi (nuove sessioni di operatori già accreditati) durante la fase a ritmo fisso.
    #[arg(long, default_value_t = 200)]
    accessi_durante: usize,
    /// `application.richieste_contemporanee` del server (0: il suo valore predefinito).
    #[arg(long, default_value_t = 0)]
    richieste_contemporanee: usize,
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
            ambiente: if o.richieste_contemporanee > 0 {
                vec![(
                    "APP_APPLICATION__RICHIESTE_CONTEMPORANEE".into(),
                    o.richieste_contemporanee.to_string(),
                )]
            } else {
                Vec::new()
            },
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

    // 1. Every official logs in (waiting as told on a 429) and loads the form.
    let mut memoria = Vec::new();
    let t0 = Instant::now();
    let mut lavori = tokio::task::JoinSet::new();
    for c in &seme.comuni {
        for u in &c.utenti {
            let (cliente, registro, permessi) =
                (cliente.clone(), registro.clone(), permessi.clone());
            let (username, comune, campagna) = (u.clone(), c.codice.clone(), campagna.clone());
            lavori.spawn(async move {
                let cookie = accedi(&cliente, &registro, &permessi, &username, "accesso").await?;
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
    memoria.push(("accesso e lettura", server.picco_rss_kib()));
    server.azzera_picco()?;

    // 2. Every official saves K drafts as fast as answers come back (closed loop);
    //    officials of one comune race on its version. (The two `fase:` lines tell
    //    tools/profilo.sh when to profile.)
    println!("fase: salvataggi a ciclo chiuso");
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
    println!("fase: fine dei salvataggi a ciclo chiuso");
    memoria.push(("salvataggi a ciclo chiuso", server.picco_rss_kib()));
    server.azzera_picco()?;

    // 2b. Saves arriving at a fixed rate whatever the answers (open loop), one form per
    //     comune in turn, one save in flight per form (as the app's queue does: a save waits
    //     for the previous one); latency from the planned arrival, so that queueing counts.
    //     Meanwhile, more officials log in.
    let ritmo = if o.ritmo > 0.0 && !sessioni.is_empty() {
        Some(a_ritmo(&o, &cliente, &registro, &campagna, &sessioni, &permessi).await?)
    } else {
        None
    };
    memoria.push(("salvataggi a ritmo fisso e accessi", server.picco_rss_kib()));
    server.azzera_picco()?;

    // 3. One official per comune sends; every receipt number must be unique.
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
                    r.ok().then(|| r.corpo["numero"].as_u64()).flatten()
                }
                Err(_) => {
                    registro.senza_risposta("invio");
                    None
                }
            }
        });
    }
    let mut numeri = Vec::new();
    while let Some(s) = lavori.join_next().await {
        numeri.extend(s?);
    }
    let inviati = numeri.len();
    numeri.sort_unstable();
    numeri.dedup();
    let ricevute_uniche = numeri.len() == inviati;
    let fase_invii = t0.elapsed();
    memoria.push(("invii", server.picco_rss_kib()));
    let rss_finale = server.rss_kib();
    server.uccidi()?;

    // The limits: the same drafts straight into SurrealDB, as a plain UPSERT and as the app's
    // own write transaction (version guard, idempotency key, audit entry).
    let grezzo_upsert = grezzo(
        &endpoint_surrealkv(&tmp.join("grezzo"), &o.sync),
        salvati.clone(),
        o.concorrenza,
    )
    .await?;
    let grezzo_tx = transazione_app(
        &endpoint_surrealkv(&tmp.join("transazione"), &o.sync),
        &o.regione,
        salvati.clone(),
        o.concorrenza,
    )
    .await?;

    let app_s = salvati.len() as f64 / fase_salvataggi.as_secs_f64();
    let upsert_s = salvati.len() as f64 / grezzo_upsert.durata.as_secs_f64();
    let tx_s = salvati.len() as f64 / grezzo_tx.durata.as_secs_f64();
    let accessi = sessioni.len() as f64 / fase_accesso.as_secs_f64();
    let invii_s = inviati as f64 / fase_invii.as_secs_f64();
    let (rapporto_upsert, rapporto_tx) = (app_s / upsert_s, app_s / tx_s);
    let sal = registro.sintesi("salvataggio");
    let lettura = registro.sintesi("scheda");
    let invio = registro.sintesi("invio");
    let accesso_durante = registro.sintesi("accesso durante il picco");
    let nproc = std::thread::available_parallelism().map_or(0, |n| n.get());
    let mib = |k: Option<u64>| k.map_or("n.d.".into(), |k| format!("{:.1} MiB", k as f64 / 1024.0));
    let picco = memoria.iter().filter_map(|(_, k)| *k).max();
    let mut md = String::new();
    md += "## Picco di scadenza (`banco-scadenza`)\n\n";
    md += &format!(
        "Opzioni: `--comuni {} --utenti-per-comune {} --salvataggi {} --concorrenza {} \
         --servizi-per-comune {} --regione {} --sync {} --ritmo {} --durata-ritmo {} \
         --accessi-durante {}{}` ({} comuni seminati su {} della Regione; {} core; server \
         `server-prova` figlio, client nello stesso computer; SurrealKV `sync={}`).\n\n",
        o.comuni,
        o.utenti_per_comune,
        o.salvataggi,
        o.concorrenza,
        o.servizi_per_comune,
        o.regione,
        o.sync,
        o.ritmo,
        o.durata_ritmo,
        o.accessi_durante,
        if o.richieste_contemporanee > 0 {
            format!(" --richieste-contemporanee {}", o.richieste_contemporanee)
        } else {
            String::new()
        },
        seme.comuni.len(),
        seme.comuni_regione,
        nproc,
        o.sync
    );
    // The ratios first: absolute rates move with the machine's load, the ratio of two
    // figures measured in the same run much less.
    md += &format!(
        "**Rapporto app/diretto: {rapporto_upsert:.2} contro l'UPSERT semplice, {rapporto_tx:.2} \
         contro la transazione dell'app** ({app_s:.1} salvataggi/s attraverso l'app; \
         {upsert_s:.1}/s con un UPSERT e {tx_s:.1}/s con la transazione di scrittura dell'app \
         — controllo della versione, chiave di idempotenza, voce di audit — scritti direttamente \
         in SurrealDB, nello stesso giro).\n\n"
    );
    md += "| misura | valore |\n|---|---|\n";
    let mut righe: Vec<(String, String)> = vec![
        (
            "operatori (accessi riusciti)".into(),
            format!("{}", sessioni.len()),
        ),
        (
            "accessi/s (fase 1: accesso e lettura della scheda)".into(),
            format!("{accessi:.1}"),
        ),
        (
            "salvataggi riusciti (ciclo chiuso)".into(),
            format!("{}", salvati.len()),
        ),
        (
            "conflitti di versione (409, riletti e ripetuti)".into(),
            format!("{}", conflitti.load(Ordering::Relaxed)),
        ),
        (
            "salvataggi/s (app, HTTP, ciclo chiuso)".into(),
            format!("{app_s:.1}"),
        ),
        (
            "salvataggi/s (SurrealDB diretto, UPSERT)".into(),
            format!("{upsert_s:.1}"),
        ),
        (
            "salvataggi/s (SurrealDB diretto, transazione dell'app)".into(),
            format!("{tx_s:.1}"),
        ),
    ];
    if let Some(r) = &ritmo {
        righe.push((
            format!(
                "salvataggi a ritmo fisso: previsti / riusciti (in {:.1} s)",
                o.durata_ritmo
            ),
            format!("{} / {}", r.previsti, r.riusciti),
        ));
        righe.push((
            "ritmo ottenuto (salvataggi/s)".into(),
            format!("{:.1}", r.riusciti as f64 / r.durata.as_secs_f64()),
        ));
    }
    righe.push(("invii riusciti".into(), format!("{inviati}")));
    righe.push((
        "numeri di ricevuta tutti distinti".into(),
        if ricevute_uniche {
            "sì".into()
        } else {
            "**no**".into()
        },
    ));
    righe.push(("invii/s".into(), format!("{invii_s:.1}")));
    for (fase, k) in &memoria {
        righe.push((format!("picco RSS del server: {fase} (VmHWM)"), mib(*k)));
    }
    righe.push(("RSS del server alla fine".into(), mib(rss_finale)));
    for (nome, valore) in righe {
        md += &format!("| {nome} | {valore} |\n");
    }
    md += "\n| endpoint | richieste | p50 ms | p95 ms | p99 ms | max ms |\n|---|---|---|---|---|---|\n";
    for (nome, s) in [
        (
            "`POST /auth/login` (ogni tentativo)",
            registro.sintesi("accesso"),
        ),
        (
            "`POST /auth/login` durante il picco (fino alla sessione, attese 429 comprese)",
            accesso_durante,
        ),
        ("`GET …/scheda`", lettura),
        ("`PUT …/scheda` (ciclo chiuso)", sal),
        (
            "`PUT …/scheda` a ritmo fisso (dall'arrivo previsto)",
            registro.sintesi("salvataggio a ritmo"),
        ),
        ("`POST …/scheda/invio`", invio),
        ("UPSERT diretto in SurrealDB", grezzo_upsert.latenze),
        (
            "transazione dell'app diretta in SurrealDB",
            grezzo_tx.latenze,
        ),
    ] {
        md += &riga(nome, &s);
    }
    let errori = registro.errori();
    let inattesi: u64 = errori
        .iter()
        .filter(|(e, s, _)| {
            !(s == &Some(409) && e.starts_with("salvataggio"))
                && s != &Some(429)
                && !(s == &Some(503) && e.ends_with("(rifiutato, ripetuto)"))
        })
        .map(|(_, _, n)| n)
        .sum();
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
            "{} (i 409 dei salvataggi sono i conflitti di versione; i 429 degli accessi e i 503 \
             dei salvataggi a ritmo fisso, quando le richieste in attesa di turno sono troppe, \
             chiedono di riprovare dopo `retry_after_secs`, e il banco lo fa).\n",
            v.join(", ")
        );
    }
    let ms_ = |d: Duration| ms(d);
    let mut obiettivi: Vec<(String, String, bool)> = vec![
        (
            "≥ 1.000 salvataggi/s (ciclo chiuso)".into(),
            format!("{app_s:.1}/s"),
            app_s >= 1000.0,
        ),
        (
            "rapporto app/UPSERT diretto ≥ 0,5".into(),
            format!("{rapporto_upsert:.2}"),
            rapporto_upsert >= 0.5,
        ),
        (
            "rapporto app/transazione diretta ≥ 0,5".into(),
            format!("{rapporto_tx:.2}"),
            rapporto_tx >= 0.5,
        ),
    ];
    if let Some(r) = &ritmo {
        let s = registro.sintesi("salvataggio a ritmo");
        obiettivi.push((
            format!("p99 del salvataggio ≤ 100 ms a {} salvataggi/s", o.ritmo),
            format!("{} ms", ms_(s.p99)),
            s.p99 <= Duration::from_millis(100) && r.riusciti == r.previsti,
        ));
        obiettivi.push((
            "accessi durante il picco: p99 ≤ 2 s".into(),
            format!("{} ms", ms_(accesso_durante.p99)),
            accesso_durante.n > 0 && accesso_durante.p99 <= Duration::from_secs(2),
        ));
    }
    obiettivi.extend([
        (
            "0 errori oltre ai conflitti di versione (e ai 429/503 ripetuti)".into(),
            format!("{inattesi}"),
            inattesi == 0,
        ),
        (
            "numeri di ricevuta distinti".into(),
            format!("{inviati} invii, {} numeri", numeri.len()),
            ricevute_uniche,
        ),
        (
            "p99 dell'invio ≤ 200 ms".into(),
            format!("{} ms", ms_(invio.p99)),
            invio.p99 <= Duration::from_millis(200),
        ),
        (
            "p99 della lettura della scheda ≤ 50 ms".into(),
            format!("{} ms", ms_(lettura.p99)),
            lettura.p99 <= Duration::from_millis(50),
        ),
        (
            "picco RSS del server ≤ 512 MiB".into(),
            mib(picco),
            picco.is_some_and(|k| k <= 512 * 1024),
        ),
    ]);
    md += "\n| obiettivo | misurato | esito |\n|---|---|---|\n";
    for (o, m, ok) in obiettivi {
        md += &format!("| {o} | {m} | {} |\n", esito(ok));
    }
    println!("\n{md}");
    if let Some(f) = scrivi_bench_md(&md)? {
        println!("Sezione markdown scritta in {f}.");
    }
    Ok(())
}

/// Logs `username` in, waiting the `retry_after_secs` a 429 asks for (as the app's login page
/// does), each attempt recorded under `voce`; the session cookie.
async fn accedi(
    cliente: &Cliente,
    registro: &Registro,
    permessi: &Semaphore,
    username: &str,
    voce: &'static str,
) -> Option<String> {
    for _ in 0..60 {
        let r = {
            let _p = permessi.acquire().await.ok()?;
            cliente.accedi(username, PASSWORD).await
        };
        let Ok((r, cookie)) = r else {
            registro.senza_risposta(voce);
            return None;
        };
        registro.segna(voce, r.status, r.durata);
        if r.status == 429 {
            tokio::time::sleep(riprova_tra(&r.corpo)).await;
            continue;
        }
        return cookie.filter(|_| r.ok());
    }
    None
}

/// The wait the server asks for in a 429 or 503 (`data.retry_after_secs` of the error
/// envelope), between 1 and 60 s.
fn riprova_tra(corpo: &serde_json::Value) -> Duration {
    Duration::from_secs(
        corpo["data"]["retry_after_secs"]
            .as_u64()
            .unwrap_or(1)
            .clamp(1, 60),
    )
}

struct Ritmo {
    previsti: usize,
    riusciti: usize,
    durata: Duration,
}

/// Phase 2b: saves planned every `1 / ritmo` s for `durata_ritmo` s, in turn on each comune's
/// form (one official per comune, one save in flight per form), each timed from its planned
/// arrival; `accessi_durante` logins spread over the same time.
async fn a_ritmo(
    o: &Opzioni,
    cliente: &Cliente,
    registro: &Arc<Registro>,
    campagna: &str,
    sessioni: &[Sessione],
    permessi: &Arc<Semaphore>,
) -> anyhow::Result<Ritmo> {
    // One official per comune, with its form's version behind a lock (the device's queue).
    let mut visti = std::collections::HashSet::new();
    let moduli: Vec<_> = sessioni
        .iter()
        .filter(|s| visti.insert(s.comune.clone()))
        .map(|s| {
            Arc::new((
                s.username.clone(),
                s.comune.clone(),
                s.cookie.clone(),
                s.servizi.clone(),
                tokio::sync::Mutex::new(None::<u64>),
            ))
        })
        .collect();
    let previsti = (o.ritmo * o.durata_ritmo).round() as usize;
    let passo = Duration::from_secs_f64(1.0 / o.ritmo);
    let riusciti = Arc::new(AtomicUsize::new(0));
    let t0 = tokio::time::Instant::now();
    let mut lavori = tokio::task::JoinSet::new();
    // Logins during the surge, evenly spread, each its own new session.
    let passo_accessi = Duration::from_secs_f64(o.durata_ritmo / o.accessi_durante.max(1) as f64);
    for i in 0..o.accessi_durante {
        let (cliente, registro, permessi) = (cliente.clone(), registro.clone(), permessi.clone());
        let username = sessioni[i % sessioni.len()].username.clone();
        let quando = t0 + passo_accessi * i as u32;
        lavori.spawn(async move {
            tokio::time::sleep_until(quando).await;
            let t = Instant::now();
            let ok = accedi(
                &cliente,
                &registro,
                &permessi,
                &username,
                "accesso (tentativo durante il picco)",
            )
            .await
            .is_some();
            registro.segna(
                "accesso durante il picco",
                if ok { 200 } else { 599 },
                t.elapsed(),
            );
        });
    }
    for i in 0..previsti {
        let m = moduli[i % moduli.len()].clone();
        let (cliente, registro, riusciti) = (cliente.clone(), registro.clone(), riusciti.clone());
        let campagna = campagna.to_owned();
        let previsto = t0 + passo * i as u32;
        lavori.spawn(async move {
            tokio::time::sleep_until(previsto).await;
            let (username, comune, cookie, servizi, versione) = &*m;
            let mut versione = versione.lock().await;
            let v = match *versione {
                Some(v) => v,
                None => {
                    let Ok(r) = cliente.scheda(cookie, &campagna, comune).await else {
                        registro.senza_risposta("salvataggio a ritmo");
                        return;
                    };
                    r.corpo["versione"].as_u64().unwrap_or(0)
                }
            };
            let dati = dati_scheda(servizi, 1000 + i, username);
            // As the device's queue does: a 503 (the server's turns and queue are full) is
            // sent again, same key, after the wait it asks for; the latency counts from the
            // planned arrival to the final answer.
            let chiave = nuova_chiave();
            loop {
                match cliente
                    .salva(cookie, (&campagna, comune), v, &dati, &chiave)
                    .await
                {
                    Ok(r) if r.status == 503 => {
                        registro.segna("salvataggio a ritmo (rifiutato, ripetuto)", 503, r.durata);
                        tokio::time::sleep(riprova_tra(&r.corpo)).await;
                    }
                    Ok(r) => {
                        registro.segna("salvataggio a ritmo", r.status, previsto.elapsed());
                        if r.ok() {
                            *versione = r.corpo["versione"].as_u64();
                            riusciti.fetch_add(1, Ordering::Relaxed);
                        } else {
                            *versione = None;
                        }
                        break;
                    }
                    Err(_) => {
                        registro.senza_risposta("salvataggio a ritmo");
                        break;
                    }
                }
            }
        });
    }
    while let Some(r) = lavori.join_next().await {
        r?;
    }
    Ok(Ritmo {
        previsti,
        riusciti: riusciti.load(Ordering::Relaxed),
        durata: t0.elapsed(),
    })
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

/// The same drafts written with the app's own write transaction ([`Store::scheda_salva`]:
/// version guard, idempotency key, audit entry) on a fresh database, no HTTP, no session, no
/// rules: `concorrenza` tasks, each taking the next comune and writing its drafts in order.
async fn transazione_app(
    endpoint: &str,
    regione: &str,
    salvati: Vec<(String, Value)>,
    concorrenza: usize,
) -> anyhow::Result<Grezzo> {
    use backend::store::ChiaveScritta;
    use shared::campagna::{DatiScheda, TipoCampagna};
    let mut settings = backend::config::Settings::for_tests().context("impostazioni")?;
    settings.database.endpoint = endpoint.to_owned();
    settings.regione.codice = regione.to_owned();
    let state = backend::startup::build_state(settings).await?;
    let mut per_comune: std::collections::BTreeMap<String, Vec<DatiScheda>> = Default::default();
    for (comune, dati) in salvati {
        let d = DatiScheda::da_json(TipoCampagna::Frequentanti, dati)
            .map_err(|e| anyhow::anyhow!("dati della scheda: {e}"))?;
        per_comune.entry(comune).or_default().push(d);
    }
    let lavoro = Arc::new(std::sync::Mutex::new(
        per_comune.into_iter().collect::<Vec<_>>(),
    ));
    let t0 = Instant::now();
    let mut lavori = tokio::task::JoinSet::new();
    for _ in 0..concorrenza {
        let (store, lavoro) = (state.store.clone(), lavoro.clone());
        lavori.spawn(async move {
            let mut latenze = Vec::new();
            loop {
                let prossimo = lavoro.lock().map_err(|_| anyhow::anyhow!("lock"))?.pop();
                let Some((comune, bozze)) = prossimo else {
                    break;
                };
                for (versione, d) in bozze.iter().enumerate() {
                    let t = Instant::now();
                    let chiave = ChiaveScritta {
                        chiave: Some(nuova_chiave()),
                        utente: "banco".into(),
                        operazione: "bozza".into(),
                        oggetto: format!("scheda:banco_{comune}"),
                        impronta: String::new(),
                    };
                    let esito = store
                        .scheda_salva("banco", &comune, versione as u64, d, "banco", &chiave)
                        .await?;
                    anyhow::ensure!(
                        matches!(esito, backend::store::schede::EsitoScheda::Fatto(_)),
                        "versione {versione} di {comune} rifiutata"
                    );
                    latenze.push(t.elapsed());
                }
            }
            Ok::<_, anyhow::Error>(latenze)
        });
    }
    let mut latenze = Vec::new();
    while let Some(l) = lavori.join_next().await {
        latenze.extend(l??);
    }
    Ok(Grezzo {
        durata: t0.elapsed(),
        latenze: sintesi(&mut latenze),
    })
}
