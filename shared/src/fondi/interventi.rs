//! The rules of a plan of interventions: lines, sources, services reached, amounts against
//! the allocation.

use super::*;

/// Runs the plan's rules: each intervention complete and consistent; per source, the total
/// planned not above the allocation (error) and, below it, a warning asking where the rest goes.
pub fn controlla_interventi(f: &InterventiForm, ctx: &Contesto) -> (Vec<Rilievo>, TotaliFondi) {
    let mut r = Rilievi(Vec::new());
    let mut tot = TotaliFondi::default();
    if f.interventi.len() > VOCI_MAX {
        r.errore(
            "interventi".into(),
            "interventi.troppi",
            format!("Al massimo {VOCI_MAX} interventi."),
        );
        return (r.0, tot);
    }
    let mut visti = std::collections::BTreeSet::new();
    for (i, x) in f.interventi.iter().enumerate() {
        let c = |n: &str| format!("interventi[{i}].{n}");
        if x.id.trim().is_empty() || visti.contains(&x.id) {
            r.errore(
                c("id"),
                "intervento.id",
                "Intervento senza identificativo univoco.".into(),
            );
        }
        visti.insert(x.id.clone());
        let linea = Linea::from_code(x.linea.trim());
        if linea.is_none() {
            r.errore(
                c("linea"),
                "scelta.valore",
                "Scegli la linea di intervento (a, b o c).".into(),
            );
        }
        let fonte = Fonte::from_code(x.fonte.trim());
        if fonte.is_none() {
            r.errore(c("fonte"), "scelta.valore", "Scegli il fondo.".into());
        }
        let n = x.descrizione.trim().chars().count();
        if !(5..=500).contains(&n) {
            r.errore(
                c("descrizione"),
                "testo.lunghezza",
                "Descrivi l'intervento (da 5 a 500 caratteri).".into(),
            );
        } else {
            r.testo_libero(c("descrizione"), &x.descrizione, 500);
        }
        let previsto = r.importo(c("importo_previsto"), &x.importo_previsto, false);
        if previsto == Importo::ZERO && Importo::parse(&x.importo_previsto).is_ok() {
            r.errore(
                c("importo_previsto"),
                "importo.positivo",
                "L'importo previsto deve essere maggiore di zero.".into(),
            );
        }
        let inizio = crate::servizio::regole::parse_data(&x.inizio);
        let fine = crate::servizio::regole::parse_data(&x.fine);
        if inizio.is_none() {
            r.errore(
                c("inizio"),
                "data.formato",
                "Data non valida: usa il formato gg/mm/aaaa.".into(),
            );
        }
        if fine.is_none() {
            r.errore(
                c("fine"),
                "data.formato",
                "Data non valida: usa il formato gg/mm/aaaa.".into(),
            );
        }
        if let (Some(a), Some(b)) = (inizio, fine) {
            if b < a {
                r.errore(
                    c("fine"),
                    "date.ordine",
                    "La fine non può precedere l'inizio.".into(),
                );
            }
        }
        if linea == Some(Linea::Edilizia) && x.servizi.is_empty() {
            r.errore(
                c("servizi"),
                "linea_a.servizi",
                "Gli interventi edilizi (linea a) indicano almeno un servizio.".into(),
            );
        }
        controlla_servizi(&mut r, &c("servizi"), &x.servizi, ctx, inizio);
        aggiungi(&mut tot.previsto, fonte, previsto);
    }
    for fonte in Fonte::ALL {
        let (previsto, assegnato) = (tot.previsto.di(*fonte), ctx.assegnato.di(*fonte));
        if previsto > assegnato {
            r.errore(
                "interventi".into(),
                "totale.oltre_assegnato",
                format!(
                    "{}: il totale previsto (€ {}) supera l'assegnato (€ {}).",
                    fonte.label(),
                    previsto.testo(),
                    assegnato.testo()
                ),
            );
        } else if previsto < assegnato {
            r.avviso(
                "interventi".into(),
                "totale.sotto_assegnato",
                format!(
                    "{}: restano da destinare € {} dell'assegnato: indica nella nota a cosa sono destinati.",
                    fonte.label(),
                    assegnato.meno(previsto).testo()
                ),
            );
        }
    }
    r.testo_libero("nota_residuo".into(), &f.nota_residuo, NOTA_MAX);
    let avvisi = r.0.iter().any(|x| x.gravita == Gravita::Avviso);
    if avvisi && f.nota_residuo.trim().chars().count() < 10 {
        r.errore(
            "nota_residuo".into(),
            "nota_residuo.obbligatoria",
            "Una parte dell'assegnato non è destinata: spiega nella nota (almeno 10 caratteri) a cosa va.".into(),
        );
    }
    (r.0, tot)
}
