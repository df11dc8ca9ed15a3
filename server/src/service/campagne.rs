//! Campaigns: the Region creates, publishes and extends them, blocks and unlocks a comune's
//! form and grants a comune its own later deadline; a comune sees the published campaigns it
//! is eligible for and, for each, whether its form can be compiled now and why. The server's
//! clock alone decides: no request carries a time the server believes.

use super::idempotenza::{gia_applicata, parametri, Chiave};
use super::solo_regione;
use crate::state::AppState;
use crate::store::campagne::EsitoScheda;
use crate::store::dichiarazione::{CambioServizio, EsitoDichiarazione};
use crate::store::StoreError;
use chrono::DateTime;
use serde_json::Value as Json;
use shared::auth::UtenteCorrente;
use shared::campagna::TipoCampagna;
use shared::campagna::{avviso_proroga, Finestra, StatoCampagna};
use shared::campagna_regole::{
    controlla_campagna, controlla_proroga, Blocco, Campagna, CampagnaDati, CampagnaForm,
    MotivoForm, Proroga, ProrogaForm, Scheda, StatoScheda,
};
use shared::campagna_regole::{
    controlla_dichiarazione, cosa_manca, dati_canonici, DaFare, DichiarazioneForm, Ricevuta,
    SchedaRiga,
};
use shared::campagna_regole::{Commento, Invio, SchedaFondi, Segnalazione};
use shared::comune::ComuneRef;
use shared::fondi::{self, InterventiForm, MonitoraggioForm};
use shared::frequentanti::{self, FrequentantiForm};
use shared::ApiError;

fn corrupt(e: impl std::fmt::Display) -> ApiError {
    ApiError::from(StoreError::Corrupt(e.to_string()))
}

/// Runs `regole` on the form (if any) against its context on tokio's blocking pool and hands
/// both back with the findings: the rules are bounded and O(n log n), but a comune's largest
/// form still costs milliseconds of CPU, and on the async workers it would hold up every other
/// request (the health check included) for that long.
async fn controlla_fuori_dai_worker<F, C, R>(
    modulo: Option<F>,
    contesto: C,
    regole: fn(&F, &C) -> R,
) -> Result<(Option<F>, C, R), ApiError>
where
    F: Send + 'static,
    C: Send + 'static,
    R: Default + Send + 'static,
{
    tokio::task::spawn_blocking(move || {
        let esito = modulo
            .as_ref()
            .map(|m| regole(m, &contesto))
            .unwrap_or_default();
        (modulo, contesto, esito)
    })
    .await
    .map_err(|e| super::internal("controllo delle regole", e))
}

fn da_json(v: Json) -> Result<Campagna, ApiError> {
    let dati: CampagnaDati = serde_json::from_value(v["dati"].clone()).map_err(corrupt)?;
    let proroghe: Vec<Proroga> = serde_json::from_value(v["proroghe"].clone()).map_err(corrupt)?;
    let chiusura_in_vigore = proroghe
        .iter()
        .map(|p| p.chiusura)
        .fold(dati.chiusura, DateTime::max);
    Ok(Campagna {
        id: v["id"].as_str().unwrap_or_default().to_owned(),
        stato: serde_json::from_value(v["stato"].clone()).map_err(corrupt)?,
        dati,
        proroghe,
        chiusura_in_vigore,
    })
}

fn ammesso(c: &Campagna, comune: &str) -> bool {
    c.dati
        .comuni_ammessi
        .as_ref()
        .is_none_or(|l| l.iter().any(|x| x == comune))
}

/// A campaign as `user` may see it: regional roles any; a comune's officials only published
/// campaigns their comune is eligible for (404 otherwise: they do not learn it exists).
async fn campagna_visibile(
    state: &AppState,
    user: &UtenteCorrente,
    id: &str,
) -> Result<Campagna, ApiError> {
    if !shared::servizio::id_valido(id) {
        return Err(ApiError::NotFound);
    }
    let c = da_json(state.store.campagna(id).await?.ok_or(ApiError::NotFound)?)?;
    if user.ruolo.is_comunale() {
        let comune = user
            .comune
            .as_ref()
            .map(|c| c.codice.as_str())
            .unwrap_or_default();
        if c.stato != StatoCampagna::Pubblicata || !ammesso(&c, comune) {
            return Err(ApiError::NotFound);
        }
    }
    Ok(c)
}

/// Creates a campaign in draft (Region).
pub async fn crea(
    state: &AppState,
    user: &UtenteCorrente,
    form: &CampagnaForm,
) -> Result<Campagna, ApiError> {
    solo_regione(user)?;
    let dati = controlla_campagna(form)?;
    let id = uuid::Uuid::new_v4().simple().to_string();
    let json = serde_json::to_value(&dati).map_err(corrupt)?;
    state
        .store
        .campagna_create(&id, json, &user.username)
        .await?;
    campagna_visibile(state, user, &id).await
}

/// One campaign as `user` may see it (404 for a comune not eligible or a draft).
pub async fn campagna(
    state: &AppState,
    user: &UtenteCorrente,
    id: &str,
) -> Result<Campagna, ApiError> {
    campagna_visibile(state, user, id).await
}

