//! Seeds a fresh on-disk database straight through the back-end library (then closes it, so
//! the server can open it): the Region's comuni, services in the first N of them, their
//! officials (one argon2 hash shared by all: hashing is deliberately slow), open campaigns of
//! kind "bambini frequentanti" for those comuni, and each comune's preliminary declaration.

use anyhow::{anyhow, Context};
use backend::config::{Environment, Settings};
use backend::service::{campagne, demo_servizi};
use backend::store::servizi::Collocazione;
use backend::store::utenti::NewUtente;
use backend::{istat, password, startup, AppState};
use rand::rngs::StdRng;
use rand::SeedableRng;
use shared::auth::{Ruolo, UtenteCorrente};
use shared::campagna::{CampagnaForm, DichiarazioneForm, VoceDichiarazione};
use shared::comune::ComuneRef;
use shared::servizio::regole::ServizioValido;
use std::time::{Duration, Instant};
use tokio::task::JoinSet;

/// The password of every seeded official.
pub const PASSWORD: &str = "prova-carico-06";

/// Writes in flight while seeding.
const PARALLELI: usize = 32;

/// What to seed.
#[derive(Debug, Clone)]
pub struct Semina {
    /// SurrealDB endpoint.
    pub endpoint: String,
    /// ISTAT code of the Region served.
    pub regione: String,
    /// How many comuni (the first of the Region in the ISTAT list; capped at its size).
    pub comuni: usize,
    /// Officials per comune.
    pub utenti_per_comune: usize,
    /// Registry services per comune (the form has one row each).
    pub servizi_per_comune: usize,
    /// Open campaigns, each for all the seeded comuni.
    pub campagne: usize,
}

/// One seeded comune.
#[derive(Debug, Clone)]
pub struct ComuneSeme {
    /// ISTAT code.
    pub codice: String,
    /// Its officials' usernames.
    pub utenti: Vec<String>,
}

/// What was seeded.
#[derive(Debug, Clone)]
pub struct Seme {
    /// The campaigns' ids.
    pub campagne: Vec<String>,
    /// The comuni with their officials.
    pub comuni: Vec<ComuneSeme>,
    /// Comuni of the Region (the most a campaign can reach).
    pub comuni_regione: usize,
    /// Time taken.
    pub durata: Duration,
}

fn utente(username: &str, ruolo: Ruolo, comune: Option<ComuneRef>) -> UtenteCorrente {
    UtenteCorrente {
        username: username.to_owned(),
        nome_completo: format!("Utente di prova {username}"),
        ruolo,
        comune,
        cambio_password: false,
    }
}

fn errore(e: shared::ApiError) -> anyhow::Error {
    anyhow!("{e:?}")
}

