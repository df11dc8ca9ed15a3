//! One module per page.

pub mod accesso;
pub mod account;
pub mod area;
pub mod campagna_regione;
pub mod da_fare;
pub mod fondi;
pub mod home;
pub mod non_trovata;
pub mod posta;
pub mod privacy;
pub mod registrazioni;
pub mod rilevazione;
pub mod rilevazioni;
pub mod servizi;
pub mod servizio;
pub mod sito;
pub mod utenti;
