//! The rules of a monitoring: each planned intervention's progress, committed, paid and
//! unused amounts against the plan sent and the allocation.

use super::*;

/// Runs the monitoring's rules: every planned intervention listed; per intervention paid ≤
/// committed ≤ planned, the act (number and date not after the reference date) when something
/// is committed, the amount not used with its reason; new interventions with their reason; per
/// source, the total committed not above the allocation.
pub fn controlla_monitoraggio(f: &MonitoraggioForm, ctx: &Contesto) -> (Vec<Rilievo>, TotaliFondi) {
    let mut r = Rilievi(Vec::new());
    let mut tot = TotaliFondi::default();
    if f.voci.len() > VOCI_MAX || ctx.piano.interventi.len() > VOCI_MAX {
        r.errore(
            "voci".into(),
            "voci.troppe",
            format!("Al massimo {VOCI_MAX} interventi."),
        );
        return (r.0, tot);
    }
    for (j, p) in ctx.piano.interventi.iter().enumerate() {
        if !f.voci.iter().any(|v| !v.nuovo && v.intervento == p.id) {
            r.errore(
                "voci".into(),
                "monitoraggio.intervento_mancante",
                format!(
                    "Manca il monitoraggio dell'intervento {} «{}».",
                    j + 1,
                    p.descrizione.trim()
                ),
            );
        }
    }
    for (i, v) in f.voci.iter().enumerate() {
        let c = |n: &str| format!("voci[{i}].{n}");
        let piano = ctx.piano.interventi.iter().find(|p| p.id == v.intervento);
        let (fonte, previsto, inizio) = match (v.nuovo, piano) {
            (false, Some(p)) => (
                Fonte::from_code(p.fonte.trim()),
                Importo::parse(&p.importo_previsto).ok(),
                crate::servizio::regole::parse_data(&p.inizio),
            ),
            (false, None) => {
                r.errore(
                    c("intervento"),
                    "monitoraggio.intervento_sconosciuto",
                    "Intervento non presente nel piano inviato.".into(),
                );
                (None, None, None)
            }
            (true, _) => {
                if Linea::from_code(v.linea.trim()).is_none() {
                    r.errore(
                        c("linea"),
                        "scelta.valore",
                        "Scegli la linea di intervento (a, b o c).".into(),
                    );
                }
                let fonte = Fonte::from_code(v.fonte.trim());
                if fonte.is_none() {
                    r.errore(c("fonte"), "scelta.valore", "Scegli il fondo.".into());
                }
                if v.descrizione.trim().chars().count() < 5 {
                    r.errore(
                        c("descrizione"),
                        "testo.lunghezza",
                        "Descrivi l'intervento (almeno 5 caratteri).".into(),
                    );
                } else {
                    r.testo_libero(c("descrizione"), &v.descrizione, 500);
                }
                r.testo_libero(c("motivo_nuovo"), &v.motivo_nuovo, NOTA_MAX);
                if v.motivo_nuovo.trim().chars().count() < 10 {
                    r.errore(c("motivo_nuovo"), "nuovo.motivo", "Un intervento non previsto nel piano richiede il motivo (almeno 10 caratteri).".into());
                }
                (fonte, None, None)
            }
        };
        let impegnato = r.importo(c("impegnato"), &v.impegnato, true);
        let liquidato = r.importo(c("liquidato"), &v.liquidato, true);
        let non_utilizzato = r.importo(c("non_utilizzato"), &v.non_utilizzato, true);
        if liquidato > impegnato {
            r.errore(
                c("liquidato"),
                "importo.liquidato_oltre_impegnato",
                format!(
                    "Il liquidato (€ {}) non può superare l'impegnato (€ {}).",
                    liquidato.testo(),
                    impegnato.testo()
                ),
            );
        }
        if let Some(p) = previsto {
            if impegnato > p {
                r.errore(
                    c("impegnato"),
                    "importo.impegnato_oltre_previsto",
                    format!(
                        "L'impegnato (€ {}) non può superare il previsto (€ {}).",
                        impegnato.testo(),
                        p.testo()
                    ),
                );
            }
        }
        if impegnato > Importo::ZERO {
            if v.atto_numero.trim().is_empty() {
                r.errore(
                    c("atto_numero"),
                    "atto.numero",
                    "Indica il numero dell'atto di impegno.".into(),
                );
            }
            match crate::servizio::regole::parse_data(&v.atto_data) {
                None => r.errore(
                    c("atto_data"),
                    "data.formato",
                    "Data dell'atto non valida: usa il formato gg/mm/aaaa.".into(),
                ),
                Some(d) if ctx.data_riferimento.is_some_and(|rif| d > rif) => r.errore(
                    c("atto_data"),
                    "atto.dopo_riferimento",
                    format!(
                        "L'atto è successivo alla data di riferimento ({}).",
                        ctx.data_riferimento
                            .map(crate::tempo::data_italiana)
                            .unwrap_or_default()
                    ),
                ),
                Some(_) => {}
            }
        }
        if crate::fondi::Avanzamento::from_code(v.avanzamento.trim()).is_none() {
            r.errore(
                c("avanzamento"),
                "scelta.valore",
                "Indica lo stato di avanzamento.".into(),
            );
        }
        r.testo_libero(
            c("motivo_non_utilizzato"),
            &v.motivo_non_utilizzato,
            NOTA_MAX,
        );
        if non_utilizzato > Importo::ZERO && v.motivo_non_utilizzato.trim().chars().count() < 5 {
            r.errore(
                c("motivo_non_utilizzato"),
                "non_utilizzato.motivo",
                "Indica perché l'importo non è stato utilizzato.".into(),
            );
        }
        controlla_servizi(
            &mut r,
            &c("servizi_raggiunti"),
            &v.servizi_raggiunti,
            ctx,
            inizio,
        );
        aggiungi(&mut tot.previsto, fonte, previsto.unwrap_or_default());
        aggiungi(&mut tot.impegnato, fonte, impegnato);
        aggiungi(&mut tot.liquidato, fonte, liquidato);
    }
    for fonte in Fonte::ALL {
        let (impegnato, assegnato) = (tot.impegnato.di(*fonte), ctx.assegnato.di(*fonte));
        if impegnato > assegnato {
            r.errore(
                "voci".into(),
                "totale.impegnato_oltre_assegnato",
                format!(
                    "{}: il totale impegnato (€ {}) supera l'assegnato (€ {}).",
                    fonte.label(),
                    impegnato.testo(),
                    assegnato.testo()
                ),
            );
        }
    }
    (r.0, tot)
}