/// Edits a draft campaign (Region): the same rules as a new one; once published, dates move
/// only through extensions (409).
pub async fn aggiorna(
    state: &AppState,
    user: &UtenteCorrente,
    id: &str,
    form: &CampagnaForm,
) -> Result<Campagna, ApiError> {
    solo_regione(user)?;
    let prima = campagna_visibile(state, user, id).await?;
    let dati = controlla_campagna(form)?;
    let nuovi = serde_json::to_value(&dati).map_err(corrupt)?;
    let vecchi = serde_json::to_value(&prima.dati).map_err(corrupt)?;
    if !state
        .store
        .campagna_aggiorna(id, nuovi, vecchi, &user.username)
        .await?
    {
        return Err(ApiError::Conflict {
            message: "La rilevazione è già pubblicata: si può solo prorogarne il termine.".into(),
        });
    }
    campagna_visibile(state, user, id).await
}

/// A comune's "Da fare": each published campaign it is eligible for and not yet closed for
/// it (server clock), with its form's state and what is missing (the comune's officials),
/// soonest deadline first; with `chiuse`, then the closed ones, latest first.
pub async fn da_fare(
    state: &AppState,
    user: &UtenteCorrente,
    chiuse: bool,
) -> Result<Vec<DaFare>, ApiError> {
    let Some(comune) = user.comune.as_ref().filter(|_| user.ruolo.is_comunale()) else {
        return Err(ApiError::Forbidden);
    };
    let adesso = state.orologio.adesso();
    let mut voci = Vec::new();
    for c in elenco(state, user).await? {
        let s = scheda(state, user, &c.id, &comune.codice).await?;
        let chiusa = s.chiusura <= adesso;
        if chiusa && !chiuse {
            continue;
        }
        voci.push(DaFare {
            campagna: c.id,
            titolo: c.dati.titolo,
            tipo: c.dati.tipo,
            stato: s.stato,
            compilabile: s.compilabile,
            messaggio: s.messaggio.clone(),
            chiusura: s.chiusura,
            blocco: s.blocco.as_ref().map(|b| b.motivo.clone()),
            ricevuta: s.ricevuta.as_ref().map(|r| r.numero),
            manca: cosa_manca(&s),
            chiusa,
        });
    }
    voci.sort_by(|a, b| match (a.chiusa, b.chiusa) {
        (false, false) => a.chiusura.cmp(&b.chiusura),
        (true, true) => b.chiusura.cmp(&a.chiusura),
        (a, b) => a.cmp(&b),
    });
    Ok(voci)
}

/// The campaigns `user` may see.
pub async fn elenco(state: &AppState, user: &UtenteCorrente) -> Result<Vec<Campagna>, ApiError> {
    let tutte = state
        .store
        .campagne()
        .await?
        .into_iter()
        .map(da_json)
        .collect::<Result<Vec<_>, _>>()?;
    if !user.ruolo.is_comunale() {
        return Ok(tutte);
    }
    let comune = user
        .comune
        .as_ref()
        .map(|c| c.codice.clone())
        .unwrap_or_default();
    Ok(tutte
        .into_iter()
        .filter(|c| c.stato == StatoCampagna::Pubblicata && ammesso(c, &comune))
        .collect())
}

/// Every published campaign (the scheduled notices read them).
pub(crate) async fn pubblicate(state: &AppState) -> Result<Vec<Campagna>, ApiError> {
    Ok(state
        .store
        .campagne()
        .await?
        .into_iter()
        .map(da_json)
        .collect::<Result<Vec<_>, _>>()?
        .into_iter()
        .filter(|c| c.stato == StatoCampagna::Pubblicata)
        .collect())
}

/// The comuni of a campaign that need no reminder: form sent or accepted, blocked, or given a
/// deadline of their own later than the campaign's.
pub(crate) async fn comuni_senza_promemoria(
    state: &AppState,
    c: &Campagna,
) -> Result<std::collections::HashSet<String>, ApiError> {
    let mut esclusi = std::collections::HashSet::new();
    for s in state.store.schede_campagna(&c.id).await? {
        let stato = s["stato"].as_str().unwrap_or_default();
        let propria: Option<DateTime<chrono::Utc>> = s["proroga_comune"]["chiusura"]
            .as_str()
            .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
            .map(|t| t.with_timezone(&chrono::Utc));
        let fuori = matches!(stato, "inviata" | "accettata")
            || !s["blocco"].is_null()
            || propria.is_some_and(|p| p > c.chiusura_in_vigore);
        if fuori {
            if let Some(comune) = s["comune"].as_str() {
                esclusi.insert(comune.to_owned());
            }
        }
    }
    Ok(esclusi)
}

/// Publishes a draft campaign (Region).
pub async fn pubblica(
    state: &AppState,
    user: &UtenteCorrente,
    id: &str,
) -> Result<Campagna, ApiError> {
    solo_regione(user)?;
    let c = campagna_visibile(state, user, id).await?;
    if c.stato != StatoCampagna::Bozza {
        return Err(ApiError::Conflict {
            message: "La rilevazione è già stata pubblicata.".into(),
        });
    }
    state
        .store
        .campagna_stato(id, StatoCampagna::Pubblicata.code(), &user.username)
        .await?;
    campagna_visibile(state, user, id).await
}

