//! One's own account: activation and reset links, "password dimenticata", "verifica
//! credenziali", changing one's password; and the outbox of e-mails as administrators see it.

use crate::utente::StatoUtente;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

crate::codici! {
    /// What a link sent by e-mail is for.
    ScopoLink {
        Attivazione => ("attivazione", "Attivazione dell'account"),
        Reset => ("reset", "Nuova password"),
    }
}

/// A link's token (from the page's address) and the new password.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct NuovaPasswordForm {
    pub token: String,
    pub password: String,
    pub conferma: String,
}

/// A link's token, to learn what it is for before typing a password.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct TokenForm {
    pub token: String,
}

/// What a valid link is for and whose account it opens (so the page can greet the person and
/// check the password rule while typing).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct InfoLink {
    pub scopo: ScopoLink,
    pub username: String,
    pub nome: String,
    pub cognome: String,
    pub codice_fiscale: String,
    pub scadenza: DateTime<Utc>,
}

/// A link's token as it arrives: 64 hexadecimal characters (256 bits). Anything else is not
/// one of ours and is refused before any lookup.
pub fn token_valido(t: &str) -> bool {
    t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Changing one's own password from the reserved area.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct CambioPasswordForm {
    pub attuale: String,
    pub password: String,
    pub conferma: String,
}

/// "Password dimenticata": the username, codice fiscale or e-mail address.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct PasswordDimenticataForm {
    pub identificativo: String,
}

/// The one answer to "password dimenticata", whatever the account.
pub const RISPOSTA_PASSWORD_DIMENTICATA: &str = "Se i dati corrispondono a un account attivo, \
     riceverai entro pochi minuti un messaggio con il collegamento per scegliere una nuova \
     password. Il collegamento vale 60 minuti. Se non arriva, controlla la posta indesiderata o \
     contatta l'assistenza.";

/// The answer to "password dimenticata" (always the same).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct Presa {
    pub messaggio: String,
}

crate::codici! {
    /// What "verifica credenziali" found.
    EsitoVerifica {
        Valide => ("valide", "Credenziali valide"),
        NonValide => ("non_valide", "Credenziali non valide"),
        Scadute => ("scadute", "Password scaduta"),
    }
}

/// The answer of "verifica credenziali": only the verdict and, for the right password, the
/// account's state and the password's expiry. No session is opened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct VerificaCredenziali {
    pub esito: EsitoVerifica,
    pub stato: Option<StatoUtente>,
    /// When the password expires (or expired); none when it does not expire.
    pub scadenza: Option<DateTime<Utc>>,
    /// The Region asked for a new password at the next sign-in.
    pub cambio_richiesto: bool,
    /// The verdict in one Italian sentence.
    pub messaggio: String,
}

crate::codici! {
    /// Where an e-mail of the outbox stands.
    StatoMessaggio {
        InCoda => ("in_coda", "In coda"),
        Inviato => ("inviato", "Inviato"),
        Fallito => ("fallito", "Non recapitabile"),
    }
}

/// One message of the outbox (its text without any link's token).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct MessaggioVista {
    pub id: String,
    pub message_id: String,
    pub destinatario: String,
    pub oggetto: String,
    /// Why it was written (`attivazione`, `reset`, `richiesta_decisa`…).
    pub causa: String,
    pub stato: StatoMessaggio,
    pub tentativi: u32,
    pub creato: DateTime<Utc>,
    pub inviato: Option<DateTime<Utc>>,
    pub prossimo_tentativo: Option<DateTime<Utc>>,
    /// The mail server's last answer, or the connection error.
    pub ultimo_esito: Option<String>,
}

/// The outbox's counts and its newest messages.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct Posta {
    pub in_coda: u32,
    pub inviati: u32,
    pub falliti: u32,
    pub messaggi: Vec<MessaggioVista>,
}

/// Filter of the outbox (query string): a state code, or empty for all.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct FiltroPosta {
    #[serde(default)]
    pub stato: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_64_hex_characters_are_a_token() {
        assert!(token_valido(&"a".repeat(64)));
        assert!(token_valido(&"0123456789abcdefABCDEF".repeat(3)[..64]));
        assert!(!token_valido(&"a".repeat(63)));
        assert!(!token_valido(&"g".repeat(64)));
        assert!(!token_valido(""));
        assert!(!token_valido(&format!("{}'", "a".repeat(63))));
    }
}
