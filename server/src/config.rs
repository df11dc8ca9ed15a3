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
    /// Sessions and login throttling.
    pub auth: AuthSettings,
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
    /// Failed logins allowed per account in the window.
    pub max_failures_per_account: u32,
    /// Failed logins allowed per client address in the window.
    pub max_failures_per_address: u32,
    /// The throttling window.
    pub failure_window_minutes: i64,
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
            .set_default("auth.max_failures_per_address", 30)?
            .set_default("auth.failure_window_minutes", 15)
    }

    /// Whether cookies must carry `Secure` (the app is reached over HTTPS).
    pub fn secure_cookies(&self) -> bool {
        self.application.public_url.starts_with("https://")
    }

    /// Whether demo accounts are seeded: asked for, and never in production.
    pub fn seed_demo(&self) -> bool {
        self.application.demo_data && self.application.environment == Environment::Development
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn secrets_are_masked_in_debug_output() {
        let s = Secret("hunter2".into());
        assert_eq!(format!("{s:?}"), "***");
        let mut settings = Settings::for_tests().unwrap();
        settings.database.password = Some(s);
        assert!(!format!("{settings:?}").contains("hunter2"));
    }

    #[test]
    fn production_never_seeds_demo_data() {
        let mut s = Settings::for_tests().unwrap();
        s.application.environment = Environment::Production;
        s.application.demo_data = true;
        assert!(!s.seed_demo());
    }
}
