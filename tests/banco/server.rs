//! The app's server (`server-prova`) as a child process on a durable on-disk database:
//! started with `APP_…` variables, ready once it prints its address, killed with SIGKILL.

use anyhow::{anyhow, bail, Context};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// The line the server prints once its listener is bound.
const IN_ASCOLTO: &str = "Servizi 0-6 in ascolto su ";

/// The SurrealDB endpoint of a SurrealKV store in `dir` with its `sync` setting: `every`
/// (SurrealKV's default, made explicit) fsyncs before a commit is acknowledged; `never` leaves
/// writes to the operating system; a duration (`1s`) syncs in the background.
pub fn endpoint_surrealkv(dir: &Path, sync: &str) -> String {
    format!("surrealkv://{}?sync={sync}", dir.display())
}

/// The `server-prova` binary next to the running one (same profile).
pub fn eseguibile_accanto() -> anyhow::Result<PathBuf> {
    let io = std::env::current_exe()?;
    let dir = io
        .parent()
        .ok_or_else(|| anyhow!("cartella dell'eseguibile"))?;
    let exe = dir.join("server-prova");
    if !exe.is_file() {
        bail!(
            "{} non trovato: costruiscilo con lo stesso profilo (cargo build -p tests --bins)",
            exe.display()
        );
    }
    Ok(exe)
}

/// How to start the server.
#[derive(Debug, Clone)]
pub struct Avvio {
    /// The `server-prova` executable.
    pub eseguibile: PathBuf,
    /// The SurrealDB endpoint (see [`endpoint_durevole`]).
    pub endpoint: String,
    /// ISTAT code of the Region served.
    pub regione: String,
    /// Static files to serve (an empty folder when there is no client build).
    pub public: PathBuf,
    /// Where the server's output goes (appended).
    pub log: PathBuf,
    /// More `APP_…` settings (`APP_POSTA__SMTP_HOST`…), set last.
    pub ambiente: Vec<(String, String)>,
}

/// A running server.
pub struct ServerFiglio {
    figlio: Child,
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    /// From spawning to the address printed (database opened, schema and comuni checked).
    pub avvio: Duration,
}

impl ServerFiglio {
    /// Starts the server and waits (up to `attesa`) for it to print its address.
    pub fn avvia(a: &Avvio, attesa: Duration) -> anyhow::Result<Self> {
        let t0 = Instant::now();
        // The Region's code goes in a TOML file: as an `APP_…` variable, `02` would be read
        // as the number 2 and lose its leading zero.
        let config = a.log.with_extension("config");
        std::fs::write(
            config.with_extension("config.toml"),
            format!("[regione]\ncodice = {:?}\n", a.regione),
        )?;
        let mut cmd = Command::new(&a.eseguibile);
        cmd.env_remove("IP")
            .env_remove("PORT")
            .env_remove("APP_REGIONE__CODICE")
            .env("APP_CONFIG_FILE", &config)
            .env("APP_APPLICATION__HOST", "127.0.0.1")
            .env("APP_APPLICATION__PORT", "0")
            .env("APP_APPLICATION__ENVIRONMENT", "production")
            .env("APP_DATABASE__ENDPOINT", &a.endpoint)
            .env("APP_DATABASE__IMPORT_SOLO_REGIONE", "true")
            .env("DIOXUS_PUBLIC_PATH", &a.public)
            // Mail without an SMTP server goes next to the log, not into the working folder.
            .env("APP_POSTA__CARTELLA", a.log.with_extension("posta"))
            // A bench installation: no SMTP server unless the caller names one.
            .env("APP_POSTA__SOLO_CARTELLA", "true")
            .envs(a.ambiente.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut figlio = cmd
            .spawn()
            .with_context(|| format!("avvio di {}", a.eseguibile.display()))?;
        let (tx, rx) = mpsc::channel::<String>();
        // Both streams are drained for the server's whole life (a full pipe would stall it)
        // into the log file; the address line is handed over.
        if let Some(out) = figlio.stdout.take() {
            scarica(out, a.log.clone(), Some(tx));
        }
        if let Some(err) = figlio.stderr.take() {
            scarica(err, a.log.clone(), None);
        }
        let base = match rx.recv_timeout(attesa) {
            Ok(base) => base,
            Err(_) => {
                let _ = figlio.kill();
                let _ = figlio.wait();
                bail!(
                    "il server non si è messo in ascolto entro {attesa:?} (vedi {})",
                    a.log.display()
                );
            }
        };
        Ok(Self {
            figlio,
            base,
            avvio: t0.elapsed(),
        })
    }

    /// The child's process id.
    pub fn pid(&self) -> u32 {
        self.figlio.id()
    }

    /// Field `campo` (`VmHWM:`, `VmRSS:`) of the child's `/proc/PID/status`, in KiB.
    fn stato_kib(&self, campo: &str) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid())).ok()?;
        status
            .lines()
            .find_map(|l| l.strip_prefix(campo))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
    }

    /// Peak resident memory so far (`VmHWM`), in KiB.
    pub fn picco_rss_kib(&self) -> Option<u64> {
        self.stato_kib("VmHWM:")
    }

    /// Resident memory now (`VmRSS`), in KiB.
    pub fn rss_kib(&self) -> Option<u64> {
        self.stato_kib("VmRSS:")
    }

    /// Starts a new peak: the kernel resets `VmHWM` to the current resident memory (`5` in
    /// `/proc/PID/clear_refs`), so that [`Self::picco_rss_kib`] then tells one phase's peak.
    pub fn azzera_picco(&self) -> anyhow::Result<()> {
        std::fs::write(format!("/proc/{}/clear_refs", self.pid()), "5")
            .context("azzeramento del picco di memoria")
    }

    /// SIGKILL: no shutdown code runs, as in a crash or a power cut of the process.
    pub fn uccidi(mut self) -> anyhow::Result<()> {
        self.figlio.kill()?;
        self.figlio.wait()?;
        Ok(())
    }

    /// Waits until `GET /api/v1/health` answers `ok` (database reachable).
    pub async fn attendi_salute(
        &self,
        client: &reqwest::Client,
        attesa: Duration,
    ) -> anyhow::Result<()> {
        let t0 = Instant::now();
        loop {
            let r = client
                .get(format!("{}/api/v1/health", self.base))
                .send()
                .await;
            if let Ok(r) = r {
                let ok = r.status().is_success();
                let body: serde_json::Value = r.json().await.unwrap_or_default();
                if ok && body["status"] == "ok" && body["database"] == "ok" {
                    return Ok(());
                }
            }
            if t0.elapsed() > attesa {
                bail!("/api/v1/health non risponde ok entro {attesa:?}");
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

impl Drop for ServerFiglio {
    fn drop(&mut self) {
        // Never leave a server behind (a failed run or a panicking test).
        let _ = self.figlio.kill();
        let _ = self.figlio.wait();
    }
}

fn scarica(
    stream: impl std::io::Read + Send + 'static,
    log: PathBuf,
    mut indirizzo: Option<mpsc::Sender<String>>,
) {
    std::thread::spawn(move || {
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&log)
            .ok();
        for riga in BufReader::new(stream).lines() {
            let Ok(riga) = riga else { break };
            if let Some(base) = riga.strip_prefix(IN_ASCOLTO) {
                if let Some(tx) = indirizzo.take() {
                    let _ = tx.send(base.trim().to_owned());
                }
            }
            if let Some(f) = file.as_mut() {
                let _ = writeln!(f, "{riga}");
            }
        }
    });
}
