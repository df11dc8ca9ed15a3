//! Administration commands. With the embedded database, stop the app first: only one process
//! can open the data directory at a time.
//!
//! `servizi-admin import-comuni [--file elenco.csv]` loads an ISTAT list (default: the one
//! bundled) with a progress bar; running it twice changes nothing.

use backend::config::Settings;
use backend::service::comuni;
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
            let bar = ProgressBar::new(0);
            bar.set_style(
                ProgressStyle::with_template("{bar:40} {pos}/{len} comuni scritti ({eta})")
                    .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
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
    }
}
