//! The administration commands of `servizi-admin` (the binary is a thin `main` around
//! [`esegui`], so tests run the very same code). With the embedded database, stop the app
//! first: only one process can open the data directory at a time.
//!
//! `servizi-admin import-comuni [--file elenco.csv]` loads an ISTAT list (default: the one
//! bundled) with a progress bar; running it twice changes nothing.
//!
//! `servizi-admin genera-servizi [--numero 15000] [--seme 2026]` creates plausible services
//! across all Italian comuni, sized by population (scale tests).
//!
//! `servizi-admin crea-amministratore --cf … --email … [--nome … --cognome …]` creates the
//! first regional administrator and prints a one-time activation link: the person chooses
//! the password in the browser, so none passes through the command line or its history.

use crate::config::Settings;
use crate::istat;
use crate::service::{comuni, demo_servizi};
use crate::state::Orologio;
use crate::store::Store;
use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use std::io::Write;
use std::path::PathBuf;

/// The command line.
#[derive(Parser)]
#[command(
    name = "servizi-admin",
    about = "Comandi di amministrazione di Servizi 0-6"
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// The commands.
#[derive(Subcommand)]
pub enum Command {
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
    /// Crea un amministratore regionale e stampa il collegamento (monouso) per attivarlo:
    /// la password la sceglie la persona nel browser.
    CreaAmministratore {
        /// Codice fiscale della persona.
        #[arg(long)]
        cf: String,
        /// Indirizzo e-mail della persona.
        #[arg(long)]
        email: String,
        /// Nome.
        #[arg(long, default_value = "Amministratore")]
        nome: String,
        /// Cognome.
        #[arg(long, default_value = "Regionale")]
        cognome: String,
    },
}

fn barra(template: &str) -> ProgressBar {
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar
}

/// Runs the command of `args` (the program's name first) with `settings`, writing what it
/// reports to `out`.
pub async fn esegui(
    args: impl IntoIterator<Item = String>,
    settings: Settings,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let cli = Cli::try_parse_from(args)?;
    run(cli, settings, out).await
}

async fn run(cli: Cli, settings: Settings, out: &mut dyn Write) -> anyhow::Result<()> {
    match cli.command {
        Command::ImportComuni { file } => {
            let text = match &file {
                Some(path) => std::fs::read_to_string(path)
                    .map_err(|e| anyhow::anyhow!("impossibile leggere {}: {e}", path.display()))?,
                None => istat::ELENCO_COMUNI.to_owned(),
            };
            let list = istat::parse(&text)?;
            writeln!(out, "Elenco letto: {} comuni.", list.len())?;
            let store = Store::connect(&settings.database).await?;
            let bar = barra("{bar:40} {pos}/{len} comuni scritti ({eta})");
            let report =
                comuni::import(&store, list, Orologio::default().adesso(), |done, total| {
                    bar.set_length(total as u64);
                    bar.set_position(done as u64);
                })
                .await?;
            bar.finish_and_clear();
            writeln!(
                out,
                "Nuovi: {}, aggiornati: {}, invariati: {}, cessati: {}.",
                report.nuovi, report.aggiornati, report.invariati, report.cessati
            )?;
            let in_regione = store
                .comuni_count_in_regione(&settings.regione.codice)
                .await?;
            writeln!(
                out,
                "Comuni attivi della Regione servita ({} {}): {in_regione}.",
                settings.regione.codice, settings.regione.nome
            )?;
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
            let creati = demo_servizi::genera(
                &store,
                numero,
                seme,
                regione.as_deref(),
                Orologio::default().oggi(),
                |done, total| {
                    bar.set_length(total as u64);
                    bar.set_position(done as u64);
                },
            )
            .await?;
            bar.finish_and_clear();
            writeln!(
                out,
                "Servizi creati: {creati}; servizi in archivio: {}.",
                store.servizi_count().await?
            )?;
            store.close().await;
            Ok(())
        }
        Command::CreaAmministratore {
            cf,
            email,
            nome,
            cognome,
        } => {
            let state = crate::startup::build_state(settings).await?;
            let form = shared::utente::IdentitaForm {
                nome,
                cognome,
                codice_fiscale: cf,
                email,
                ..Default::default()
            };
            match crate::service::amministratore::crea_amministratore(&state, &form).await {
                Ok(link) => {
                    writeln!(
                        out,
                        "Amministratore creato. Apri questo collegamento per scegliere la password \
                         (vale {} ore, si usa una sola volta):\n{link}",
                        state.settings.auth.attivazione_ore
                    )?;
                    state.store.close().await;
                    Ok(())
                }
                Err(e) => {
                    state.store.close().await;
                    let dettagli: Vec<String> = e
                        .fields()
                        .iter()
                        .map(|f| format!("{}: {}", f.field, f.message))
                        .collect();
                    if dettagli.is_empty() {
                        anyhow::bail!("{e}")
                    }
                    anyhow::bail!("{}", dettagli.join("\n"))
                }
            }
        }
    }
}
