//! Login form, credentials, roles and the signed-in user as the client sees it.

use crate::comune::ComuneRef;
use crate::error::ApiError;
use crate::text::{no_control_chars, rule};
use serde::{Deserialize, Serialize};
use validator::{Validate, ValidationError};

/// Longest password accepted: hashing is deliberately slow, so unbounded input is a DoS.
pub const PASSWORD_MAX: usize = 256;

/// The login form as typed (raw fields, bound to the inputs).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct LoginForm {
    /// The person's codice fiscale, or the account's username (`torino`): case and spaces
    /// do not matter.
    #[validate(custom(function = "username_rule"))]
    pub username: String,
    /// Password, never trimmed.
    #[validate(custom(function = "password_rule"))]
    pub password: String,
}

impl LoginForm {
    /// The form with the username trimmed and lower-cased, as it is checked and looked up.
    pub fn normalized(&self) -> Self {
        Self {
            username: normalize_username(&self.username),
            password: self.password.clone(),
        }
    }
}

/// Lower-cases a username or codice fiscale and drops every space (`RSS MRA 80A01 L219X` is
/// `rssmra80a01l219x`): case and spaces never matter.
pub fn normalize_username(raw: &str) -> String {
    raw.chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Checked login input: only built by [`Credentials::parse`].
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    username: String,
    password: String,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("username", &self.username)
            .field("password", &"***")
            .finish()
    }
}

impl Credentials {
    /// Runs the login rules; on failure the failing fields with Italian messages.
    pub fn parse(form: &LoginForm) -> Result<Self, ApiError> {
        let form = form.normalized();
        form.validate()?;
        Ok(Self {
            username: form.username,
            password: form.password,
        })
    }

    /// The normalized username.
    pub fn username(&self) -> &str {
        &self.username
    }

    /// The password as typed.
    pub fn password(&self) -> &str {
        &self.password
    }
}

/// Username or codice fiscale: 3–64 characters, lower-case letters, digits, `.`, `_`, `-`,
/// starting with a letter (a codice fiscale, lower-cased, is one of these).
pub fn username_rule(value: &str) -> Result<(), ValidationError> {
    let value = normalize_username(value);
    if value.is_empty() {
        return Err(rule(
            "username.obbligatorio",
            "Inserisci il codice fiscale o il nome utente.",
        ));
    }
    let len = value.chars().count();
    if !(3..=64).contains(&len) {
        return Err(rule(
            "username.lunghezza",
            "Il codice fiscale ha 16 caratteri; il nome utente da 3 a 64.",
        ));
    }
    let starts_with_letter = value.chars().next().is_some_and(|c| c.is_ascii_lowercase());
    let allowed = value
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'));
    if !starts_with_letter || !allowed {
        return Err(rule(
            "username.formato",
            "Il nome utente può contenere solo lettere non accentate, cifre, punto, trattino e trattino basso, e deve iniziare con una lettera.",
        ));
    }
    Ok(())
}

/// Password at login: present, at most [`PASSWORD_MAX`] characters, no control characters.
pub fn password_rule(value: &str) -> Result<(), ValidationError> {
    if value.is_empty() {
        return Err(rule("password.obbligatoria", "Inserisci la password."));
    }
    if value.chars().count() > PASSWORD_MAX {
        return Err(rule(
            "password.lunghezza",
            "La password può avere al massimo 256 caratteri.",
        ));
    }
    no_control_chars(value).map_err(|_| {
        rule(
            "password.caratteri",
            "La password contiene caratteri non ammessi.",
        )
    })
}

/// A user's role. Comune roles are bound to one comune; regional roles see the whole Region.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Ruolo {
    /// Municipal official: keeps the comune's registry and fills in its forms.
    OperatoreComunale,
    /// Mayor or legal representative: registers the comune's users.
    LegaleRappresentante,
    /// Regional official: the whole Region.
    FunzionarioRegionale,
    /// System administrator.
    Amministratore,
}

impl Ruolo {
    /// Every role, in display order.
    pub const ALL: [Ruolo; 4] = [
        Ruolo::OperatoreComunale,
        Ruolo::LegaleRappresentante,
        Ruolo::FunzionarioRegionale,
        Ruolo::Amministratore,
    ];

    /// The stored code (`operatore_comunale`).
    pub fn code(self) -> &'static str {
        match self {
            Ruolo::OperatoreComunale => "operatore_comunale",
            Ruolo::LegaleRappresentante => "legale_rappresentante",
            Ruolo::FunzionarioRegionale => "funzionario_regionale",
            Ruolo::Amministratore => "amministratore",
        }
    }

    /// Parses a stored code.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == code)
    }

    /// The Italian label.
    pub fn label(self) -> &'static str {
        match self {
            Ruolo::OperatoreComunale => "Operatore comunale",
            Ruolo::LegaleRappresentante => "Legale rappresentante",
            Ruolo::FunzionarioRegionale => "Funzionario regionale",
            Ruolo::Amministratore => "Amministratore",
        }
    }

    /// Whether the role is bound to one comune.
    pub fn is_comunale(self) -> bool {
        matches!(self, Ruolo::OperatoreComunale | Ruolo::LegaleRappresentante)
    }
}

