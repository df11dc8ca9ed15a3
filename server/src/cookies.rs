//! The session cookie and the device cookie: `HttpOnly`, `SameSite=Lax`, `Path=/`, `Secure`
//! over HTTPS. The device cookie marks a browser where an account once signed in: failed
//! logins by strangers do not lock the account out of it (see `service::auth`).

use axum::http::{header, HeaderMap};
use cookie::{Cookie, SameSite};
use shared::routes::SESSION_COOKIE;
use std::time::Duration;

/// `Set-Cookie` value that stores the session token.
pub fn session(token: &str, max_age: Duration, secure: bool) -> String {
    let secs = i64::try_from(max_age.as_secs()).unwrap_or(i64::MAX);
    Cookie::build((SESSION_COOKIE, token.to_owned()))
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .path("/")
        .max_age(cookie::time::Duration::seconds(secs))
        .build()
        .to_string()
}

/// `Set-Cookie` value that deletes the session cookie.
pub fn cleared(secure: bool) -> String {
    Cookie::build((SESSION_COOKIE, ""))
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .path("/")
        .max_age(cookie::time::Duration::ZERO)
        .build()
        .to_string()
}

/// Name of the device cookie.
pub const DEVICE_COOKIE: &str = "servizi06_dispositivo";

/// How long a browser stays a known device without signing in again.
pub const DEVICE_MAX_AGE: Duration = Duration::from_secs(400 * 24 * 3600);

/// `Set-Cookie` value that marks this browser as a known device.
pub fn device(token: &str, secure: bool) -> String {
    Cookie::build((DEVICE_COOKIE, token.to_owned()))
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .path("/")
        .max_age(cookie::time::Duration::seconds(
            i64::try_from(DEVICE_MAX_AGE.as_secs()).unwrap_or(i64::MAX),
        ))
        .build()
        .to_string()
}

/// The value of the cookie `nome` sent by the browser, if any.
pub fn valore(headers: &HeaderMap, nome: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| Cookie::split_parse(v.to_owned()))
        .filter_map(Result::ok)
        .find(|c| c.name() == nome)
        .map(|c| c.value().to_owned())
        .filter(|v| !v.is_empty())
}

/// The session token sent by the browser, if any.
pub fn token(headers: &HeaderMap) -> Option<String> {
    valore(headers, SESSION_COOKIE)
}

/// The device token sent by the browser, if any.
pub fn device_token(headers: &HeaderMap) -> Option<String> {
    valore(headers, DEVICE_COOKIE)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn the_session_cookie_is_http_only_lax_and_secure_only_over_https() {
        let plain = session("abc", Duration::from_secs(600), false);
        assert!(plain.starts_with(&format!("{SESSION_COOKIE}=abc")));
        for flag in ["HttpOnly", "SameSite=Lax", "Path=/", "Max-Age=600"] {
            assert!(plain.contains(flag), "{flag} in {plain}");
        }
        assert!(!plain.contains("Secure"));
        assert!(session("abc", Duration::from_secs(1), true).contains("Secure"));
        assert!(cleared(false).contains("Max-Age=0"));
    }

    #[test]
    fn the_token_is_read_among_other_cookies() {
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            HeaderValue::from_str(&format!("a=1; {SESSION_COOKIE}=tok; b=2")).unwrap(),
        );
        assert_eq!(token(&h).as_deref(), Some("tok"));
        assert_eq!(token(&HeaderMap::new()), None);
    }
}