/// Seeds `s` and closes the database.
pub async fn semina(s: &Semina) -> anyhow::Result<Seme> {
    let t0 = Instant::now();
    let mut settings = Settings::for_tests().context("impostazioni")?;
    settings.database.endpoint = s.endpoint.clone();
    settings.regione.codice = s.regione.clone();
    settings.application.environment = Environment::Production;
    let state = startup::build_state(settings).await?;
    let elenco: Vec<_> = istat::parse(istat::ELENCO_COMUNI)?
        .into_iter()
        .filter(|c| c.codice_regione == s.regione)
        .collect();
    let comuni_regione = elenco.len();
    let scelti: Vec<_> = elenco.into_iter().take(s.comuni).collect();

    // Services, one at a time: every registration increments the registry's generation
    // counter (one record), so parallel writers only collide there; under a loaded machine
    // their retries ran out and the seeding failed with a write conflict one run in two.
    let oggi = state.orologio.oggi();
    let mut rng = StdRng::seed_from_u64(2026);
    for (i, c) in scelti.iter().enumerate() {
        for _ in 0..s.servizi_per_comune {
            let cap = format!("{:05}", 10_010 + i % 80_000);
            let form = demo_servizi::casuale(&mut rng, &c.nome, &cap);
            let valido = ServizioValido::parse(&form, oggi, None).map_err(errore)?;
            let dove = Collocazione {
                comune: c.codice.clone(),
                comune_nome: c.nome.clone(),
                sigla_provincia: c.sigla_provincia.clone(),
                codice_regione: c.codice_regione.clone(),
            };
            let id = uuid::Uuid::new_v4().simple().to_string();
            state
                .store
                .servizio_create(&id, &dove, valido.dati(), "seme", &Default::default())
                .await?;
        }
    }

    // Officials: one hash for all.
    let hash = password::hash(PASSWORD.to_owned()).await?;
    let mut comuni = Vec::new();
    let mut lavori = JoinSet::new();
    let mut numero: u64 = 0;
    for c in &scelti {
        let mut utenti = Vec::new();
        for u in 0..s.utenti_per_comune {
            let username = format!("op{}-{}", c.codice, u + 1);
            utenti.push(username.clone());
            numero += 1;
            let nuovo = NewUtente {
                email: format!("{username}@prova.invalid"),
                username,
                password_hash: Some(hash.clone()),
                nome: format!("Operatore {}", u + 1),
                cognome: c.nome.chars().take(60).collect(),
                codice_fiscale: backend::service::demo::codice_fiscale_sintetico(numero),
                pec: None,
                telefono: None,
                ufficio: None,
                ruolo: Ruolo::OperatoreComunale.code().to_owned(),
                comune: Some(c.codice.clone()),
                stato: "attivo".to_owned(),
                creato: state.orologio.adesso(),
            };
            let store = state.store.clone();
            lavori.spawn(async move { store.utente_create(nuovo).await });
            if lavori.len() >= PARALLELI {
                if let Some(r) = lavori.join_next().await {
                    r??;
                }
            }
        }
        comuni.push(ComuneSeme {
            codice: c.codice.clone(),
            utenti,
        });
    }
    while let Some(r) = lavori.join_next().await {
        r??;
    }

    // Campaigns, open from an hour ago for a week, for exactly these comuni.
    let regione = utente("regione-prova", Ruolo::FunzionarioRegionale, None);
    let ora = |minuti: i64| {
        shared::tempo::ora_italiana(state.orologio.adesso() + chrono::Duration::minutes(minuti))
            .format("%d/%m/%Y %H:%M")
            .to_string()
    };
    let codici: Vec<&str> = scelti.iter().map(|c| c.codice.as_str()).collect();
    let mut ids = Vec::new();
    for i in 0..s.campagne {
        let form = CampagnaForm {
            tipo: "frequentanti".into(),
            titolo: format!("Bambini frequentanti al 31/12/2025 (prova {})", i + 1),
            annualita: "2025".into(),
            data_riferimento: "31/12/2025".into(),
            apertura: ora(-60),
            chiusura: ora(7 * 24 * 60),
            comuni: codici.join("\n"),
        };
        let c = campagne::crea(&state, &regione, &form)
            .await
            .map_err(errore)?;
        campagne::pubblica(&state, &regione, &c.id)
            .await
            .map_err(errore)?;
        ids.push(c.id);
    }

    // Each comune's preliminary declaration (every active service operating), by its
    // first official, through the service and its rules.
    let mut lavori = JoinSet::new();
    for id in &ids {
        for (c, seme) in scelti.iter().zip(&comuni) {
            let Some(primo) = seme.utenti.first() else {
                continue;
            };
            let op = utente(
                primo,
                Ruolo::OperatoreComunale,
                Some(ComuneRef {
                    codice: c.codice.clone(),
                    nome: c.nome.clone(),
                }),
            );
            lavori.spawn(dichiara(state.clone(), op, id.clone(), c.codice.clone()));
            if lavori.len() >= PARALLELI {
                if let Some(r) = lavori.join_next().await {
                    r??;
                }
            }
        }
    }
    while let Some(r) = lavori.join_next().await {
        r??;
    }
    state.store.close().await;
    Ok(Seme {
        campagne: ids,
        comuni,
        comuni_regione,
        durata: t0.elapsed(),
    })
}

async fn dichiara(
    state: AppState,
    op: UtenteCorrente,
    id: String,
    codice: String,
) -> anyhow::Result<()> {
    let s = campagne::scheda(&state, &op, &id, &codice)
        .await
        .map_err(errore)?;
    let voci = s
        .da_dichiarare
        .iter()
        .map(|x| VoceDichiarazione {
            servizio: x.id.clone(),
            stato: "operante".into(),
            dal: String::new(),
            motivo: String::new(),
        })
        .collect();
    campagne::dichiara(&state, &op, &id, &codice, &DichiarazioneForm { voci })
        .await
        .map_err(errore)?;
    Ok(())
}
