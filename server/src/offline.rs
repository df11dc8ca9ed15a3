//! The service worker of the web client: generated once per start from the files the server
//! serves (the client's build in the public directory), with a version that is the SHA-256 of
//! their paths and contents, so a new deployment installs a new, complete cache.

use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

const MODELLO: &str = include_str!("../resources/sw.js");

/// Files not to precache: the bare HTML shell (pages are server-rendered) and build markers.
fn escluso(rel: &str) -> bool {
    rel == "/index.html" || rel.ends_with("/.stamp") || rel.starts_with("/.")
}

fn elenca(radice: &Path, dir: &Path, out: &mut Vec<(String, PathBuf)>) -> std::io::Result<()> {
    for voce in std::fs::read_dir(dir)? {
        let voce = voce?;
        let p = voce.path();
        if voce.file_type()?.is_dir() {
            elenca(radice, &p, out)?;
        } else if let Ok(rel) = p.strip_prefix(radice) {
            let rel = format!("/{}", rel.to_string_lossy().replace('\\', "/"));
            if !escluso(&rel) {
                out.push((rel, p));
            }
        }
    }
    Ok(())
}

/// The service worker for the files under `public`, and its version.
pub fn service_worker(public: &Path) -> std::io::Result<(String, String)> {
    let mut file = Vec::new();
    if public.is_dir() {
        elenca(public, public, &mut file)?;
    }
    file.sort();
    let mut h = Sha256::new();
    for (rel, p) in &file {
        h.update(rel.as_bytes());
        h.update(std::fs::read(p)?);
    }
    let versione = hex::encode(&h.finalize()[..6]);
    let elenco: Vec<&str> = file.iter().map(|(r, _)| r.as_str()).collect();
    let js = MODELLO.replace("__VERSIONE__", &versione).replace(
        "__FILE__",
        &serde_json::to_string(&elenco).unwrap_or_else(|_| "[]".into()),
    );
    Ok((js, versione))
}

/// Where the server serves static files from: `DIOXUS_PUBLIC_PATH`, else `public` next to
/// the executable (as the Dioxus server does).
pub fn cartella_public() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("DIOXUS_PUBLIC_PATH") {
        return Some(PathBuf::from(p));
    }
    Some(std::env::current_exe().ok()?.parent()?.join("public"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_worker_lists_the_shell_files_and_its_version_follows_their_content() {
        let d = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(d.path().join("wasm")).unwrap();
        std::fs::write(d.path().join("wasm/app_bg.wasm"), b"uno").unwrap();
        std::fs::write(d.path().join("app.css"), b"body{}").unwrap();
        std::fs::write(d.path().join("index.html"), b"<html>").unwrap();
        let (js, v1) = service_worker(d.path()).unwrap();
        assert!(
            js.contains(r#"const FILE = ["/app.css","/wasm/app_bg.wasm"];"#),
            "{js}"
        );
        assert!(js.contains(&format!("const VERSIONE = '{v1}';")));
        assert!(!js.contains("index.html"));
        std::fs::write(d.path().join("wasm/app_bg.wasm"), b"due").unwrap();
        let (_, v2) = service_worker(d.path()).unwrap();
        assert_ne!(v1, v2, "a new build is a new version");
    }
}
