//! Codice fiscale (16 characters, with omocodia) and partita IVA / numeric codice fiscale of
//! organisations (11 digits): format and check character, as the Agenzia delle Entrate defines them.

/// What an owner's tax code turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TipoCodice {
    /// 16-character codice fiscale of a person.
    PersonaFisica,
    /// 11-digit partita IVA, or the numeric codice fiscale of an organisation.
    Numerico,
}

/// Why a code is not valid (each has its Italian message).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErroreCodice {
    /// Neither 16 characters nor 11 digits.
    Lunghezza,
    /// A character not allowed at its position.
    Formato,
    /// Month letter or day out of range.
    Data,
    /// The check character does not match.
    Controllo,
}

/// Letters that stand for digits 0–9 in an omocodia variant.
const OMOCODIA: &[u8; 10] = b"LMNPQRSTUV";
/// Month letters, January to December.
const MESI: &[u8; 12] = b"ABCDEHLMPRST";
/// Value of each character (0-9, then A-Z) in odd positions (1st, 3rd… counting from 1).
const DISPARI: [u32; 36] = [
    1, 0, 5, 7, 9, 13, 15, 17, 19, 21, // 0-9
    1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24,
    23, // A-Z
];
/// Positions (0-based) holding digits, or their omocodia letters.
const POSIZIONI_CIFRE: [usize; 7] = [6, 7, 9, 10, 12, 13, 14];

/// Normalizes as typed: trims and upper-cases (spaces inside are kept, and refused).
pub fn normalizza(raw: &str) -> String {
    raw.trim().to_uppercase()
}

/// Checks a normalized code: a person's codice fiscale or an 11-digit number.
pub fn verifica(code: &str) -> Result<TipoCodice, ErroreCodice> {
    match code.len() {
        16 if code.is_ascii() => {
            verifica_persona(code.as_bytes()).map(|_| TipoCodice::PersonaFisica)
        }
        11 if code.is_ascii() => verifica_numerico(code.as_bytes()).map(|_| TipoCodice::Numerico),
        _ => Err(ErroreCodice::Lunghezza),
    }
}

fn cifra(b: u8) -> Option<u32> {
    if b.is_ascii_digit() {
        Some(u32::from(b - b'0'))
    } else {
        OMOCODIA.iter().position(|&l| l == b).map(|p| p as u32)
    }
}

fn verifica_persona(c: &[u8]) -> Result<(), ErroreCodice> {
    for (i, &b) in c.iter().enumerate() {
        let ok = match i {
            0..=5 | 8 | 11 | 15 => b.is_ascii_uppercase(),
            _ => b.is_ascii_digit() || OMOCODIA.contains(&b),
        };
        if !ok {
            return Err(ErroreCodice::Formato);
        }
    }
    debug_assert!(POSIZIONI_CIFRE.iter().all(|&i| cifra(c[i]).is_some()));
    let mese = MESI.iter().position(|&m| m == c[8]);
    let giorno = match (cifra(c[9]), cifra(c[10])) {
        (Some(d), Some(u)) => d * 10 + u,
        _ => return Err(ErroreCodice::Formato),
    };
    let giorno = if giorno > 40 { giorno - 40 } else { giorno };
    let Some(mese) = mese else {
        return Err(ErroreCodice::Data);
    };
    let max = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mese];
    if giorno == 0 || giorno > max {
        return Err(ErroreCodice::Data);
    }
    if carattere_controllo(&c[..15]) != c[15] {
        return Err(ErroreCodice::Controllo);
    }
    Ok(())
}

/// The check letter of the first 15 characters of a codice fiscale.
pub fn carattere_controllo(primi15: &[u8]) -> u8 {
    let somma: u32 = primi15
        .iter()
        .enumerate()
        .map(|(i, &b)| {
            let idx = if b.is_ascii_digit() {
                usize::from(b - b'0')
            } else {
                usize::from(b - b'A') + 10
            };
            if i % 2 == 0 {
                DISPARI[idx]
            } else if idx < 10 {
                idx as u32
            } else {
                (idx - 10) as u32
            }
        })
        .sum();
    b'A' + (somma % 26) as u8
}

fn verifica_numerico(c: &[u8]) -> Result<(), ErroreCodice> {
    if !c.iter().all(u8::is_ascii_digit) {
        return Err(ErroreCodice::Formato);
    }
    if cifra_controllo_numerico(&c[..10]) != c[10] {
        return Err(ErroreCodice::Controllo);
    }
    Ok(())
}

/// The check digit of the first 10 digits of a partita IVA (Luhn-like).
pub fn cifra_controllo_numerico(primi10: &[u8]) -> u8 {
    let somma: u32 = primi10
        .iter()
        .enumerate()
        .map(|(i, &b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 0 {
                d
            } else {
                let doppio = d * 2;
                if doppio > 9 {
                    doppio - 9
                } else {
                    doppio
                }
            }
        })
        .sum();
    b'0' + ((10 - somma % 10) % 10) as u8
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_codes_are_valid() {
        // Public sample codes (Agenzia delle Entrate examples and omocodia variants).
        for code in ["RSSMRA85T10A562S", "RSSMRA85T10A562S", "MRTMTT91D08F205J"] {
            assert_eq!(verifica(code), Ok(TipoCodice::PersonaFisica), "{code}");
        }
        // Partita IVA of the Regione Piemonte and of the Comune di Torino.
        for code in ["80087670016", "00514490010"] {
            assert_eq!(verifica(code), Ok(TipoCodice::Numerico), "{code}");
        }
    }

    #[test]
    fn broken_codes_say_why() {
        let cases = [
            ("", ErroreCodice::Lunghezza, "empty"),
            ("RSSMRA85T10A562", ErroreCodice::Lunghezza, "15 characters"),
            (
                "RSSMRA85T10A562SS",
                ErroreCodice::Lunghezza,
                "17 characters",
            ),
            (
                "RSSMRA85T10A562Z",
                ErroreCodice::Controllo,
                "wrong check letter",
            ),
            (
                "R5SMRA85T10A562S",
                ErroreCodice::Formato,
                "digit among the name letters",
            ),
            (
                "RSSMRA8AT10A562S",
                ErroreCodice::Formato,
                "non-omocodia letter in the year",
            ),
            ("RSSMRA85Z10A562S", ErroreCodice::Data, "month letter Z"),
            ("RSSMRA85T32A562S", ErroreCodice::Data, "day 32"),
            ("RSSMRA85T00A562S", ErroreCodice::Data, "day 0"),
            ("RSSMRA85B30A562S", ErroreCodice::Data, "30 February"),
            (
                "rssmra85t10a562s",
                ErroreCodice::Formato,
                "lower case (normalize first)",
            ),
            ("RSSMRA85T10À562S", ErroreCodice::Lunghezza, "non-ASCII"),
            (
                "80087670017",
                ErroreCodice::Controllo,
                "wrong partita IVA check digit",
            ),
            (
                "8008767001A",
                ErroreCodice::Formato,
                "letter in a partita IVA",
            ),
        ];
        for (code, expected, why) in cases {
            assert_eq!(verifica(code), Err(expected), "{why}");
        }
    }

    #[test]
    fn an_omocodia_variant_is_valid_when_its_check_letter_is_recomputed() {
        let mut code = b"RSSMRA85T10A562S".to_vec();
        code[14] = b'N'; // 2 -> N
        code[15] = carattere_controllo(&code[..15]);
        let code = String::from_utf8(code).unwrap();
        assert_eq!(verifica(&code), Ok(TipoCodice::PersonaFisica));
    }
}
