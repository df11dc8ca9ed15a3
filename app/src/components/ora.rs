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

/// Now, as a signal that ticks once a second in the browser (for countdowns; on the server it
/// stays at the time of rendering).
pub fn use_adesso() -> dioxus::prelude::Signal<DateTime<Utc>> {
    use dioxus::prelude::*;
    #[cfg_attr(not(feature = "web"), allow(unused_mut))]
    let mut ora = use_signal(adesso);
    use_future(move || async move {
        #[cfg(feature = "web")]
        loop {
            gloo_timers::future::TimeoutFuture::new(1_000).await;
            ora.set(adesso());
        }
    });
    ora
}
