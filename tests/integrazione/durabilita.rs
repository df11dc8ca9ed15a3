//! Crash durability: the server as a child process on SurrealKV (`sync=every`), killed with
//! SIGKILL while officials save and send, restarted on the same data: every acknowledged
//! save and receipt is there, and no receipt appears for a send never acknowledged. The
//! same harness runs 20 cycles as `banco-crash`.

use std::time::Duration;
use tests::banco::crash::{prova_crash, OpzioniCrash};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_saves_and_sends_survive_a_kill_9_during_writes() {
    let e = prova_crash(&OpzioniCrash {
        cicli: 2,
        comuni: 8,
        utenti_per_comune: 2,
        servizi_per_comune: 2,
        // Valle d'Aosta: 74 comuni, a quick start.
        regione: "02".into(),
        sync: "every".into(),
        uccisione: (Duration::from_millis(800), Duration::from_millis(1500)),
        eseguibile: env!("CARGO_BIN_EXE_server-prova").into(),
        attesa_avvio: Duration::from_secs(120),
    })
    .await
    .unwrap();
    assert_eq!(e.cicli, 2);
    assert!(e.violazioni.is_empty(), "{:#?}", e.violazioni);
    assert!(
        e.salvataggi_confermati > 0,
        "no save was acknowledged before the kills: nothing was tested ({e:?})"
    );
    assert!(e.controlli >= 8 * 3, "{e:?}");
}
