//! The one error type every endpoint answers with, its HTTP status and its Italian message.
//!
//! On the wire an error is JSON: `{"code":"…","message":"…","fields":[…],"id":"…"}`. Internal
//! details never travel: an internal failure carries only an id to quote to the help desk.

use serde::{Deserialize, Serialize};
use std::fmt;

/// One field that failed a rule: the field's name, the rule's id and the Italian message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct FieldError {
    /// The form field's name, as in the DTO (`username`).
    pub field: String,
    /// The rule's stable id (`username.formato`).
    pub rule: String,
    /// The message shown next to the field.
    pub message: String,
}

impl FieldError {
    /// A failing field.
    pub fn new(field: &str, rule: &str, message: &str) -> Self {
        Self {
            field: field.to_owned(),
            rule: rule.to_owned(),
            message: message.to_owned(),
        }
    }
}

/// Every way a request can fail, as the client sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(into = "ErrorBody", from = "ErrorBody")]
pub enum ApiError {
    /// 422: input that breaks the rules, with the failing fields.
    Validation { fields: Vec<FieldError> },
    /// 401: no valid session, or wrong credentials (`message` says which).
    Unauthorized { message: String },
    /// 403: the user's role or comune does not allow this.
    Forbidden,
    /// 403: the user must change their password before doing anything else.
    CambioPassword,
    /// 404: no such resource (or not visible to this user).
    NotFound,
    /// 409: the resource changed meanwhile.
    Conflict { message: String },
    /// 409: the compilation window is closed for this comune.
    WindowClosed { message: String },
    /// 429: too many attempts; retry after the given seconds.
    TooManyRequests { retry_after_secs: u64 },
    /// 500: something failed on the server; `id` is in the server's log.
    Internal { id: String },
    /// 503: the server could not be reached (offline, or it is down).
    Unavailable,
}

impl ApiError {
    /// The HTTP status code.
    pub fn status(&self) -> u16 {
        match self {
            ApiError::Validation { .. } => 422,
            ApiError::Unauthorized { .. } => 401,
            ApiError::Forbidden | ApiError::CambioPassword => 403,
            ApiError::NotFound => 404,
            ApiError::Conflict { .. } | ApiError::WindowClosed { .. } => 409,
            ApiError::TooManyRequests { .. } => 429,
            ApiError::Internal { .. } => 500,
            ApiError::Unavailable => 503,
        }
    }

    /// The stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            ApiError::Validation { .. } => "validazione",
            ApiError::Unauthorized { .. } => "non_autenticato",
            ApiError::Forbidden => "non_autorizzato",
            ApiError::CambioPassword => "cambio_password",
            ApiError::NotFound => "non_trovato",
            ApiError::Conflict { .. } => "conflitto",
            ApiError::WindowClosed { .. } => "finestra_chiusa",
            ApiError::TooManyRequests { .. } => "troppi_tentativi",
            ApiError::Internal { .. } => "errore_interno",
            ApiError::Unavailable => "non_disponibile",
        }
    }

    /// The Italian message for people.
    pub fn message(&self) -> String {
        match self {
            ApiError::Validation { fields } => match fields.as_slice() {
                [one] => one.message.clone(),
                _ => "Alcuni campi non sono validi: correggili e riprova.".to_owned(),
            },
            ApiError::Unauthorized { message }
            | ApiError::Conflict { message }
            | ApiError::WindowClosed { message } => message.clone(),
            ApiError::Forbidden => "Non hai i permessi per questa operazione.".to_owned(),
            ApiError::CambioPassword => {
                "Prima di continuare devi scegliere una nuova password.".to_owned()
            }
            ApiError::NotFound => "La risorsa richiesta non esiste.".to_owned(),
            ApiError::TooManyRequests { retry_after_secs } => format!(
                "Troppi tentativi di accesso non riusciti. Riprova tra {}.",
                durata_italiana(*retry_after_secs)
            ),
            ApiError::Unavailable => {
                "Servizio non raggiungibile: controlla la connessione e riprova.".to_owned()
            }
            ApiError::Internal { id } if id.is_empty() => {
                "Si è verificato un errore imprevisto. Riprova tra poco.".to_owned()
            }
            ApiError::Internal { id } => format!(
                "Si è verificato un errore interno. Se il problema persiste, comunica all'assistenza il codice {id}."
            ),
        }
    }

    /// A session is required and missing or expired.
    pub fn session_required() -> Self {
        ApiError::Unauthorized {
            message: "Sessione assente o scaduta: accedi di nuovo.".to_owned(),
        }
    }

    /// Username or password are wrong (never says which).
    pub fn wrong_credentials() -> Self {
        ApiError::Unauthorized {
            message: "Nome utente o password non corretti.".to_owned(),
        }
    }

    /// The field errors, if this is a validation error.
    pub fn fields(&self) -> &[FieldError] {
        match self {
            ApiError::Validation { fields } => fields,
            _ => &[],
        }
    }
}