/// Extends the deadline for every comune (Region): later than the one in force, with a reason;
/// the notice text is audited. Returns the campaign and the notice.
pub async fn proroga(
    state: &AppState,
    user: &UtenteCorrente,
    id: &str,
    form: &ProrogaForm,
) -> Result<(Campagna, String), ApiError> {
    solo_regione(user)?;
    let c = campagna_visibile(state, user, id).await?;
    let (chiusura, motivo) = controlla_proroga(form, c.chiusura_in_vigore)?;
    let p = Proroga {
        chiusura,
        motivo,
        quando: state.orologio.adesso(),
        da: user.username.clone(),
    };
    let avviso = avviso_proroga(&c.dati.titolo, chiusura);
    let json = serde_json::to_value(&p).map_err(corrupt)?;
    let esclusi = comuni_senza_promemoria(state, &c).await?;
    let posta = super::posta::campagne::ai_comuni(
        state,
        c.dati.comuni_ammessi.clone(),
        &esclusi,
        "proroga",
        |cornice, nome| super::posta::testi::prorogata(cornice, nome, &avviso, id),
    )
    .await?;
    state
        .store
        .campagna_proroga(id, json, &user.username, &avviso, posta)
        .await?;
    state.posta.sveglia();
    Ok((campagna_visibile(state, user, id).await?, avviso))
}

