//! Campaign compilation windows: when a comune's form is open, decided from the server's clock
//! and the window's date-times in Italian time, with global and per-comune extensions (proroghe);
//! and the Italian sentences that tell people why a form is open or closed.

use crate::tempo::{ora_italiana, scarto_ore};
use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};

/// The instant of an Italian local date-time. A time skipped by the spring change (02:00–02:59
/// on the last Sunday of March) does not exist: `None`. A time repeated by the autumn change
/// (02:00–02:59 on the last Sunday of October) is taken at its first occurrence (summer time):
/// a deadline never moves later than the clock on the wall first showed it.
pub fn da_ora_italiana(locale: NaiveDateTime) -> Option<DateTime<Utc>> {
    // Try summer time first, then winter time; keep the reading that maps back to `locale`.
    [2, 1].into_iter().find_map(|ore| {
        let istante = Utc.from_utc_datetime(&(locale - Duration::hours(ore)));
        (scarto_ore(istante) == ore).then_some(istante)
    })
}

/// The end of an Italian calendar day (midnight at the start of the next day): what a deadline
/// "entro il 6 ottobre" means. Forms stay open for the whole of the last day.
pub fn fine_giornata(giorno: NaiveDate) -> Option<DateTime<Utc>> {
    da_ora_italiana(giorno.succ_opt()?.and_time(NaiveTime::MIN))
}

/// `18 ottobre 2023 ore 12.00`, in Italian time.
pub fn data_ora_estesa(istante: DateTime<Utc>) -> String {
    let l = ora_italiana(istante);
    let mese = crate::servizio::MESI[usize::try_from(chrono::Datelike::month0(&l)).unwrap_or(0)];
    format!(
        "{} {mese} {} ore {}",
        chrono::Datelike::day(&l),
        chrono::Datelike::year(&l),
        l.format("%H.%M")
    )
}

/// A compilation window. Open from `apertura` (included) to the effective closing time
/// (excluded): a form due "at 12:00" can be sent at 11:59:59, not at 12:00:00.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finestra {
    pub apertura: DateTime<Utc>,
    /// The closing time first announced.
    pub chiusura: DateTime<Utc>,
    /// Global extensions, in the order they were granted.
    pub proroghe: Vec<DateTime<Utc>>,
    /// This comune's own later deadline, if the Region granted one.
    pub proroga_comune: Option<DateTime<Utc>>,
}

/// Where a window stands at an instant, with what people need to know.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatoFinestra {
    /// Not open yet: opens at this instant.
    NonAperta { apre: DateTime<Utc> },
    /// Open until this instant (excluded); `prorogata` if that is an extension.
    Aperta {
        chiude: DateTime<Utc>,
        prorogata: bool,
    },
    /// Closed at this instant.
    Chiusa {
        chiusa: DateTime<Utc>,
        prorogata: bool,
    },
}

impl Finestra {
    /// The closing time in force: the last global extension, or the comune's own if later.
    /// An extension can only move the deadline later.
    pub fn chiusura_effettiva(&self) -> DateTime<Utc> {
        let globale = self
            .proroghe
            .iter()
            .copied()
            .fold(self.chiusura, DateTime::max);
        self.proroga_comune.map_or(globale, |c| c.max(globale))
    }

    /// The window at `adesso` (the server's clock).
    pub fn stato(&self, adesso: DateTime<Utc>) -> StatoFinestra {
        let chiude = self.chiusura_effettiva();
        let prorogata = chiude != self.chiusura;
        if adesso < self.apertura {
            StatoFinestra::NonAperta {
                apre: self.apertura,
            }
        } else if adesso < chiude {
            StatoFinestra::Aperta { chiude, prorogata }
        } else {
            StatoFinestra::Chiusa {
                chiusa: chiude,
                prorogata,
            }
        }
    }

    /// Whether a form can be saved or sent at `adesso`.
    pub fn aperta(&self, adesso: DateTime<Utc>) -> bool {
        matches!(self.stato(adesso), StatoFinestra::Aperta { .. })
    }
}

