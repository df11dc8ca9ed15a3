//! Money as exact integer cents: parsed from what people type (Italian "1.234,56", or the
//! "1234.56" of exported files), written back in Italian, summed without overflow, and split in
//! proportion to weights without losing or inventing a cent. Never floating point.

use serde::{Deserialize, Serialize};

/// An amount in euro cents (never negative once parsed).
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(transparent)]
pub struct Importo(pub i64);

/// The largest amount accepted: one thousand billion euro.
const MASSIMO_CENTESIMI: i64 = 100_000_000_000_000;

impl Importo {
    /// Zero euro.
    pub const ZERO: Importo = Importo(0);

    /// From whole euro.
    pub fn euro(e: i64) -> Importo {
        Importo(e * 100)
    }

    /// Parses an amount as typed: `1234`, `1234,5`, `1.234,56`, `€ 1.234,56`, or `1234.56`
    /// (a single dot followed by one or two digits is a decimal point, as in exported files;
    /// otherwise dots separate thousands, in groups of three). Refuses negatives, more than two
    /// decimals and amounts above one thousand billion euro, with an Italian message.
    pub fn parse(raw: &str) -> Result<Importo, &'static str> {
        let t: String = raw
            .trim()
            .trim_start_matches('€')
            .trim_end_matches('€')
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        if t.is_empty() {
            return Err("Indica l'importo in euro (es. 1.234,56).");
        }
        if t.starts_with('-') {
            return Err("L'importo non può essere negativo.");
        }
        let (intera, decimali) = match (t.matches(',').count(), t.matches('.').count()) {
            (0, 1)
                if t.rsplit('.')
                    .next()
                    .is_some_and(|d| (1..=2).contains(&d.len())) =>
            {
                let (i, d) = t.split_once('.').unwrap_or((&t, ""));
                (i.to_owned(), d.to_owned())
            }
            (0, _) => (t.clone(), String::new()),
            (1, _) => {
                let (i, d) = t.split_once(',').unwrap_or((&t, ""));
                (i.to_owned(), d.to_owned())
            }
            _ => return Err("Importo non valido: usa il formato 1.234,56."),
        };
        // Thousands separators: groups of exactly three digits after the first.
        let gruppi: Vec<&str> = intera.split('.').collect();
        if gruppi.len() > 1
            && (gruppi[0].is_empty()
                || gruppi[0].len() > 3
                || gruppi[1..].iter().any(|g| g.len() != 3))
        {
            return Err("Importo non valido: usa il formato 1.234,56.");
        }
        let cifre: String = gruppi.concat();
        if cifre.is_empty()
            || !cifre.bytes().all(|b| b.is_ascii_digit())
            || !decimali.bytes().all(|b| b.is_ascii_digit())
        {
            return Err("Importo non valido: usa il formato 1.234,56.");
        }
        if decimali.len() > 2 {
            return Err("L'importo ha al massimo due decimali (i centesimi).");
        }
        if cifre.len() > 13 {
            return Err("Importo troppo grande.");
        }
        let euro: i64 = cifre.parse().map_err(|_| "Importo troppo grande.")?;
        let cent: i64 = format!("{decimali:0<2}").parse().unwrap_or(0);
        let tot = euro
            .checked_mul(100)
            .and_then(|e| e.checked_add(cent))
            .filter(|v| *v <= MASSIMO_CENTESIMI)
            .ok_or("Importo troppo grande.")?;
        Ok(Importo(tot))
    }

    /// `1.234,56` (Italian, always two decimals, no currency sign).
    pub fn testo(self) -> String {
        let segno = if self.0 < 0 { "-" } else { "" };
        let v = self.0.unsigned_abs();
        let euro = (v / 100).to_string();
        let mut con_punti = String::new();
        for (i, c) in euro.chars().enumerate() {
            if i > 0 && (euro.len() - i).is_multiple_of(3) {
                con_punti.push('.');
            }
            con_punti.push(c);
        }
        format!("{segno}{con_punti},{:02}", v % 100)
    }

    /// The sum, or `None` on overflow.
    pub fn somma(importi: impl IntoIterator<Item = Importo>) -> Option<Importo> {
        importi
            .into_iter()
            .try_fold(0i64, |acc, x| acc.checked_add(x.0))
            .map(Importo)
    }

    /// `self - altro` (may be negative: a shortfall).
    pub fn meno(self, altro: Importo) -> Importo {
        Importo(self.0.saturating_sub(altro.0))
    }
}

impl std::fmt::Display for Importo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "€ {}", self.testo())
    }
}

