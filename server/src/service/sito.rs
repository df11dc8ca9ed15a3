//! The site's settings (footer, help desk, legal notes, accessibility statement): anyone reads
//! them, the Region edits them.

use super::solo_regione;
use crate::state::AppState;
use shared::auth::UtenteCorrente;
use shared::sito::ImpostazioniSito;
use shared::ApiError;

/// The saved settings, or the initial ones until the Region saves its own.
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn leggi(state: &AppState) -> Result<ImpostazioniSito, ApiError> {
    Ok(state
        .store
        .sito()
        .await?
        .unwrap_or_else(|| ImpostazioniSito::iniziali(&state.settings.regione.nome)))
}

/// Replaces the settings (Region): every rule checked, the audit entry names the fields that
/// changed. Returns what was saved.
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn salva(
    state: &AppState,
    user: &UtenteCorrente,
    form: &ImpostazioniSito,
) -> Result<ImpostazioniSito, ApiError> {
    solo_regione(user)?;
    let nuove = form.controlla()?;
    let prima = leggi(state).await?;
    let cambiati = campi_cambiati(&prima, &nuove);
    state
        .store
        .sito_salva(&nuove, &cambiati, &user.username)
        .await?;
    Ok(nuove)
}

/// The names of the fields whose value differs.
fn campi_cambiati(prima: &ImpostazioniSito, dopo: &ImpostazioniSito) -> Vec<String> {
    let (a, b) = (
        serde_json::to_value(prima).unwrap_or_default(),
        serde_json::to_value(dopo).unwrap_or_default(),
    );
    let mut out = Vec::new();
    confronta("", &a, &b, &mut out);
    out
}

fn confronta(prefisso: &str, a: &serde_json::Value, b: &serde_json::Value, out: &mut Vec<String>) {
    match (a.as_object(), b.as_object()) {
        (Some(x), Some(y)) => {
            for (k, v) in y {
                let nome = format!("{prefisso}{k}");
                confronta(
                    &format!("{nome}."),
                    x.get(k).unwrap_or(&serde_json::Value::Null),
                    v,
                    out,
                );
            }
        }
        _ if a != b => out.push(prefisso.trim_end_matches('.').to_owned()),
        _ => {}
    }
}
