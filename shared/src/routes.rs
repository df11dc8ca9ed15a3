//! Some of the public HTTP API's stable paths (session, health, the registry's lists, a
//! campaign and a comune's form), named once here for the app and the tests; the endpoints
//! still write their paths where they are declared (the `#[get]`/`#[post]` attributes, which
//! take literals), and the OpenAPI test checks both agree.

/// `GET`: liveness and database reachability.
pub const HEALTH: &str = "/api/v1/health";
/// `POST` JSON `{username, password}`: opens a session (cookie).
pub const LOGIN: &str = "/api/v1/auth/login";
/// `POST`: closes the current session.
pub const LOGOUT: &str = "/api/v1/auth/logout";
/// `GET`: the user of the current session.
pub const ME: &str = "/api/v1/auth/me";
/// `GET /api/v1/comuni/{codice}`: one comune's registry card, for users allowed to see it.
pub const COMUNE_PREFIX: &str = "/api/v1/comuni/";
/// `GET /api/v1/servizi?…`: the Region's services, filtered and paginated.
pub const SERVIZI: &str = "/api/v1/servizi";
/// `GET`: the filtered list of services as CSV.
pub const SERVIZI_CSV: &str = "/api/v1/servizi.csv";
/// `GET`: the filtered list of services as XLSX.
pub const SERVIZI_XLSX: &str = "/api/v1/servizi.xlsx";

/// `/api/v1/campagne/{id}`: one campaign.
pub fn campagna(id: &str) -> String {
    format!("/api/v1/campagne/{id}")
}

/// `/api/v1/campagne/{id}/{azione}`: `pubblica`, `proroghe`, `schede`, the exports.
pub fn campagna_azione(id: &str, azione: &str) -> String {
    format!("/api/v1/campagne/{id}/{azione}")
}

/// `/api/v1/campagne/{id}/comuni/{codice}/scheda`: a comune's form in a campaign.
pub fn scheda(id: &str, codice: &str) -> String {
    format!("/api/v1/campagne/{id}/comuni/{codice}/scheda")
}

/// `/api/v1/campagne/{id}/comuni/{codice}/scheda/{azione}`: `invio`, `dichiarazione`,
/// `blocco`, `sblocco`, `riapertura`, `proroga`, `accettazione`, `restituzione`, …
pub fn scheda_azione(id: &str, codice: &str, azione: &str) -> String {
    format!("/api/v1/campagne/{id}/comuni/{codice}/scheda/{azione}")
}

/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "servizi06_sessione";
