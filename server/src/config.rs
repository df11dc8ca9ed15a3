//! Typed, layered configuration: built-in defaults, then an optional TOML file, then `APP_…`
//! environment variables (`APP_DATABASE__ENDPOINT=mem://`). `IP` and `PORT`, which the Dioxus
//! tooling sets, are honoured too. Secrets never appear in `Debug` output.

use config::{Config, Environment as EnvSource, File};
use serde::Deserialize;
use std::fmt;

/// The whole configuration.
#[derive(Debug, Clone, Deserialize)]
pub struct Settings {
    /// HTTP listener and public identity.
    pub application: ApplicationSettings,
    /// SurrealDB connection.
    pub database: DatabaseSettings,
    /// The Region this installation serves.
    pub regione: RegioneSettings,
    /// Sessions, login throttling, links and passwords.
    pub auth: AuthSettings,
    /// Outgoing e-mail.
    pub posta: PostaSettings,
    /// Campaign notifications.
    pub campagne: CampagneSettings,
}

/// Where the app listens and how it presents itself.
#[derive(Debug, Clone, Deserialize)]
pub struct ApplicationSettings {
    /// Address to bind (`127.0.0.1`).
    pub host: String,
    /// Port to bind; 0 picks a free one.
    pub port: u16,
    /// URL people use to reach the app; `https://…` makes cookies `Secure`.
    pub public_url: String,
    /// `development` (demo data allowed) or `production`.
    pub environment: Environment,
    /// Seed the demo accounts at start-up (ignored in production).
    pub demo_data: bool,
    /// Take the client address from `X-Forwarded-For` (only behind a trusted proxy).
    pub trust_forwarded_for: bool,
    /// Requests worked on at once (pages and API; static files are not counted): the others
    /// wait their turn, so a deadline surge queues instead of filling memory with requests
    /// half done (see `docs/benchmarks.md`, open-loop phase).
    pub richieste_contemporanee: usize,
    /// Requests that may wait for a turn; beyond them a request is answered 503 at once.
    pub richieste_in_attesa: usize,
    /// The longest a request waits for a turn before it is answered 503 (with `Retry-After`:
    /// a form's draft stays on the device and is sent again).
    pub attesa_massima_secondi: u64,
}

/// Deployment environment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Environment {
    /// Local work and tests: demo data may be seeded.
    Development,
    /// A real installation: never any demo data.
    Production,
}

/// SurrealDB connection settings.
#[derive(Debug, Clone, Deserialize)]
pub struct DatabaseSettings {
    /// `surrealkv://data/servizi06` (embedded, default), `mem://` (tests), `ws://host:port`.
    pub endpoint: String,
    /// Namespace.
    pub namespace: String,
    /// Database.
    pub database: String,
    /// Root user for a remote server (`ws://`); unused when embedded.
    pub username: Option<String>,
    /// Its password.
    pub password: Option<Secret>,
    /// Load the ISTAT list of comuni at start-up (repeatable: unchanged rows are not written).
    pub import_comuni: bool,
    /// Load only the served Region's comuni (tests: a start six times faster). The product
    /// loads all of Italy.
    pub import_solo_regione: bool,
}

/// The Region served.
#[derive(Debug, Clone, Deserialize)]
pub struct RegioneSettings {
    /// ISTAT region code (`01` Piemonte).
    pub codice: String,
    /// Region name for the header.
    pub nome: String,
}

/// Session lifetimes and login throttling.
#[derive(Debug, Clone, Deserialize)]
pub struct AuthSettings {
    /// A session unused this long expires.
    pub session_idle_minutes: i64,
    /// A session expires this long after login, however used.
    pub session_absolute_minutes: i64,
    /// Failed logins allowed per account from one origin (a client address, or a known
    /// device of the account) in the window.
    pub max_failures_per_account: u32,
    /// Failed logins allowed per account from all origins together in the window: the
    /// ceiling on a brute force spread over many addresses (not applied on a known device).
    pub max_failures_per_account_globale: u32,
    /// Failed logins allowed per client address in the window.
    pub max_failures_per_address: u32,
    /// The throttling window.
    pub failure_window_minutes: i64,
    /// How long an activation link works.
    pub attivazione_ore: i64,
    /// How long a password-reset link works.
    pub reset_minuti: i64,
    /// Reset links sent per account in the throttling window (more requests are answered
    /// the same way, and send nothing).
    pub max_reset_per_account: u32,
    /// "Password dimenticata" requests per client address in the throttling window.
    pub max_reset_per_address: u32,
    /// Days after which a password expires; 0 (the default) means never: NIST SP 800-63B-4
    /// and ASVS 5 V6.2.10 advise against periodic changes. For Regions whose rules demand one.
    pub password_scadenza_giorni: i64,
}

