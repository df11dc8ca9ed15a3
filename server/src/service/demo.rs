//! Demo accounts for development installations (never seeded in production), with plausible
//! (invented) identities.

use crate::password;
use crate::store::utenti::NewUtente;
use crate::store::{Store, StoreError};
use shared::auth::Ruolo;

/// The demo password of every demo account (listed in the README).
pub const DEMO_PASSWORD: &str = "demo-servizi-06";

/// A demo account.
pub struct Demo {
    pub username: &'static str,
    pub nome: &'static str,
    pub cognome: &'static str,
    /// The first 15 characters of the codice fiscale (the check letter is computed).
    pub cf15: &'static str,
    pub ruolo: Ruolo,
    pub comune: Option<&'static str>,
}

/// Demo accounts (invented people).
pub const DEMO_UTENTI: &[Demo] = &[
    Demo {
        username: "regione",
        nome: "Paola",
        cognome: "Ferrero",
        cf15: "FRRPLA75C52L219",
        ruolo: Ruolo::FunzionarioRegionale,
        comune: None,
    },
    Demo {
        username: "torino",
        nome: "Marco",
        cognome: "Bianchi",
        cf15: "BNCMRC80A01L219",
        ruolo: Ruolo::OperatoreComunale,
        comune: Some("001272"),
    },
    Demo {
        username: "alba",
        nome: "Giulia",
        cognome: "Rinaldi",
        cf15: "RNLGLI85H55A124",
        ruolo: Ruolo::OperatoreComunale,
        comune: Some("004003"),
    },
    Demo {
        username: "sindaco.torino",
        nome: "Lucia",
        cognome: "Gallo",
        cf15: "GLLLCU70D50L219",
        ruolo: Ruolo::LegaleRappresentante,
        comune: Some("001272"),
    },
    Demo {
        username: "amministratore",
        nome: "Andrea",
        cognome: "Conti",
        cf15: "CNTNDR78E14L219",
        ruolo: Ruolo::Amministratore,
        comune: None,
    },
];

/// A full codice fiscale from its first 15 characters.
pub fn con_controllo(cf15: &str) -> String {
    let c = shared::fiscale::carattere_controllo(cf15.as_bytes()) as char;
    format!("{cf15}{c}")
}

/// A valid, invented codice fiscale, different for every `n` (scale tests and fixtures):
/// six letters from `n`, born 1 January 1980 in Torino.
pub fn codice_fiscale_sintetico(n: u64) -> String {
    let mut lettere = [b'A'; 6];
    let mut x = n;
    for l in lettere.iter_mut().rev() {
        *l = b'A' + (x % 26) as u8;
        x /= 26;
    }
    let primi = format!(
        "{}80A{:02}L219",
        String::from_utf8_lossy(&lettere),
        1 + (n / 308_915_776) % 28
    );
    con_controllo(&primi)
}

/// The demo e-mail address of an account.
pub fn email_demo(username: &str) -> String {
    format!("{username}@demo.servizi06.invalid")
}

/// Creates the demo accounts that do not exist yet; returns how many were created.
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn seed(store: &Store) -> anyhow::Result<usize> {
    let mut created = 0;
    for d in DEMO_UTENTI {
        if store.utente(d.username).await?.is_some() {
            continue;
        }
        let hash = password::hash(DEMO_PASSWORD.to_owned()).await?;
        match store
            .utente_create(NewUtente {
                username: d.username.to_owned(),
                password_hash: Some(hash),
                nome: d.nome.to_owned(),
                cognome: d.cognome.to_owned(),
                codice_fiscale: con_controllo(d.cf15),
                email: email_demo(d.username),
                pec: (d.ruolo == Ruolo::LegaleRappresentante)
                    .then(|| "protocollo@pec.demo.servizi06.invalid".to_owned()),
                telefono: None,
                ufficio: None,
                ruolo: d.ruolo.code().to_owned(),
                comune: d.comune.map(str::to_owned),
                stato: "attivo".to_owned(),
                creato: crate::state::Orologio::default().adesso(),
            })
            .await
        {
            Ok(()) => created += 1,
            // Another instance seeded it meanwhile.
            Err(StoreError::Duplicate(_)) => {}
            Err(e) => return Err(e.into()),
        }
    }
    if store.sito().await?.is_none() {
        store
            .sito_salva(&sito_demo(), &["demo".to_owned()], "demo")
            .await?;
    }
    Ok(created)
}

/// The footer and accessibility settings of the demo (contacts on reserved names).
pub fn sito_demo() -> shared::sito::ImpostazioniSito {
    let mut s = shared::sito::ImpostazioniSito::iniziali("Piemonte");
    s.sito_regione = "https://www.regione.piemonte.it".into();
    s.assistenza_email = "assistenza@demo.servizi06.invalid".into();
    s.assistenza_telefono = "011 000 0000".into();
    s.assistenza_orari = "dal lunedì al venerdì, 9-13 e 14-17".into();
    s.accessibilita.data_redazione = "2026-11-30".into();
    s.accessibilita.email_segnalazioni = "accessibilita@demo.servizi06.invalid".into();
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_and_synthetic_codici_fiscali_are_valid_and_distinct() {
        let mut visti = std::collections::HashSet::new();
        for d in DEMO_UTENTI {
            let cf = con_controllo(d.cf15);
            assert!(
                shared::utente::sembra_codice_fiscale(&cf),
                "{}: {cf}",
                d.username
            );
            assert!(visti.insert(cf));
        }
        for n in 0..5_000 {
            let cf = codice_fiscale_sintetico(n);
            assert!(shared::utente::sembra_codice_fiscale(&cf), "{n}: {cf}");
            assert!(visti.insert(cf), "{n}");
        }
    }
}
