//! The tests live in `integrazione/`: see `integrazione/main.rs`.