/// How the SMTP connection is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SicurezzaSmtp {
    /// Plain connection upgraded with STARTTLS (port 587); refused if the server cannot.
    Starttls,
    /// TLS from the first byte (SMTPS, port 465).
    Tls,
    /// No encryption: only for a relay on the same machine or in tests.
    Nessuna,
}

/// Outgoing e-mail: an SMTP server, or (no host) files in a folder for development.
#[derive(Debug, Clone, Deserialize)]
pub struct PostaSettings {
    /// The SMTP server; empty: messages are written as `.eml` files to `cartella`.
    pub smtp_host: String,
    pub smtp_port: u16,
    pub smtp_sicurezza: SicurezzaSmtp,
    pub smtp_username: Option<String>,
    pub smtp_password: Option<Secret>,
    /// A PEM file of certificates to trust besides the system's (a private CA).
    pub smtp_ca: Option<String>,
    /// `From:` of every message.
    pub mittente: String,
    /// Where messages go when no SMTP server is configured.
    pub cartella: String,
    /// In production, accept no SMTP server and write the messages (links included) to
    /// `cartella`: only for an installation that is not in use (a test bench). Otherwise the
    /// app refuses to start in production without `smtp_host`.
    pub solo_cartella: bool,
    /// How often the sender looks for due messages (it is also woken by every new one).
    pub intervallo_secondi: u64,
    /// The first retry after a temporary failure; doubled each time up to `attesa_massima_secondi`.
    pub attesa_iniziale_secondi: u64,
    pub attesa_massima_secondi: u64,
    /// A message still undelivered this long after it was written is given up.
    pub scadenza_ore: i64,
}

impl PostaSettings {
    /// Whether an SMTP server is configured.
    pub fn smtp(&self) -> bool {
        !self.smtp_host.trim().is_empty()
    }
}

/// Campaign notifications.
#[derive(Debug, Clone, Deserialize)]
pub struct CampagneSettings {
    /// Days before the deadline when comuni that have not sent get a reminder (`7,1`).
    pub promemoria_giorni: String,
}

impl CampagneSettings {
    /// The reminder days, largest first; an error names a wrong value.
    pub fn giorni(&self) -> Result<Vec<u32>, String> {
        let mut giorni = Vec::new();
        for parte in self.promemoria_giorni.split(',').map(str::trim) {
            if parte.is_empty() {
                continue;
            }
            match parte.parse::<u32>() {
                Ok(g) if (1..=90).contains(&g) => giorni.push(g),
                _ => {
                    return Err(format!(
                        "campagne.promemoria_giorni: «{parte}» non è un numero di giorni da 1 a 90"
                    ))
                }
            }
        }
        giorni.sort_unstable_by(|a, b| b.cmp(a));
        giorni.dedup();
        Ok(giorni)
    }
}

/// A secret string whose `Debug` prints `***`.
#[derive(Clone, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    /// The value, for the one place that needs it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// The `APP_…` variables (`APP_DATABASE__ENDPOINT` → `database.endpoint`), from the process
/// environment or, for tests, from `variabili`. Values stay text: settings that are numbers or
/// booleans are converted by their type, and text that looks like a number (`APP_REGIONE__CODICE=02`,
/// a password of digits) keeps its leading zeros.
fn ambiente(variabili: Option<config::Map<String, String>>) -> EnvSource {
    EnvSource::with_prefix("APP")
        .prefix_separator("_")
        .separator("__")
        .source(variabili)
}

impl Settings {
    /// Reads defaults, the file named by `APP_CONFIG_FILE` (default `config/servizi06.toml`,
    /// optional), `IP`/`PORT`, then `APP_…` variables.
    pub fn load() -> Result<Self, config::ConfigError> {
        let file = std::env::var("APP_CONFIG_FILE").unwrap_or_else(|_| "config/servizi06".into());
        let mut builder = Self::defaults()?.add_source(File::with_name(&file).required(false));
        if let Ok(ip) = std::env::var("IP") {
            builder = builder.set_override("application.host", ip)?;
        }
        if let Ok(port) = std::env::var("PORT") {
            builder = builder.set_override("application.port", port)?;
        }
        builder
            .add_source(ambiente(None))
            .build()?
            .try_deserialize()
    }

