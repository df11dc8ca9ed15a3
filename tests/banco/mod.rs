//! Load and crash harnesses shared by the benchmark binaries (`banco-scadenza`,
//! `banco-crash`) and the integration tests: the app's server as a child process on the
//! on-disk engine, seeding through the back-end library, a timed HTTP client, figures.

pub mod cliente;
pub mod crash;
pub mod misure;
pub mod seme;
pub mod server;
