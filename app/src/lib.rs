//! Servizi 0-6: the Dioxus fullstack app (pages, components, router) and its `/api/v1`
//! endpoints. Built twice: `--features web` for the browser (wasm32), `--features server`
//! for the server, which also serves the server-side rendered pages.

pub mod api;
mod components;
#[cfg(feature = "server")]
pub mod csp;
mod offline;
mod pages;
#[cfg(feature = "server")]
pub mod serve;

use components::shell::Shell;
use dioxus::prelude::*;
use pages::{
    accesso::Accesso,
    account::{Attivazione, MioAccount, NuovaPassword, PasswordDimenticata, VerificaCredenziali},
    area::AreaRiservata,
    campagna_regione::NuovaRilevazione,
    fondi::Fondi,
    home::Home,
    non_trovata::NonTrovata,
    posta::PostaUscita,
    privacy::Privacy,
    registrazioni::Registrazioni,
    rilevazione::Rilevazione,
    rilevazioni::Rilevazioni,
    servizi::ServiziElenco,
    servizio::{NuovoServizio, SchedaServizio},
    sito::{DichiarazioneAccessibilita, ImpostazioniSitoPagina, NoteLegali},
    utenti::{LegaliRappresentanti, UtentiRegione},
};

/// The app's pages.
#[derive(Routable, Clone, Debug, PartialEq)]
#[rustfmt::skip]
pub enum Route {
    #[layout(Shell)]
        #[route("/")]
        Home {},
        #[route("/accesso?:motivo")]
        Accesso { motivo: String },
        #[route("/area-riservata")]
        AreaRiservata {},
        #[route("/servizi")]
        ServiziElenco {},
        #[route("/servizi/nuovo")]
        NuovoServizio {},
        #[route("/servizi/:id")]
        SchedaServizio { id: String },
        #[route("/rilevazioni")]
        Rilevazioni {},
        #[route("/rilevazioni/nuova")]
        NuovaRilevazione {},
        #[route("/rilevazioni/:id")]
        Rilevazione { id: String },
        #[route("/fondi")]
        Fondi {},
        #[route("/privacy")]
        Privacy {},
        #[route("/accessibilita")]
        DichiarazioneAccessibilita {},
        #[route("/note-legali")]
        NoteLegali {},
        #[route("/impostazioni-sito")]
        ImpostazioniSitoPagina {},
        #[route("/attivazione")]
        Attivazione {},
        #[route("/nuova-password")]
        NuovaPassword {},
        #[route("/password-dimenticata")]
        PasswordDimenticata {},
        #[route("/verifica-credenziali")]
        VerificaCredenziali {},
        #[route("/account")]
        MioAccount {},
        #[route("/registrazioni")]
        Registrazioni {},
        #[route("/utenti")]
        UtentiRegione {},
        #[route("/utenti/legali")]
        LegaliRappresentanti {},
        #[route("/posta")]
        PostaUscita {},
        #[route("/:..segments")]
        NonTrovata { segments: Vec<String> },
}

/// The root component.
#[allow(non_snake_case)]
pub fn App() -> Element {
    rsx! {
        document::Stylesheet { href: "/vendor/bootstrap-italia/css/bootstrap-italia.min.css" }
        document::Stylesheet { href: "/app.css" }
        document::Meta { name: "viewport", content: "width=device-width, initial-scale=1" }
        document::Meta { name: "theme-color", content: "#0066cc" }
        document::Link { rel: "manifest", href: "/manifest.webmanifest" }
        document::Link { rel: "apple-touch-icon", href: "/icone/icona-192.png" }
        document::Script { {components::field::REGISTRA_DIGITATO} }
        Router::<Route> {}
    }
}