/// The signed-in user, as `GET /api/v1/auth/me` returns it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct UtenteCorrente {
    /// Login name.
    pub username: String,
    /// Full name to greet the user.
    pub nome_completo: String,
    /// Role.
    pub ruolo: Ruolo,
    /// The comune, for comune roles.
    pub comune: Option<ComuneRef>,
    /// The password must be changed before anything else (forced by the Region, or expired):
    /// until then only the password change, this answer and logout are allowed.
    #[serde(default)]
    pub cambio_password: bool,
}

impl UtenteCorrente {
    /// Whether this user may read or change data of the comune `codice_istat`.
    pub fn can_access_comune(&self, codice_istat: &str) -> bool {
        if self.ruolo.is_comunale() {
            self.comune
                .as_ref()
                .is_some_and(|c| c.codice == codice_istat)
        } else {
            true
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(username: &str, password: &str) -> LoginForm {
        LoginForm {
            username: username.into(),
            password: password.into(),
        }
    }

    #[test]
    fn invalid_logins_name_the_failing_field_and_rule() {
        let long_password = "x".repeat(PASSWORD_MAX + 1);
        let cases: &[(&str, &str, &str, &str)] = &[
            ("", "pw", "username.obbligatorio", "empty username"),
            ("   ", "pw", "username.obbligatorio", "blank username"),
            ("ab", "pw", "username.lunghezza", "too short"),
            (
                &"a".repeat(65),
                "pw",
                "username.lunghezza",
                "longer than 64",
            ),
            ("1abc", "pw", "username.formato", "starts with a digit"),
            ("mario.rossi!", "pw", "username.formato", "exclamation mark"),
            ("niccolò", "pw", "username.formato", "accented letter"),
            ("a'; DROP", "pw", "username.formato", "quote"),
            ("torino", "", "password.obbligatoria", "empty password"),
            (
                "torino",
                &long_password,
                "password.lunghezza",
                "password over the limit",
            ),
            (
                "torino",
                "a\nb",
                "password.caratteri",
                "newline in password",
            ),
        ];
        for (username, password, expected_rule, why) in cases {
            let err = Credentials::parse(&form(username, password)).unwrap_err();
            let rules: Vec<&str> = err.fields().iter().map(|f| f.rule.as_str()).collect();
            assert_eq!(rules, vec![*expected_rule], "{why}");
            assert!(!err.fields()[0].message.is_empty(), "{why}: message");
        }
    }

    #[test]
    fn usernames_are_trimmed_and_lower_cased_and_passwords_kept_as_typed() {
        let c = Credentials::parse(&form("  Torino ", " pass word ")).unwrap();
        assert_eq!(c.username(), "torino");
        let cf = Credentials::parse(&form(" RSS MRA 80A01 L219X", "pw")).unwrap();
        assert_eq!(cf.username(), "rssmra80a01l219x");
        assert_eq!(c.password(), " pass word ");
        assert!(!format!("{c:?}").contains("pass word"));
    }

    #[test]
    fn both_fields_fail_together_in_field_order() {
        let err = Credentials::parse(&form("", "")).unwrap_err();
        let fields: Vec<&str> = err.fields().iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, vec!["password", "username"]);
    }

    #[test]
    fn role_codes_round_trip() {
        for r in Ruolo::ALL {
            assert_eq!(Ruolo::from_code(r.code()), Some(r));
            let json = serde_json::to_string(&r).unwrap();
            assert_eq!(json, format!("\"{}\"", r.code()));
        }
        assert_eq!(Ruolo::from_code("sindaco"), None);
    }

    #[test]
    fn comune_roles_reach_only_their_comune_and_regional_roles_all() {
        let alba = UtenteCorrente {
            username: "alba".into(),
            nome_completo: "Operatore Alba".into(),
            ruolo: Ruolo::OperatoreComunale,
            comune: Some(ComuneRef {
                codice: "004003".into(),
                nome: "Alba".into(),
            }),
            cambio_password: false,
        };
        assert!(alba.can_access_comune("004003"));
        assert!(!alba.can_access_comune("001272"));
        let regione = UtenteCorrente {
            ruolo: Ruolo::FunzionarioRegionale,
            comune: None,
            ..alba.clone()
        };
        assert!(regione.can_access_comune("001272"));
        let orphan = UtenteCorrente {
            comune: None,
            ..alba
        };
        assert!(!orphan.can_access_comune("004003"));
    }
}
