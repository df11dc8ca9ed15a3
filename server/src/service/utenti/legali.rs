//! The comuni's legal representatives recorded by the Region: the list, one at a time, or a
//! CSV file of them.

use super::*;

/// The comuni of the Region with their legal representative (Region); of one province.
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn legali(
    state: &AppState,
    user: &UtenteCorrente,
    provincia: Option<&str>,
) -> Result<Vec<ComuneLegale>, ApiError> {
    solo_regione(user)?;
    let comuni = state
        .store
        .comuni_righe_regione(&state.settings.regione.codice)
        .await?;
    let legali = state
        .store
        .utenti_con_ruolo(Ruolo::LegaleRappresentante.code())
        .await?;
    let provincia = provincia.map(str::trim).filter(|p| !p.is_empty());
    let mut out = Vec::new();
    for c in comuni {
        if provincia.is_some_and(|p| !c.sigla_provincia.eq_ignore_ascii_case(p)) {
            continue;
        }
        // The one in office: active or waiting for activation before a disabled one.
        let legale = legali
            .iter()
            .filter(|l| l.comune.as_deref() == Some(c.codice.as_str()))
            .min_by_key(|l| l.stato == StatoUtente::Disabilitato.code())
            .cloned()
            .map(vista)
            .transpose()?;
        out.push(ComuneLegale {
            comune: ComuneRef {
                codice: c.codice,
                nome: c.nome,
            },
            sigla_provincia: c.sigla_provincia,
            legale,
        });
    }
    Ok(out)
}

/// Records a comune's legal representative (Region): an account `in_attesa` with the PEC and
/// an activation link. A previous legal representative still in office is disabled in the
/// same transaction (a new mayor replaces the old one).
#[tracing::instrument(skip_all, err(level = "info"), fields(comune = %codice))]
pub async fn registra_legale(
    state: &AppState,
    user: &UtenteCorrente,
    codice: &str,
    form: &LegaleForm,
) -> Result<UtenteVista, ApiError> {
    solo_regione(user)?;
    let comune = crate::service::comuni::accessibile(state, user, codice).await?;
    let l = form.controlla()?;
    let mut tx = Transazione::new();
    let aperto = prepara_legale(
        state,
        user,
        &comune.codice,
        &l,
        "codice_fiscale",
        &mut tx,
        &mut HashSet::new(),
    )
    .await?;
    apertura::esegui(state, &tx).await?;
    utente(state, user, &aperto.username).await
}

/// Adds to `tx` a comune's new legal representative, disabling the one in office.
async fn prepara_legale(
    state: &AppState,
    user: &UtenteCorrente,
    comune: &str,
    l: &shared::utente::Legale,
    campo_cf: &str,
    tx: &mut Transazione,
    riservati: &mut HashSet<String>,
) -> Result<apertura::Aperto, ApiError> {
    for precedente in state.store.utenti_del_comune(comune).await? {
        let in_carica = precedente.ruolo == Ruolo::LegaleRappresentante.code()
            && precedente.stato != StatoUtente::Disabilitato.code()
            && precedente.codice_fiscale != l.identita.codice_fiscale;
        if in_carica {
            prepara_disabilitazione(
                state,
                tx,
                &user.username,
                &precedente,
                "Sostituito da un nuovo legale rappresentante del comune.",
            );
        }
    }
    let a = Apertura {
        persona: &l.identita,
        pec: Some(l.pec.clone()),
        ruolo: Ruolo::LegaleRappresentante,
        comune: Some(comune),
        campo_cf,
        dettagli: true,
        per_posta: true,
    };
    apertura::prepara(state, tx, &user.username, &a, riservati).await
}

/// Records the legal representatives of a CSV file (Region): all or nothing, in one
/// transaction; every wrong line named, codici fiscali already registered included. Returns
/// how many were recorded.
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn importa_legali(
    state: &AppState,
    user: &UtenteCorrente,
    csv: &str,
) -> Result<usize, ApiError> {
    solo_regione(user)?;
    if csv.len() > 2 * 1024 * 1024 {
        return Err(campo(
            "csv",
            "Il file è più grande di 2 MB: non è un elenco di legali rappresentanti.",
        ));
    }
    let righe = shared::utente::legali_da_csv(csv).map_err(errori_file)?;
    let mut errori = Vec::new();
    let mut tx = Transazione::new();
    let mut riservati = HashSet::new();
    for (i, (codice, l)) in righe.iter().enumerate() {
        match state.store.comune(codice).await? {
            Some(c) if c.codice_regione == state.settings.regione.codice && c.attivo => {}
            _ => {
                errori.push(format!(
                    "Comune {codice}: non è un comune attivo della Regione {}.",
                    state.settings.regione.nome
                ));
                continue;
            }
        }
        if let Err(e) = prepara_legale(state, user, codice, l, "csv", &mut tx, &mut riservati).await
        {
            let motivo = e
                .fields()
                .first()
                .map_or_else(|| e.message(), |f| f.message.clone());
            errori.push(format!("Comune {codice} (riga {}): {motivo}", i + 1));
        }
    }
    if !errori.is_empty() {
        errori.truncate(20);
        return Err(errori_file(errori));
    }
    apertura::esegui(state, &tx).await?;
    Ok(righe.len())
}

fn errori_file(errori: Vec<String>) -> ApiError {
    ApiError::Validation {
        fields: errori
            .into_iter()
            .map(|m| FieldError::new("csv", "csv.riga", &m))
            .collect(),
    }
}