/// Splits `totale` in proportion to `pesi` (e.g. a fund by children attending) with the
/// largest-remainder method: each share is rounded down to the cent and the cents left over go,
/// one each, to the largest remainders (ties to the earlier weight). The shares always add up
/// to `totale` exactly. All weights zero: everything to nobody is not possible, so `None`.
pub fn ripartisci(totale: Importo, pesi: &[u64]) -> Option<Vec<Importo>> {
    let somma: u128 = pesi.iter().map(|p| u128::from(*p)).sum();
    if somma == 0 || totale.0 < 0 {
        return None;
    }
    let tot = totale.0 as u128;
    let mut quote: Vec<(usize, u128, u128)> = pesi
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let x = tot * u128::from(*p);
            (i, x / somma, x % somma)
        })
        .collect();
    let assegnati: u128 = quote.iter().map(|q| q.1).sum();
    let mut resto = tot - assegnati;
    let mut ordine: Vec<usize> = (0..quote.len()).collect();
    ordine.sort_by(|a, b| quote[*b].2.cmp(&quote[*a].2).then(a.cmp(b)));
    for i in ordine {
        if resto == 0 {
            break;
        }
        quote[i].1 += 1;
        resto -= 1;
    }
    Some(quote.into_iter().map(|q| Importo(q.1 as i64)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn amounts_are_read_as_people_and_files_write_them() {
        let ok: &[(&str, i64)] = &[
            ("1234", 123_400),
            ("1234,5", 123_450),
            ("1.234,56", 123_456),
            ("€ 1.234,56", 123_456),
            ("1.234.567,00", 123_456_700),
            ("1234.56", 123_456),
            ("1234.5", 123_450),
            ("1.234", 123_400),
            ("0,01", 1),
            ("0", 0),
            (" 12 ", 1_200),
        ];
        for (t, c) in ok {
            assert_eq!(Importo::parse(t), Ok(Importo(*c)), "{t}");
        }
        let ko: &[(&str, &str)] = &[
            ("", "Indica l'importo in euro (es. 1.234,56)."),
            ("-5", "L'importo non può essere negativo."),
            (
                "1,234",
                "L'importo ha al massimo due decimali (i centesimi).",
            ),
            (
                "12,345",
                "L'importo ha al massimo due decimali (i centesimi).",
            ),
            ("1.23.4", "Importo non valido: usa il formato 1.234,56."),
            ("12.34.567", "Importo non valido: usa il formato 1.234,56."),
            ("1,2,3", "Importo non valido: usa il formato 1.234,56."),
            ("dieci", "Importo non valido: usa il formato 1.234,56."),
            ("1e5", "Importo non valido: usa il formato 1.234,56."),
            ("0x10", "Importo non valido: usa il formato 1.234,56."),
            ("99999999999999", "Importo troppo grande."),
        ];
        for (t, m) in ko {
            assert_eq!(Importo::parse(t), Err(*m), "{t}");
        }
    }

    #[test]
    fn amounts_are_written_in_italian() {
        assert_eq!(Importo(123_456_789).testo(), "1.234.567,89");
        assert_eq!(Importo(5).testo(), "0,05");
        assert_eq!(Importo(100_000).testo(), "1.000,00");
        assert_eq!(Importo(-250).testo(), "-2,50");
        assert_eq!(Importo(123_400).to_string(), "€ 1.234,00");
    }

    #[test]
    fn a_split_gives_the_leftover_cents_to_the_largest_remainders() {
        // 100,00 in three equal parts: 33,34 + 33,33 + 33,33.
        let q = ripartisci(Importo(10_000), &[1, 1, 1]).unwrap();
        assert_eq!(q, [Importo(3_334), Importo(3_333), Importo(3_333)]);
        let q = ripartisci(Importo(1_000), &[1, 2, 0, 7]).unwrap();
        assert_eq!(q, [Importo(100), Importo(200), Importo(0), Importo(700)]);
        assert_eq!(ripartisci(Importo(1_000), &[0, 0]), None);
        assert_eq!(ripartisci(Importo(1_000), &[]), None);
    }

    proptest! {
        #[test]
        fn writing_and_reading_back_gives_the_same_cents(c in 0i64..MASSIMO_CENTESIMI) {
            prop_assert_eq!(Importo::parse(&Importo(c).testo()), Ok(Importo(c)));
        }

        #[test]
        fn parts_typed_separately_sum_to_the_cent(parti in prop::collection::vec(0i64..1_000_000_000, 0..50)) {
            let lette: Vec<Importo> = parti.iter().map(|c| Importo::parse(&Importo(*c).testo()).unwrap()).collect();
            prop_assert_eq!(Importo::somma(lette), Some(Importo(parti.iter().sum())));
        }

        #[test]
        fn a_split_never_loses_or_invents_a_cent(
            totale in 0i64..10_000_000_000,
            pesi in prop::collection::vec(0u64..1_000_000, 1..300),
        ) {
            prop_assume!(pesi.iter().any(|p| *p > 0));
            let q = ripartisci(Importo(totale), &pesi).unwrap();
            prop_assert_eq!(q.len(), pesi.len());
            prop_assert_eq!(Importo::somma(q.iter().copied()), Some(Importo(totale)));
            let somma: u128 = pesi.iter().map(|p| u128::from(*p)).sum();
            for (quota, peso) in q.iter().zip(&pesi) {
                // Each share is its exact proportion rounded down or up by less than a cent.
                let esatta = u128::from(*peso) * totale as u128;
                let giu = (esatta / somma) as i64;
                prop_assert!(quota.0 == giu || quota.0 == giu + 1);
                if *peso == 0 { prop_assert_eq!(quota.0, 0); }
            }
        }
    }
}
