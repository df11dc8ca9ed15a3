//! What leaves the system about the forms: the receipt PDF and the Region's funds export
//! (per comune, per intervention, per province).

use super::*;

/// The receipt's line of totals, those of the campaign's kind: children for a frequentanti
/// form, planned amounts per fund for a plan, committed and paid for a monitoring.
/// (One line each, short enough for the page's width.)
pub(super) fn totali_ricevuta(s: &Scheda, tipo: TipoCampagna) -> Vec<String> {
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
#[tracing::instrument(skip_all, err(level = "info"), fields(campagna = %id, comune = %codice))]
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
        contenuto: documento(
            &format!("Ricevuta n. {} — {}", r.numero, c.dati.titolo),
            r.quando,
            &righe,
        )
        .map_err(|e| crate::service::internal("ricevuta PDF", e))?,
    })
}

/// The Region's export of a funds campaign: one row per comune (state, allocation, and the
/// amounts per line and source of its last sent version), one row per intervention, and the
/// summary per province. Amounts in euro with Italian decimals.
#[tracing::instrument(skip_all, err(level = "info"), fields(campagna = %id))]
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
    let schede: std::collections::HashMap<String, crate::store::schede::SchedaSalvata> = state
        .store
        .schede_campagna_complete(id, c.dati.tipo)
        .await?
        .into_iter()
        .map(|r| (r.comune.clone(), r))
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
        let stato = riga.map(|r| r.stato).unwrap_or(StatoScheda::NonIniziata);
        let ultimo = riga.and_then(|r| r.invii.last());
        let a = crate::service::fondi::assegnato(&riparto, &x.codice);
        let (st, rg) = (a.statale.0, a.regionale.0);
        let mut per_combinazione = vec![0i64; combinazioni.len()];
        let mut liquidato = 0i64;
        if let Some(inv) = &ultimo {
            // The amounts as read when the form was sent; a sent version whose amounts do
            // not read is damaged data, and the export stops rather than print a zero.
            let importi = inv
                .importi
                .as_ref()
                .ok_or_else(|| corrupt(format!("importi dell'invio di {}: assenti", x.codice)))?;
            let moduli: Vec<fondi::MonitoraggioVoceForm> = if monitoraggio {
                let m = inv.dati.clone().monitoraggio().ok_or_else(|| {
                    corrupt(format!("invio di {}: non è un monitoraggio", x.codice))
                })?;
                if m.voci.len() != importi.voci.len() {
                    return Err(corrupt(format!(
                        "invio di {}: {} voci nel modulo, {} negli importi",
                        x.codice,
                        m.voci.len(),
                        importi.voci.len()
                    )));
                }
                m.voci
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
                    // The same length as the amounts (checked above).
                    let m = moduli.get(n).cloned().unwrap_or_default();
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
            ultimo.map(|i| i.numero.to_string()).unwrap_or_default(),
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
