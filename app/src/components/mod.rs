//! Components shared by the pages.

pub mod dichiarazione;
pub mod field;
pub mod modulo_servizio;
pub mod ora;
pub mod password;
pub mod shell;
