//! How fast the registry's list, search and exports are on 15,000 services of one Region
//! (an order of magnitude above Piedmont's real number), on the durable on-disk engine.
//!
//! `cargo bench --workspace --exclude app --bench elenco_servizi --profile dev [-- NUMERO]`
//! (the workspace and dev profile reuse the test build) prints the median and the slowest of
//! 20 runs of each query, in milliseconds: straight from the database, and through the
//! in-memory list index the API uses. With `BENCH_MD=file` it also writes the figures there as
//! a markdown section (`./dev benchmarks` assembles `docs/benchmarks.md` from such sections).

use backend::config::Settings;
use backend::export;
use backend::service::indice_servizi::IndiceServizi;
use backend::service::{comuni, demo_servizi};
use backend::state::Orologio;
use backend::store::servizi::Filtro;
use backend::store::Store;
use shared::servizio::FiltroServizi;
use std::time::{Duration, Instant};

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// The figures, as markdown table rows.
type Righe = Vec<String>;

async fn misura<F, Fut, T>(righe: &mut Righe, nome: &str, mut f: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = T>,
{
    let mut tempi: Vec<Duration> = Vec::new();
    for _ in 0..20 {
        let t = Instant::now();
        std::hint::black_box(f().await);
        tempi.push(t.elapsed());
    }
    tempi.sort();
    let (mediana, massimo) = (ms(tempi[tempi.len() / 2]), ms(tempi[tempi.len() - 1]));
    println!("{nome:<48} mediana {mediana:>8.1} ms   massimo {massimo:>8.1} ms");
    righe.push(format!("| {nome} | {mediana:.1} ms | {massimo:.1} ms |"));
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let numero: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(15_000);
    let dir = std::env::temp_dir().join(format!("servizi06-bench-{}", std::process::id()));
    let mut settings = Settings::for_tests()?;
    settings.database.endpoint = format!("surrealkv://{}", dir.display());
    let store = Store::connect(&settings.database).await?;
    let lista = backend::istat::parse(backend::istat::ELENCO_COMUNI)?;
    let orologio = Orologio::default();
    comuni::import(&store, lista, orologio.adesso(), |_, _| {}).await?;
    let t = Instant::now();
    let creati =
        demo_servizi::genera(&store, numero, 2026, Some("01"), orologio.oggi(), |_, _| {}).await?;
    let durata = t.elapsed();
    let al_secondo = creati as f64 / durata.as_secs_f64();
    println!(
        "servizi creati in Piemonte: {creati} in {:.1} s ({al_secondo:.0}/s, una transazione con audit ciascuno)",
        durata.as_secs_f64(),
    );
    let mut righe: Righe = vec![format!(
        "| creazione dei {creati} servizi (una transazione con la sua voce di audit ciascuno) | {al_secondo:.0} / s | |"
    )];
    let base = Filtro {
        codice_regione: "01".into(),
        ..Filtro::default()
    };
    let con = |f: fn(&mut Filtro)| {
        let mut x = base.clone();
        f(&mut x);
        x
    };
    let casi = [
        ("elenco regionale, pagina 1", base.clone(), 1),
        ("elenco regionale, pagina 400", base.clone(), 400),
        ("provincia TO", con(|f| f.provincia = Some("TO".into())), 1),
        (
            "comune Torino",
            con(|f| f.comune = Some("001272".into())),
            1,
        ),
        (
            "testo «girasole»",
            con(|f| f.q = Some("girasole".into())),
            1,
        ),
        (
            "tipo micronido + stato attivo",
            con(|f| {
                f.tipo = Some("micronido".into());
                f.stato = Some("attivo".into());
            }),
            1,
        ),
    ];
    // Without the in-memory index: the database filters, sorts and counts every time.
    misura(&mut righe, "database: elenco regionale, pagina 1", || {
        store.servizi_cerca(&base, 1)
    })
    .await;
    // With it (what `GET /api/v1/servizi` uses): one key read, then memory.
    let indice = IndiceServizi::default();
    let t = Instant::now();
    indice
        .cerca(&store, "01", &FiltroServizi::default(), 1)
        .await?;
    let caricamento = ms(t.elapsed());
    println!("caricamento dell'indice: {caricamento:.1} ms");
    righe.push(format!(
        "| caricamento dell'indice in memoria (una volta, e dopo scritture di un altro processo) | {caricamento:.1} ms | |"
    ));
    for (nome, filtro, pagina) in casi {
        let f = filtro.come_query(pagina);
        misura(&mut righe, &format!("indice: {nome}"), || {
            indice.cerca(&store, "01", &f, pagina)
        })
        .await;
    }
    let tutti = store.servizi_tutti(&base).await?;
    println!("esportazione: {} righe", tutti.len());
    misura(&mut righe, "lettura per esportazione (tutti)", || {
        store.servizi_tutti(&base)
    })
    .await;
    misura(&mut righe, "CSV di tutti", || async {
        export::csv(&tutti).map(|f| f.contenuto.len())
    })
    .await;
    misura(&mut righe, "XLSX di tutti", || async {
        export::xlsx(&tutti).map(|f| f.contenuto.len())
    })
    .await;
    store.close().await;
    let _ = std::fs::remove_dir_all(&dir);
    if let Some(file) = std::env::var_os("BENCH_MD") {
        let md = format!(
            "## Elenco, ricerca ed esportazioni dell'anagrafe su {creati} servizi\n\n\
             Servizi plausibili generati nei comuni del Piemonte (pesati per popolazione), sul motore \
             su disco (SurrealKV, sync a ogni commit); 20 esecuzioni di ogni interrogazione.\n\n\
             | cosa | mediana | più lenta |\n|---|---|---|\n{}\n",
            righe.join("\n")
        );
        std::fs::write(file, md)?;
    }
    Ok(())
}