/// "1 minuto", "15 minuti", "30 secondi".
fn durata_italiana(secs: u64) -> String {
    if secs < 60 {
        let s = secs.max(1);
        if s == 1 {
            "1 secondo".to_owned()
        } else {
            format!("{s} secondi")
        }
    } else {
        let m = secs.div_ceil(60);
        if m == 1 {
            "1 minuto".to_owned()
        } else {
            format!("{m} minuti")
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for ApiError {}

impl From<validator::ValidationErrors> for ApiError {
    fn from(errors: validator::ValidationErrors) -> Self {
        ApiError::Validation {
            fields: crate::text::field_errors(&errors),
        }
    }
}

/// The JSON shape of an [`ApiError`].
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct ErrorBody {
    /// Stable code (see [`ApiError::code`]).
    pub code: String,
    /// Italian message.
    pub message: String,
    /// Failing fields, for `validazione`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldError>,
    /// Error id to quote, for `errore_interno`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Seconds to wait, for `troppi_tentativi`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after_secs: Option<u64>,
}

impl From<ApiError> for ErrorBody {
    fn from(e: ApiError) -> Self {
        let message = e.message();
        let code = e.code().to_owned();
        match e {
            ApiError::Validation { fields } => ErrorBody {
                code,
                message,
                fields,
                id: None,
                retry_after_secs: None,
            },
            ApiError::Internal { id } => ErrorBody {
                code,
                message,
                fields: vec![],
                id: Some(id),
                retry_after_secs: None,
            },
            ApiError::TooManyRequests { retry_after_secs } => ErrorBody {
                code,
                message,
                fields: vec![],
                id: None,
                retry_after_secs: Some(retry_after_secs),
            },
            _ => ErrorBody {
                code,
                message,
                fields: vec![],
                id: None,
                retry_after_secs: None,
            },
        }
    }
}

impl From<ErrorBody> for ApiError {
    fn from(b: ErrorBody) -> Self {
        match b.code.as_str() {
            "validazione" => ApiError::Validation { fields: b.fields },
            "non_autenticato" => ApiError::Unauthorized { message: b.message },
            "non_autorizzato" => ApiError::Forbidden,
            "cambio_password" => ApiError::CambioPassword,
            "non_trovato" => ApiError::NotFound,
            "conflitto" => ApiError::Conflict { message: b.message },
            "finestra_chiusa" => ApiError::WindowClosed { message: b.message },
            "non_disponibile" => ApiError::Unavailable,
            "troppi_tentativi" => ApiError::TooManyRequests {
                retry_after_secs: b.retry_after_secs.unwrap_or(60),
            },
            _ => ApiError::Internal {
                id: b.id.unwrap_or_default(),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_round_trips_through_json_with_its_status() {
        let cases = [
            (
                ApiError::Validation {
                    fields: vec![FieldError::new("username", "username.formato", "x")],
                },
                422,
            ),
            (ApiError::wrong_credentials(), 401),
            (ApiError::Forbidden, 403),
            (ApiError::CambioPassword, 403),
            (ApiError::NotFound, 404),
            (
                ApiError::Conflict {
                    message: "c".into(),
                },
                409,
            ),
            (
                ApiError::WindowClosed {
                    message: "w".into(),
                },
                409,
            ),
            (
                ApiError::TooManyRequests {
                    retry_after_secs: 900,
                },
                429,
            ),
            (ApiError::Internal { id: "abc".into() }, 500),
            (ApiError::Unavailable, 503),
        ];
        for (error, status) in cases {
            assert_eq!(error.status(), status, "{error:?}");
            let json = serde_json::to_string(&error).unwrap();
            let back: ApiError = serde_json::from_str(&json).unwrap();
            assert_eq!(back, error, "{json}");
        }
    }

    #[test]
    fn rate_limit_message_says_how_long_to_wait_in_italian() {
        let e = ApiError::TooManyRequests {
            retry_after_secs: 840,
        };
        assert_eq!(
            e.message(),
            "Troppi tentativi di accesso non riusciti. Riprova tra 14 minuti."
        );
        let e = ApiError::TooManyRequests {
            retry_after_secs: 1,
        };
        assert!(e.message().ends_with("tra 1 secondo."));
    }

    #[test]
    fn internal_error_json_carries_only_the_id() {
        let json = serde_json::to_value(ApiError::Internal { id: "E-42".into() }).unwrap();
        assert_eq!(json["code"], "errore_interno");
        assert_eq!(json["id"], "E-42");
        assert!(json["message"].as_str().unwrap().contains("E-42"));
        assert_eq!(json.as_object().unwrap().len(), 3);
    }
}