impl StatoFinestra {
    /// The Italian sentence shown next to the form: never a form closed without its reason.
    pub fn messaggio(&self) -> String {
        match *self {
            StatoFinestra::NonAperta { apre } => format!(
                "La compilazione non è ancora aperta: si apre il {}.",
                data_ora_estesa(apre)
            ),
            StatoFinestra::Aperta { chiude, prorogata } => format!(
                "La compilazione è aperta fino al {}{}.",
                data_ora_estesa(chiude),
                if prorogata {
                    " (termine prorogato)"
                } else {
                    ""
                }
            ),
            StatoFinestra::Chiusa { chiusa, prorogata } => format!(
                "La compilazione è chiusa: il termine{} è scaduto il {}.",
                if prorogata { " prorogato" } else { "" },
                data_ora_estesa(chiusa)
            ),
        }
    }
}

/// The public notice of an extension.
pub fn avviso_proroga(titolo: &str, nuova_chiusura: DateTime<Utc>) -> String {
    format!(
        "I termini per la compilazione della rilevazione «{titolo}» sono stati prorogati al {}.",
        data_ora_estesa(nuova_chiusura)
    )
}

/// Parses an Italian date-time as typed: `gg/mm/aaaa hh:mm` or `aaaa-mm-ggThh:mm` (the
/// browser's date-time input).
pub fn parse_data_ora(raw: &str) -> Result<DateTime<Utc>, &'static str> {
    let v = raw.trim();
    let locale = NaiveDateTime::parse_from_str(v, "%d/%m/%Y %H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(v, "%Y-%m-%dT%H:%M"))
        .or_else(|_| NaiveDateTime::parse_from_str(v, "%Y-%m-%d %H:%M"))
        .map_err(|_| {
            "Data e ora non valide: usa il formato gg/mm/aaaa hh:mm (es. 18/10/2023 12:00)."
        })?;
    let anno = chrono::Datelike::year(&locale);
    if !(2015..=2100).contains(&anno) {
        return Err("L'anno deve essere compreso tra il 2015 e il 2100.");
    }
    da_ora_italiana(locale)
        .ok_or("Quest'ora non esiste: in quella notte gli orologi passano dalle 2.00 alle 3.00.")
}

