//! A comune's form as its officials and the Region see it (state, whether it can be compiled
//! now and why, the rules' findings, the funds context), and the Region's overview of a
//! campaign's forms.

use super::*;
use crate::store::schede::{SchedaInBreve, SchedaSalvata};

/// One comune's form in a campaign: state, block, own deadline, and whether it can be
/// compiled now (server clock) with the reason in Italian.
#[tracing::instrument(skip_all, err(level = "info"), fields(campagna = %id, comune = %codice))]
pub async fn scheda(
    state: &AppState,
    user: &UtenteCorrente,
    id: &str,
    codice: &str,
) -> Result<Scheda, ApiError> {
    let l = leggi(state, user, id, codice).await?;
    componi(state, l).await
}

/// What a form is built from, each read once: the comune, the campaign, the stored form (or
/// a new one) and the comune's registry.
pub(super) struct Lettura {
    pub(super) comune: crate::store::comuni::ComuneRow,
    pub(super) c: Campagna,
    pub(super) riga: SchedaSalvata,
    pub(super) registro: std::sync::Arc<Vec<shared::servizio::ServizioScheda>>,
}

/// Reads what comune `codice`'s form in campaign `id` is built from: one call for the form and
/// the generations, the comune, the campaign and the registry from the process's cache (see
/// [`crate::service::riferimenti`]). 422/403 as [`crate::service::comuni::codice_accessibile`];
/// 404 for a comune outside the Region, a campaign `user` may not see or one the comune is not
/// eligible for.
pub(super) async fn leggi(
    state: &AppState,
    user: &UtenteCorrente,
    id: &str,
    codice: &str,
) -> Result<Lettura, ApiError> {
    let codice = crate::service::comuni::codice_accessibile(user, codice)?;
    if !shared::servizio::id_valido(id) {
        return Err(ApiError::NotFound);
    }
    let (g, riga) = state.store.generazioni_e_scheda(id, &codice).await?;
    let rif = &state.riferimenti;
    let regione = &state.settings.regione.codice;
    let comune = rif
        .comune(&state.store, g, &codice)
        .await?
        .filter(|c| c.codice_regione == *regione)
        .ok_or(ApiError::NotFound)?;
    let c = rif
        .campagna(&state.store, g, id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let c = visibile(user, c)?;
    if !ammesso(&c, &comune.codice) {
        return Err(ApiError::NotFound);
    }
    let riga = match riga {
        Some(v) => crate::store::Store::scheda_nel_tipo(v, c.dati.tipo)?,
        None => SchedaSalvata::nuova(&comune.codice),
    };
    let registro = rif
        .registro(&state.store, g, regione, &comune.codice)
        .await?;
    Ok(Lettura {
        comune,
        c,
        riga,
        registro,
    })
}

impl Lettura {
    /// The form's window (the campaign's, its extensions, the comune's own).
    fn finestra(&self) -> Finestra {
        Finestra {
            apertura: self.c.dati.apertura,
            chiusura: self.c.dati.chiusura,
            proroghe: self.c.proroghe.iter().map(|p| p.chiusura).collect(),
            proroga_comune: self.riga.proroga_comune.as_ref().map(|p| p.chiusura),
        }
    }

    /// Whether the form can be compiled at `adesso`, and why (in Italian):
    /// [`shared::campagna::compilazione`].
    pub(super) fn compilazione(&self, adesso: chrono::DateTime<chrono::Utc>) -> (bool, String) {
        shared::campagna::compilazione(
            self.riga.stato,
            self.riga.blocco.as_ref(),
            self.c.stato,
            &self.finestra(),
            adesso,
        )
    }
}

/// The form built from what was read: the rules run on its values (off the async workers).
pub(super) async fn componi(state: &AppState, l: Lettura) -> Result<Scheda, ApiError> {
    let adesso = state.orologio.adesso();
    let (compilabile, messaggio) = l.compilazione(adesso);
    let chiusura = l.finestra().chiusura_effettiva();
    let Lettura {
        comune,
        c,
        riga,
        registro,
    } = l;
    let SchedaSalvata {
        stato: base,
        blocco,
        proroga_comune,
        dati: salvati,
        versione,
        ricevuta,
        dichiarazione,
        commenti,
        invii,
        segnalazioni,
        ..
    } = riga;
    let invii = invii
        .into_iter()
        .map(|i| {
            Ok(Invio {
                numero: i.numero,
                quando: i.quando,
                da: i.da,
                impronta: i.impronta,
                dati: serde_json::to_value(i.dati).map_err(corrupt)?,
            })
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    let da_dichiarare = frequentanti::attivi(&registro);
    let mut servizi = frequentanti::operanti(&registro, c.dati.data_riferimento);
    // The form by the campaign's kind, and its rules' findings.
    let (dati, fondi, rilievi, totali) = match c.dati.tipo {
        TipoCampagna::Frequentanti => {
            let dati = salvati.and_then(DatiScheda::frequentanti);
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
                let f = salvati.and_then(DatiScheda::interventi);
                let (f, ctx, esito) =
                    controlla_fuori_dai_worker(f, contesto, fondi::controlla_interventi).await?;
                (f, None, ctx, esito)
            } else {
                let f = salvati.and_then(DatiScheda::monitoraggio);
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
    let stato = base.mostrato(blocco.is_some());
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
        chiusura,
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
        if altra.dati.tipo == TipoCampagna::Interventi && altra.dati.annualita == c.dati.annualita {
            let ultimo = state
                .store
                .scheda(&altra.id, comune, altra.dati.tipo)
                .await?
                .and_then(|r| r.invii.into_iter().last());
            if let Some(i) = ultimo {
                return i.dati.interventi().ok_or_else(|| corrupt("piano inviato"));
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
    let stored: std::collections::HashMap<String, SchedaInBreve> = state
        .store
        .schede_campagna(id)
        .await?
        .into_iter()
        .map(|r| (r.comune.clone(), r))
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
            let blocco = r.and_then(|r| r.blocco.as_ref()).map(|b| b.motivo.clone());
            let ricevuta = r.and_then(|r| r.ricevuta.as_ref()).map(|x| x.numero);
            let base = r.map(|r| r.stato).unwrap_or(StatoScheda::NonIniziata);
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

/// A comune's own form, compilable now (else 409 with the reason); with `dichiarata`, also
/// after the preliminary declaration.
pub(super) async fn compilabile(
    state: &AppState,
    user: &UtenteCorrente,
    id: &str,
    codice: &str,
    dichiarata: bool,
) -> Result<Scheda, ApiError> {
    let l = compilabile_letta(state, user, id, codice, dichiarata).await?;
    componi(state, l).await
}

/// [`compilabile`] before its rules run: what the form is built from, if it can be compiled
/// now (else 409 with the reason).
pub(super) async fn compilabile_letta(
    state: &AppState,
    user: &UtenteCorrente,
    id: &str,
    codice: &str,
    dichiarata: bool,
) -> Result<Lettura, ApiError> {
    if !user.ruolo.is_comunale() {
        return Err(ApiError::Forbidden);
    }
    let l = leggi(state, user, id, codice).await?;
    let (compilabile, messaggio) = l.compilazione(state.orologio.adesso());
    if !compilabile {
        return Err(ApiError::WindowClosed { message: messaggio });
    }
    if dichiarata && l.riga.dichiarazione.is_none() {
        return Err(ApiError::Conflict {
            message: "Prima conferma la dichiarazione preliminare dei servizi.".into(),
        });
    }
    Ok(l)
}
