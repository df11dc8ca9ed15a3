//! The error every endpoint returns: [`ApiError`] with its real HTTP status. On the wire
//! (Dioxus's error envelope): `{"message":"<Italian>","code":<status>,"data":{"code":…,
//! "message":…,"fields":[…]}}`.

use dioxus::fullstack::AsStatusCode;
use dioxus::prelude::*;
use serde::{Deserialize, Serialize};
use shared::{ApiError, FieldError};

/// [`ApiError`] as a server-function error.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct AppError(pub ApiError);

impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0.message())
    }
}

impl std::error::Error for AppError {}

impl From<ApiError> for AppError {
    fn from(e: ApiError) -> Self {
        Self(e)
    }
}

impl From<ServerFnError> for AppError {
    fn from(e: ServerFnError) -> Self {
        let api = match e {
            ServerFnError::ServerError {
                details: Some(details),
                code,
                ..
            } => serde_json::from_value::<ApiError>(details).unwrap_or_else(|_| status_error(code)),
            ServerFnError::ServerError { code, .. } => status_error(code),
            ServerFnError::Args(_) | ServerFnError::MissingArg(_) => ApiError::Validation {
                fields: vec![FieldError::new(
                    "richiesta",
                    "richiesta.formato",
                    "La richiesta non è nel formato atteso.",
                )],
            },
            ServerFnError::Request(_) | ServerFnError::StreamError(_) => ApiError::Unavailable,
            _ => ApiError::Internal { id: String::new() },
        };
        Self(api)
    }
}

/// An error known only by its status code (a layer refused the request).
fn status_error(code: u16) -> ApiError {
    match code {
        401 => ApiError::session_required(),
        403 => ApiError::Forbidden,
        404 => ApiError::NotFound,
        429 => ApiError::TooManyRequests {
            retry_after_secs: 60,
        },
        502..=504 => ApiError::Unavailable,
        _ => ApiError::Internal { id: String::new() },
    }
}

impl AsStatusCode for AppError {
    fn as_status_code(&self) -> StatusCode {
        StatusCode::from_u16(self.0.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }
}

/// What endpoints return.
pub type ApiResult<T> = Result<T, AppError>;
