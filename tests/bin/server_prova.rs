//! The app's server, configured only by `APP_…` variables: what the benchmarks and the
//! kill -9 test start as a child process (as `app`'s `main` does with the `server` feature).

/// With the `mimalloc` feature, the allocator trial of the deadline bench.
#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATORE: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
