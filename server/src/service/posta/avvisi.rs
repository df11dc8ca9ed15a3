//! The campaigns' scheduled notices: "window opened" to the officials of every eligible comune
//! once the window opens, and a reminder N days before the deadline (setting, default 7 and 1)
//! to the comuni that have not sent. Each notice is recorded in the same transaction as its
//! messages, so it goes out once however many senders run.

use crate::state::AppState;
use crate::store::transazione::Transazione;
use crate::store::utenti::DestinatarioRow;
use chrono::Duration;
use shared::campagna::Campagna;
use std::collections::HashSet;

/// Writes the notices that are due now (server clock) for every published campaign.
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn scrivi_dovuti(state: &AppState) -> anyhow::Result<()> {
    let adesso = state.orologio.adesso();
    let giorni = state
        .settings
        .campagne
        .giorni()
        .map_err(|e| anyhow::anyhow!(e))?;
    for c in crate::service::campagne::pubblicate(state).await? {
        if adesso < c.dati.apertura {
            continue;
        }
        let fatti: HashSet<String> = state
            .store
            .avvisi_campagna(&c.id)
            .await?
            .into_iter()
            .collect();
        let aperta = fatti.contains("aperta");
        let chiusura = c.chiusura_in_vigore;
        let promemoria: Vec<u32> = giorni
            .iter()
            .copied()
            .filter(|g| !fatti.contains(&format!("promemoria_{g}")))
            .filter(|g| adesso >= chiusura - Duration::days(i64::from(*g)))
            .collect();
        if aperta && promemoria.is_empty() {
            continue;
        }
        let mut eventi: Vec<String> = promemoria
            .iter()
            .map(|g| format!("promemoria_{g}"))
            .collect();
        if !aperta {
            eventi.push("aperta".into());
        }
        let messaggi = if adesso >= chiusura {
            // Closed while nobody was running: nothing to announce any more.
            Vec::new()
        } else {
            messaggi(state, &c, aperta, promemoria.iter().min().copied()).await?
        };
        let n = messaggi.len();
        let mut tx = Transazione::new();
        for e in &eventi {
            tx.segna_avviso(&c.id, e, adesso, n);
        }
        tx.accoda_tutti(messaggi);
        match tx.esegui_con_riprova(&state.store).await {
            Ok(_) => {
                tracing::info!(campagna = %c.id, ?eventi, messaggi = n, "avvisi della rilevazione in coda");
                state.posta.sveglia();
            }
            // Another sender wrote them first.
            Err(e) if crate::store::utenti::duplicato(&e) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(())
}

/// The messages of a campaign's due notice: the opening to every official of every eligible
/// comune (its text gives the deadline, so reminders due at the same time are not sent
/// apart); else the reminder of `giorni` to the officials of comuni whose form is not sent,
/// not blocked and not on a later deadline of their own.
async fn messaggi(
    state: &AppState,
    c: &Campagna,
    aperta: bool,
    giorni: Option<u32>,
) -> anyhow::Result<Vec<crate::store::posta::NuovoMessaggio>> {
    let cornice = super::cornice(state);
    let destinatari: Vec<DestinatarioRow> = state
        .store
        .destinatari_comunali(
            c.dati.comuni_ammessi.clone(),
            &state.settings.regione.codice,
        )
        .await?;
    if !aperta {
        return Ok(destinatari
            .iter()
            .map(|d| {
                let t = super::testi::finestra_aperta(
                    &cornice,
                    &format!("{} {}", d.nome, d.cognome),
                    &c.dati.titolo,
                    &c.id,
                    c.chiusura_in_vigore,
                );
                super::messaggio(state, &d.email, &t, "finestra_aperta", None)
            })
            .collect());
    }
    let Some(giorni) = giorni else {
        return Ok(Vec::new());
    };
    let esclusi = crate::service::campagne::comuni_senza_promemoria(state, c).await?;
    Ok(destinatari
        .iter()
        .filter(|d| !esclusi.contains(&d.comune))
        .map(|d| {
            let t = super::testi::promemoria(
                &cornice,
                &format!("{} {}", d.nome, d.cognome),
                &c.dati.titolo,
                &c.id,
                c.chiusura_in_vigore,
                giorni,
            );
            super::messaggio(state, &d.email, &t, &format!("promemoria_{giorni}"), None)
        })
        .collect())
}
