//! The current time where the code runs: the browser's clock in the client (used only to show
//! things and pre-check rules; the server's clock decides), the system clock on the server.

use chrono::{DateTime, NaiveDate, Utc};

/// Now, in UTC.
pub fn adesso() -> DateTime<Utc> {
    #[cfg(feature = "web")]
    let ms = js_sys::Date::now() as i64;
    #[cfg(not(feature = "web"))]
    let ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or_default();
    DateTime::from_timestamp_millis(ms).unwrap_or_default()
}

/// Today's date in Italy.
pub fn oggi() -> NaiveDate {
    shared::tempo::oggi_in_italia(adesso())
}
