//! Demo services: a realistic handful for the demo comuni (seeded with the demo accounts), and
//! a generator of plausible services across all Italian comuni, sized by population, for
//! scale tests (`servizi-admin genera-servizi`).

use crate::store::servizi::Collocazione;
use crate::store::Store;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use shared::fiscale::{carattere_controllo, cifra_controllo_numerico};
use shared::servizio::regole::{ServizioForm, ServizioValido};
use shared::servizio::TipoServizio;

/// Resident population at the 2011 census per ISTAT code (Fonte: ISTAT).
pub const POPOLAZIONE_2011: &str = include_str!("../../resources/popolazione-2011.csv");

/// A valid 11-digit code from a 10-digit prefix.
fn partita_iva(prefisso: &str) -> String {
    let c = char::from(cifra_controllo_numerico(prefisso.as_bytes()));
    format!("{prefisso}{c}")
}

/// A valid 16-character codice fiscale from its first 15 characters.
fn codice_fiscale(primi15: &str) -> String {
    let c = char::from(carattere_controllo(primi15.as_bytes()));
    format!("{primi15}{c}")
}

#[allow(clippy::too_many_arguments)]
fn form(
    nome: &str,
    tipo: TipoServizio,
    (titolarita, gestione): (&str, &str),
    (titolare, codice): (&str, String),
    (indirizzo, civico, cap): (&str, &str, &str),
    posti: u16,
    (eta_min, eta_max): (u8, u8),
    autorizzazione: (&str, &str, &str),
    email: &str,
) -> ServizioForm {
    ServizioForm {
        denominazione: nome.into(),
        tipo: tipo.code().into(),
        titolarita: titolarita.into(),
        gestione: gestione.into(),
        titolare_denominazione: titolare.into(),
        titolare_codice_fiscale: codice,
        indirizzo: indirizzo.into(),
        numero_civico: civico.into(),
        cap: cap.into(),
        posti_autorizzati: posti.to_string(),
        eta_min_mesi: eta_min.to_string(),
        eta_max_mesi: eta_max.to_string(),
        autorizzazione_numero: autorizzazione.0.into(),
        autorizzazione_data: autorizzazione.1.into(),
        autorizzazione_ente: autorizzazione.2.into(),
        email: email.into(),
        telefono: "011 4431234".into(),
        ..ServizioForm::nuovo()
    }
}

/// The demo services of Torino (001272) and Alba (004003).
pub fn demo() -> Vec<(&'static str, ServizioForm)> {
    let torino = ("Comune di Torino", "00514490010".to_owned());
    let alba = ("Comune di Alba", partita_iva("0029666004"));
    let aut_to = |n: &'static str, d: &'static str| (n, d, "Comune di Torino");
    let mut baby = form(
        "Baby parking Orsetto",
        TipoServizio::BabyParking,
        ("privata", "privata"),
        ("Bianchi Laura", codice_fiscale("BNCLRA80A41L219")),
        ("Via Madama Cristina", "45", "10126"),
        18,
        (13, 72),
        aut_to("58/2021", "2021-03-15"),
        "orsetto.babyparking@example.it",
    );
    baby.stato = "sospeso".into();
    baby.stato_dal = "2026-09-01".into();
    baby.stato_motivo = "Lavori di adeguamento alla normativa antincendio".into();
    vec![
        (
            "001272",
            form(
                "Nido d'infanzia Il Girasole",
                TipoServizio::NidoInfanzia,
                ("pubblica", "diretta"),
                torino.clone(),
                ("Via Nizza", "150", "10126"),
                60,
                (3, 36),
                aut_to("1204/2015", "2015-07-20"),
                "nido.girasole@comune.torino.it",
            ),
        ),
        (
            "001272",
            form(
                "Micronido Piccoli Passi",
                TipoServizio::Micronido,
                ("privata", "privata_convenzionata"),
                (
                    "Piccoli Passi Società Cooperativa Sociale",
                    partita_iva("1098765432"),
                ),
                ("Corso Francia", "200", "10143"),
                24,
                (3, 36),
                aut_to("331/2018", "2018-09-03"),
                "info@piccolipassi.example.it",
            ),
        ),
        (
            "001272",
            form(
                "Sezione primavera Arcobaleno",
                TipoServizio::SezionePrimavera,
                ("pubblica", "indiretta"),
                torino.clone(),
                ("Via Cibrario", "12", "10144"),
                20,
                (24, 36),
                aut_to("77/2020", "2020-08-28"),
                "primavera.arcobaleno@comune.torino.it",
            ),
        ),
        (
            "001272",
            form(
                "Centro per bambini e famiglie La Tana",
                TipoServizio::CentroBambiniFamiglie,
                ("pubblica", "diretta"),
                torino,
                ("Via Saluzzo", "33", "10125"),
                30,
                (3, 72),
                aut_to("15/2019", "2019-01-14"),
                "latana@comune.torino.it",
            ),
        ),
        ("001272", baby),
        (
            "004003",
            form(
                "Asilo nido comunale Il Bruco",
                TipoServizio::NidoInfanzia,
                ("pubblica", "indiretta"),
                alba,
                ("Corso Piave", "6", "12051"),
                48,
                (3, 36),
                ("22/2016", "2016-06-30", "Comune di Alba"),
                "nido.ilbruco@comune.alba.cn.it",
            ),
        ),
    ]
}

