//! Administration commands. With the embedded database, stop the app first: only one process
//! can open the data directory at a time.
//!
//! `servizi-admin import-comuni [--file elenco.csv]` loads an ISTAT list (default: the one
//! bundled) with a progress bar; running it twice changes nothing.
//!
//! `servizi-admin genera-servizi [--numero 15000] [--seme 2026]` creates plausible services
//! across all Italian comuni, sized by population (scale tests).

use backend::config::Settings;
use backend::service::{comuni, demo_servizi};
use backend::store::Store;
use backend::{istat, telemetry};
use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "servizi-admin",
    about = "Comandi di amministrazione di Servizi 0-6"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Importa l'elenco ISTAT dei comuni (ripetibile: solo le differenze sono scritte).
    ImportComuni {
        /// File CSV ISTAT (separatore `;`, UTF-8); se assente, l'elenco incluso nell'applicazione.
        #[arg(long)]
        file: Option<PathBuf>,
    },
    /// Genera servizi verosimili in tutti i comuni d'Italia, in proporzione alla popolazione
    /// (per le prove di scala; i comuni devono essere già importati).
    GeneraServizi {
        /// Quanti servizi generare (circa).
        #[arg(long, default_value_t = 15_000)]
        numero: usize,
        /// Seme del generatore casuale (stesso seme, stessi dati).
        #[arg(long, default_value_t = 2026)]
        seme: u64,
        /// Solo i comuni di questa Regione (codice ISTAT, es. 01); se assente, tutta Italia.
        #[arg(long)]
        regione: Option<String>,
    },
}

fn barra(template: &str) -> ProgressBar {
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar
}

#[tokio::main]
async fn main() -> ExitCode {
    telemetry::init();
    let cli = Cli::parse();
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("Errore: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let settings = Settings::load()?;
    match cli.command {
        Command::ImportComuni { file } => {
            let text = match &file {
                Some(path) => std::fs::read_to_string(path)
                    .map_err(|e| anyhow::anyhow!("impossibile leggere {}: {e}", path.display()))?,
                None => istat::ELENCO_COMUNI.to_owned(),
            };
            let list = istat::parse(&text)?;
            println!("Elenco letto: {} comuni.", list.len());
            let store = Store::connect(&settings.database).await?;
            let bar = barra("{bar:40} {pos}/{len} comuni scritti ({eta})");
            let report = comuni::import(&store, list, |done, total| {
                bar.set_length(total as u64);
                bar.set_position(done as u64);
            })
            .await?;
            bar.finish_and_clear();
            println!(
                "Nuovi: {}, aggiornati: {}, invariati: {}, cessati: {}.",
                report.nuovi, report.aggiornati, report.invariati, report.cessati
            );
            let in_regione = store
                .comuni_count_in_regione(&settings.regione.codice)
                .await?;
            println!(
                "Comuni attivi della Regione servita ({} {}): {in_regione}.",
                settings.regione.codice, settings.regione.nome
            );
            store.close().await;
            Ok(())
        }
        Command::GeneraServizi {
            numero,
            seme,
            regione,
        } => {
            let store = Store::connect(&settings.database).await?;
            let bar = barra("{bar:40} {pos}/{len} servizi creati ({eta})");
            let creati =
                demo_servizi::genera(&store, numero, seme, regione.as_deref(), |done, total| {
                    bar.set_length(total as u64);
                    bar.set_position(done as u64);
                })
                .await?;
            bar.finish_and_clear();
            println!(
                "Servizi creati: {creati}; servizi in archivio: {}.",
                store.servizi_count().await?
            );
            store.close().await;
            Ok(())
        }
    }
}
