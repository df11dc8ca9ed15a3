//! E-mail address syntax: the HTML specification's "valid e-mail address" with the length
//! limits of RFC 5321, an address literal (`nome@[192.0.2.1]`) or an internationalised domain.
//! The same verdict as `validator`'s `ValidateEmail` (a property test checks it), written by
//! hand because that one compiles three regular expressions at run time: the `regex` engine
//! and its Unicode tables were a large share of the browser's WebAssembly.

use std::net::IpAddr;
use std::str::FromStr;

/// Whether `v` is an e-mail address.
pub fn valida(v: &str) -> bool {
    let Some((utente, dominio)) = v.rsplit_once('@') else {
        return false;
    };
    if utente.chars().count() > 64 || dominio.chars().count() > 255 {
        return false;
    }
    if utente.is_empty() || !utente.bytes().all(carattere_utente) {
        return false;
    }
    if dominio_valido(dominio) {
        return true;
    }
    // An internationalised domain, checked in its ASCII form.
    match idna::domain_to_ascii(dominio) {
        Ok(d) => dominio_valido(&d),
        Err(_) => false,
    }
}

/// The characters the HTML specification allows before the `@`.
fn carattere_utente(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b".!#$%&'*+/=?^_`{|}~-".contains(&b)
}

/// Host names (dot-separated labels of 1–63 letters, digits and inner hyphens), or an address
/// literal in brackets at the end.
fn dominio_valido(d: &str) -> bool {
    if d.split('.').all(etichetta_valida) {
        return true;
    }
    // `[address]` at the end: what follows the last `[` up to the closing `]`.
    let Some(senza) = d.strip_suffix(']') else {
        return false;
    };
    let Some((_, ip)) = senza.rsplit_once('[') else {
        return false;
    };
    !ip.is_empty()
        && ip
            .bytes()
            .all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.')
        && IpAddr::from_str(ip).is_ok()
}

fn etichetta_valida(l: &str) -> bool {
    let b = l.as_bytes();
    (1..=63).contains(&b.len())
        && b[0].is_ascii_alphanumeric()
        && b[b.len() - 1].is_ascii_alphanumeric()
        && b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-')
}

#[cfg(test)]
mod tests {
    use super::valida;
    use proptest::prelude::*;
    use validator::ValidateEmail;

    /// Each case with the reason it is there.
    #[test]
    fn addresses_and_why() {
        for (v, atteso, perche) in [
            ("nido.girasole@comune.torino.it", true, "ordinary"),
            ("a@b.it", true, "shortest labels"),
            ("x+y@sub-dom.example", true, "plus and inner hyphen"),
            ("nome@[192.0.2.1]", true, "IPv4 literal"),
            ("nome@[2001:db8::1]", true, "IPv6 literal"),
            ("nome@[999.0.0.1]", false, "not an address"),
            ("nome@città.it", true, "internationalised domain"),
            ("nido@", false, "no domain"),
            ("@comune.it", false, "no user"),
            ("nido.comune.it", false, "no @"),
            ("nido@-comune.it", false, "label starts with a hyphen"),
            ("nido@comune-.it", false, "label ends with a hyphen"),
            ("nido@comune..it", false, "empty label"),
            ("nido@comune.it.", false, "trailing dot"),
            ("ni do@comune.it", false, "space in the user"),
            ("nìdo@comune.it", false, "non-ASCII user"),
            ("a@b@comune.it", false, "@ in the user"),
        ] {
            assert_eq!(valida(v), atteso, "{v}: {perche}");
            assert_eq!(v.validate_email(), atteso, "validator on {v}: {perche}");
        }
        let lungo = format!("{}@comune.it", "a".repeat(65));
        assert!(!valida(&lungo), "user over 64 characters");
        let etichetta = format!("nido@{}.it", "a".repeat(64));
        assert!(!valida(&etichetta), "label over 63 characters");
    }

    proptest! {
        /// The same verdict as `validator` on address-like text.
        #[test]
        fn agrees_with_validator(v in "[a-zA-Z0-9.+@\\[\\]:àé -]{0,24}(@[a-z0-9.\\-\\[\\]:]{0,20})?") {
            prop_assert_eq!(valida(&v), v.validate_email(), "{}", v);
        }

        /// And on any text at all.
        #[test]
        fn agrees_with_validator_on_any_text(v in "\\PC{0,40}") {
            prop_assert_eq!(valida(&v), v.validate_email(), "{}", v);
        }
    }
}
