//! The current time where the code runs: the browser's clock in the client (used only to show
//! things and pre-check rules; the server's clock decides), the system clock on the server.

use chrono::{DateTime, NaiveDate, Utc};
use dioxus::prelude::*;

/// Now, in UTC.
pub fn adesso() -> DateTime<Utc> {
    #[cfg(feature = "web")]
    let ms = js_sys::Date::now() as i64;
    #[cfg(not(feature = "web"))]
    #[allow(
        clippy::disallowed_methods,
        reason = "the client's clock, used to show things; on the server side of the app, while rendering"
    )]
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

/// The countdown to `chiusura`, ticking once a second; within the last 24 hours it is marked
/// with the theme's warning colour and says so in words (not colour alone).
#[component]
pub fn ContoAllaRovescia(
    chiusura: DateTime<Utc>,
    #[props(default)] id: String,
    #[props(default)] classe: String,
) -> Element {
    let ora = use_adesso();
    let secondi = (chiusura - ora()).num_seconds();
    let vicina = shared::tempo::ultime_24_ore(secondi);
    let classe = if vicina {
        format!("{classe} fw-semibold scadenza-vicina rounded px-2 py-1 d-inline-block")
    } else {
        format!("{classe} fw-semibold")
    };
    rsx! {
        p { id: if id.is_empty() { None } else { Some(id.clone()) }, class: "{classe}", "data-ultime-24-ore": "{vicina}",
            if vicina { strong { "Ultime 24 ore: " } }
            "{shared::tempo::tempo_mancante(secondi)} (fino al {shared::campagna::data_ora_estesa(chiusura)})."
        }
    }
}
