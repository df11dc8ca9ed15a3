//! Crash durability: `--cicli` times, many officials save and send while the server
//! (`server-prova`, same profile, on SurrealKV) is killed with SIGKILL at a random moment;
//! after each restart every acknowledged save and send is looked for (see
//! `tests::banco::crash`).
//!
//! `cargo run --release -p tests --bin banco-crash -- --cicli 20`
//! Figures on stdout; the markdown section also in the file named by `BENCH_MD`, if set.

use clap::Parser;
use std::time::Duration;
use tests::banco::crash::{prova_crash, OpzioniCrash};
use tests::banco::misure::{esito, ms, scrivi_bench_md, sintesi};
use tests::banco::server::eseguibile_accanto;

#[derive(Parser, Debug, Clone)]
#[command(
    name = "banco-crash",
    about = "Durabilità: kill -9 durante le scritture"
)]
struct Opzioni {
    /// Uccisioni (e riavvii).
    #[arg(long, default_value_t = 20)]
    cicli: usize,
    /// Comuni che scrivono.
    #[arg(long, default_value_t = 32)]
    comuni: usize,
    /// Operatori per comune che scrivono insieme.
    #[arg(long, default_value_t = 2)]
    utenti_per_comune: usize,
    /// Regione servita (codice ISTAT; 02 Valle d'Aosta ha 74 comuni: avvio rapido).
    #[arg(long, default_value = "02")]
    regione: String,
    /// Impostazione `sync` di SurrealKV (`every`, `never`, un intervallo come `1s`).
    #[arg(long, default_value = "every")]
    sync: String,
    /// Uccisione a caso tra questi millisecondi dall'inizio delle scritture…
    #[arg(long, default_value_t = 200)]
    uccisione_min_ms: u64,
    /// …e questi.
    #[arg(long, default_value_t = 1500)]
    uccisione_max_ms: u64,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let o = Opzioni::parse();
    let e = prova_crash(&OpzioniCrash {
        cicli: o.cicli,
        comuni: o.comuni,
        utenti_per_comune: o.utenti_per_comune,
        servizi_per_comune: 2,
        regione: o.regione.clone(),
        sync: o.sync.clone(),
        uccisione: (
            Duration::from_millis(o.uccisione_min_ms),
            Duration::from_millis(o.uccisione_max_ms),
        ),
        eseguibile: eseguibile_accanto()?,
        attesa_avvio: Duration::from_secs(120),
    })
    .await?;
    let mut riaperture = e.riaperture.clone();
    let r = sintesi(&mut riaperture);
    let persi = e.violazioni.len();
    let mut md = String::new();
    md += "## Durabilità dopo kill -9 (`banco-crash`)\n\n";
    md += &format!(
        "Opzioni: `--cicli {} --comuni {} --utenti-per-comune {} --regione {} --sync {} \
         --uccisione-min-ms {} --uccisione-max-ms {}`; database `{}`.\n\n",
        o.cicli,
        o.comuni,
        o.utenti_per_comune,
        o.regione,
        o.sync,
        o.uccisione_min_ms,
        o.uccisione_max_ms,
        e.endpoint.rsplit_once('/').map_or("", |(_, f)| f)
    );
    md += "| misura | valore |\n|---|---|\n";
    for (nome, valore) in [
        ("cicli (kill -9 e riavvio)", e.cicli.to_string()),
        (
            "salvataggi confermati (2xx), tutti controllati",
            e.salvataggi_confermati.to_string(),
        ),
        (
            "salvataggi senza risposta (in corso all'uccisione)",
            e.salvataggi_incerti.to_string(),
        ),
        (
            "invii confermati (ricevuta), tutti controllati",
            e.invii_confermati.to_string(),
        ),
        (
            "invii senza risposta (in corso all'uccisione)",
            e.invii_incerti.to_string(),
        ),
        (
            "schede senza invio confermato né in corso: nessuna ricevuta ammessa",
            e.schede_senza_invio.to_string(),
        ),
        (
            "controlli di scheda (tutte le campagne, dopo ogni riavvio)",
            e.controlli.to_string(),
        ),
        ("persi o alterati (deve essere 0)", persi.to_string()),
        (
            "riapertura dopo l'uccisione, p50",
            format!("{} ms", ms(r.p50)),
        ),
        (
            "riapertura dopo l'uccisione, max",
            format!("{} ms", ms(r.max)),
        ),
    ] {
        md += &format!("| {nome} | {valore} |\n");
    }
    md += &format!(
        "\nObiettivo: nessuna scrittura confermata persa con SurrealKV `sync={}` — {}.\n",
        o.sync,
        esito(persi == 0 && e.salvataggi_confermati > 0)
    );
    md += "\nUn kill -9 ferma il processo, non il sistema operativo: ciò che il processo ha già \
           scritto nei file sopravvive anche senza fsync. `sync=every` (fsync prima di confermare \
           ogni commit, il default di SurrealKV) è ciò che protegge anche da un'interruzione di \
           corrente o un crash del kernel, che questa prova non simula.\n";
    println!("\n{md}");
    for v in e.violazioni.iter().take(20) {
        println!("VIOLAZIONE: {v}");
    }
    if let Some(f) = scrivi_bench_md(&md)? {
        println!("Sezione markdown scritta in {f}.");
    }
    if persi > 0 {
        anyhow::bail!("{persi} scritture confermate perse o alterate");
    }
    Ok(())
}