/// A plausible random service of the given type (for scale tests).
pub fn casuale(rng: &mut StdRng, nome_comune: &str, cap: &str) -> ServizioForm {
    const NOMI: [&str; 12] = [
        "Il Girasole",
        "Arcobaleno",
        "Piccoli Passi",
        "La Coccinella",
        "Il Bruco",
        "Peter Pan",
        "Il Trenino",
        "La Tana",
        "Il Grillo Parlante",
        "Pollicino",
        "Le Farfalle",
        "Il Melograno",
    ];
    const VIE: [&str; 6] = [
        "Via Roma",
        "Via Garibaldi",
        "Corso Italia",
        "Via Mazzini",
        "Piazza Castello",
        "Via Dante",
    ];
    let tipo = TipoServizio::ALL[rng.random_range(0..TipoServizio::ALL.len())];
    let (pmin, pmax) = tipo.posti_ammessi();
    let (lo, hi) = tipo.eta_ammesse();
    let pubblica = rng.random_bool(0.45);
    let nome = NOMI[rng.random_range(0..NOMI.len())];
    let codice = partita_iva(&format!("{:010}", rng.random_range(0..10_000_000_000u64)));
    let mut f = form(
        &format!("{} {nome}", tipo.label()),
        tipo,
        if pubblica {
            (
                "pubblica",
                if rng.random_bool(0.5) {
                    "diretta"
                } else {
                    "indiretta"
                },
            )
        } else {
            (
                "privata",
                if rng.random_bool(0.5) {
                    "privata"
                } else {
                    "privata_convenzionata"
                },
            )
        },
        (
            &if pubblica {
                format!("Comune di {nome_comune}")
            } else {
                format!("{nome} Società Cooperativa Sociale")
            },
            codice,
        ),
        (VIE[rng.random_range(0..VIE.len())], "1", cap),
        rng.random_range(pmin..=pmax),
        (lo, hi),
        ("1/2020", "2020-09-01", "Comune"),
        "servizio@example.it",
    );
    if rng.random_bool(0.05) {
        f.stato = "cessato".into();
        f.stato_dal = "2024-07-31".into();
        f.stato_motivo = "Chiusura per calo delle iscrizioni".into();
    }
    f
}

