//! Italian civil time (Europe/Rome) without a time-zone database: CET (UTC+1), and CEST
//! (UTC+2) from 01:00 UTC of the last Sunday of March to 01:00 UTC of the last Sunday of
//! October (the EU rule, in force since 1996). Used for "today" in rules and for showing
//! server times; small enough for the browser bundle.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, TimeZone, Utc, Weekday};

/// The last Sunday of `month` in `year`, at 01:00 UTC.
fn ultima_domenica_ore_1_utc(year: i32, month: u32) -> Option<DateTime<Utc>> {
    let primo_dopo = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)?
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)?
    };
    let ultimo = primo_dopo.pred_opt()?;
    let indietro = ultimo.weekday().num_days_from_sunday();
    let domenica = ultimo - Duration::days(i64::from(indietro));
    debug_assert_eq!(domenica.weekday(), Weekday::Sun);
    Some(Utc.from_utc_datetime(&domenica.and_hms_opt(1, 0, 0)?))
}

/// The offset of Italian time from UTC at `istante`, in hours (1 or 2).
pub fn scarto_ore(istante: DateTime<Utc>) -> i64 {
    let anno = istante.year();
    match (
        ultima_domenica_ore_1_utc(anno, 3),
        ultima_domenica_ore_1_utc(anno, 10),
    ) {
        (Some(inizio), Some(fine)) if istante >= inizio && istante < fine => 2,
        _ => 1,
    }
}

/// Italian local date and time of an instant.
pub fn ora_italiana(istante: DateTime<Utc>) -> NaiveDateTime {
    (istante + Duration::hours(scarto_ore(istante))).naive_utc()
}

/// Today's date in Italy at `istante`.
pub fn oggi_in_italia(istante: DateTime<Utc>) -> NaiveDate {
    ora_italiana(istante).date()
}

/// `gg/mm/aaaa`, as Italian forms write dates.
pub fn data_italiana(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// `gg/mm/aaaa hh:mm` in Italian time.
pub fn data_ora_italiana(istante: DateTime<Utc>) -> String {
    ora_italiana(istante).format("%d/%m/%Y %H:%M").to_string()
}

/// How long is left, in words, for `secondi` seconds: "Mancano 2 giorni e 3 ore" (minutes
/// left out when a day or more is left), "Mancano 5 ore e 3 minuti", "Mancano 48 minuti",
/// "Manca 1 ora"; "Manca meno di un minuto"; "Termine scaduto" at 0. Parts that are zero are
/// not said. Computed between instants, so a clock change in between neither adds nor loses
/// an hour.
pub fn tempo_mancante(secondi: i64) -> String {
    if secondi <= 0 {
        return "Termine scaduto".into();
    }
    if secondi < 60 {
        return "Manca meno di un minuto".into();
    }
    let (g, o, m) = (
        secondi / 86_400,
        secondi % 86_400 / 3_600,
        secondi % 3_600 / 60,
    );
    let parte = |n: i64, uno: &str, tanti: &str| {
        (n > 0).then(|| (n, format!("{n} {}", if n == 1 { uno } else { tanti })))
    };
    let dette: Vec<(i64, String)> = [
        parte(g, "giorno", "giorni"),
        parte(o, "ora", "ore"),
        if g > 0 {
            None
        } else {
            parte(m, "minuto", "minuti")
        },
    ]
    .into_iter()
    .flatten()
    .collect();
    let verbo = if matches!(dette.as_slice(), [(1, _)]) {
        "Manca"
    } else {
        "Mancano"
    };
    let parti: Vec<String> = dette.into_iter().map(|(_, t)| t).collect();
    match parti.as_slice() {
        [uno] => format!("{verbo} {uno}"),
        [a, b] => format!("{verbo} {a} e {b}"),
        _ => format!("{verbo} {}", parti.join(", ")),
    }
}

/// Whether a deadline `secondi` away falls within the last 24 hours (the page marks it).
pub fn ultime_24_ore(secondi: i64) -> bool {
    (1..86_400).contains(&secondi)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn summer_and_winter_offsets_switch_at_one_utc_on_the_last_sundays() {
        let cases = [
            ("2026-03-29T00:59:59Z", 1, "just before CEST starts"),
            ("2026-03-29T01:00:00Z", 2, "CEST starts"),
            ("2026-07-01T12:00:00Z", 2, "summer"),
            ("2026-10-25T00:59:59Z", 2, "just before CEST ends"),
            ("2026-10-25T01:00:00Z", 1, "CET again"),
            ("2026-12-31T23:30:00Z", 1, "winter"),
            ("2023-10-06T10:00:00Z", 2, "Monitoraggio 2020 deadline day"),
        ];
        for (at, expected, why) in cases {
            assert_eq!(scarto_ore(utc(at)), expected, "{why}");
        }
    }

    #[test]
    fn the_italian_date_changes_at_local_midnight() {
        assert_eq!(
            oggi_in_italia(utc("2026-11-27T22:59:59Z")).to_string(),
            "2026-11-27"
        );
        assert_eq!(
            oggi_in_italia(utc("2026-11-27T23:00:00Z")).to_string(),
            "2026-11-28"
        );
        assert_eq!(
            oggi_in_italia(utc("2026-06-30T22:00:00Z")).to_string(),
            "2026-07-01"
        );
        assert_eq!(
            data_ora_italiana(utc("2023-10-18T10:00:00Z")),
            "18/10/2023 12:00"
        );
    }

    #[test]
    fn the_countdown_counts_real_hours_across_both_clock_changes() {
        use crate::campagna::da_ora_italiana;
        let it = |s: &str| {
            da_ora_italiana(NaiveDateTime::parse_from_str(s, "%d/%m/%Y %H:%M").unwrap()).unwrap()
        };
        // Noon to noon over the last Sunday of March is 23 hours; of October, 25.
        let marzo = (it("29/03/2026 12:00") - it("28/03/2026 12:00")).num_seconds();
        assert_eq!(tempo_mancante(marzo), "Mancano 23 ore");
        let ottobre = (it("25/10/2026 12:00") - it("24/10/2026 12:00")).num_seconds();
        assert_eq!(tempo_mancante(ottobre), "Mancano 1 giorno e 1 ora");
        // From 01:30 to 03:30 on the March night only one hour passes.
        let notte = (it("29/03/2026 03:30") - it("29/03/2026 01:30")).num_seconds();
        assert_eq!(tempo_mancante(notte), "Manca 1 ora");
        assert_eq!(tempo_mancante(59), "Manca meno di un minuto");
        assert_eq!(tempo_mancante(0), "Termine scaduto");
        assert_eq!(tempo_mancante(-5), "Termine scaduto");
    }

    #[test]
    fn the_countdown_says_only_the_parts_that_count() {
        let casi = [
            (48 * 60, "Mancano 48 minuti"),
            (60, "Manca 1 minuto"),
            (3 * 3_600 + 5 * 60, "Mancano 3 ore e 5 minuti"),
            (3_600 + 60, "Mancano 1 ora e 1 minuto"),
            (2 * 86_400 + 3 * 3_600 + 5 * 60, "Mancano 2 giorni e 3 ore"),
            (86_400, "Manca 1 giorno"),
            (86_400 + 5 * 60, "Manca 1 giorno"),
            (7 * 86_400 + 59, "Mancano 7 giorni"),
        ];
        for (s, atteso) in casi {
            assert_eq!(tempo_mancante(s), atteso, "{s} s");
        }
        assert!(ultime_24_ore(86_399) && ultime_24_ore(1));
        assert!(!ultime_24_ore(86_400) && !ultime_24_ore(0));
    }
}
