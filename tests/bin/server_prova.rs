//! The app's server, configured only by `APP_…` variables: what the benchmarks and the
//! kill -9 test start as a child process (as `app`'s `main` does with the `server` feature).

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