/// One comune's form in a campaign: state, block, own deadline, and whether it can be
/// compiled now (server clock) with the reason in Italian.
pub async fn scheda(
    state: &AppState,
    user: &UtenteCorrente,
    id: &str,
    codice: &str,
) -> Result<Scheda, ApiError> {
    let comune = super::comuni::accessibile(state, user, codice).await?;
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
async fn piano_inviato(
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
async fn contesto_fondi(
    state: &AppState,
    c: &Campagna,
    comune: &str,
    registro: &[shared::servizio::ServizioScheda],
) -> Result<fondi::Contesto, ApiError> {
    let righe = state.store.riparto(c.dati.annualita, Some(comune)).await?;
    let assegnato = super::fondi::assegnato(&righe, comune);
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

/// Records the preliminary declaration (comune officials; once; while compilable): the
/// suspended and ceased services change in the registry (checked by its rules, each with its
/// history entry) in the same transaction as the declaration, so a failure leaves both as
/// they were.
pub async fn dichiara(
    state: &AppState,
    user: &UtenteCorrente,
    id: &str,
    codice: &str,
    form: &DichiarazioneForm,
) -> Result<Scheda, ApiError> {
    let s = compilabile(state, user, id, codice, false).await?;
    if s.dichiarazione.is_some() {
        return Err(gia_dichiarata());
    }
    let attivi: Vec<String> = s.da_dichiarare.iter().map(|x| x.id.clone()).collect();
    let oggi = state.orologio.oggi();
    let voci = controlla_dichiarazione(form, &attivi, oggi)?;
    let mut cambi = Vec::new();
    for v in voci {
        let Some((stato, dal, motivo)) = v.cambio else {
            continue;
        };
        let attuale = super::servizi::scheda(state, user, &v.servizio).await?;
        let mut f = shared::servizio::regole::ServizioForm::da_dati(&attuale.dati);
        f.stato = stato.code().into();
        f.stato_dal = shared::tempo::data_italiana(dal);
        f.stato_motivo = motivo;
        let valido =
            shared::servizio::regole::ServizioValido::parse(&f, oggi, Some(attuale.dati.stato))?;
        let modifiche = valido.dati().differenze(&attuale.dati);
        if !modifiche.is_empty() {
            cambi.push(CambioServizio {
                id: attuale.id,
                versione: attuale.versione,
                dati: valido.dati().clone(),
                comune_nome: attuale.comune.nome,
                modifiche,
            });
        }
    }
    let json = serde_json::to_value(form).map_err(corrupt)?;
    let esito = state
        .store
        .dichiarazione_registra(id, &s.comune.codice, &cambi, json, &user.username)
        .await?;
    match esito {
        EsitoDichiarazione::Fatta(generazioni) => {
            for (c, g) in cambi.iter().zip(generazioni) {
                let servizio = super::servizi::scheda(state, user, &c.id).await?;
                super::servizi::aggiorna_indice(state, g, &servizio).await;
            }
            scheda(state, user, id, &s.comune.codice).await
        }
        EsitoDichiarazione::ServizioCambiato => Err(ApiError::Conflict {
            message: "Un servizio del registro è stato modificato mentre confermavi la \
                      dichiarazione: ricarica la scheda e confermala di nuovo."
                .into(),
        }),
        EsitoDichiarazione::GiaDichiarata => Err(gia_dichiarata()),
    }
}

fn gia_dichiarata() -> ApiError {
    ApiError::Conflict {
        message: "La dichiarazione preliminare è già stata confermata.".into(),
    }
}

/// The Region's overview of a campaign: every eligible comune with its form's state (Region).
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
async fn servizi_del_comune(
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
async fn compilabile(
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

fn cambiata() -> ApiError {
    ApiError::Conflict {
        message:
            "La scheda è cambiata dopo che l'hai aperta (salvata altrove, inviata o bloccata): \
                  ricaricala prima di continuare."
                .into(),
    }
}

/// Saves the comune's draft made on version `versione` (comune officials; while compilable).
/// With an idempotency key, a retried save is applied once and answered with the form.
pub async fn salva(
    state: &AppState,
    user: &UtenteCorrente,
    id: &str,
    codice: &str,
    versione: u64,
    dati: &Json,
    chiave: Option<&str>,
) -> Result<Scheda, ApiError> {
    let comune = super::comuni::accessibile(state, user, codice)
        .await?
        .codice;
    let k = Chiave::da(
        chiave,
        user,
        "bozza",
        &format!("scheda:{id}_{comune}"),
        &serde_json::json!({ "versione": versione, "dati": dati }),
    )?;
    if gia_applicata(state, &k).await? {
        return scheda(state, user, id, &comune).await;
    }
    let s = compilabile(state, user, id, &comune, true).await?;
    let tipo = campagna_visibile(state, user, id).await?.dati.tipo;
    let json = dati_del_tipo(tipo, dati)?;
    let esito = state
        .store
        .scheda_salva(id, &comune, versione, json, &user.username, parametri(&k))
        .await;
    match esito {
        Ok(EsitoScheda::Fatto(_)) => scheda(state, user, id, &s.comune.codice).await,
        // The same key committed meanwhile by a concurrent retry (its version or key came first).
        _ if gia_applicata(state, &k).await? => scheda(state, user, id, &comune).await,
        Ok(EsitoScheda::Cambiata) => Err(cambiata()),
        Err(e) => Err(e.into()),
    }
}

/// The form's data read as the campaign's kind requires (unknown fields dropped), or 422.
fn dati_del_tipo(tipo: TipoCampagna, dati: &Json) -> Result<Json, ApiError> {
    fn come<T: serde::de::DeserializeOwned + serde::Serialize>(d: &Json) -> Option<Json> {
        serde_json::from_value::<T>(d.clone())
            .ok()
            .and_then(|f| serde_json::to_value(f).ok())
    }
    match tipo {
        TipoCampagna::Frequentanti => come::<FrequentantiForm>(dati),
        TipoCampagna::Interventi => come::<InterventiForm>(dati),
        TipoCampagna::Monitoraggio => come::<MonitoraggioForm>(dati),
    }
    .ok_or_else(|| ApiError::Validation {
        fields: vec![shared::FieldError::new(
            "dati",
            "scheda.formato",
            "I dati della scheda non sono nel formato di questa rilevazione.",
        )],
    })
}

/// The receipt of a send already applied under an idempotency key.
async fn ricevuta_gia_data(
    state: &AppState,
    user: &UtenteCorrente,
    id: &str,
    comune: &str,
) -> Result<Ricevuta, ApiError> {
    scheda(state, user, id, comune)
        .await?
        .ricevuta
        .ok_or_else(|| ApiError::Conflict {
            message: "La scheda è stata riaperta dalla Regione dopo l'invio: inviala di nuovo."
                .into(),
        })
}

/// Sends the saved form (comune officials; while compilable; no error finding; warnings
/// justified): receipt with the campaign's next number, the server's time and the SHA-256 of
/// the canonical data.
pub async fn invia(
    state: &AppState,
    user: &UtenteCorrente,
    id: &str,
    codice: &str,
    chiave: Option<&str>,
) -> Result<Ricevuta, ApiError> {
    let comune = super::comuni::accessibile(state, user, codice)
        .await?
        .codice;
    let k = Chiave::da(
        chiave,
        user,
        "invio",
        &format!("scheda:{id}_{comune}"),
        &serde_json::json!({}),
    )?;
    if gia_applicata(state, &k).await? {
        return ricevuta_gia_data(state, user, id, &comune).await;
    }
    let s = compilabile(state, user, id, &comune, true).await?;
    let dati: Option<Json> = match (&s.dati, &s.fondi) {
        (Some(d), _) => serde_json::to_value(d).ok(),
        (None, Some(f)) => f
            .interventi
            .as_ref()
            .map(serde_json::to_value)
            .or_else(|| f.monitoraggio.as_ref().map(serde_json::to_value))
            .and_then(Result::ok),
        _ => None,
    };
    let Some(dati) = dati.filter(|_| s.versione > 0) else {
        return Err(ApiError::Validation {
            fields: vec![shared::FieldError::new(
                "righe",
                "scheda.vuota",
                "Compila e salva la scheda prima di inviarla.",
            )],
        });
    };
    if !frequentanti::inviabile(&s.rilievi) {
        return Err(ApiError::Validation {
            fields: s
                .rilievi
                .iter()
                .filter(|r| r.gravita == frequentanti::Gravita::Errore)
                .map(|r| shared::FieldError::new(&r.campo, &r.regola, &r.messaggio))
                .collect(),
        });
    }
    let importi = match &s.fondi {
        Some(f) => {
            let letti = match (&f.interventi, &f.monitoraggio) {
                (Some(p), _) => shared::fondi_inviati::del_piano(p),
                (None, Some(m)) => shared::fondi_inviati::del_monitoraggio(m, &f.contesto.piano),
                (None, None) => Ok(Default::default()),
            };
            let importi = letti.map_err(|(campo, messaggio)| ApiError::Validation {
                fields: vec![shared::FieldError::new(
                    &campo,
                    "importo.formato",
                    &messaggio,
                )],
            })?;
            Some(serde_json::to_value(importi).map_err(corrupt)?)
        }
        None => None,
    };
    let impronta = {
        use sha2::Digest;
        hex::encode(sha2::Sha256::digest(dati_canonici(
            id,
            &s.comune.codice,
            &dati,
        )))
    };
    let quando = state.orologio.adesso();
    match state
        .store
        .scheda_invia(
            id,
            &s.comune.codice,
            s.versione,
            &quando.to_rfc3339(),
            &impronta,
            importi,
            &user.username,
            parametri(&k),
        )
        .await
    {
        Ok(EsitoScheda::Fatto(numero)) => Ok(Ricevuta {
            numero,
            quando,
            da: user.username.clone(),
            impronta,
        }),
        _ if gia_applicata(state, &k).await? => ricevuta_gia_data(state, user, id, &comune).await,
        Ok(EsitoScheda::Cambiata) => Err(cambiata()),
        Err(e) => Err(e.into()),
    }
}

/// The eligible comune `codice` of campaign `id`, for a regional action.
async fn per_regione(
    state: &AppState,
    user: &UtenteCorrente,
    id: &str,
    codice: &str,
) -> Result<(Campagna, String), ApiError> {
    solo_regione(user)?;
    let comune = super::comuni::accessibile(state, user, codice).await?;
    let c = campagna_visibile(state, user, id).await?;
    if !ammesso(&c, &comune.codice) {
        return Err(ApiError::NotFound);
    }
    Ok((c, comune.codice))
}

/// Blocks a comune's form until the Region unlocks it (Region; with a reason).
pub async fn blocca(
    state: &AppState,
    user: &UtenteCorrente,
    id: &str,
    codice: &str,
    form: &MotivoForm,
) -> Result<Scheda, ApiError> {
    imposta_blocco(state, user, id, codice, form, true).await
}

/// Unlocks a comune's form (Region; with a reason).
pub async fn sblocca(
    state: &AppState,
    user: &UtenteCorrente,
    id: &str,
    codice: &str,
    form: &MotivoForm,
) -> Result<Scheda, ApiError> {
    imposta_blocco(state, user, id, codice, form, false).await
}

/// Sets (`bloccata`) or removes a comune form's block, audited with the reason.
async fn imposta_blocco(
    state: &AppState,
    user: &UtenteCorrente,
    id: &str,
    codice: &str,
    form: &MotivoForm,
    bloccata: bool,
) -> Result<Scheda, ApiError> {
    let motivo = form.controlla()?;
    let (c, comune) = per_regione(state, user, id, codice).await?;
    let posta = if bloccata {
        Vec::new()
    } else {
        super::posta::campagne::ai_comuni(
            state,
            Some(vec![comune.clone()]),
            &Default::default(),
            "sblocco",
            |cornice, nome| {
                super::posta::testi::sbloccata(cornice, nome, &c.dati.titolo, id, &motivo)
            },
        )
        .await?
    };
    let blocco = bloccata
        .then(|| {
            serde_json::to_value(Blocco {
                motivo: motivo.clone(),
                quando: state.orologio.adesso(),
                da: user.username.clone(),
            })
        })
        .transpose()
        .map_err(corrupt)?;
    let esito = state
        .store
        .scheda_blocco(
            id,
            &comune,
            blocco,
            &StatoScheda::non_bloccabili(),
            &user.username,
            serde_json::json!({ "motivo": motivo }),
            posta,
        )
        .await?;
    if esito == EsitoScheda::Cambiata {
        return Err(ApiError::Conflict {
            message: "La scheda è già stata inviata o accettata: non si può bloccare.".into(),
        });
    }
    state.posta.sveglia();
    scheda(state, user, id, &comune).await
}

/// Reopens a sent form so the comune can correct and send it again (Region; with a reason; the
/// old receipt is kept in the audit log).
pub async fn riapri(
    state: &AppState,
    user: &UtenteCorrente,
    id: &str,
    codice: &str,
    form: &MotivoForm,
) -> Result<Scheda, ApiError> {
    let motivo = form.controlla()?;
    let (_, comune) = per_regione(state, user, id, codice).await?;
    let prima = scheda(state, user, id, &comune).await?;
    let Some(ricevuta) = prima.ricevuta else {
        return Err(ApiError::Conflict {
            message: "Si può riaprire solo una scheda inviata.".into(),
        });
    };
    let dettagli = serde_json::json!({ "motivo": motivo, "ricevuta_annullata": ricevuta });
    match state
        .store
        .scheda_riapri(id, &comune, &user.username, dettagli)
        .await?
    {
        EsitoScheda::Fatto(_) => scheda(state, user, id, &comune).await,
        EsitoScheda::Cambiata => Err(ApiError::Conflict {
            message: "Si può riaprire solo una scheda inviata.".into(),
        }),
    }
}

/// Accepts a sent form: final (Region).
pub async fn accetta(
    state: &AppState,
    user: &UtenteCorrente,
    id: &str,
    codice: &str,
) -> Result<Scheda, ApiError> {
    let (_, comune) = per_regione(state, user, id, codice).await?;
    match state
        .store
        .scheda_revisione(
            id,
            &comune,
            "accettata",
            serde_json::json!([]),
            &user.username,
            serde_json::json!({}),
            Vec::new(),
        )
        .await?
    {
        EsitoScheda::Fatto(_) => scheda(state, user, id, &comune).await,
        EsitoScheda::Cambiata => Err(solo_inviata()),
    }
}

/// Returns a sent form to the comune for corrections, with comments on fields or sections
/// (Region). The comune corrects it and sends it again, whatever the window.
pub async fn restituisci(
    state: &AppState,
    user: &UtenteCorrente,
    id: &str,
    codice: &str,
    commenti: &[Commento],
) -> Result<Scheda, ApiError> {
    let (c, comune) = per_regione(state, user, id, codice).await?;
    let commenti = shared::campagna_regole::controlla_commenti(commenti)?;
    let json = serde_json::to_value(&commenti).map_err(corrupt)?;
    let n = commenti.len();
    let posta = super::posta::campagne::ai_comuni(
        state,
        Some(vec![comune.clone()]),
        &Default::default(),
        "restituzione",
        |cornice, nome| super::posta::testi::restituita(cornice, nome, &c.dati.titolo, id, n),
    )
    .await?;
    match state
        .store
        .scheda_revisione(
            id,
            &comune,
            "restituita",
            json.clone(),
            &user.username,
            serde_json::json!({ "commenti": json }),
            posta,
        )
        .await?
    {
        EsitoScheda::Fatto(_) => {
            state.posta.sveglia();
            scheda(state, user, id, &comune).await
        }
        EsitoScheda::Cambiata => Err(solo_inviata()),
    }
}

fn solo_inviata() -> ApiError {
    ApiError::Conflict {
        message: "Si può accettare o restituire solo una scheda inviata e non ancora esaminata."
            .into(),
    }
}

/// A comune's "services not reached" request on a monitoring form: recorded, and the form
/// is blocked until a regional official reviews it and unlocks it.
pub async fn segnala(
    state: &AppState,
    user: &UtenteCorrente,
    id: &str,
    codice: &str,
    form: &Segnalazione,
) -> Result<Scheda, ApiError> {
    if !user.ruolo.is_comunale() {
        return Err(ApiError::Forbidden);
    }
    let comune = super::comuni::accessibile(state, user, codice)
        .await?
        .codice;
    let c = campagna_visibile(state, user, id).await?;
    if c.dati.tipo != TipoCampagna::Monitoraggio {
        return Err(ApiError::Conflict {
            message: "La segnalazione di servizi non raggiunti si fa nella scheda di monitoraggio."
                .into(),
        });
    }
    // A comune's action on its form: only while the form can be compiled (window open, not
    // sent, not blocked), like saving and sending.
    compilabile(state, user, id, &comune, false).await?;
    let s = form.controlla()?;
    let blocco = Blocco {
        motivo: format!(
            "segnalati servizi non raggiunti («{}»): in attesa di verifica della Regione.",
            s.servizio
        ),
        quando: state.orologio.adesso(),
        da: user.username.clone(),
    };
    let (sj, bj) = (
        serde_json::to_value(&s).map_err(corrupt)?,
        serde_json::to_value(&blocco).map_err(corrupt)?,
    );
    match state
        .store
        .scheda_segnala(id, &comune, sj, bj, &user.username)
        .await?
    {
        EsitoScheda::Fatto(_) => scheda(state, user, id, &comune).await,
        EsitoScheda::Cambiata => Err(ApiError::Conflict {
            message: "La scheda è già stata inviata.".into(),
        }),
    }
}

/// Gives one comune its own later deadline (Region; later than the one in force for it).
pub async fn proroga_comune(
    state: &AppState,
    user: &UtenteCorrente,
    id: &str,
    codice: &str,
    form: &ProrogaForm,
) -> Result<Scheda, ApiError> {
    let (c, comune) = per_regione(state, user, id, codice).await?;
    let attuale = scheda(state, user, id, &comune).await?;
    let (chiusura, motivo) = controlla_proroga(form, attuale.chiusura)?;
    let avviso = format!(
        "I termini per la compilazione della rilevazione «{}» sono stati prorogati per il Comune di {} al {}.",
        c.dati.titolo,
        attuale.comune.nome,
        shared::campagna::data_ora_estesa(chiusura)
    );
    let posta = super::posta::campagne::ai_comuni(
        state,
        Some(vec![comune.clone()]),
        &Default::default(),
        "proroga",
        |cornice, nome| super::posta::testi::prorogata(cornice, nome, &avviso, id),
    )
    .await?;
    let p = Proroga {
        chiusura,
        motivo,
        quando: state.orologio.adesso(),
        da: user.username.clone(),
    };
    let json = serde_json::to_value(&p).map_err(corrupt)?;
    state
        .store
        .scheda_proroga(id, &comune, json, &user.username, posta)
        .await?;
    state.posta.sveglia();
    scheda(state, user, id, &comune).await
}

/// The receipt's line of totals, those of the campaign's kind: children for a frequentanti
/// form, planned amounts per fund for a plan, committed and paid for a monitoring.
/// (One line each, short enough for the page's width.)
fn totali_ricevuta(s: &Scheda, tipo: TipoCampagna) -> Vec<String> {
    let t = &s.totali;
    let per_fondo = |nome: &str, a: &shared::fondi::Assegnato| {
        format!(
            "Totale {nome}: fondo statale {}, fondo regionale {}",
            a.statale, a.regionale
        )
    };
    match (tipo, s.fondi.as_ref().map(|f| &f.totali)) {
        (TipoCampagna::Interventi, Some(f)) => vec![per_fondo("previsto", &f.previsto)],
        (TipoCampagna::Monitoraggio, Some(f)) => vec![
            per_fondo("impegnato", &f.impegnato),
            per_fondo("liquidato", &f.liquidato),
        ],
        _ => vec![format!(
            "Totali: iscritti {}, frequentanti {}, con disabilità {}, posti disponibili {}",
            t.iscritti, t.frequentanti, t.disabili, t.posti_disponibili
        )],
    }
}

/// The receipt of a sent form as a one-page PDF (the comune's officials and the Region).
pub async fn ricevuta_pdf(
    state: &AppState,
    user: &UtenteCorrente,
    id: &str,
    codice: &str,
) -> Result<crate::export::File, ApiError> {
    use crate::pdf::{documento, Riga};
    let s = scheda(state, user, id, codice).await?;
    let r = s.ricevuta.as_ref().ok_or(ApiError::NotFound)?;
    let c = campagna_visibile(state, user, id).await?;
    let mut righe = vec![
        Riga::titolo(format!("Regione {}", state.settings.regione.nome), 14.0),
        Riga::testo("Servizi educativi per l'infanzia 0-6"),
        Riga::testo(""),
        Riga::titolo(format!("Ricevuta n. {}", r.numero), 18.0),
        Riga::testo(format!("Rilevazione: {}", c.dati.titolo)),
        Riga::testo(format!(
            "Data di riferimento: {}",
            shared::tempo::data_italiana(c.dati.data_riferimento)
        )),
        Riga::testo(format!(
            "Comune: {} (ISTAT {})",
            s.comune.nome, s.comune.codice
        )),
        Riga::testo(format!(
            "Inviata il {} da {}",
            shared::campagna::data_ora_estesa(r.quando),
            r.da
        )),
    ];
    righe.extend(
        totali_ricevuta(&s, c.dati.tipo)
            .into_iter()
            .map(Riga::testo),
    );
    righe.extend([
        Riga::testo(""),
        Riga::testo("Impronta SHA-256 dei dati inviati:"),
        Riga::testo(r.impronta.clone()),
    ]);
    Ok(crate::export::File {
        nome: format!("ricevuta-{}-{}.pdf", r.numero, s.comune.codice),
        content_type: "application/pdf",
        contenuto: documento(&righe),
    })
}

/// The Region's export of a funds campaign: one row per comune (state, allocation, and the
/// amounts per line and source of its last sent version), one row per intervention, and the
/// summary per province. Amounts in euro with Italian decimals.
pub async fn esportazione_fondi(
    state: &AppState,
    user: &UtenteCorrente,
    id: &str,
) -> Result<Vec<crate::export::Foglio>, ApiError> {
    use crate::export::Foglio;
    use shared::denaro::Importo;
    solo_regione(user)?;
    let c = campagna_visibile(state, user, id).await?;
    let monitoraggio = match c.dati.tipo {
        TipoCampagna::Interventi => false,
        TipoCampagna::Monitoraggio => true,
        TipoCampagna::Frequentanti => {
            return Err(ApiError::Conflict {
                message: "L'esportazione per linee e fondi riguarda le rilevazioni di interventi e monitoraggio.".into(),
            })
        }
    };
    let quanto = if monitoraggio {
        "impegnato"
    } else {
        "previsto"
    };
    let riparto = state.store.riparto(c.dati.annualita, None).await?;
    let schede: std::collections::HashMap<String, Json> = state
        .store
        .schede_campagna_complete(id)
        .await?
        .into_iter()
        .filter_map(|r| Some((r["comune"].as_str()?.to_owned(), r)))
        .collect();
    let comuni: Vec<_> = state
        .store
        .comuni_all()
        .await?
        .into_iter()
        .filter(|x| {
            x.codice_regione == state.settings.regione.codice && x.attivo && ammesso(&c, &x.codice)
        })
        .collect();
    let combinazioni: Vec<(fondi::Linea, fondi::Fonte)> = fondi::Linea::ALL
        .iter()
        .flat_map(|l| fondi::Fonte::ALL.iter().map(move |f| (*l, *f)))
        .collect();
    let mut intest_comuni: Vec<String> = [
        "Codice ISTAT",
        "Comune",
        "Provincia",
        "Stato della scheda",
        "Ricevuta",
        "Assegnato statale",
        "Assegnato regionale",
    ]
    .iter()
    .map(|x| x.to_string())
    .collect();
    intest_comuni.extend(
        combinazioni
            .iter()
            .map(|(l, f)| format!("{quanto} linea {} {}", l.code(), f.code())),
    );
    intest_comuni.push(format!("Totale {quanto}"));
    if monitoraggio {
        intest_comuni.push("Totale liquidato".into());
    }
    let mut intest_interventi: Vec<String> = [
        "Codice ISTAT",
        "Comune",
        "Provincia",
        "Intervento",
        "Linea",
        "Fonte",
        "Descrizione",
        "Previsto",
    ]
    .iter()
    .map(|x| x.to_string())
    .collect();
    if monitoraggio {
        intest_interventi.extend(
            [
                "Impegnato",
                "Atto",
                "Data atto",
                "Liquidato",
                "Avanzamento",
                "Non utilizzato",
                "Motivo",
            ]
            .iter()
            .map(|x| x.to_string()),
        );
    }
    let mut righe_comuni = Vec::new();
    let mut righe_interventi = Vec::new();
    // Per province: comuni, sent forms, allocation per source, total amount.
    let mut province: std::collections::BTreeMap<String, (usize, usize, i64, i64, i64)> =
        Default::default();
    let euro = |i: i64| Importo(i).testo();
    let testo = |i: Option<Importo>| i.map(|i| i.testo()).unwrap_or_default();
    for x in &comuni {
        let riga = schede.get(&x.codice);
        let stato = riga
            .and_then(|r| r["stato"].as_str())
            .and_then(StatoScheda::from_code)
            .unwrap_or(StatoScheda::NonIniziata);
        let ultimo = riga.and_then(|r| r["invii"].as_array().and_then(|a| a.last().cloned()));
        let a = super::fondi::assegnato(&riparto, &x.codice);
        let (st, rg) = (a.statale.0, a.regionale.0);
        let mut per_combinazione = vec![0i64; combinazioni.len()];
        let mut liquidato = 0i64;
        if let Some(inv) = &ultimo {
            // The amounts as read when the form was sent; a sent version whose amounts do
            // not read is damaged data, and the export stops rather than print a zero.
            let importi: shared::fondi_inviati::ImportiInviati =
                serde_json::from_value(inv["importi"].clone())
                    .map_err(|e| corrupt(format!("importi dell'invio di {}: {e}", x.codice)))?;
            let moduli: Vec<Option<fondi::MonitoraggioVoceForm>> = if monitoraggio {
                let m: MonitoraggioForm =
                    serde_json::from_value(inv["dati"].clone()).map_err(corrupt)?;
                m.voci.into_iter().map(Some).collect()
            } else {
                Vec::new()
            };
            for (n, v) in importi.voci.iter().enumerate() {
                let quanto = if monitoraggio {
                    v.impegnato
                } else {
                    v.previsto
                };
                if let Some(k) = combinazioni
                    .iter()
                    .position(|(l, f)| *l == v.linea && *f == v.fonte)
                {
                    per_combinazione[k] += quanto.unwrap_or_default().0;
                }
                liquidato += v.liquidato.unwrap_or_default().0;
                let mut r = vec![
                    x.codice.clone(),
                    x.nome.clone(),
                    x.sigla_provincia.clone(),
                    v.intervento.clone(),
                    v.linea.code().to_owned(),
                    v.fonte.code().to_owned(),
                    v.descrizione.clone(),
                    testo(v.previsto),
                ];
                if monitoraggio {
                    let m = moduli.get(n).cloned().flatten().unwrap_or_default();
                    r.extend([
                        testo(v.impegnato),
                        m.atto_numero,
                        m.atto_data,
                        testo(v.liquidato),
                        m.avanzamento,
                        testo(v.non_utilizzato),
                        m.motivo_non_utilizzato,
                    ]);
                }
                righe_interventi.push(r);
            }
        }
        let totale: i64 = per_combinazione.iter().sum();
        let mut r = vec![
            x.codice.clone(),
            x.nome.clone(),
            x.sigla_provincia.clone(),
            stato.label().to_owned(),
            ultimo
                .as_ref()
                .and_then(|i| i["numero"].as_u64())
                .map(|n| n.to_string())
                .unwrap_or_default(),
            euro(st),
            euro(rg),
        ];
        r.extend(per_combinazione.iter().map(|v| euro(*v)));
        r.push(euro(totale));
        if monitoraggio {
            r.push(euro(liquidato));
        }
        righe_comuni.push(r);
        let p = province.entry(x.provincia.clone()).or_default();
        p.0 += 1;
        p.1 += usize::from(ultimo.is_some());
        p.2 += st;
        p.3 += rg;
        p.4 += totale;
    }
    let righe_province = province
        .into_iter()
        .map(|(p, (n, inviate, st, rg, tot))| {
            vec![
                p,
                n.to_string(),
                inviate.to_string(),
                euro(st),
                euro(rg),
                euro(tot),
            ]
        })
        .collect();
    Ok(vec![
        Foglio {
            nome: "Comuni".into(),
            intestazione: intest_comuni,
            righe: righe_comuni,
        },
        Foglio {
            nome: "Interventi".into(),
            intestazione: intest_interventi,
            righe: righe_interventi,
        },
        Foglio {
            nome: "Province".into(),
            intestazione: [
                "Provincia",
                "Comuni",
                "Schede inviate",
                "Assegnato statale",
                "Assegnato regionale",
                &format!("Totale {quanto}"),
            ]
            .iter()
            .map(|x| x.to_string())
            .collect(),
            righe: righe_province,
        },
    ])
}