    /// The defaults alone, plus overrides: what tests use (`mem://`, port 0).
    pub fn for_tests() -> Result<Self, config::ConfigError> {
        Self::defaults()?
            .set_override("application.port", 0)?
            .set_override("database.endpoint", "mem://")?
            .set_override("database.import_solo_regione", true)?
            .set_override(
                "posta.cartella",
                std::env::temp_dir()
                    .join(format!("servizi06-posta-{}", uuid::Uuid::new_v4().simple()))
                    .to_string_lossy()
                    .into_owned(),
            )?
            .build()?
            .try_deserialize()
    }

    fn defaults(
    ) -> Result<config::ConfigBuilder<config::builder::DefaultState>, config::ConfigError> {
        Config::builder()
            .set_default("application.host", "127.0.0.1")?
            .set_default("application.port", 8080)?
            .set_default("application.public_url", "http://127.0.0.1:8080")?
            .set_default("application.environment", "development")?
            .set_default("application.demo_data", true)?
            .set_default("application.trust_forwarded_for", false)?
            .set_default("application.richieste_contemporanee", 64)?
            .set_default("application.richieste_in_attesa", 4096)?
            .set_default("application.attesa_massima_secondi", 10)?
            .set_default("database.endpoint", "surrealkv://data/servizi06")?
            .set_default("database.namespace", "servizi06")?
            .set_default("database.database", "main")?
            .set_default("database.import_comuni", true)?
            .set_default("database.import_solo_regione", false)?
            .set_default("regione.codice", "01")?
            .set_default("regione.nome", "Piemonte")?
            .set_default("auth.session_idle_minutes", 30)?
            .set_default("auth.session_absolute_minutes", 12 * 60)?
            .set_default("auth.max_failures_per_account", 5)?
            .set_default("auth.max_failures_per_account_globale", 100)?
            .set_default("auth.max_failures_per_address", 30)?
            .set_default("auth.failure_window_minutes", 15)?
            .set_default("auth.attivazione_ore", 72)?
            .set_default("auth.reset_minuti", 60)?
            .set_default("auth.max_reset_per_account", 3)?
            .set_default("auth.max_reset_per_address", 20)?
            .set_default("auth.password_scadenza_giorni", 0)?
            .set_default("posta.smtp_host", "")?
            .set_default("posta.smtp_port", 587)?
            .set_default("posta.smtp_sicurezza", "starttls")?
            .set_default("posta.mittente", "Servizi 0-6 <noreply@localhost>")?
            .set_default("posta.cartella", "data/posta")?
            .set_default("posta.solo_cartella", false)?
            .set_default("posta.intervallo_secondi", 30)?
            .set_default("posta.attesa_iniziale_secondi", 60)?
            .set_default("posta.attesa_massima_secondi", 3600)?
            .set_default("posta.scadenza_ore", 72)?
            .set_default("campagne.promemoria_giorni", "7,1")
    }

    /// Whether cookies must carry `Secure` (the app is reached over HTTPS).
    pub fn secure_cookies(&self) -> bool {
        self.application.public_url.starts_with("https://")
    }

    /// Why these settings cannot serve requests, if they cannot: in production, mail needs an
    /// SMTP server (links must not end up in files on the server) unless explicitly waived.
    pub fn impedimento(&self) -> Option<String> {
        (self.application.environment == Environment::Production
            && !self.posta.smtp()
            && !self.posta.solo_cartella)
            .then(|| {
                "in produzione serve un server di posta: imposta APP_POSTA__SMTP_HOST (e porta, \
                 sicurezza, credenziali); APP_POSTA__SOLO_CARTELLA=true solo per un'installazione \
                 di prova"
                    .to_owned()
            })
    }

