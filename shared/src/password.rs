//! The rule for a new password (activation, reset, change), shown as a checklist while typing
//! and enforced by the server: at least 12 characters, not a common password (a list shipped
//! with the product, `resources/password-comuni.txt`), not the person's name, surname, codice
//! fiscale or username, not a run of one character or a sequence. No composition rules and no
//! periodic expiry (NIST SP 800-63B-4, OWASP ASVS 5 V6.2).

use crate::auth::PASSWORD_MAX;
use crate::error::{ApiError, FieldError};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// Shortest password accepted.
pub const PASSWORD_MIN: usize = 12;

/// The list of common passwords as shipped (server side; the browser fetches it once from
/// `GET /api/v1/password/comuni` instead of carrying it in the WebAssembly).
#[cfg(not(target_arch = "wasm32"))]
pub const ELENCO_COMUNI: &str = include_str!("../resources/password-comuni.txt");

/// Common passwords, lower case.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PasswordComuni(HashSet<String>);

impl PasswordComuni {
    /// Reads the list: one password per line, `#` lines are comments.
    pub fn da_testo(testo: &str) -> Self {
        Self(
            testo
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .map(str::to_lowercase)
                .collect(),
        )
    }

    /// The list shipped with the product.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn predefinito() -> &'static Self {
        static ELENCO: std::sync::OnceLock<PasswordComuni> = std::sync::OnceLock::new();
        ELENCO.get_or_init(|| Self::da_testo(ELENCO_COMUNI))
    }

    /// How many passwords the list holds.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether the list is empty (not loaded yet, in the browser).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether `password` is common: on the list, or a listed word with only digits and
    /// symbols added before or after (`Estate2024!`).
    pub fn comune(&self, password: &str) -> bool {
        let p = password.to_lowercase();
        if self.0.contains(&p) {
            return true;
        }
        let nucleo = p.trim_matches(|c: char| !c.is_alphabetic());
        nucleo.chars().count() >= 4 && self.0.contains(nucleo)
    }
}

/// Who the password is for: what it must not contain.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct ContestoPassword {
    pub nome: String,
    pub cognome: String,
    pub codice_fiscale: String,
    pub username: String,
}

/// One line of the checklist shown while typing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegolaPassword {
    /// Stable id (`password.lunghezza`).
    pub id: &'static str,
    /// What the rule asks, in Italian.
    pub testo: &'static str,
    /// Met or not; `None` while it cannot be judged yet (the list is loading).
    pub rispettata: Option<bool>,
}

