//! Rules for free text common to every form, and the mapping from `validator`'s errors to
//! [`FieldError`]s with Italian messages.

use crate::error::FieldError;
use std::borrow::Cow;
use validator::{ValidationError, ValidationErrors};

/// Whether `c` must not be in a name or a text: a control character, or an invisible one that
/// changes how the text around it displays (bidirectional overrides and isolates, zero-width
/// characters: see [`crate::utente::carattere_invisibile`]), so that a name cannot show as
/// something else.
pub fn nascosto(c: char) -> bool {
    c.is_control() || crate::utente::carattere_invisibile(c)
}

/// [`nascosto`] for a text of several lines: line breaks (`\n`, `\r`) are allowed there.
pub fn nascosto_su_piu_righe(c: char) -> bool {
    c != '\n' && c != '\r' && nascosto(c)
}

/// Refuses control and invisible characters (tabs and newlines included): single-line fields
/// hold none.
pub fn no_control_chars(value: &str) -> Result<(), ValidationError> {
    if value.chars().any(nascosto) {
        return Err(rule(
            "testo.caratteri_controllo",
            "Contiene caratteri non ammessi (a capo, tabulazioni, di controllo o invisibili).",
        ));
    }
    Ok(())
}

/// Refuses values with leading or trailing spaces (forms trim before checking; an API caller
/// that sends them gets told).
pub fn trimmed(value: &str) -> Result<(), ValidationError> {
    if value.trim() != value {
        return Err(rule(
            "testo.spazi",
            "Non può iniziare o finire con uno spazio.",
        ));
    }
    Ok(())
}

/// A rule failure with its id and Italian message.
pub fn rule(id: &'static str, message: &'static str) -> ValidationError {
    ValidationError::new(id).with_message(Cow::Borrowed(message))
}

/// Flattens `validator`'s errors into one [`FieldError`] per failing rule, sorted by field so
/// client and server list them in the same order.
pub fn field_errors(errors: &ValidationErrors) -> Vec<FieldError> {
    let mut out: Vec<FieldError> = errors
        .field_errors()
        .into_iter()
        .flat_map(|(field, list)| {
            list.iter().map(move |e| FieldError {
                field: field.to_string(),
                rule: e.code.to_string(),
                message: e
                    .message
                    .as_ref()
                    .map(|m| m.to_string())
                    .unwrap_or_else(|| "Valore non valido.".to_owned()),
            })
        })
        .collect();
    out.sort_by(|a, b| a.field.cmp(&b.field).then(a.rule.cmp(&b.rule)));
    out
}

/// The first message for `field`, for showing next to an input.
pub fn message_for<'a>(errors: &'a [FieldError], field: &str) -> Option<&'a str> {
    errors
        .iter()
        .find(|e| e.field == field)
        .map(|e| e.message.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_refused_and_plain_text_is_accepted() {
        let refused = [
            ("a\nb", "newline"),
            ("a\tb", "tab"),
            ("a\u{0}b", "NUL"),
            ("\u{7f}", "DEL"),
            ("a\u{9b}b", "C1 control"),
        ];
        for (value, why) in refused {
            assert!(no_control_chars(value).is_err(), "{why} should be refused");
        }
        for ok in ["Torino", "Città di Alba", "L'Aquila", "Sant’Antonino"] {
            assert!(no_control_chars(ok).is_ok(), "{ok}");
        }
    }

    #[test]
    fn leading_or_trailing_spaces_are_refused() {
        assert!(trimmed(" a").is_err());
        assert!(trimmed("a ").is_err());
        assert!(trimmed("a b").is_ok());
    }
}
