//! Crash durability: the server runs as a child process on the on-disk engine while many
//! officials save and send; it is killed with SIGKILL at a random moment, restarted on the same
//! data, and every acknowledged write is looked for over HTTP.
//!
//! The rules checked, per form:
//! - the stored version is at least the highest acknowledged one; at an acknowledged version
//!   the data are exactly those acknowledged, at a later one exactly those of a save that was
//!   attempted at that version (in flight at the kill): nothing lost, nothing invented;
//! - an acknowledged send has its receipt (same number and SHA-256); a form whose sends were
//!   all refused, or never attempted, has none; a send in flight at the kill may go either way;
//! - what a check read stays as it was through later kills; receipt numbers never repeat.

use super::cliente::{dati_scheda, nuova_chiave, Cliente};
use super::seme::{semina, ComuneSeme, Semina, PASSWORD};
use super::server::{endpoint_surrealkv, Avvio, ServerFiglio};
use rand::Rng;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// What to run.
#[derive(Debug, Clone)]
pub struct OpzioniCrash {
    /// Kills (and restarts).
    pub cicli: usize,
    /// Comuni writing (one campaign per cycle, all of them eligible).
    pub comuni: usize,
    /// Officials per comune writing at once.
    pub utenti_per_comune: usize,
    /// Services per comune (rows of the form).
    pub servizi_per_comune: usize,
    /// ISTAT code of the Region served.
    pub regione: String,
    /// SurrealKV `sync` setting (`every`: fsync before every commit is acknowledged).
    pub sync: String,
    /// The kill comes at a random moment in this interval after the writes start.
    pub uccisione: (Duration, Duration),
    /// The `server-prova` executable.
    pub eseguibile: PathBuf,
    /// Longest wait for a (re)start.
    pub attesa_avvio: Duration,
}

/// What was found.
#[derive(Debug, Clone, Default)]
pub struct EsitoCrash {
    /// Kills survived.
    pub cicli: usize,
    /// The database endpoint used.
    pub endpoint: String,
    /// Saves answered 2xx, all checked.
    pub salvataggi_confermati: usize,
    /// Saves without an answer (in flight at a kill).
    pub salvataggi_incerti: usize,
    /// Sends answered with a receipt, all checked.
    pub invii_confermati: usize,
    /// Sends without an answer.
    pub invii_incerti: usize,
    /// Forms whose sends were all refused or never tried: checked to have no receipt.
    pub schede_senza_invio: usize,
    /// Form checks made (every form of every campaign so far, after every restart).
    pub controlli: usize,
    /// Each violated rule, described (must stay empty).
    pub violazioni: Vec<String>,
    /// From the kill to the server answering `health` ok again, per cycle.
    pub riaperture: Vec<Duration>,
    /// Seeding time.
    pub semina: Duration,
}

#[derive(Debug, Clone, PartialEq)]
enum Invio {
    Confermato { numero: u64, impronta: String },
    Rifiutato,
    Incerto,
}

#[derive(Debug, Clone, PartialEq)]
struct Osservato {
    versione: u64,
    dati: Value,
    ricevuta: Value,
}

/// Everything done to one form.
#[derive(Debug, Default)]
struct Traccia {
    confermati: BTreeMap<u64, Value>,
    tentati: HashMap<u64, Vec<Value>>,
    invii: Vec<Invio>,
    salvataggi_incerti: usize,
    osservato: Option<Osservato>,
}

type Libro = Arc<Mutex<HashMap<(String, String), Traccia>>>;

fn con<T>(libro: &Libro, chiave: (&str, &str), f: impl FnOnce(&mut Traccia) -> T) -> T {
    let mut g = match libro.lock() {
        Ok(g) => g,
        Err(p) => p.into_inner(),
    };
    f(g.entry((chiave.0.to_owned(), chiave.1.to_owned()))
        .or_default())
}