fn semplice(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Whether the password holds the person's name, surname, CF or username (case, spaces and
/// punctuation ignored; parts shorter than 3 characters are not considered).
fn personale(password: &str, ctx: &ContestoPassword) -> bool {
    let p = semplice(password);
    let mut parti: Vec<String> = vec![
        semplice(&ctx.codice_fiscale),
        semplice(&ctx.username),
        semplice(&ctx.nome),
        semplice(&ctx.cognome),
    ];
    for parola in ctx
        .nome
        .split_whitespace()
        .chain(ctx.cognome.split_whitespace())
    {
        parti.push(semplice(parola));
    }
    if let Some((u, _)) = ctx.username.split_once('.') {
        parti.push(semplice(u));
    }
    parti
        .iter()
        .filter(|x| x.chars().count() >= 3)
        .any(|x| p.contains(x.as_str()))
}

/// A run of one character, few distinct characters, or a straight sequence (`123456789012`,
/// `abcdefghijkl`).
fn ripetitiva(password: &str) -> bool {
    let c: Vec<char> = password.chars().collect();
    let distinti: HashSet<&char> = c.iter().collect();
    if distinti.len() < 5 {
        return true;
    }
    let passo = |a: char, b: char| (b as i64) - (a as i64);
    let primo = c.windows(2).next().map(|w| passo(w[0], w[1]));
    primo.is_some_and(|d| {
        d.abs() == 1
            && c.windows(2).all(|w| {
                let s = passo(w[0], w[1]);
                s == d
                    || (w[0] == '9' && w[1] == '0' && d == 1)
                    || (w[0] == '0' && w[1] == '9' && d == -1)
            })
    })
}

/// The checklist for `password` and its confirmation. The list rule is `None` while `comuni`
/// is empty (the browser has not loaded it yet).
pub fn regole(
    password: &str,
    conferma: &str,
    ctx: &ContestoPassword,
    comuni: &PasswordComuni,
) -> Vec<RegolaPassword> {
    let n = password.chars().count();
    let vuota = password.is_empty();
    vec![
        RegolaPassword {
            id: "password.lunghezza",
            testo: "almeno 12 caratteri (meglio una frase di più parole)",
            rispettata: Some((PASSWORD_MIN..=PASSWORD_MAX).contains(&n)),
        },
        RegolaPassword {
            id: "password.comune",
            testo: "non è una password comune né una parola comune con qualche cifra",
            rispettata: if comuni.is_empty() {
                None
            } else {
                Some(!vuota && !comuni.comune(password))
            },
        },
        RegolaPassword {
            id: "password.personale",
            testo: "non contiene il tuo nome, cognome, codice fiscale o nome utente",
            rispettata: Some(!vuota && !personale(password, ctx)),
        },
        RegolaPassword {
            id: "password.ripetitiva",
            testo: "non è una ripetizione o una sequenza (aaaa…, 1234…, abcd…)",
            rispettata: Some(!vuota && !ripetitiva(password)),
        },
        RegolaPassword {
            id: "password.conferma",
            testo: "coincide con la conferma",
            rispettata: Some(!vuota && password == conferma),
        },
    ]
}

/// The rules as the server applies them: `Ok` or every failing rule, as fields `password`
/// and `conferma`.
pub fn controlla(
    password: &str,
    conferma: &str,
    ctx: &ContestoPassword,
    comuni: &PasswordComuni,
) -> Result<(), ApiError> {
    let mut fields = Vec::new();
    if password.chars().any(char::is_control) {
        fields.push(FieldError::new(
            "password",
            "password.caratteri",
            "La password contiene caratteri non ammessi (a capo, tabulazioni o di controllo).",
        ));
    }
    if password.chars().count() > PASSWORD_MAX {
        fields.push(FieldError::new(
            "password",
            "password.lunghezza",
            "La password può avere al massimo 256 caratteri.",
        ));
    }
    for r in regole(password, conferma, ctx, comuni) {
        if r.rispettata == Some(false) && !fields.iter().any(|f| f.rule == r.id) {
            let (campo, messaggio) = match r.id {
                "password.lunghezza" => ("password", "La password deve avere almeno 12 caratteri."),
                "password.comune" => (
                    "password",
                    "È una password troppo comune: scegline una meno prevedibile, ad esempio una frase di più parole.",
                ),
                "password.personale" => (
                    "password",
                    "La password non può contenere il tuo nome, cognome, codice fiscale o nome utente.",
                ),
                "password.ripetitiva" => (
                    "password",
                    "La password non può essere una ripetizione o una sequenza di caratteri.",
                ),
                _ => ("conferma", "La conferma non coincide con la password."),
            };
            fields.push(FieldError::new(campo, r.id, messaggio));
        }
    }
    if fields.is_empty() {
        Ok(())
    } else {
        fields.sort_by(|a, b| a.field.cmp(&b.field));
        Err(ApiError::Validation { fields })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx() -> ContestoPassword {
        ContestoPassword {
            nome: "Maria Grazia".into(),
            cognome: "D'Angelo".into(),
            codice_fiscale: "DNGMGR80A41L219U".into(),
            username: "mariagrazia.dangelo".into(),
        }
    }

    fn rifiuto(password: &str) -> Vec<String> {
        match controlla(password, password, &ctx(), PasswordComuni::predefinito()) {
            Ok(()) => vec![],
            Err(e) => e.fields().iter().map(|f| f.rule.clone()).collect(),
        }
    }

    #[test]
    fn the_shipped_list_is_loaded() {
        let l = PasswordComuni::predefinito();
        assert!(l.len() > 7_000, "{}", l.len());
        assert!(l.comune("qwerty123456"));
        assert!(l.comune("PASSWORD"));
    }

    #[test]
    fn weak_passwords_are_refused_each_for_its_rule() {
        let casi: &[(&str, &str, &str)] = &[
            ("corta-123", "password.lunghezza", "under 12 characters"),
            ("qwerty123456", "password.comune", "on the list as it is"),
            (
                "Juventus2024!!",
                "password.comune",
                "a listed word with digits and symbols",
            ),
            (
                "123Primavera!!",
                "password.comune",
                "an Italian word with digits before",
            ),
            (
                "DNGMGR80A41L219U",
                "password.personale",
                "the codice fiscale",
            ),
            (
                "dangelo-per-sempre",
                "password.personale",
                "the surname inside",
            ),
            ("Grazia e basta 1", "password.personale", "one of the names"),
            ("aaaaaaaaaaaaaa", "password.ripetitiva", "one character"),
            ("abababababab", "password.ripetitiva", "two characters"),
            (
                "5678901234567",
                "password.ripetitiva",
                "a sequence of digits",
            ),
            (
                "mnopqrstuvwxyz",
                "password.ripetitiva",
                "a sequence of letters",
            ),
        ];
        for (p, regola, perche) in casi {
            let r = rifiuto(p);
            assert!(r.contains(&regola.to_string()), "{perche}: {p} → {r:?}");
        }
    }

    #[test]
    fn good_passwords_pass() {
        for p in [
            "cavallo batteria graffetta",
            "Il nido apre alle 7:30!",
            "tre-gatti-sul-tetto-blu",
            "Rilevazione frequentanti 31/12",
        ] {
            assert_eq!(rifiuto(p), Vec::<String>::new(), "{p}");
        }
    }

    #[test]
    fn the_confirmation_must_match_and_control_characters_are_refused() {
        let e = controlla(
            "cavallo batteria graffetta",
            "cavallo batteria",
            &ctx(),
            PasswordComuni::predefinito(),
        )
        .unwrap_err();
        assert_eq!(e.fields()[0].field, "conferma");
        let e = controlla(
            "cavallo\nbatteria graffetta",
            "cavallo\nbatteria graffetta",
            &ctx(),
            PasswordComuni::predefinito(),
        )
        .unwrap_err();
        assert!(e.fields().iter().any(|f| f.rule == "password.caratteri"));
    }

    #[test]
    fn the_list_rule_waits_while_the_list_is_not_loaded() {
        let vuota = PasswordComuni::default();
        let r = regole("qwerty123456", "qwerty123456", &ctx(), &vuota);
        let comune = r.iter().find(|r| r.id == "password.comune").unwrap();
        assert_eq!(comune.rispettata, None);
        let caricata = PasswordComuni::da_testo("# commento\nqwerty123456\n");
        assert_eq!(caricata.len(), 1);
        let r = regole("qwerty123456", "qwerty123456", &ctx(), &caricata);
        let comune = r.iter().find(|r| r.id == "password.comune").unwrap();
        assert_eq!(comune.rispettata, Some(false));
    }
}
