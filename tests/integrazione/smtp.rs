//! A real SMTP server on loopback for the mail tests: aiosmtpd (installed by the README's test
//! command) running `tests/posta/sink.py` as a child process. It stops when dropped, and by
//! itself if the test process dies (its standard input closes).

use serde::Deserialize;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::time::{Duration, Instant};

/// One message the server accepted.
#[derive(Debug, Clone, Deserialize)]
pub struct Ricevuto {
    /// Recipients.
    pub a: Vec<String>,
    pub oggetto: String,
    pub message_id: String,
    /// The plain-text part, decoded.
    pub testo: String,
    /// The HTML part, decoded.
    pub html: String,
    /// Whether the session was encrypted (STARTTLS).
    pub tls: bool,
    /// Whether the client authenticated.
    pub autenticato: bool,
}

impl Ricevuto {
    /// The token of an activation or reset link (`…#t=<token>`).
    pub fn token(&self) -> Option<String> {
        self.testo
            .split_whitespace()
            .find_map(|w| w.split_once("#t=").map(|(_, t)| t.to_owned()))
    }
}

/// How the server behaves.
#[derive(Debug, Clone, Default)]
pub struct Opzioni {
    /// Recipients containing this get a permanent 550.
    pub rifiuta: Option<String>,
    /// Certificate and key (PEM files): STARTTLS offered and required.
    pub tls: Option<(PathBuf, PathBuf)>,
    /// Username and password: AUTH required.
    pub credenziali: Option<(String, String)>,
}

/// A running SMTP server.
pub struct ServerPosta {
    figlio: Child,
    _ingresso: ChildStdin,
    /// Its port on 127.0.0.1.
    pub porta: u16,
    cartella: tempfile::TempDir,
}

impl Drop for ServerPosta {
    fn drop(&mut self) {
        let _ = self.figlio.kill();
        let _ = self.figlio.wait();
    }
}

/// A free port on loopback (for a server started later on it).
pub fn porta_libera() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").expect("porta libera");
    l.local_addr().expect("indirizzo").port()
}

fn python() -> PathBuf {
    let exe = std::env::var_os("SERVIZI06_PYTHON_POSTA")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            let home = std::env::var_os("HOME").expect("HOME");
            PathBuf::from(home).join(".cache/servizi06/venv-posta/bin/python")
        });
    assert!(
        exe.is_file(),
        "Python con aiosmtpd non trovato in {exe:?}: lo installa `./dev test` (o indicane uno con SERVIZI06_PYTHON_POSTA)"
    );
    exe
}

impl ServerPosta {
    /// Starts a server on `porta` and waits until it listens.
    pub fn avvia(porta: u16, opzioni: &Opzioni) -> Self {
        let cartella = tempfile::tempdir().expect("cartella della posta");
        let script = crate::helpers::cartella_test().join("posta/sink.py");
        let mut cmd = Command::new(python());
        cmd.arg(&script)
            .arg("--porta")
            .arg(porta.to_string())
            .arg("--cartella")
            .arg(cartella.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        if let Some(r) = &opzioni.rifiuta {
            cmd.arg("--rifiuta").arg(r);
        }
        if let Some((cert, key)) = &opzioni.tls {
            cmd.arg("--tls-cert").arg(cert).arg("--tls-key").arg(key);
        }
        if let Some((u, p)) = &opzioni.credenziali {
            cmd.arg("--utente").arg(u).arg("--password").arg(p);
        }
        let mut figlio = cmd.spawn().expect("server SMTP avviato");
        let ingresso = figlio.stdin.take().expect("stdin");
        let uscita = figlio.stdout.take().expect("stdout");
        let mut riga = String::new();
        BufReader::new(uscita)
            .read_line(&mut riga)
            .expect("risposta del server SMTP");
        assert!(
            riga.starts_with("PRONTO"),
            "server SMTP non pronto: {riga:?}"
        );
        Self {
            figlio,
            _ingresso: ingresso,
            porta,
            cartella,
        }
    }

    /// Every message received so far, in order.
    pub fn messaggi(&self) -> Vec<Ricevuto> {
        let mut file: Vec<PathBuf> = std::fs::read_dir(self.cartella.path())
            .expect("cartella")
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        file.sort();
        file.iter()
            .map(|p| serde_json::from_slice(&std::fs::read(p).expect("messaggio")).expect("json"))
            .collect()
    }

    /// Waits (up to 30 s) until a message to `destinatario` whose subject contains `oggetto`
    /// has arrived; returns it.
    pub async fn attendi(&self, destinatario: &str, oggetto: &str) -> Ricevuto {
        let fine = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(m) = self
                .messaggi()
                .into_iter()
                .find(|m| m.a.iter().any(|a| a == destinatario) && m.oggetto.contains(oggetto))
            {
                return m;
            }
            assert!(
                Instant::now() < fine,
                "nessun messaggio a {destinatario} con oggetto «{oggetto}»; arrivati: {:?}",
                self.messaggi()
                    .iter()
                    .map(|m| (&m.a, &m.oggetto))
                    .collect::<Vec<_>>()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The messages to `destinatario`.
    pub fn per(&self, destinatario: &str) -> Vec<Ricevuto> {
        self.messaggi()
            .into_iter()
            .filter(|m| m.a.iter().any(|a| a == destinatario))
            .collect()
    }
}