/// `gg/mm/aaaa hh:mm` in Italian time: how a date-time is shown in a form.
pub fn testo_data_ora(istante: DateTime<Utc>) -> String {
    crate::tempo::data_ora_italiana(istante)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roma(s: &str) -> DateTime<Utc> {
        da_ora_italiana(NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap()).unwrap()
    }

    /// The seed's Monitoraggio 2020: opened 29/08/2023 12:00, due 06/10/2023 12:00, extended to
    /// 18/10/2023 12:00.
    fn monitoraggio_2020() -> Finestra {
        Finestra {
            apertura: roma("2023-08-29 12:00:00"),
            chiusura: roma("2023-10-06 12:00:00"),
            proroghe: vec![roma("2023-10-18 12:00:00")],
            proroga_comune: None,
        }
    }

    #[test]
    fn italian_times_map_to_the_right_instants_across_both_clock_changes() {
        assert_eq!(
            roma("2023-10-06 12:00:00").to_rfc3339(),
            "2023-10-06T10:00:00+00:00"
        );
        assert_eq!(
            roma("2023-12-06 12:00:00").to_rfc3339(),
            "2023-12-06T11:00:00+00:00"
        );
        // 29 March 2026, 02:30 does not exist in Italy.
        let salto =
            NaiveDateTime::parse_from_str("2026-03-29 02:30:00", "%Y-%m-%d %H:%M:%S").unwrap();
        assert_eq!(da_ora_italiana(salto), None);
        // 25 October 2026, 02:30 happens twice: the first (summer time) is taken.
        assert_eq!(
            roma("2026-10-25 02:30:00").to_rfc3339(),
            "2026-10-25T00:30:00+00:00"
        );
        assert_eq!(
            roma("2026-10-25 03:30:00").to_rfc3339(),
            "2026-10-25T02:30:00+00:00"
        );
    }

    #[test]
    fn the_window_is_open_from_its_opening_to_just_before_its_deadline() {
        let f = monitoraggio_2020();
        assert!(!f.aperta(roma("2023-08-29 11:59:59")), "before opening");
        assert!(f.aperta(roma("2023-08-29 12:00:00")), "at opening");
        assert!(
            f.aperta(roma("2023-10-06 12:00:00")),
            "first deadline passed, but extended"
        );
        assert!(
            f.aperta(roma("2023-10-18 11:59:59")),
            "last second of the extension"
        );
        assert!(
            !f.aperta(roma("2023-10-18 12:00:00")),
            "at the extended deadline"
        );
    }

    #[test]
    fn a_deadline_for_a_day_keeps_the_form_open_for_the_whole_of_that_day() {
        let giorno = NaiveDate::from_ymd_opt(2023, 10, 6).unwrap();
        let f = Finestra {
            apertura: roma("2023-09-01 00:00:00"),
            chiusura: fine_giornata(giorno).unwrap(),
            proroghe: vec![],
            proroga_comune: None,
        };
        assert!(
            f.aperta(roma("2023-10-06 00:00:01")),
            "just after midnight of the last day"
        );
        assert!(
            f.aperta(roma("2023-10-06 23:59:59")),
            "last second of the last day"
        );
        assert!(!f.aperta(roma("2023-10-07 00:00:00")));
        // Also on the night the clocks go back (25 hours long) and forward (23 hours).
        for (giorno, ultimo) in [
            ("2026-10-25", "2026-10-25 23:59:59"),
            ("2026-03-29", "2026-03-29 23:59:59"),
        ] {
            let d = NaiveDate::parse_from_str(giorno, "%Y-%m-%d").unwrap();
            let fine = fine_giornata(d).unwrap();
            assert!(roma(ultimo) < fine, "{giorno}");
            assert_eq!(ora_italiana(fine).time(), NaiveTime::MIN, "{giorno}");
        }
    }

    #[test]
    fn a_comunes_own_extension_only_ever_moves_its_deadline_later() {
        let mut f = monitoraggio_2020();
        f.proroga_comune = Some(roma("2023-10-25 12:00:00"));
        assert!(f.aperta(roma("2023-10-20 09:00:00")));
        f.proroga_comune = Some(roma("2023-10-10 12:00:00"));
        assert_eq!(
            f.chiusura_effettiva(),
            roma("2023-10-18 12:00:00"),
            "earlier than the global one: ignored"
        );
        f.proroghe.push(roma("2023-10-12 12:00:00"));
        assert_eq!(
            f.chiusura_effettiva(),
            roma("2023-10-18 12:00:00"),
            "an extension never shortens"
        );
    }

    #[test]
    fn people_are_told_why_a_form_is_open_or_closed_in_italian() {
        let f = monitoraggio_2020();
        assert_eq!(
            f.stato(roma("2023-08-01 09:00:00")).messaggio(),
            "La compilazione non è ancora aperta: si apre il 29 agosto 2023 ore 12.00."
        );
        assert_eq!(
            f.stato(roma("2023-10-07 09:00:00")).messaggio(),
            "La compilazione è aperta fino al 18 ottobre 2023 ore 12.00 (termine prorogato)."
        );
        assert_eq!(
            f.stato(roma("2023-10-18 12:00:00")).messaggio(),
            "La compilazione è chiusa: il termine prorogato è scaduto il 18 ottobre 2023 ore 12.00."
        );
        assert_eq!(
            avviso_proroga("Monitoraggio 2020", roma("2023-10-18 12:00:00")),
            "I termini per la compilazione della rilevazione «Monitoraggio 2020» sono stati prorogati al 18 ottobre 2023 ore 12.00."
        );
    }
}
