//! The rules of dates, contacts, opening months and hours, and the service's state.

use super::*;

/// Parses `AAAA-MM-GG` or `GG/MM/AAAA`; years 1950–2100.
pub fn parse_data(raw: &str) -> Option<NaiveDate> {
    let v = raw.trim();
    let d = NaiveDate::parse_from_str(v, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(v, "%d/%m/%Y"))
        .ok()?;
    let min = NaiveDate::from_ymd_opt(1950, 1, 1)?;
    let max = NaiveDate::from_ymd_opt(2100, 12, 31)?;
    (d >= min && d <= max).then_some(d)
}

pub(super) fn data(e: &mut Esito, campo: &str, raw: &str, obbligatoria: bool) -> Option<NaiveDate> {
    if raw.trim().is_empty() {
        if obbligatoria {
            e.errore(campo, "data.obbligatoria", "Inserisci la data.");
        }
        return None;
    }
    let d = parse_data(raw);
    if d.is_none() {
        e.errore(
            campo,
            "data.formato",
            "Data non valida: usa il formato gg/mm/aaaa (anni dal 1950).",
        );
    }
    d
}

pub(super) fn non_futura(e: &mut Esito, campo: &str, d: NaiveDate, oggi: NaiveDate) -> bool {
    if d > oggi {
        e.errore(
            campo,
            "data.futura",
            format!(
                "La data non può essere successiva a oggi ({}).",
                data_italiana(oggi)
            ),
        );
        return false;
    }
    true
}

pub(super) fn posta(e: &mut Esito, campo: &str, raw: &str) -> Option<String> {
    let v = raw.trim();
    if v.is_empty() {
        return None;
    }
    if v.chars().count() > 254 || !crate::email::valida(v) {
        let cosa = if campo == "pec" {
            "L'indirizzo PEC"
        } else {
            "L'indirizzo e-mail"
        };
        e.errore(
            campo,
            "email.formato",
            format!("{cosa} non è valido (es. nome@dominio.it)."),
        );
    }
    Some(v.to_owned())
}

pub(super) fn telefono(e: &mut Esito, raw: &str) -> Option<String> {
    let compatto: String = raw
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '.' | '-' | '/'))
        .collect();
    if compatto.is_empty() {
        return None;
    }
    let cifre = compatto.strip_prefix('+').unwrap_or(&compatto);
    if !(6..=15).contains(&cifre.len()) || !cifre.bytes().all(|b| b.is_ascii_digit()) {
        e.errore(
            "telefono",
            "telefono.formato",
            "Il telefono è formato da 6 a 15 cifre (eventualmente preceduto da +).",
        );
    }
    Some(compatto)
}

pub(super) fn mesi(e: &mut Esito, mesi: &[u8]) -> Vec<u8> {
    let mut out: Vec<u8> = mesi.to_vec();
    out.sort_unstable();
    out.dedup();
    if out.is_empty() {
        e.errore(
            "mesi_apertura",
            "mesi.obbligatori",
            "Seleziona almeno un mese di apertura.",
        );
    } else if out.iter().any(|m| !(1..=12).contains(m)) {
        e.errore(
            "mesi_apertura",
            "mesi.valore",
            "I mesi vanno da 1 (gennaio) a 12 (dicembre).",
        );
    }
    debug_assert_eq!(NOMI_MESI.len(), 12);
    out
}

pub(super) fn orario(e: &mut Esito, campo: &str, raw: &str) -> Option<String> {
    let v = raw.trim();
    let ok = v.len() == 5
        && v.as_bytes()[2] == b':'
        && v[..2].parse::<u8>().is_ok_and(|h| h < 24)
        && v[3..].parse::<u8>().is_ok_and(|m| m < 60)
        && v.bytes()
            .enumerate()
            .all(|(i, b)| i == 2 || b.is_ascii_digit());
    if !ok {
        e.errore(
            campo,
            "orario.formato",
            "Orario non valido: usa il formato hh:mm (es. 07:30).",
        );
        return None;
    }
    Some(v.to_owned())
}

pub(super) fn stato(
    e: &mut Esito,
    form: &ServizioForm,
    precedente: Option<StatoServizio>,
) -> (Option<StatoServizio>, Option<NaiveDate>, Option<String>) {
    let stato = scelta(
        e,
        "stato",
        &form.stato,
        StatoServizio::from_code,
        "lo stato",
    );
    if precedente == Some(StatoServizio::Cessato)
        && stato.is_some_and(|s| s != StatoServizio::Cessato)
    {
        e.errore(
            "stato",
            "stato.cessato_definitivo",
            "Un servizio cessato non può essere riattivato né sospeso: registra un nuovo servizio.",
        );
    }
    match stato {
        Some(StatoServizio::Sospeso | StatoServizio::Cessato) => {
            let dal = data(e, "stato_dal", &form.stato_dal, true);
            let motivo = form.stato_motivo.trim();
            if motivo.is_empty() {
                e.errore(
                    "stato_motivo",
                    "stato.motivo_obbligatorio",
                    "Indica il motivo della sospensione o della cessazione.",
                );
            } else {
                testo_limitato(e, "stato_motivo", motivo, 3, 500);
            }
            (stato, dal, Some(motivo.to_owned()))
        }
        // An active service has no status date or reason: they are dropped.
        _ => (stato, None, None),
    }
}