/// Runs the whole test: seeds, then `cicli` times writes, kills, restarts and checks.
pub async fn prova_crash(o: &OpzioniCrash) -> anyhow::Result<EsitoCrash> {
    let tmp = tempfile::tempdir()?;
    // `BANCO_CARTELLA` keeps the database and the server's log for a look afterwards.
    let tmp = match std::env::var_os("BANCO_CARTELLA") {
        Some(d) => Cartella::Tenuta(d.into()),
        None => Cartella::Temporanea(tmp),
    };
    let public = tmp.path().join("public");
    std::fs::create_dir_all(&public)?;
    let endpoint = endpoint_surrealkv(&tmp.path().join("db"), &o.sync);
    let seme = semina(&Semina {
        endpoint: endpoint.clone(),
        regione: o.regione.clone(),
        comuni: o.comuni,
        utenti_per_comune: o.utenti_per_comune.max(1),
        servizi_per_comune: o.servizi_per_comune,
        campagne: o.cicli,
    })
    .await?;
    let avvio = Avvio {
        eseguibile: o.eseguibile.clone(),
        endpoint: endpoint.clone(),
        regione: o.regione.clone(),
        public,
        log: tmp.path().join("server.log"),
        ambiente: Vec::new(),
    };
    let mut esito = EsitoCrash {
        endpoint,
        semina: seme.durata,
        ..Default::default()
    };
    let libro: Libro = Default::default();
    let mut server = ServerFiglio::avvia(&avvio, o.attesa_avvio)?;
    for (ciclo, campagna) in seme.campagne.iter().enumerate() {
        let cliente = Cliente::nuovo(&server.base, 256)?;
        server
            .attendi_salute(&cliente_salute()?, o.attesa_avvio)
            .await?;
        let mut lavori = tokio::task::JoinSet::new();
        let attivi = Arc::new(AtomicUsize::new(0));
        for c in &seme.comuni {
            for (u, username) in c.utenti.iter().enumerate() {
                let scrittura = scrive(
                    cliente.clone(),
                    libro.clone(),
                    (campagna.clone(), c.codice.clone()),
                    format!("{username}/ciclo{ciclo}"),
                    username.clone(),
                    u == 0,
                );
                let attivi = attivi.clone();
                attivi.fetch_add(1, Ordering::SeqCst);
                lavori.spawn(async move {
                    scrittura.await;
                    attivi.fetch_sub(1, Ordering::SeqCst);
                });
            }
        }
        // The random moment is counted from the first acknowledged saves, so that every
        // cycle kills the server mid-writes however slow the start (logins hash passwords).
        let prima = confermati(&libro);
        let t0 = Instant::now();
        while confermati(&libro) < prima + o.comuni && t0.elapsed() < o.attesa_avvio {
            if attivi.load(Ordering::SeqCst) == 0 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        let (min, max) = o.uccisione;
        let attesa = rand::rng().random_range(min..=max.max(min));
        tokio::time::sleep(attesa).await;
        let ucciso = Instant::now();
        server.uccidi()?;
        while lavori.join_next().await.is_some() {}
        server = ServerFiglio::avvia(&avvio, o.attesa_avvio)?;
        server
            .attendi_salute(&cliente_salute()?, o.attesa_avvio)
            .await?;
        esito.riaperture.push(ucciso.elapsed());
        esito.cicli += 1;
        let cliente = Cliente::nuovo(&server.base, 64)?;
        controlla(
            &cliente,
            &libro,
            &seme.campagne[..=ciclo],
            &seme.comuni,
            &mut esito,
        )
        .await?;
    }
    server.uccidi()?;
    let g = match libro.lock() {
        Ok(g) => g,
        Err(p) => p.into_inner(),
    };
    for t in g.values() {
        esito.salvataggi_confermati += t.confermati.len();
        esito.salvataggi_incerti += t.salvataggi_incerti;
        esito.invii_confermati += t
            .invii
            .iter()
            .filter(|i| matches!(i, Invio::Confermato { .. }))
            .count();
        esito.invii_incerti += t.invii.iter().filter(|i| **i == Invio::Incerto).count();
        if t.invii.iter().all(|i| *i == Invio::Rifiutato) {
            esito.schede_senza_invio += 1;
        }
    }
    Ok(esito)
}

/// A scratch folder, removed at the end unless asked to keep it.
enum Cartella {
    Temporanea(tempfile::TempDir),
    Tenuta(PathBuf),
}

impl Cartella {
    fn path(&self) -> &std::path::Path {
        match self {
            Cartella::Temporanea(t) => t.path(),
            Cartella::Tenuta(p) => p,
        }
    }
}

/// Saves acknowledged so far, over all forms.
fn confermati(libro: &Libro) -> usize {
    let g = match libro.lock() {
        Ok(g) => g,
        Err(p) => p.into_inner(),
    };
    g.values().map(|t| t.confermati.len()).sum()
}

fn cliente_salute() -> anyhow::Result<reqwest::Client> {
    Ok(reqwest::Client::builder()
        .timeout(Duration::from_secs(5))
        .build()?)
}

/// One official: logs in, then saves again and again (re-reading on a version conflict);
/// the sender sends after a few saves. Ends when the form is sent or the server is gone.
async fn scrive(
    cliente: Cliente,
    libro: Libro,
    (campagna, comune): (String, String),
    firma: String,
    username: String,
    mittente: bool,
) {
    let k = (campagna.as_str(), comune.as_str());
    let Ok((r, Some(cookie))) = cliente.accedi(&username, PASSWORD).await else {
        return;
    };
    if !r.ok() {
        return;
    }
    let leggi = || async {
        let r = cliente.scheda(&cookie, k.0, k.1).await.ok()?;
        r.ok().then_some(r.corpo)
    };
    let Some(s) = leggi().await else { return };
    let servizi = s["servizi"].clone();
    let mut versione = s["versione"].as_u64().unwrap_or(0);
    // The sender sends after a few saves; the others stop after a few (a sibling saving
    // without end would refuse every send with a version conflict).
    let (invio_dopo, fine) = if mittente {
        (rand::rng().random_range(1..25), usize::MAX)
    } else {
        (usize::MAX, rand::rng().random_range(1..15))
    };
    let mut n = 0;
    loop {
        if n >= fine {
            return;
        }
        if n >= invio_dopo {
            for _ in 0..50 {
                match cliente.invia_scheda(&cookie, k, &nuova_chiave()).await {
                    Err(_) => {
                        con(&libro, k, |t| t.invii.push(Invio::Incerto));
                        return;
                    }
                    Ok(r) if r.ok() => {
                        let numero = r.corpo["numero"].as_u64().unwrap_or(0);
                        let impronta = r.corpo["impronta"].as_str().unwrap_or("").to_owned();
                        con(&libro, k, |t| {
                            t.invii.push(Invio::Confermato { numero, impronta })
                        });
                        return;
                    }
                    Ok(r) if r.status != 409 && r.status != 422 => {
                        // Not a refusal the server vouches for: it may have landed.
                        con(&libro, k, |t| t.invii.push(Invio::Incerto));
                        return;
                    }
                    Ok(_) => {
                        // Refused (a sibling saved meanwhile): nothing sent; read and retry.
                        con(&libro, k, |t| t.invii.push(Invio::Rifiutato));
                        match leggi().await {
                            Some(s) => versione = s["versione"].as_u64().unwrap_or(versione),
                            None => return,
                        }
                    }
                }
            }
            return;
        }
        let dati = dati_scheda(&servizi, n, &firma);
        con(&libro, k, |t| {
            t.tentati
                .entry(versione + 1)
                .or_default()
                .push(dati.clone())
        });
        match cliente
            .salva(&cookie, k, versione, &dati, &nuova_chiave())
            .await
        {
            Err(_) => {
                con(&libro, k, |t| t.salvataggi_incerti += 1);
                return;
            }
            Ok(r) if r.ok() => {
                // This save made version `versione + 1` (the answer may already show a
                // sibling's later one).
                let fatta = versione + 1;
                con(&libro, k, |t| t.confermati.insert(fatta, dati));
                versione = r.corpo["versione"].as_u64().unwrap_or(fatta).max(fatta);
                n += 1;
            }
            Ok(r) if r.status == 409 => match leggi().await {
                Some(s) if s["stato"] == "inviata" => return,
                Some(s) => versione = s["versione"].as_u64().unwrap_or(versione),
                None => return,
            },
            Ok(_) => return,
        }
    }
}

/// Reads every form of `campagne` and checks it against what was acknowledged.
async fn controlla(
    cliente: &Cliente,
    libro: &Libro,
    campagne: &[String],
    comuni: &[ComuneSeme],
    esito: &mut EsitoCrash,
) -> anyhow::Result<()> {
    let mut numeri: HashMap<&str, HashSet<u64>> = HashMap::new();
    for c in comuni {
        let Some(username) = c.utenti.first() else {
            continue;
        };
        let (r, cookie) = cliente.accedi(username, PASSWORD).await?;
        let Some(cookie) = cookie.filter(|_| r.ok()) else {
            anyhow::bail!(
                "accesso di {username} dopo il riavvio: {} {}",
                r.status,
                r.corpo
            );
        };
        for campagna in campagne {
            let k = (campagna.as_str(), c.codice.as_str());
            let r = cliente.scheda(&cookie, k.0, k.1).await?;
            if !r.ok() {
                anyhow::bail!("lettura della scheda {k:?}: {} {}", r.status, r.corpo);
            }
            let visto = Osservato {
                versione: r.corpo["versione"].as_u64().unwrap_or(0),
                dati: r.corpo["dati"].clone(),
                ricevuta: r.corpo["ricevuta"].clone(),
            };
            if let Some(n) = visto.ricevuta["numero"].as_u64() {
                if !numeri.entry(campagna).or_default().insert(n) {
                    esito
                        .violazioni
                        .push(format!("{k:?}: numero di ricevuta {n} ripetuto"));
                }
            }
            esito.controlli += 1;
            let problemi = con(libro, k, |t| verifica(t, visto));
            esito
                .violazioni
                .extend(problemi.into_iter().map(|p| format!("{k:?}: {p}")));
        }
    }
    Ok(())
}

/// The rules of the module's documentation, for one form; the violations found.
fn verifica(t: &mut Traccia, visto: Osservato) -> Vec<String> {
    let mut v = Vec::new();
    if let Some(prima) = &t.osservato {
        if *prima != visto {
            v.push(format!(
                "cambiata dopo un riavvio: versione {} → {}",
                prima.versione, visto.versione
            ));
        }
    }
    let massima = t.confermati.keys().next_back().copied().unwrap_or(0);
    if visto.versione < massima {
        v.push(format!(
            "salvataggio confermato perso: versione {} in archivio, {massima} confermata",
            visto.versione
        ));
    } else if let Some(d) = t.confermati.get(&visto.versione) {
        if *d != visto.dati {
            v.push(format!(
                "dati della versione {} diversi da quelli confermati",
                visto.versione
            ));
        }
    } else if visto.versione > 0
        && !t
            .tentati
            .get(&visto.versione)
            .is_some_and(|ds| ds.contains(&visto.dati))
    {
        v.push(format!(
            "versione {} con dati mai inviati per quella versione",
            visto.versione
        ));
    }
    let confermato = t.invii.iter().find_map(|i| match i {
        Invio::Confermato { numero, impronta } => Some((*numero, impronta.clone())),
        _ => None,
    });
    let incerto = t.invii.contains(&Invio::Incerto);
    match confermato {
        Some((numero, impronta))
            if visto.ricevuta["numero"].as_u64() != Some(numero)
                || visto.ricevuta["impronta"].as_str() != Some(impronta.as_str()) =>
        {
            v.push(format!(
                "invio confermato (ricevuta {numero}) senza la sua ricevuta: {}",
                visto.ricevuta
            ));
        }
        Some(_) => {}
        None if !incerto && !visto.ricevuta.is_null() => {
            v.push(format!(
                "ricevuta di un invio mai confermato: {}",
                visto.ricevuta
            ));
        }
        None => {}
    }
    t.osservato = Some(visto);
    v
}
