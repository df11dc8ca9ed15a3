//! "Registrazione utenti": the legal representative drafts and sends the list of users to
//! enable (a receipt number), the Region approves (profile) or refuses (reason) each one;
//! approving creates the account `in_attesa` with its activation e-mail, in one transaction.
//! The legal representative also asks to disable a user of the comune; the Region decides.

use super::apertura::{cf_non_disponibile, stesso_nome, Apertura};
use super::solo_regione;
use super::utenti::prepara_disabilitazione;
use crate::state::AppState;
use crate::store::audit::AuditEntry;
use crate::store::registrazioni::{
    DisabilitazioneRow, EsitoRow, IdentitaRow, NuovaDisabilitazione, NuovaRegistrazione,
    RegistrazioneRow, RigaBozza, VoceRow, CAMBIATA,
};
use crate::store::transazione::Transazione;
use crate::store::utenti::{duplicato, STATO_CAMBIATO};
use crate::store::StoreError;
use chrono::Datelike;
use shared::auth::{Ruolo, UtenteCorrente};
use shared::comune::ComuneRef;
use shared::registrazione::{
    stato_richiesta, ApprovazioneForm, BozzaRichiesta, CodaRichieste, Decisione,
    DisabilitazioneForm, EsitoVoce, FiltroRichieste, MotivazioneForm, Richiesta,
    RichiestaDisabilitazione, RichiestaForm, StatoDisabilitazione, VoceRichiesta,
    MAX_UTENTI_RICHIESTA,
};
use shared::utente::{ruolo_comunale, Identita, IdentitaForm, StatoUtente};
use shared::{ApiError, FieldError};

/// The comune `codice` if `user` is its legal representative (403 otherwise).
async fn come_legale(
    state: &AppState,
    user: &UtenteCorrente,
    codice: &str,
) -> Result<crate::store::comuni::ComuneRow, ApiError> {
    let comune = super::comuni::accessibile(state, user, codice).await?;
    if user.ruolo != Ruolo::LegaleRappresentante {
        return Err(ApiError::Forbidden);
    }
    Ok(comune)
}

fn identita_row(i: &Identita) -> IdentitaRow {
    IdentitaRow {
        nome: i.nome.clone(),
        cognome: i.cognome.clone(),
        codice_fiscale: i.codice_fiscale.clone(),
        email: i.email.clone(),
        telefono: i.telefono.clone(),
        ufficio: i.ufficio.clone(),
    }
}

fn identita(r: &IdentitaRow) -> Identita {
    Identita {
        nome: r.nome.clone(),
        cognome: r.cognome.clone(),
        codice_fiscale: r.codice_fiscale.clone(),
        email: r.email.clone(),
        telefono: r.telefono.clone(),
        ufficio: r.ufficio.clone(),
    }
}

