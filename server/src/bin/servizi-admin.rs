//! `servizi-admin`: the administration commands (see `backend::cli`).

use backend::config::Settings;
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    backend::telemetry::init();
    let risultato = match Settings::load() {
        Ok(settings) => {
            backend::cli::esegui(std::env::args(), settings, &mut std::io::stdout()).await
        }
        Err(e) => Err(e.into()),
    };
    match risultato {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            if let Some(c) = e.downcast_ref::<clap::Error>() {
                let _ = c.print();
                return ExitCode::from(2);
            }
            eprintln!("Errore: {e:#}");
            ExitCode::FAILURE
        }
    }
}
