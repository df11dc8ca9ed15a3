//! Funds: the Region imports each year's allocation per source from a CSV file; each comune
//! reads its own amounts (read-only), the Region every comune's.

use super::solo_regione;
use crate::state::AppState;
use shared::auth::UtenteCorrente;
use shared::comune::ComuneRef;
use shared::denaro::Importo;
use shared::fondi::{riparto_da_csv, Assegnato, Fonte, RiepilogoRiparto, RigaRiparto};
use shared::{ApiError, FieldError};

fn annualita(raw: &str) -> Result<u16, ApiError> {
    raw.parse::<u16>()
        .ok()
        .filter(|a| (2015..=2100).contains(a))
        .ok_or(ApiError::NotFound)
}

fn fonte(raw: &str) -> Result<Fonte, ApiError> {
    Fonte::from_code(raw).ok_or(ApiError::NotFound)
}

fn riga_errore(messaggio: String) -> FieldError {
    FieldError {
        field: "csv".into(),
        rule: "riparto.riga".into(),
        message: messaggio,
    }
}

/// Replaces a year's allocation of one source with the CSV's (Region): every line right and
/// every comune of the served Region, or nothing is imported (422 naming each wrong line).
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn importa(
    state: &AppState,
    user: &UtenteCorrente,
    anno: &str,
    fonte_codice: &str,
    csv: &str,
) -> Result<RiepilogoRiparto, ApiError> {
    solo_regione(user)?;
    let (annualita, fonte) = (annualita(anno)?, fonte(fonte_codice)?);
    let righe = riparto_da_csv(csv).map_err(|e| ApiError::Validation {
        fields: e.into_iter().map(riga_errore).collect(),
    })?;
    let comuni = state
        .store
        .comuni_della_regione(&state.settings.regione.codice)
        .await?;
    let estranei: Vec<FieldError> = righe
        .iter()
        .filter(|(c, _)| !comuni.iter().any(|x| &x.codice == c))
        .take(20)
        .map(|(c, _)| {
            riga_errore(format!(
                "Il comune {c} non è un comune attivo della Regione {}.",
                state.settings.regione.nome
            ))
        })
        .collect();
    if !estranei.is_empty() {
        return Err(ApiError::Validation { fields: estranei });
    }
    let totale = Importo::somma(righe.iter().map(|r| r.1)).ok_or_else(|| ApiError::Validation {
        fields: vec![riga_errore("Il totale del file è troppo grande.".into())],
    })?;
    let centesimi: Vec<(String, i64)> = righe.iter().map(|(c, i)| (c.clone(), i.0)).collect();
    state
        .store
        .riparto_importa(annualita, fonte.code(), &centesimi, &user.username)
        .await?;
    Ok(RiepilogoRiparto {
        annualita,
        fonte,
        comuni: righe.len(),
        totale,
    })
}

/// A comune's amounts per source from allocation rows (comune, source, cents).
pub(crate) fn assegnato(righe: &[crate::store::fondi::VoceRiparto], comune: &str) -> Assegnato {
    let mut a = Assegnato::default();
    for r in righe.iter().filter(|r| r.comune == comune) {
        match Fonte::from_code(&r.fonte) {
            Some(Fonte::Statale) => a.statale = Importo(r.importo),
            Some(Fonte::Regionale) => a.regionale = Importo(r.importo),
            None => {}
        }
    }
    a
}

/// One comune's amounts for a year (its officials and the Region; 403 for another comune).
#[tracing::instrument(skip_all, err(level = "info"), fields(comune = %codice))]
pub async fn del_comune(
    state: &AppState,
    user: &UtenteCorrente,
    anno: &str,
    codice: &str,
) -> Result<Assegnato, ApiError> {
    let comune = super::comuni::accessibile(state, user, codice).await?;
    let annualita = annualita(anno)?;
    let righe = state.store.riparto(annualita, Some(&comune.codice)).await?;
    Ok(assegnato(&righe, &comune.codice))
}

/// Every comune with an amount in a year (Region).
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn elenco(
    state: &AppState,
    user: &UtenteCorrente,
    anno: &str,
) -> Result<Vec<RigaRiparto>, ApiError> {
    solo_regione(user)?;
    let annualita = annualita(anno)?;
    let righe = state.store.riparto(annualita, None).await?;
    let comuni = state
        .store
        .comuni_della_regione(&state.settings.regione.codice)
        .await?;
    Ok(comuni
        .into_iter()
        .filter(|c| righe.iter().any(|r| r.comune == c.codice))
        .map(|c| RigaRiparto {
            assegnato: assegnato(&righe, &c.codice),
            comune: ComuneRef {
                codice: c.codice,
                nome: c.nome,
            },
        })
        .collect())
}