/// Creates about `numero` plausible services across every active comune (or only those of
/// Region `regione`), a comune's share proportional to its population; `progress(done,
/// total)` follows the writes. Returns how many were created.
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn genera(
    store: &Store,
    numero: usize,
    seme: u64,
    regione: Option<&str>,
    oggi: chrono::NaiveDate,
    mut progress: impl FnMut(usize, usize),
) -> anyhow::Result<usize> {
    let popolazione: std::collections::HashMap<&str, u64> = POPOLAZIONE_2011
        .lines()
        .skip(1)
        .filter_map(|r| r.split_once(','))
        .filter_map(|(c, p)| Some((c, p.trim().parse().ok()?)))
        .collect();
    let comuni: Vec<_> = store
        .comuni_all()
        .await?
        .into_iter()
        .filter(|c| c.attivo && regione.is_none_or(|r| c.codice_regione == r))
        .map(|c| {
            let p = popolazione.get(c.codice.as_str()).copied().unwrap_or(1000);
            (c, p)
        })
        .collect();
    let totale_pop: u64 = comuni.iter().map(|(_, p)| p).sum::<u64>().max(1);
    let mut rng = StdRng::seed_from_u64(seme);
    let mut piano = Vec::new();
    for (c, p) in &comuni {
        // Expected share, rounded at random so small comuni get a service now and then.
        let atteso = numero as f64 * (*p as f64) / (totale_pop as f64);
        let n = atteso.floor() as usize + usize::from(rng.random_bool(atteso.fract()));
        for _ in 0..n {
            piano.push(c);
        }
    }
    let totale = piano.len();
    progress(0, totale);
    for (i, c) in piano.into_iter().enumerate() {
        let cap = format!("{:05}", rng.random_range(10_010..98_100));
        let valido = ServizioValido::parse(&casuale(&mut rng, &c.nome, &cap), oggi, None)
            .map_err(|e| anyhow::anyhow!("servizio generato non valido: {e:?}"))?;
        let dove = Collocazione {
            comune: c.codice.clone(),
            comune_nome: c.nome.clone(),
            sigla_provincia: c.sigla_provincia.clone(),
            codice_regione: c.codice_regione.clone(),
        };
        let id = uuid::Uuid::new_v4().simple().to_string();
        store
            .servizio_create(&id, &dove, valido.dati(), "generatore", &Default::default())
            .await?;
        progress(i + 1, totale);
    }
    Ok(totale)
}

/// Creates the demo services of the demo comuni that have none yet; returns how many.
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn seed(store: &Store, oggi: chrono::NaiveDate) -> anyhow::Result<usize> {
    let mut created = 0;
    // Comuni that already had services before seeding are left alone.
    let mut gia_popolati = std::collections::HashMap::new();
    for (codice, form) in demo() {
        let popolato = match gia_popolati.get(codice) {
            Some(p) => *p,
            None => {
                let p = !store.servizi_del_comune(codice).await?.is_empty();
                gia_popolati.insert(codice, p);
                p
            }
        };
        if popolato {
            continue;
        }
        let Some(c) = store.comune(codice).await? else {
            continue;
        };
        let valido = ServizioValido::parse(&form, oggi, None)
            .map_err(|e| anyhow::anyhow!("servizio dimostrativo non valido: {e:?}"))?;
        let dove = Collocazione {
            comune: c.codice,
            comune_nome: c.nome,
            sigla_provincia: c.sigla_provincia,
            codice_regione: c.codice_regione,
        };
        let id = uuid::Uuid::new_v4().simple().to_string();
        store
            .servizio_create(&id, &dove, valido.dati(), "demo", &Default::default())
            .await?;
        created += 1;
    }
    Ok(created)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_and_generated_services_pass_the_rules() {
        let oggi = chrono::NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
        for (_, f) in demo() {
            assert!(
                ServizioValido::parse(&f, oggi, None).is_ok(),
                "{}",
                f.denominazione
            );
        }
        let mut rng = StdRng::seed_from_u64(7);
        for _ in 0..500 {
            let f = casuale(&mut rng, "Bra", "12042");
            let r = ServizioValido::parse(&f, oggi, None);
            assert!(r.is_ok(), "{f:?}: {r:?}");
        }
    }
}
