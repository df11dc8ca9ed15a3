//! A comune's form as its officials and the Region see it (state, whether it can be compiled
//! now and why, the rules' findings, the funds context), and the Region's overview of a
//! campaign's forms.

use super::*;

/// One comune's form in a campaign: state, block, own deadline, and whether it can be
/// compiled now (server clock) with the reason in Italian.
#[tracing::instrument(skip_all, err(level = "info"), fields(campagna = %id, comune = %codice))]
pub async fn scheda(
    state: &AppState,
    user: &UtenteCorrente,
    id: &str,
    codice: &str,
) -> Result<Scheda, ApiError> {
    let comune = crate::service::comuni::accessibile(state, user, codice).await?;
    let c = campagna_visibile(state, user, id).await?;
    if !ammesso(&c, &comune.codice) {
        return Err(ApiError::NotFound);
    }
    let riga = state.store.scheda(id, &comune.codice).await?;
    fn leggi<T: serde::de::DeserializeOwned>(
        riga: &Option<Json>,
        nome: &str,
    ) -> Result<Option<T>, ApiError> {
        riga.as_ref()
            .map(|r| r[nome].clone())
            .filter(|v| !v.is_null())
            .map(serde_json::from_value)
            .transpose()
            .map_err(corrupt)
    }
    let blocco: Option<Blocco> = leggi(&riga, "blocco")?;
    let proroga_comune: Option<Proroga> = leggi(&riga, "proroga_comune")?;
    let ricevuta: Option<Ricevuta> = leggi(&riga, "ricevuta")?;
    let versione: u64 = leggi(&riga, "versione")?.unwrap_or(0);
    let dichiarazione: Option<DichiarazioneForm> = leggi(&riga, "dichiarazione")?;
    let commenti: Vec<Commento> = leggi(&riga, "commenti")?.unwrap_or_default();
    let invii: Vec<Invio> = leggi(&riga, "invii")?.unwrap_or_default();
    let segnalazioni: Vec<Segnalazione> = leggi(&riga, "segnalazioni")?.unwrap_or_default();
    let registro = servizi_del_comune(state, &comune.codice).await?;
    let da_dichiarare = frequentanti::attivi(&registro);
    let mut servizi = frequentanti::operanti(&registro, c.dati.data_riferimento);
    // The form by the campaign's kind, and its rules' findings.
    let (dati, fondi, rilievi, totali) = match c.dati.tipo {
        TipoCampagna::Frequentanti => {
            let dati: Option<FrequentantiForm> = leggi(&riga, "dati")?;
            let (dati, operanti, (rilievi, totali)) =
                controlla_fuori_dai_worker(dati, servizi, |d, s: &Vec<_>| {
                    frequentanti::controlla(d, s)
                })
                .await?;
            servizi = operanti;
            (dati, None, rilievi, totali)
        }
        tipo => {
            let contesto = contesto_fondi(state, &c, &comune.codice, &registro).await?;
            let (interventi, monitoraggio, contesto, (rilievi, totali_fondi)) = if tipo
                == TipoCampagna::Interventi
            {
                let f: Option<InterventiForm> = leggi(&riga, "dati")?;
                let (f, ctx, esito) =
                    controlla_fuori_dai_worker(f, contesto, fondi::controlla_interventi).await?;
                (f, None, ctx, esito)
            } else {
                let f: Option<MonitoraggioForm> = leggi(&riga, "dati")?;
                let (f, ctx, esito) =
                    controlla_fuori_dai_worker(f, contesto, fondi::controlla_monitoraggio).await?;
                (None, f, ctx, esito)
            };
            let sf = SchedaFondi {
                contesto,
                interventi,
                monitoraggio,
                totali: totali_fondi,
            };
            (None, Some(sf), rilievi, Default::default())
        }
    };
    let base = leggi::<String>(&riga, "stato")?
        .and_then(|s| StatoScheda::from_code(&s))
        .unwrap_or(StatoScheda::NonIniziata);
    let finestra = Finestra {
        apertura: c.dati.apertura,
        chiusura: c.dati.chiusura,
        proroghe: c.proroghe.iter().map(|p| p.chiusura).collect(),
        proroga_comune: proroga_comune.as_ref().map(|p| p.chiusura),
    };
    let adesso = state.orologio.adesso();
    let stato_finestra = finestra.stato(adesso);
    let stato = base.mostrato(blocco.is_some());
    let (compilabile, messaggio) = match (&blocco, stato) {
        (_, StatoScheda::Inviata) => (false, "La scheda è stata inviata.".to_owned()),
        (_, StatoScheda::Accettata) => (false, "La scheda è stata accettata dalla Regione.".to_owned()),
        (Some(b), StatoScheda::Bloccata) => (
            false,
            format!("La scheda è bloccata dalla Regione: {}", b.motivo),
        ),
        _ if c.stato != StatoCampagna::Pubblicata => (
            false,
            "La rilevazione non è ancora pubblicata.".to_owned(),
        ),
        // Returned by the Region: correctable and sendable again, whatever the window.
        (_, StatoScheda::Restituita) => (
            true,
            "La Regione ha restituito la scheda per correzioni: vedi i commenti, correggi e inviala di nuovo.".to_owned(),
        ),
        _ => (finestra.aperta(adesso), stato_finestra.messaggio()),
    };
    Ok(Scheda {
        tipo: c.dati.tipo,
        campagna: c.id,
        comune: ComuneRef {
            codice: comune.codice,
            nome: comune.nome,
        },
        stato,
        blocco,
        proroga_comune,
        compilabile,
        messaggio,
        chiusura: finestra.chiusura_effettiva(),
        versione,
        dati,
        servizi,
        rilievi,
        totali,
        ricevuta,
        dichiarazione,
        da_dichiarare,
        fondi,
        commenti,
        invii,
        segnalazioni,
    })
}

