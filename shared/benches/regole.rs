//! How the form rules scale with the rows: the children-attending form's and the funds
//! plan's rules at n = 10, 100, 1,000 and the most a form holds, and a form over the limit
//! (refused before any other rule). Each should grow as n log n at worst: the table gives
//! the median of 15 runs and the exponent between consecutive sizes (1 is linear).
//!
//! `cargo bench -p shared --bench regole --profile dev` (with `BENCH_MD=file`, also a markdown
//! section for `docs/benchmarks.md`).

use shared::fondi::{controlla_interventi, Contesto, InterventiForm, InterventoForm};
use shared::frequentanti::{controlla, FrequentantiForm, RigaForm, ServizioOperante, RIGHE_MAX};
use shared::servizio::TipoServizio;
use std::time::{Duration, Instant};

fn mediana(mut f: impl FnMut()) -> Duration {
    let mut t: Vec<Duration> = (0..15)
        .map(|_| {
            let i = Instant::now();
            f();
            i.elapsed()
        })
        .collect();
    t.sort();
    t[t.len() / 2]
}

fn frequentanti(n: usize) -> (FrequentantiForm, Vec<ServizioOperante>) {
    let servizi: Vec<ServizioOperante> = (0..n.min(RIGHE_MAX))
        .map(|i| ServizioOperante {
            id: format!("s{i:06}"),
            denominazione: format!("Nido {i}"),
            tipo: TipoServizio::NidoInfanzia,
            posti_autorizzati: 40,
            eta_min_mesi: 3,
            eta_max_mesi: 36,
        })
        .collect();
    let righe = (0..n)
        .map(|i| RigaForm {
            servizio: format!("s{i:06}"),
            iscritti: vec!["5".into(), "5".into(), "5".into(), "0".into()],
            frequentanti: vec!["5".into(), "5".into(), "5".into(), "0".into()],
            disabili: "0".into(),
            posti_disponibili: "1".into(),
        })
        .collect();
    (
        FrequentantiForm {
            righe,
            giustificazione: String::new(),
        },
        servizi,
    )
}

fn interventi(n: usize) -> InterventiForm {
    InterventiForm {
        interventi: (0..n)
            .map(|i| InterventoForm {
                id: format!("i{i}"),
                descrizione: format!("Intervento numero {i}"),
                ..Default::default()
            })
            .collect(),
        nota_residuo: String::new(),
    }
}

fn main() {
    let mut righe = Vec::new();
    let mut riga = |regole: &str, misure: &[(usize, Duration)]| {
        for (k, (n, t)) in misure.iter().enumerate() {
            let esponente = match k.checked_sub(1) {
                Some(j) => {
                    let (n0, t0) = misure[j];
                    let e = (t.as_secs_f64() / t0.as_secs_f64().max(1e-9)).ln()
                        / (*n as f64 / n0 as f64).ln();
                    format!("{e:.2}")
                }
                None => "—".into(),
            };
            let ms = t.as_secs_f64() * 1000.0;
            println!("{regole:<40} n = {n:>6}  mediana {ms:>9.3} ms  esponente {esponente}");
            righe.push(format!("| {regole} | {n} | {ms:.3} ms | {esponente} |"));
        }
    };
    let taglie = [10, 100, 1_000, RIGHE_MAX];
    let misure: Vec<(usize, Duration)> = taglie
        .iter()
        .map(|&n| {
            let (f, s) = frequentanti(n);
            (n, mediana(|| drop(std::hint::black_box(controlla(&f, &s)))))
        })
        .collect();
    riga("frequentanti", &misure);
    let (f, s) = frequentanti(10_000);
    let oltre = mediana(|| drop(std::hint::black_box(controlla(&f, &s))));
    riga(
        "frequentanti oltre il limite (rifiutato)",
        &[(10_000, oltre)],
    );
    let ctx = Contesto::default();
    let misure: Vec<(usize, Duration)> = [10, 100, shared::fondi::VOCI_MAX]
        .iter()
        .map(|&n| {
            let f = interventi(n);
            (
                n,
                mediana(|| drop(std::hint::black_box(controlla_interventi(&f, &ctx)))),
            )
        })
        .collect();
    riga("interventi", &misure);
    if let Ok(file) = std::env::var("BENCH_MD") {
        let mut md = String::from(
            "## Regole dei moduli: crescita con le righe\n\n\
             `cargo bench -p shared --bench regole --profile dev`: mediana di 15 esecuzioni; \
             l'esponente tra due taglie consecutive (1 = lineare, 2 = quadratico).\n\n\
             | regole | righe | mediana | esponente |\n|---|---|---|---|\n",
        );
        md.push_str(&righe.join("\n"));
        md.push('\n');
        let _ = std::fs::write(file, md);
    }
}
