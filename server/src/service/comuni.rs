//! Comuni: the repeatable ISTAT import and reading one comune's card with access checks.

use crate::state::AppState;
use crate::store::audit::AuditEntry;
use crate::store::comuni::ComuneRow;
use crate::store::{Store, StoreError};
use shared::auth::UtenteCorrente;
use shared::comune::{CodiceIstat, Comune};
use shared::ApiError;
use std::collections::{HashMap, HashSet};

/// What an import changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportReport {
    /// Codes not seen before.
    pub nuovi: usize,
    /// Codes whose data changed (name, province…), or that came back.
    pub aggiornati: usize,
    /// Codes already stored exactly so.
    pub invariati: usize,
    /// Codes stored as active but missing from the list: now marked not active.
    pub cessati: usize,
}

impl ImportReport {
    /// Whether the import wrote anything.
    pub fn changed(&self) -> bool {
        self.nuovi + self.aggiornati + self.cessati > 0
    }
}

/// Rows written per transaction.
const BATCH: usize = 500;

/// Brings the stored comuni in line with `list`: new codes are added, changed ones updated,
/// codes that left the list marked not active (never deleted). Only differences are
/// written, so running it twice changes nothing. `progress(done, total)` follows the writes.
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn import(
    store: &Store,
    list: Vec<Comune>,
    adesso: chrono::DateTime<chrono::Utc>,
    mut progress: impl FnMut(usize, usize),
) -> Result<ImportReport, StoreError> {
    let stored: HashMap<String, ComuneRow> = store
        .comuni_all()
        .await?
        .into_iter()
        .map(|c| (c.codice.clone(), c))
        .collect();
    let mut report = ImportReport::default();
    let mut inserts: Vec<ComuneRow> = Vec::new();
    let mut writes: Vec<ComuneRow> = Vec::new();
    let listed: HashSet<String> = list.iter().map(|c| c.codice.clone()).collect();
    for comune in list {
        let row = ComuneRow::from(comune);
        match stored.get(&row.codice) {
            None => {
                report.nuovi += 1;
                inserts.push(row);
            }
            Some(old) if *old != row => {
                report.aggiornati += 1;
                writes.push(row);
            }
            Some(_) => report.invariati += 1,
        }
    }
    for old in stored.values() {
        if old.attivo && !listed.contains(&old.codice) {
            report.cessati += 1;
            writes.push(ComuneRow {
                attivo: false,
                ..old.clone()
            });
        }
    }
    let total = inserts.len() + writes.len();
    progress(0, total);
    let mut done = 0;
    for chunk in inserts.chunks(BATCH * 4) {
        store.comuni_insert(chunk.to_vec(), adesso).await?;
        done += chunk.len();
        progress(done, total);
    }
    for chunk in writes.chunks(BATCH) {
        store.comuni_upsert(chunk.to_vec()).await?;
        done += chunk.len();
        progress(done, total);
    }
    if report.changed() {
        store
            .audit_append(AuditEntry {
                attore: None,
                azione: "import_comuni".into(),
                oggetto: "comune".into(),
                esito: "ok".into(),
                dettagli: Some(serde_json::json!({
                    "nuovi": report.nuovi,
                    "aggiornati": report.aggiornati,
                    "invariati": report.invariati,
                    "cessati": report.cessati,
                })),
            })
            .await?;
    }
    Ok(report)
}

/// The active comuni of the served Region (code and name), for any signed-in user: it is
/// the public ISTAT list.
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn della_regione(
    state: &AppState,
    _user: &UtenteCorrente,
) -> Result<Vec<shared::comune::ComuneRef>, ApiError> {
    Ok(state
        .store
        .comuni_della_regione(&state.settings.regione.codice)
        .await?)
}

/// One comune's card, for a user allowed to see it: comune roles only their own comune
/// (403 otherwise), regional roles any comune of the served Region (404 outside it).
#[tracing::instrument(skip_all, err(level = "info"), fields(comune = %codice))]
pub async fn comune_for(
    state: &AppState,
    user: &UtenteCorrente,
    codice: &str,
) -> Result<Comune, ApiError> {
    Ok(accessibile(state, user, codice).await?.into())
}

/// Comune `codice`'s code as stored (ISTAT, six digits) if `user` may act on it: 422 for a
/// malformed code, 403 for another comune's official.
pub(crate) fn codice_accessibile(user: &UtenteCorrente, codice: &str) -> Result<String, ApiError> {
    let codice = CodiceIstat::parse(codice)?;
    if !user.can_access_comune(codice.as_str()) {
        return Err(ApiError::Forbidden);
    }
    Ok(codice.as_str().to_owned())
}

/// The stored comune `codice` if `user` may act on it: 422/403 as [`codice_accessibile`],
/// 404 outside the served Region.
pub(crate) async fn accessibile(
    state: &AppState,
    user: &UtenteCorrente,
    codice: &str,
) -> Result<ComuneRow, ApiError> {
    let codice = codice_accessibile(user, codice)?;
    state
        .store
        .comune(&codice)
        .await?
        .filter(|c| c.codice_regione == state.settings.regione.codice)
        .ok_or(ApiError::NotFound)
}
