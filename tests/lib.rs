//! The integration tests live in `integrazione/` (see `integrazione/main.rs`); this library
//! holds what they share with the benchmark binaries in `bin/`.

pub mod banco;