fn richiesta(r: RegistrazioneRow) -> Result<Richiesta, ApiError> {
    let utenti = r
        .utenti
        .iter()
        .map(|v| {
            let esito = v
                .esito
                .as_ref()
                .map(|e| {
                    Ok::<_, ApiError>(EsitoVoce {
                        decisione: Decisione::from_code(&e.decisione)
                            .ok_or_else(|| super::internal("decisione", &e.decisione))?,
                        ruolo: e.ruolo.as_deref().and_then(Ruolo::from_code),
                        motivo: e.motivo.clone(),
                        da: e.da.clone(),
                        quando: e.quando,
                        account: e.account.clone(),
                    })
                })
                .transpose()?;
            Ok(VoceRichiesta {
                identita: identita(&v.identita),
                esito,
            })
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    Ok(Richiesta {
        stato: stato_richiesta(&utenti),
        id: r.id,
        numero: r.numero,
        comune: ComuneRef {
            codice: r.comune,
            nome: r.comune_nome,
        },
        sigla_provincia: r.sigla_provincia,
        richiedente: r.richiedente,
        richiedente_nome: r.richiedente_nome,
        inviata: r.inviata,
        utenti,
    })
}

/// The comune's draft (its legal representative).
#[tracing::instrument(skip_all, err(level = "info"), fields(comune = %codice))]
pub async fn bozza(
    state: &AppState,
    user: &UtenteCorrente,
    codice: &str,
) -> Result<BozzaRichiesta, ApiError> {
    let comune = come_legale(state, user, codice).await?;
    Ok(
        match state.store.bozza_registrazione(&comune.codice).await? {
            Some(b) => BozzaRichiesta {
                utenti: b
                    .utenti
                    .into_iter()
                    .map(|r| IdentitaForm {
                        nome: r.nome,
                        cognome: r.cognome,
                        codice_fiscale: r.codice_fiscale,
                        email: r.email,
                        telefono: r.telefono,
                        ufficio: r.ufficio,
                    })
                    .collect(),
                versione: u64::try_from(b.versione).unwrap_or(0),
                salvata: Some(b.salvata),
            },
            None => BozzaRichiesta::default(),
        },
    )
}

/// Saves the comune's draft as typed (rules are not applied to a draft, only sizes): 409 if
/// someone saved it after `versione`.
#[tracing::instrument(skip_all, err(level = "info"), fields(comune = %codice))]
pub async fn salva_bozza(
    state: &AppState,
    user: &UtenteCorrente,
    codice: &str,
    versione: u64,
    utenti: &[IdentitaForm],
) -> Result<BozzaRichiesta, ApiError> {
    let comune = come_legale(state, user, codice).await?;
    if utenti.len() > MAX_UTENTI_RICHIESTA {
        return Err(ApiError::Validation {
            fields: vec![FieldError::new(
                "utenti",
                "richiesta.troppi",
                "Una richiesta può contenere al massimo 20 utenti.",
            )],
        });
    }
    let righe: Vec<RigaBozza> = utenti
        .iter()
        .map(|u| RigaBozza {
            nome: tronca(&u.nome),
            cognome: tronca(&u.cognome),
            codice_fiscale: tronca(&u.codice_fiscale),
            email: tronca(&u.email),
            telefono: tronca(&u.telefono),
            ufficio: tronca(&u.ufficio),
        })
        .collect();
    let salvata = state
        .store
        .bozza_registrazione_salva(
            &comune.codice,
            i64::try_from(versione).unwrap_or(i64::MAX),
            righe,
            &user.username,
            state.orologio.adesso(),
        )
        .await?;
    if salvata.is_none() {
        return Err(ApiError::Conflict {
            message: "La bozza è stata salvata da un'altra finestra o da un altro dispositivo: ricarica la pagina per vederla.".into(),
        });
    }
    bozza(state, user, codice).await
}

/// A draft keeps at most 300 characters of each field (what no real value exceeds).
fn tronca(s: &str) -> String {
    s.chars().take(300).collect()
}

/// Sends the comune's request (its legal representative): every rule of every row, no user
/// whose codice fiscale already has an account (active or waiting) in any comune; a receipt
/// number per year; the draft removed; a receipt e-mail to the sender.
#[tracing::instrument(skip_all, err(level = "info"), fields(comune = %codice))]
pub async fn invia(
    state: &AppState,
    user: &UtenteCorrente,
    codice: &str,
    form: &RichiestaForm,
) -> Result<Richiesta, ApiError> {
    let comune = come_legale(state, user, codice).await?;
    let utenti = form.controlla()?;
    let mut errori = Vec::new();
    for (i, u) in utenti.iter().enumerate() {
        if let Some(r) = state.store.utente_per_cf(&u.codice_fiscale).await? {
            if r.stato != StatoUtente::Disabilitato.code() {
                let campo = format!("utenti.{i}.codice_fiscale");
                let e = if r.comune.as_deref() == Some(comune.codice.as_str()) {
                    ApiError::Validation {
                        fields: vec![FieldError::new(
                            &campo,
                            "codice_fiscale.gia_abilitato",
                            "Questa persona ha già un account del comune: non serve chiederlo di nuovo.",
                        )],
                    }
                } else {
                    // The legal representative does not learn where the account is.
                    cf_non_disponibile(&r, &campo, false)
                };
                errori.extend(e.fields().iter().cloned());
            }
        }
    }
    if !errori.is_empty() {
        return Err(ApiError::Validation { fields: errori });
    }
    let me = state
        .store
        .utente(&user.username)
        .await?
        .ok_or_else(ApiError::session_required)?;
    let adesso = state.orologio.adesso();
    let anno = shared::tempo::ora_italiana(adesso).year();
    let id = uuid::Uuid::new_v4().simple().to_string();
    let n = utenti.len();
    let mut tx = Transazione::new();
    let indice = tx.invia_registrazione(NuovaRegistrazione {
        id: id.clone(),
        comune: comune.codice.clone(),
        richiedente: user.username.clone(),
        richiedente_nome: me.nome_completo(),
        inviata: adesso,
        serie: format!("registrazioni_{anno}"),
        prefisso: format!("REG-{anno}-"),
        utenti: utenti
            .iter()
            .map(|u| VoceRow {
                identita: identita_row(u),
                esito: None,
            })
            .collect(),
    });
    tx.audit(AuditEntry {
        attore: Some(user.username.clone()),
        azione: "richiesta_abilitazione".into(),
        oggetto: format!("registrazione:{id}"),
        esito: "ok".into(),
        dettagli: Some(serde_json::json!({ "comune": comune.codice, "utenti": n })),
    });
    // One request at a time takes a number of the year's series.
    let _turno = state.store.turno(&format!("registrazioni_{anno}")).await;
    let mut res = tx.esegui_con_riprova(&state.store).await?;
    let numero: Option<String> = res.take(indice + 1).map_err(StoreError::from)?;
    let numero = numero.unwrap_or_default();
    // The receipt e-mail, apart: the request stands even if it could not be queued.
    let t = super::posta::testi::richiesta_ricevuta(
        &super::posta::cornice(state),
        &me.nome_completo(),
        &numero,
        &comune.nome,
        n,
    );
    let mut avviso = Transazione::new();
    avviso.accoda(super::posta::messaggio(
        state,
        &me.email,
        &t,
        "richiesta_ricevuta",
        None,
    ));
    if let Err(e) = avviso.esegui_con_riprova(&state.store).await {
        tracing::warn!(error = %e, "ricevuta della richiesta non accodata");
    }
    state.posta.sveglia();
    richiesta_di(state, &id).await
}

async fn richiesta_di(state: &AppState, id: &str) -> Result<Richiesta, ApiError> {
    if !shared::servizio::id_valido(id) {
        return Err(ApiError::NotFound);
    }
    richiesta(
        state
            .store
            .registrazione(id)
            .await?
            .ok_or(ApiError::NotFound)?,
    )
}

/// One request: its comune's legal representative, or the Region.
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn una(state: &AppState, user: &UtenteCorrente, id: &str) -> Result<Richiesta, ApiError> {
    let r = richiesta_di(state, id).await?;
    let consentito = !user.ruolo.is_comunale()
        || (user.ruolo == Ruolo::LegaleRappresentante && user.can_access_comune(&r.comune.codice));
    if !consentito {
        return Err(ApiError::Forbidden);
    }
    Ok(r)
}

/// A comune's requests, newest first (its legal representative, or the Region).
#[tracing::instrument(skip_all, err(level = "info"), fields(comune = %codice))]
pub async fn del_comune(
    state: &AppState,
    user: &UtenteCorrente,
    codice: &str,
) -> Result<Vec<Richiesta>, ApiError> {
    let comune = super::comuni::accessibile(state, user, codice).await?;
    if user.ruolo == Ruolo::OperatoreComunale {
        return Err(ApiError::Forbidden);
    }
    state
        .store
        .registrazioni_del_comune(&comune.codice)
        .await?
        .into_iter()
        .map(richiesta)
        .collect()
}

/// The Region's queue: requests with users to decide (or all), oldest first, of a province
/// or comune, with the counts.
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn coda(
    state: &AppState,
    user: &UtenteCorrente,
    f: &FiltroRichieste,
) -> Result<CodaRichieste, ApiError> {
    solo_regione(user)?;
    let provincia = Some(f.provincia.trim().to_uppercase()).filter(|p| !p.is_empty());
    if provincia
        .as_deref()
        .is_some_and(|p| p.len() != 2 || !p.bytes().all(|b| b.is_ascii_alphabetic()))
    {
        return Err(ApiError::Validation {
            fields: vec![FieldError::new(
                "provincia",
                "provincia.formato",
                "La provincia è indicata dalla sigla di 2 lettere (es. TO).",
            )],
        });
    }
    let comune = Some(f.comune.trim().to_owned()).filter(|c| !c.is_empty());
    if let Some(c) = &comune {
        shared::comune::CodiceIstat::parse(c)?;
    }
    let tutte = match f.stato.trim() {
        "" | "da_esaminare" => false,
        "tutte" => true,
        _ => {
            return Err(ApiError::Validation {
                fields: vec![FieldError::new(
                    "stato",
                    "stato.valore",
                    "Scegli «da esaminare» o «tutte».",
                )],
            })
        }
    };
    let (aperte, utenti) = state.store.registrazioni_conteggi().await?;
    let richieste = state
        .store
        .registrazioni_coda(!tutte, provincia.as_deref(), comune.as_deref())
        .await?
        .into_iter()
        .map(richiesta)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(CodaRichieste {
        richieste_aperte: u32::try_from(aperte).unwrap_or(u32::MAX),
        utenti_da_esaminare: u32::try_from(utenti).unwrap_or(u32::MAX),
        richieste,
    })
}

/// The decision on user `indice` of request `id`, taken by the Region.
enum Scelta {
    Approva(Ruolo),
    Rifiuta(String),
}

/// Approves user `indice` of request `id` with a comune profile (Region): the account is
/// created `in_attesa` (or a disabled one of the same person reopened for this comune) with
/// its activation e-mail, the decision recorded and the legal representative told, all in
/// one transaction.
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn approva(
    state: &AppState,
    user: &UtenteCorrente,
    id: &str,
    indice: usize,
    form: &ApprovazioneForm,
) -> Result<Richiesta, ApiError> {
    solo_regione(user)?;
    let ruolo = ruolo_comunale(&form.ruolo)?;
    decidi(state, user, id, indice, Scelta::Approva(ruolo)).await
}

/// Refuses user `indice` of request `id`, with a reason (Region); the legal representative
/// is told. No account is created.
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn rifiuta(
    state: &AppState,
    user: &UtenteCorrente,
    id: &str,
    indice: usize,
    form: &MotivazioneForm,
) -> Result<Richiesta, ApiError> {
    solo_regione(user)?;
    let motivo = form.controlla()?;
    decidi(state, user, id, indice, Scelta::Rifiuta(motivo)).await
}

async fn decidi(
    state: &AppState,
    user: &UtenteCorrente,
    id: &str,
    indice: usize,
    scelta: Scelta,
) -> Result<Richiesta, ApiError> {
    solo_regione(user)?;
    if !shared::servizio::id_valido(id) {
        return Err(ApiError::NotFound);
    }
    let r = state
        .store
        .registrazione(id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let voce = r.utenti.get(indice).ok_or(ApiError::NotFound)?.clone();
    if voce.esito.is_some() {
        return Err(ApiError::Conflict {
            message: "Su questo utente la Regione ha già deciso.".into(),
        });
    }
    let persona = identita(&voce.identita);
    let adesso = state.orologio.adesso();
    let mut tx = Transazione::new();
    let (esito, account, azione) = match &scelta {
        Scelta::Approva(ruolo) => {
            let account = apri_account(
                state,
                &mut tx,
                &user.username,
                &r.comune,
                &persona,
                *ruolo,
                indice,
            )
            .await?;
            let esito = EsitoRow {
                decisione: Decisione::Approvato.code().into(),
                ruolo: Some(ruolo.code().into()),
                motivo: None,
                da: user.username.clone(),
                quando: adesso,
                account: Some(account.clone()),
            };
            (esito, Some(account), "approvazione_utente")
        }
        Scelta::Rifiuta(motivo) => {
            let esito = EsitoRow {
                decisione: Decisione::Rifiutato.code().into(),
                ruolo: None,
                motivo: Some(motivo.clone()),
                da: user.username.clone(),
                quando: adesso,
                account: None,
            };
            (esito, None, "rifiuto_utente")
        }
    };
    let mut voci = r.utenti.clone();
    if let Some(v) = voci.get_mut(indice) {
        v.esito = Some(esito);
    }
    tx.decidi_registrazione(&r.id, r.versione, voci);
    if let Some(lr) = state.store.utente(&r.richiedente).await? {
        let esito = match &scelta {
            Scelta::Approva(ruolo) => Ok(ruolo.label()),
            Scelta::Rifiuta(m) => Err(m.as_str()),
        };
        let t = super::posta::testi::richiesta_decisa(
            &super::posta::cornice(state),
            &lr.nome_completo(),
            &r.numero,
            &persona.nome_completo(),
            esito,
        );
        tx.accoda(super::posta::messaggio(
            state,
            &lr.email,
            &t,
            "richiesta_decisa",
            None,
        ));
    }
    tx.audit(AuditEntry {
        attore: Some(user.username.clone()),
        azione: azione.into(),
        oggetto: format!("registrazione:{}", r.id),
        esito: "ok".into(),
        dettagli: Some(serde_json::json!({ "utente": indice, "account": account })),
    });
    match tx.esegui_con_guardie(&state.store, &[CAMBIATA, STATO_CAMBIATO]).await {
        Ok(Some(_)) => {}
        Ok(None) => {
            return Err(ApiError::Conflict {
                message: "La richiesta è cambiata nel frattempo: ricarica la pagina.".into(),
            })
        }
        Err(e) if duplicato(&e) => {
            return Err(ApiError::Conflict {
                message: "Un account con lo stesso codice fiscale è stato creato nel frattempo: ricarica la pagina.".into(),
            })
        }
        Err(e) => return Err(e.into()),
    }
    state.posta.sveglia();
    richiesta_di(state, id).await
}

/// The account an approval opens for `persona` in `comune` (see [`super::apertura`]): a 409
/// when the codice fiscale cannot be given one.
async fn apri_account(
    state: &AppState,
    tx: &mut Transazione,
    da: &str,
    comune: &str,
    persona: &Identita,
    ruolo: Ruolo,
    indice: usize,
) -> Result<String, ApiError> {
    let a = Apertura {
        persona,
        pec: None,
        ruolo,
        comune: Some(comune),
        campo_cf: &format!("utenti.{indice}.codice_fiscale"),
        dettagli: true,
        per_posta: true,
    };
    match super::apertura::prepara(state, tx, da, &a, &mut Default::default()).await {
        Ok(aperto) => Ok(aperto.username),
        Err(ApiError::Validation { fields }) => Err(ApiError::Conflict {
            message: fields
                .first()
                .map_or_else(String::new, |f| f.message.clone()),
        }),
        Err(e) => Err(e),
    }
}

fn disabilitazione(r: DisabilitazioneRow) -> Result<RichiestaDisabilitazione, ApiError> {
    Ok(RichiestaDisabilitazione {
        stato: StatoDisabilitazione::from_code(&r.stato)
            .ok_or_else(|| super::internal("stato disabilitazione", &r.stato))?,
        id: r.id,
        comune: ComuneRef {
            codice: r.comune,
            nome: r.comune_nome,
        },
        utente: r.utente,
        nome: r.nome,
        cognome: r.cognome,
        codice_fiscale: r.codice_fiscale,
        motivo: r.motivo,
        richiedente: r.richiedente,
        quando: r.quando,
        deciso_da: r.deciso_da,
        deciso_il: r.deciso_il,
        motivo_decisione: r.motivo_decisione,
    })
}

/// The legal representative asks to disable a user of the comune, naming NOME, COGNOME and CF
/// (they must match an account of the comune); the Region confirms.
#[tracing::instrument(skip_all, err(level = "info"), fields(comune = %codice))]
pub async fn chiedi_disabilitazione(
    state: &AppState,
    user: &UtenteCorrente,
    codice: &str,
    form: &DisabilitazioneForm,
) -> Result<RichiestaDisabilitazione, ApiError> {
    let comune = come_legale(state, user, codice).await?;
    let d = form.controlla()?;
    let row = state
        .store
        .utente_per_cf(&d.codice_fiscale)
        .await?
        .filter(|r| r.comune.as_deref() == Some(comune.codice.as_str()))
        .filter(|r| stesso_nome(&r.nome, &d.nome) && stesso_nome(&r.cognome, &d.cognome))
        .ok_or_else(|| ApiError::Validation {
            fields: vec![FieldError::new(
                "codice_fiscale",
                "utente.non_trovato",
                &format!(
                    "Nome, cognome e codice fiscale non corrispondono a un utente del Comune di {}.",
                    comune.nome
                ),
            )],
        })?;
    if row.stato == StatoUtente::Disabilitato.code() {
        return Err(ApiError::Conflict {
            message: "Questo utente è già disabilitato.".into(),
        });
    }
    if state.store.disabilitazione_aperta(&row.username).await? {
        return Err(ApiError::Conflict {
            message: "C'è già una richiesta di disabilitazione in attesa per questo utente.".into(),
        });
    }
    let id = uuid::Uuid::new_v4().simple().to_string();
    let mut tx = Transazione::new();
    tx.crea_disabilitazione(NuovaDisabilitazione {
        id: id.clone(),
        comune: comune.codice.clone(),
        utente: row.username.clone(),
        motivo: d.motivo.clone(),
        richiedente: user.username.clone(),
        quando: state.orologio.adesso(),
    });
    tx.audit(AuditEntry {
        attore: Some(user.username.clone()),
        azione: "richiesta_disabilitazione".into(),
        oggetto: format!("utente:{}", row.username),
        esito: "ok".into(),
        dettagli: Some(serde_json::json!({ "motivo": d.motivo })),
    });
    tx.esegui_con_riprova(&state.store).await?;
    disabilitazione(
        state
            .store
            .disabilitazione(&id)
            .await?
            .ok_or(ApiError::NotFound)?,
    )
}

/// Requests to disable: the Region sees all (waiting first), a legal representative those of
/// the comune.
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn disabilitazioni(
    state: &AppState,
    user: &UtenteCorrente,
) -> Result<Vec<RichiestaDisabilitazione>, ApiError> {
    let comune = match user.ruolo {
        Ruolo::FunzionarioRegionale | Ruolo::Amministratore => None,
        Ruolo::LegaleRappresentante => Some(
            user.comune
                .as_ref()
                .map(|c| c.codice.clone())
                .ok_or(ApiError::Forbidden)?,
        ),
        Ruolo::OperatoreComunale => return Err(ApiError::Forbidden),
    };
    state
        .store
        .disabilitazioni(comune.as_deref())
        .await?
        .into_iter()
        .map(disabilitazione)
        .collect()
}

/// The Region confirms a request to disable: the account is disabled at once (sessions end,
/// links void) and the legal representative is told; or refuses it with a reason.
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn decidi_disabilitazione(
    state: &AppState,
    user: &UtenteCorrente,
    id: &str,
    conferma: bool,
    form: Option<&MotivazioneForm>,
) -> Result<RichiestaDisabilitazione, ApiError> {
    solo_regione(user)?;
    let motivo = form.map(MotivazioneForm::controlla).transpose()?;
    if !shared::servizio::id_valido(id) {
        return Err(ApiError::NotFound);
    }
    let d = state
        .store
        .disabilitazione(id)
        .await?
        .ok_or(ApiError::NotFound)?;
    if d.stato != StatoDisabilitazione::InAttesa.code() {
        return Err(ApiError::Conflict {
            message: "Su questa richiesta la Regione ha già deciso.".into(),
        });
    }
    let row = super::utenti::gestibile(state, user, &d.utente).await?;
    let adesso = state.orologio.adesso();
    let mut tx = Transazione::new();
    tx.decidi_disabilitazione(
        id,
        if conferma { "confermata" } else { "respinta" },
        &user.username,
        adesso,
        motivo.clone(),
    );
    if conferma {
        prepara_disabilitazione(state, &mut tx, &user.username, &row, &d.motivo);
    }
    if let Some(lr) = state.store.utente(&d.richiedente).await? {
        let esito = if conferma {
            Ok(())
        } else {
            Err(motivo.as_deref().unwrap_or_default())
        };
        let t = super::posta::testi::disabilitazione_decisa(
            &super::posta::cornice(state),
            &lr.nome_completo(),
            &row.nome_completo(),
            esito,
        );
        tx.accoda(super::posta::messaggio(
            state,
            &lr.email,
            &t,
            "disabilitazione_decisa",
            None,
        ));
    }
    if !conferma {
        tx.audit(AuditEntry {
            attore: Some(user.username.clone()),
            azione: "disabilitazione_respinta".into(),
            oggetto: format!("utente:{}", row.username),
            esito: "ok".into(),
            dettagli: Some(serde_json::json!({ "motivo": motivo })),
        });
    }
    if tx
        .esegui_con_guardie(&state.store, &[CAMBIATA, STATO_CAMBIATO])
        .await?
        .is_none()
    {
        return Err(ApiError::Conflict {
            message: "La richiesta o l'account sono cambiati nel frattempo: ricarica la pagina."
                .into(),
        });
    }
    state.posta.sveglia();
    disabilitazione(
        state
            .store
            .disabilitazione(id)
            .await?
            .ok_or(ApiError::NotFound)?,
    )
}
