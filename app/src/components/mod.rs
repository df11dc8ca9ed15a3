//! Components shared by the pages.

pub mod conferma;
pub mod dichiarazione;
pub mod field;
pub mod modulo_servizio;
pub mod navigazione;
pub mod ora;
pub mod password;
pub mod shell;
pub mod stato;
