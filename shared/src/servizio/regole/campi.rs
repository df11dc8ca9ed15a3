//! The rules of single fields: texts, choices, the codice fiscale, the address, numbers,
//! places and ages.

use super::*;

/// Trimmed text, required, `min..=max` characters, no control characters.
pub(super) fn testo_obbligatorio(
    e: &mut Esito,
    campo: &str,
    raw: &str,
    min: usize,
    max: usize,
) -> String {
    let v = raw.trim();
    if v.is_empty() {
        e.errore(campo, "testo.obbligatorio", "Campo obbligatorio.");
    } else {
        testo_limitato(e, campo, v, min, max);
    }
    v.to_owned()
}

pub(super) fn testo_limitato(e: &mut Esito, campo: &str, v: &str, min: usize, max: usize) {
    let n = v.chars().count();
    if v.chars().any(crate::text::nascosto) {
        e.errore(
            campo,
            "testo.caratteri_controllo",
            "Contiene caratteri non ammessi (a capo, tabulazioni, di controllo o invisibili, che possono far apparire il testo diverso da com'è).",
        );
    } else if n < min || n > max {
        e.errore(
            campo,
            "testo.lunghezza",
            if min <= 1 {
                format!("Al massimo {max} caratteri.")
            } else {
                format!("Da {min} a {max} caratteri.")
            },
        );
    }
}

pub(super) fn scelta<T>(
    e: &mut Esito,
    campo: &str,
    raw: &str,
    parse: fn(&str) -> Option<T>,
    cosa: &str,
) -> Option<T> {
    let v = raw.trim();
    if v.is_empty() {
        e.errore(campo, "scelta.obbligatoria", format!("Scegli {cosa}."));
        return None;
    }
    let out = parse(v);
    if out.is_none() {
        e.errore(
            campo,
            "scelta.valore",
            format!("Valore non ammesso per {cosa}."),
        );
    }
    out
}

pub(super) fn codice_fiscale(e: &mut Esito, raw: &str, titolarita: Option<Titolarita>) -> String {
    const CAMPO: &str = "titolare_codice_fiscale";
    let v = fiscale::normalizza(raw);
    if v.is_empty() {
        e.errore(
            CAMPO,
            "codice_fiscale.obbligatorio",
            "Inserisci il codice fiscale o la partita IVA del titolare.",
        );
        return v;
    }
    match fiscale::verifica(&v) {
        Ok(TipoCodice::PersonaFisica) if titolarita == Some(Titolarita::Pubblica) => e.errore(
            CAMPO,
            "codice_fiscale.ente",
            "Un titolare pubblico ha un codice fiscale numerico di 11 cifre.",
        ),
        Ok(_) => {}
        Err(ErroreCodice::Lunghezza) => e.errore(
            CAMPO,
            "codice_fiscale.lunghezza",
            "Il codice fiscale ha 16 caratteri; la partita IVA (o il codice fiscale di un ente) 11 cifre.",
        ),
        Err(ErroreCodice::Formato) => e.errore(
            CAMPO,
            "codice_fiscale.formato",
            "Il codice fiscale o la partita IVA contiene caratteri non ammessi in quella posizione.",
        ),
        Err(ErroreCodice::Data) => e.errore(
            CAMPO,
            "codice_fiscale.data",
            "Il codice fiscale contiene un mese o un giorno di nascita impossibile.",
        ),
        Err(ErroreCodice::Controllo) => e.errore(
            CAMPO,
            "codice_fiscale.controllo",
            "Il codice fiscale o la partita IVA non è corretto: il carattere di controllo non corrisponde.",
        ),
    }
    v
}

pub(super) fn numero_civico(e: &mut Esito, raw: &str) -> String {
    let v = raw.trim().to_uppercase();
    if v.is_empty() {
        e.errore(
            "numero_civico",
            "testo.obbligatorio",
            "Campo obbligatorio (SNC se senza numero civico).",
        );
    } else if v.chars().count() > 10
        || !v
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | ' ' | '-'))
        || !(v.starts_with(|c: char| c.is_ascii_digit()) || v == "SNC")
    {
        e.errore(
            "numero_civico",
            "numero_civico.formato",
            "Il numero civico inizia con una cifra (es. 12, 12/A, 12 bis) o è SNC; al massimo 10 caratteri.",
        );
    }
    v
}

pub(super) fn cap(e: &mut Esito, raw: &str) -> String {
    let v = raw.trim().to_owned();
    if v.len() != 5 || !v.bytes().all(|b| b.is_ascii_digit()) {
        e.errore("cap", "cap.formato", "Il CAP è formato da 5 cifre.");
    }
    v
}

pub(super) fn intero<T: std::str::FromStr>(e: &mut Esito, campo: &str, raw: &str) -> Option<T> {
    let v = raw.trim();
    if v.is_empty() {
        e.errore(campo, "numero.obbligatorio", "Campo obbligatorio.");
        return None;
    }
    let ok = v.bytes().all(|b| b.is_ascii_digit());
    match v.parse::<T>() {
        Ok(n) if ok => Some(n),
        _ if ok => {
            e.errore(campo, "numero.fuori_intervallo", "Numero troppo grande.");
            None
        }
        _ => {
            e.errore(
                campo,
                "numero.intero",
                "Inserisci un numero intero non negativo, senza punti né virgole.",
            );
            None
        }
    }
}

pub(super) fn posti(e: &mut Esito, raw: &str, tipo: Option<TipoServizio>) -> Option<u16> {
    let n = intero::<u16>(e, "posti_autorizzati", raw)?;
    if n == 0 {
        e.errore(
            "posti_autorizzati",
            "posti.positivo",
            "I posti autorizzati devono essere almeno 1.",
        );
        return None;
    }
    if let Some(t) = tipo {
        let (min, max) = t.posti_ammessi();
        if n < min || n > max {
            e.errore(
                "posti_autorizzati",
                "posti.intervallo",
                format!(
                    "Per la tipologia «{}» i posti autorizzati vanno da {min} a {max}.",
                    t.label()
                ),
            );
            return None;
        }
    }
    Some(n)
}

pub(super) fn eta(
    e: &mut Esito,
    form: &ServizioForm,
    tipo: Option<TipoServizio>,
) -> (Option<u8>, Option<u8>) {
    let min = intero::<u8>(e, "eta_min_mesi", &form.eta_min_mesi);
    let max = intero::<u8>(e, "eta_max_mesi", &form.eta_max_mesi);
    let mut fuori = false;
    if let Some(t) = tipo {
        let (lo, hi) = t.eta_ammesse();
        let msg = format!(
            "Per la tipologia «{}» l'età ammessa va da {lo} a {hi} mesi.",
            t.label()
        );
        for (campo, v) in [("eta_min_mesi", min), ("eta_max_mesi", max)] {
            if v.is_some_and(|v| v < lo || v > hi) {
                e.errore(campo, "eta.intervallo", msg.clone());
                fuori = true;
            }
        }
    }
    if let (Some(a), Some(b), false) = (min, max, fuori) {
        if a >= b {
            e.errore(
                "eta_max_mesi",
                "eta.ordine",
                "L'età massima deve essere maggiore dell'età minima.",
            );
        }
    }
    (min, max)
}
