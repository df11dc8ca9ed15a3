//! The e-mails a campaign change sends to comuni (a form unlocked or returned, a deadline
//! extended): one per active official of each comune concerned, for the same transaction.

use super::testi::{Cornice, Testo};
use crate::state::AppState;
use crate::store::posta::NuovoMessaggio;
use shared::ApiError;
use std::collections::HashSet;

/// A message for every active official (operator or legal representative) of the comuni
/// listed (`None`: every comune of the Region), except those in `esclusi`.
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn ai_comuni(
    state: &AppState,
    comuni: Option<Vec<String>>,
    esclusi: &HashSet<String>,
    causa: &str,
    testo: impl Fn(&Cornice, &str) -> Testo,
) -> Result<Vec<NuovoMessaggio>, ApiError> {
    let cornice = super::cornice(state);
    let destinatari = state
        .store
        .destinatari_comunali(comuni, &state.settings.regione.codice)
        .await?;
    Ok(destinatari
        .iter()
        .filter(|d| !esclusi.contains(&d.comune))
        .map(|d| {
            let t = testo(&cornice, &format!("{} {}", d.nome, d.cognome));
            super::messaggio(state, &d.email, &t, causa, None)
        })
        .collect())
}
