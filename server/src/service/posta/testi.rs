//! The texts of every e-mail, in Italian, as plain text and HTML, with the service's name and
//! links built from `PUBLIC_URL`. A link carrying a token is never written into the stored
//! text: the text holds [`SEGNAPOSTO`] and the link travels apart until delivery.

use crate::store::posta::SEGNAPOSTO;
use chrono::{DateTime, Utc};
use shared::campagna::data_ora_estesa;

/// What a message says: subject, paragraphs, and the button's label and address (the address
/// may be [`SEGNAPOSTO`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Testo {
    pub oggetto: String,
    pub saluto: String,
    pub paragrafi: Vec<String>,
    pub azione: Option<(String, String)>,
}

/// Where the message is rendered: the installation's name and address.
#[derive(Debug, Clone)]
pub struct Cornice {
    /// `Regione Piemonte`.
    pub ente: String,
    /// `https://servizi06.regione.piemonte.it`, no trailing slash.
    pub indirizzo: String,
}

impl Cornice {
    /// A page of the app.
    pub fn pagina(&self, percorso: &str) -> String {
        format!("{}{percorso}", self.indirizzo)
    }
}

/// Escapes text for HTML.
pub fn html_sicuro(t: &str) -> String {
    let mut out = String::with_capacity(t.len());
    for c in t.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

impl Testo {
    /// The plain-text body.
    pub fn testo(&self, c: &Cornice) -> String {
        let mut t = format!("{}\n\n", self.saluto);
        for p in &self.paragrafi {
            t.push_str(p);
            t.push_str("\n\n");
        }
        if let Some((etichetta, link)) = &self.azione {
            t.push_str(&format!("{etichetta}:\n{link}\n\n"));
        }
        t.push_str(&format!(
            "--\nServizi 0-6 — {}\n{}\nQuesto messaggio è stato inviato automaticamente: non rispondere.\n",
            c.ente, c.indirizzo
        ));
        t
    }

    /// The HTML body (every value escaped; the link placeholder kept as it is).
    pub fn html(&self, c: &Cornice) -> String {
        let mut h = String::from(
            "<!DOCTYPE html><html lang=\"it\"><head><meta charset=\"utf-8\"></head>\
             <body style=\"font-family: 'Titillium Web', Arial, sans-serif; color: #1a1a1a;\">",
        );
        h.push_str(&format!(
            "<p style=\"color:#0066cc;font-weight:600\">Servizi 0-6 — {}</p>",
            html_sicuro(&c.ente)
        ));
        h.push_str(&format!("<p>{}</p>", html_sicuro(&self.saluto)));
        for p in &self.paragrafi {
            h.push_str(&format!("<p>{}</p>", html_sicuro(p)));
        }
        if let Some((etichetta, link)) = &self.azione {
            let href = if link == SEGNAPOSTO {
                SEGNAPOSTO.to_owned()
            } else {
                html_sicuro(link)
            };
            h.push_str(&format!(
                "<p><a href=\"{href}\" style=\"display:inline-block;padding:10px 16px;\
                 background:#0066cc;color:#ffffff;text-decoration:none;border-radius:4px\">{}</a></p>\
                 <p style=\"font-size:14px\">Se il pulsante non funziona, copia questo indirizzo nel browser:<br>{href}</p>",
                html_sicuro(etichetta)
            ));
        }
        h.push_str(&format!(
            "<hr><p style=\"font-size:13px;color:#5c6f82\">Servizi 0-6 — {} · <a href=\"{}\">{}</a><br>\
             Questo messaggio è stato inviato automaticamente: non rispondere.</p></body></html>",
            html_sicuro(&c.ente),
            html_sicuro(&c.indirizzo),
            html_sicuro(&c.indirizzo)
        ));
        h
    }
}

fn saluto(nome: &str) -> String {
    format!("Gentile {nome},")
}

/// The link to activate an account (to `nome`, whose username and profile are given).
pub fn attivazione(nome: &str, username: &str, profilo: &str, scadenza: DateTime<Utc>) -> Testo {
    Testo {
        oggetto: "Attiva il tuo account di Servizi 0-6".into(),
        saluto: saluto(nome),
        paragrafi: vec![
            format!("la Regione ha abilitato il tuo account di Servizi 0-6 con il profilo «{profilo}»."),
            "Per attivarlo scegli la tua password con il collegamento qui sotto. Dopo, accedi con il tuo codice fiscale (o con il nome utente) e la password.".into(),
            format!("Nome utente: {username}"),
            format!("Il collegamento vale fino al {} e si può usare una sola volta. Se non hai chiesto tu questo account, ignora il messaggio.", data_ora_estesa(scadenza)),
        ],
        azione: Some(("Attiva l'account".into(), SEGNAPOSTO.into())),
    }
}

/// The link to choose a new password.
pub fn reset(nome: &str, scadenza: DateTime<Utc>) -> Testo {
    Testo {
        oggetto: "Nuova password per Servizi 0-6".into(),
        saluto: saluto(nome),
        paragrafi: vec![
            "è stata chiesta una nuova password per il tuo account di Servizi 0-6.".into(),
            format!("Il collegamento qui sotto vale fino al {} e si può usare una sola volta. Se non l'hai chiesta tu, ignora questo messaggio: la password attuale resta valida.", data_ora_estesa(scadenza)),
        ],
        azione: Some(("Scegli la nuova password".into(), SEGNAPOSTO.into())),
    }
}

/// To the legal representative: the request was received.
pub fn richiesta_ricevuta(
    c: &Cornice,
    nome: &str,
    numero: &str,
    comune: &str,
    utenti: usize,
) -> Testo {
    Testo {
        oggetto: format!("Richiesta di abilitazione {numero} ricevuta"),
        saluto: saluto(nome),
        paragrafi: vec![
            format!("la Regione ha ricevuto la richiesta {numero} del Comune di {comune} per abilitare {} a Servizi 0-6.", if utenti == 1 { "1 utente".to_owned() } else { format!("{utenti} utenti") }),
            "Riceverai un messaggio per ogni utente quando la Regione avrà deciso; ogni utente abilitato riceverà il proprio collegamento di attivazione.".into(),
        ],
        azione: Some(("Vedi la richiesta".into(), c.pagina("/registrazioni"))),
    }
}

/// To the legal representative: the Region decided on one user of a request.
pub fn richiesta_decisa(
    c: &Cornice,
    nome: &str,
    numero: &str,
    utente: &str,
    esito: Result<&str, &str>,
) -> Testo {
    let riga = match esito {
        Ok(profilo) => format!("la Regione ha approvato l'abilitazione di {utente} (richiesta {numero}) con il profilo «{profilo}». L'utente riceverà il collegamento per attivare l'account."),
        Err(motivo) => format!("la Regione non ha approvato l'abilitazione di {utente} (richiesta {numero}). Motivo: {motivo}"),
    };
    Testo {
        oggetto: format!("Richiesta {numero}: esito per {utente}"),
        saluto: saluto(nome),
        paragrafi: vec![riga],
        azione: Some(("Vedi la richiesta".into(), c.pagina("/registrazioni"))),
    }
}

/// To a user: the account was disabled.
pub fn disabilitato(nome: &str, motivo: &str) -> Testo {
    Testo {
        oggetto: "Il tuo account di Servizi 0-6 è stato disabilitato".into(),
        saluto: saluto(nome),
        paragrafi: vec![
            "la Regione ha disabilitato il tuo account di Servizi 0-6: non è più possibile accedere e le sessioni aperte sono state chiuse.".into(),
            format!("Motivo: {motivo}"),
            "Se pensi che sia un errore, rivolgiti al legale rappresentante del tuo ente o all'assistenza.".into(),
        ],
        azione: None,
    }
}

/// To the legal representative: the request to disable a user was decided.
pub fn disabilitazione_decisa(
    c: &Cornice,
    nome: &str,
    utente: &str,
    esito: Result<(), &str>,
) -> Testo {
    let riga = match esito {
        Ok(()) => format!("la Regione ha disabilitato l'account di {utente}, come richiesto."),
        Err(motivo) => format!("la Regione non ha accolto la richiesta di disabilitare l'account di {utente}. Motivo: {motivo}"),
    };
    Testo {
        oggetto: format!("Disabilitazione di {utente}: esito"),
        saluto: saluto(nome),
        paragrafi: vec![riga],
        azione: Some((
            "Vedi gli utenti del comune".into(),
            c.pagina("/registrazioni"),
        )),
    }
}

/// To a comune's officials: a campaign's window is open.
pub fn finestra_aperta(
    c: &Cornice,
    nome: &str,
    titolo: &str,
    id: &str,
    chiusura: DateTime<Utc>,
) -> Testo {
    Testo {
        oggetto: format!("Aperta la rilevazione «{titolo}»"),
        saluto: saluto(nome),
        paragrafi: vec![
            format!("è aperta la compilazione della rilevazione «{titolo}» per il tuo comune."),
            format!(
                "La scheda va inviata entro il {}.",
                data_ora_estesa(chiusura)
            ),
        ],
        azione: Some((
            "Compila la scheda".into(),
            c.pagina(&format!("/rilevazioni/{id}")),
        )),
    }
}

/// To a comune's officials: N days left and the form is not sent yet.
pub fn promemoria(
    c: &Cornice,
    nome: &str,
    titolo: &str,
    id: &str,
    chiusura: DateTime<Utc>,
    giorni: u32,
) -> Testo {
    let quando = if giorni == 1 {
        "Manca 1 giorno".to_owned()
    } else {
        format!("Mancano {giorni} giorni")
    };
    Testo {
        oggetto: format!("{quando} alla scadenza di «{titolo}»"),
        saluto: saluto(nome),
        paragrafi: vec![
            format!("la scheda del tuo comune per la rilevazione «{titolo}» non è ancora stata inviata."),
            format!("La scadenza è il {}.", data_ora_estesa(chiusura)),
        ],
        azione: Some(("Vai alla scheda".into(), c.pagina(&format!("/rilevazioni/{id}")))),
    }
}

/// To a comune's officials: the Region unlocked the form.
pub fn sbloccata(c: &Cornice, nome: &str, titolo: &str, id: &str, motivo: &str) -> Testo {
    Testo {
        oggetto: format!("Scheda sbloccata: «{titolo}»"),
        saluto: saluto(nome),
        paragrafi: vec![
            format!("la Regione ha sbloccato la scheda del tuo comune per la rilevazione «{titolo}»: puoi compilarla."),
            format!("Motivo: {motivo}"),
        ],
        azione: Some(("Vai alla scheda".into(), c.pagina(&format!("/rilevazioni/{id}")))),
    }
}

/// To a comune's officials: the Region returned the form for corrections.
pub fn restituita(c: &Cornice, nome: &str, titolo: &str, id: &str, commenti: usize) -> Testo {
    Testo {
        oggetto: format!("Scheda da correggere: «{titolo}»"),
        saluto: saluto(nome),
        paragrafi: vec![
            format!("la Regione ha restituito per correzioni la scheda del tuo comune per la rilevazione «{titolo}», con {}.", if commenti == 1 { "1 osservazione".to_owned() } else { format!("{commenti} osservazioni") }),
            "Correggila e inviala di nuovo.".into(),
        ],
        azione: Some(("Vai alla scheda".into(), c.pagina(&format!("/rilevazioni/{id}")))),
    }
}

/// To a comune's officials: the deadline was extended.
pub fn prorogata(c: &Cornice, nome: &str, avviso: &str, id: &str) -> Testo {
    Testo {
        oggetto: "Proroga dei termini di una rilevazione".into(),
        saluto: saluto(nome),
        paragrafi: vec![avviso.to_owned()],
        azione: Some((
            "Vai alla scheda".into(),
            c.pagina(&format!("/rilevazioni/{id}")),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cornice() -> Cornice {
        Cornice {
            ente: "Regione Piemonte".into(),
            indirizzo: "https://servizi06.example.it".into(),
        }
    }

    #[test]
    fn html_escapes_every_value_and_keeps_the_link_placeholder() {
        let t = attivazione(
            "<script>alert(1)</script>",
            "mario.rossi",
            "Operatore comunale",
            chrono::DateTime::UNIX_EPOCH,
        );
        let html = t.html(&cornice());
        assert!(!html.contains("<script>"), "{html}");
        assert!(html.contains("&lt;script&gt;"));
        assert!(html.contains(&format!("href=\"{SEGNAPOSTO}\"")));
        let testo = t.testo(&cornice());
        assert!(testo.contains(SEGNAPOSTO));
        assert!(testo.contains("Nome utente: mario.rossi"));
        assert!(testo.contains("https://servizi06.example.it"));
    }

    #[test]
    fn campaign_mails_link_the_form_page() {
        let t = promemoria(
            &cornice(),
            "Anna",
            "Frequentanti 2026",
            "abc",
            chrono::DateTime::UNIX_EPOCH,
            1,
        );
        assert_eq!(
            t.oggetto,
            "Manca 1 giorno alla scadenza di «Frequentanti 2026»"
        );
        assert_eq!(
            t.azione.unwrap().1,
            "https://servizi06.example.it/rilevazioni/abc"
        );
    }
}
