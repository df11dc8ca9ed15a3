//! Entry point. In the browser: hydrate the app. On the server: load the configuration,
//! build the state (database, comuni, demo data) and serve pages and API.

#[cfg(not(feature = "server"))]
fn main() {
    dioxus::launch(app::App);
}

#[cfg(feature = "server")]
#[tokio::main]
async fn main() -> std::process::ExitCode {
    match app::serve::run().await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("Avvio non riuscito: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