    /// Whether demo accounts are seeded: asked for, and never in production.
    pub fn seed_demo(&self) -> bool {
        self.application.demo_data && self.application.environment == Environment::Development
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every setting is in the README's table, as `APP_<SECTION>__<KEY>` or, on the row of a
    /// sibling of the same section, as `__<KEY>`.
    #[test]
    fn the_readme_lists_every_setting() {
        let readme = include_str!("../../README.md");
        let tabella: Vec<&str> = readme
            .lines()
            .filter(|l| l.starts_with("| `APP_"))
            .collect();
        let impostate = Settings::defaults().unwrap().build().unwrap();
        let mut chiavi: Vec<String> = impostate
            .try_deserialize::<config::Map<String, config::Value>>()
            .unwrap()
            .into_iter()
            .flat_map(|(sezione, v)| {
                let dentro = v.into_table().unwrap();
                dentro.into_keys().map(move |k| format!("{sezione}.{k}"))
            })
            .collect();
        // The settings without a default (optional): not in `defaults()`.
        chiavi.extend(
            [
                "database.username",
                "database.password",
                "posta.smtp_username",
                "posta.smtp_password",
                "posta.smtp_ca",
            ]
            .map(String::from),
        );
        assert!(chiavi.len() > 30, "{chiavi:?}");
        let mancanti: Vec<&String> = chiavi
            .iter()
            .filter(|c| {
                let (sezione, chiave) = c.split_once('.').unwrap();
                let (sezione, chiave) = (sezione.to_uppercase(), chiave.to_uppercase());
                let intera = format!("`APP_{sezione}__{chiave}`");
                let breve = format!("`__{chiave}`");
                let riga = format!("| `APP_{sezione}__");
                !tabella
                    .iter()
                    .any(|l| l.contains(&intera) || (l.starts_with(&riga) && l.contains(&breve)))
            })
            .collect();
        assert!(
            mancanti.is_empty(),
            "README, Configuration: mancano {mancanti:?}"
        );
    }

    #[test]
    fn test_settings_use_memory_and_port_zero_and_piemonte() {
        let s = Settings::for_tests().unwrap();
        assert_eq!(s.database.endpoint, "mem://");
        assert_eq!(s.application.port, 0);
        assert_eq!(s.regione.codice, "01");
        assert!(s.seed_demo());
        assert!(!s.secure_cookies());
    }

    #[test]
    fn environment_values_that_look_like_numbers_keep_their_digits() {
        let variabili = [
            ("APP_REGIONE__CODICE", "02"),
            ("APP_DATABASE__PASSWORD", "0123"),
            ("APP_APPLICATION__PORT", "9000"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        let s: Settings = Settings::defaults()
            .unwrap()
            .add_source(ambiente(Some(variabili)))
            .build()
            .unwrap()
            .try_deserialize()
            .unwrap();
        assert_eq!(s.regione.codice, "02");
        assert_eq!(s.database.password.unwrap().expose(), "0123");
        assert_eq!(s.application.port, 9000);
    }

    #[test]
    fn reminder_days_are_read_from_a_list_and_wrong_values_are_named() {
        let mut s = Settings::for_tests().unwrap();
        assert_eq!(s.campagne.giorni().unwrap(), vec![7, 1]);
        s.campagne.promemoria_giorni = "1, 14,7,7".into();
        assert_eq!(s.campagne.giorni().unwrap(), vec![14, 7, 1]);
        s.campagne.promemoria_giorni = "7,dieci".into();
        assert!(s.campagne.giorni().unwrap_err().contains("«dieci»"));
        s.campagne.promemoria_giorni = String::new();
        assert!(s.campagne.giorni().unwrap().is_empty());
    }

    #[test]
    fn secrets_are_masked_in_debug_output() {
        let s = Secret("hunter2".into());
        assert_eq!(format!("{s:?}"), "***");
        let mut settings = Settings::for_tests().unwrap();
        settings.database.password = Some(s.clone());
        settings.posta.smtp_password = Some(s);
        assert!(!format!("{settings:?}").contains("hunter2"));
    }

    #[test]
    fn production_refuses_to_serve_without_an_smtp_server_unless_waived() {
        let mut s = Settings::for_tests().unwrap();
        assert_eq!(s.impedimento(), None, "development writes to the folder");
        s.application.environment = Environment::Production;
        assert!(s.impedimento().unwrap().contains("APP_POSTA__SMTP_HOST"));
        s.posta.solo_cartella = true;
        assert_eq!(s.impedimento(), None);
        s.posta.solo_cartella = false;
        s.posta.smtp_host = "smtp.regione.example".into();
        assert_eq!(s.impedimento(), None);
    }

    #[test]
    fn production_never_seeds_demo_data() {
        let mut s = Settings::for_tests().unwrap();
        s.application.environment = Environment::Production;
        s.application.demo_data = true;
        assert!(!s.seed_demo());
    }
}