/// The plan `comune` last sent in the `interventi` campaign of `c`'s funding year (empty if none).
pub(super) async fn piano_inviato(
    state: &AppState,
    c: &Campagna,
    comune: &str,
) -> Result<fondi::InterventiForm, ApiError> {
    for altra in state.store.campagne().await? {
        let altra = da_json(altra)?;
        if altra.dati.tipo == TipoCampagna::Interventi && altra.dati.annualita == c.dati.annualita {
            let riga = state.store.scheda(&altra.id, comune).await?;
            let ultimo = riga
                .and_then(|r| r["invii"].as_array().and_then(|a| a.last().cloned()))
                .map(|i| i["dati"].clone());
            if let Some(d) = ultimo {
                return serde_json::from_value(d).map_err(corrupt);
            }
        }
    }
    Ok(fondi::InterventiForm::default())
}

/// What the funds rules read for a comune in campaign `c`: its allocation for the funding
/// year, its registry, the reference date and, for a monitoring, the plan it last sent in the
/// `interventi` campaign of the same year.
pub(super) async fn contesto_fondi(
    state: &AppState,
    c: &Campagna,
    comune: &str,
    registro: &[shared::servizio::ServizioScheda],
) -> Result<fondi::Contesto, ApiError> {
    let righe = state.store.riparto(c.dati.annualita, Some(comune)).await?;
    let assegnato = crate::service::fondi::assegnato(&righe, comune);
    let servizi = registro
        .iter()
        .map(|s| fondi::ServizioFondi {
            id: s.id.clone(),
            denominazione: s.dati.denominazione.clone(),
            cessato_dal: (s.dati.stato == shared::servizio::StatoServizio::Cessato)
                .then_some(s.dati.stato_dal)
                .flatten(),
        })
        .collect();
    let piano = if c.dati.tipo == TipoCampagna::Monitoraggio {
        piano_inviato(state, c, comune).await?
    } else {
        fondi::InterventiForm::default()
    };
    Ok(fondi::Contesto {
        assegnato,
        servizi,
        data_riferimento: Some(c.dati.data_riferimento),
        piano,
    })
}

/// The Region's overview of a campaign: every eligible comune with its form's state (Region).
#[tracing::instrument(skip_all, err(level = "info"), fields(campagna = %id))]
pub async fn schede(
    state: &AppState,
    user: &UtenteCorrente,
    id: &str,
) -> Result<Vec<SchedaRiga>, ApiError> {
    solo_regione(user)?;
    let c = campagna_visibile(state, user, id).await?;
    let stored: std::collections::HashMap<String, Json> = state
        .store
        .schede_campagna(id)
        .await?
        .into_iter()
        .filter_map(|r| Some((r["comune"].as_str()?.to_owned(), r)))
        .collect();
    let comuni = state
        .store
        .comuni_della_regione(&state.settings.regione.codice)
        .await?;
    Ok(comuni
        .into_iter()
        .filter(|comune| ammesso(&c, &comune.codice))
        .map(|comune| {
            let r = stored.get(&comune.codice);
            let blocco = r
                .and_then(|r| r["blocco"]["motivo"].as_str())
                .map(str::to_owned);
            let ricevuta = r.and_then(|r| r["ricevuta"]["numero"].as_u64());
            let base = r
                .and_then(|r| r["stato"].as_str())
                .and_then(StatoScheda::from_code)
                .unwrap_or(StatoScheda::NonIniziata);
            let stato = base.mostrato(blocco.is_some());
            SchedaRiga {
                comune,
                stato,
                blocco,
                ricevuta,
            }
        })
        .collect())
}

/// The comune's services in the registry, with their data.
pub(super) async fn servizi_del_comune(
    state: &AppState,
    comune: &str,
) -> Result<Vec<shared::servizio::ServizioScheda>, ApiError> {
    let filtro = crate::store::servizi::Filtro {
        codice_regione: state.settings.regione.codice.clone(),
        comune: Some(comune.to_owned()),
        ..Default::default()
    };
    Ok(state.store.servizi_tutti(&filtro).await?)
}

/// A comune's own form, compilable now (else 409 with the reason); with `dichiarata`, also
/// after the preliminary declaration.
pub(super) async fn compilabile(
    state: &AppState,
    user: &UtenteCorrente,
    id: &str,
    codice: &str,
    dichiarata: bool,
) -> Result<Scheda, ApiError> {
    if !user.ruolo.is_comunale() {
        return Err(ApiError::Forbidden);
    }
    let s = scheda(state, user, id, codice).await?;
    if !s.compilabile {
        return Err(ApiError::WindowClosed {
            message: s.messaggio,
        });
    }
    if dichiarata && s.dichiarazione.is_none() {
        return Err(ApiError::Conflict {
            message: "Prima conferma la dichiarazione preliminare dei servizi.".into(),
        });
    }
    Ok(s)
}
