//! The operations of accounts, registration requests and the outbox.

use super::{Accesso, Documento, Risposta};
use serde_json::json;
use shared::account::{FiltroPosta, InfoLink, Posta, Presa, VerificaCredenziali};
use shared::registrazione::{
    BozzaRichiesta, CodaRichieste, FiltroRichieste, Richiesta, RichiestaDisabilitazione,
};
use shared::utente::{ComuneLegale, FiltroUtenti, IdentitaForm, LegaleForm, UtenteVista};

fn vuota() -> Risposta {
    Risposta::Json(json!({}))
}

/// Declares them.
pub(super) fn dichiara(d: &mut Documento) {
    use Accesso::{Amministratore, Pubblico, Regione, Sessione};

    // One's own account.
    let corpo = vec![d.campo::<String>("token")];
    let r = d.json::<InfoLink>();
    d.op(
        "POST",
        "/api/v1/auth/link",
        "info_link",
        "A cosa serve un collegamento ricevuto per e-mail (422 se non è utilizzabile)",
        Pubblico,
        Some(corpo),
        vec![],
        r,
    );
    for (percorso, id, sintesi) in [
        (
            "/api/v1/auth/attivazione",
            "attivazione",
            "Attiva l'account con il collegamento, scegliendo la password",
        ),
        (
            "/api/v1/auth/nuova-password",
            "nuova_password",
            "Sceglie una nuova password con il collegamento ricevuto",
        ),
    ] {
        let corpo = vec![
            d.campo::<String>("token"),
            d.campo::<String>("password"),
            d.campo::<String>("conferma"),
        ];
        d.op(
            "POST",
            percorso,
            id,
            sintesi,
            Pubblico,
            Some(corpo),
            vec![],
            vuota(),
        );
    }
    let corpo = vec![d.campo::<String>("identificativo")];
    let r = d.json::<Presa>();
    d.op(
        "POST",
        "/api/v1/auth/password-dimenticata",
        "password_dimenticata",
        "Chiede un collegamento per una nuova password (risposta sempre uguale)",
        Pubblico,
        Some(corpo),
        vec![],
        r,
    );
    let corpo = vec![d.campo::<String>("username"), d.campo::<String>("password")];
    let r = d.json::<VerificaCredenziali>();
    d.op(
        "POST",
        "/api/v1/auth/verifica",
        "verifica_credenziali",
        "Verifica le credenziali senza aprire una sessione",
        Pubblico,
        Some(corpo),
        vec![],
        r,
    );
    let corpo = vec![
        d.campo::<String>("attuale"),
        d.campo::<String>("password"),
        d.campo::<String>("conferma"),
    ];
    d.op(
        "POST",
        "/api/v1/account/password",
        "cambia_password",
        "Cambia la propria password (chiude le altre sessioni)",
        Sessione,
        Some(corpo),
        vec![],
        vuota(),
    );
    let r = d.json::<String>();
    d.op(
        "GET",
        "/api/v1/password/comuni",
        "password_comuni",
        "Le password comuni che la regola rifiuta, una per riga",
        Pubblico,
        None,
        vec![],
        r,
    );

    // Accounts for the Region.
    let q = d.query::<FiltroUtenti>();
    let r = d.json::<Vec<UtenteVista>>();
    d.op(
        "GET",
        "/api/v1/utenti",
        "utenti",
        "Gli account, filtrati",
        Regione,
        None,
        q,
        r,
    );
    let corpo = vec![
        d.campo::<IdentitaForm>("identita"),
        d.campo::<String>("ruolo"),
    ];
    let r = d.json::<UtenteVista>();
    d.op(
        "POST",
        "/api/v1/utenti",
        "crea_regionale",
        "Crea un account regionale (riceve il collegamento di attivazione)",
        Amministratore,
        Some(corpo),
        vec![],
        r,
    );
    let r = d.json::<UtenteVista>();
    d.op(
        "GET",
        "/api/v1/utenti/{username}",
        "utente",
        "Un account",
        Regione,
        None,
        vec![],
        r,
    );
    let corpo = vec![d.campo::<String>("ruolo")];
    let r = d.json::<UtenteVista>();
    d.op(
        "PUT",
        "/api/v1/utenti/{username}/ruolo",
        "ruolo_utente",
        "Cambia il ruolo di un account regionale",
        Amministratore,
        Some(corpo),
        vec![],
        r,
    );
    for (percorso, id, sintesi) in [
        (
            "/api/v1/utenti/{username}/disabilitazione",
            "disabilita_utente",
            "Disabilita un account: le sue sessioni finiscono subito",
        ),
        (
            "/api/v1/utenti/{username}/riabilitazione",
            "riabilita_utente",
            "Riabilita un account disabilitato (nuovo collegamento di attivazione)",
        ),
    ] {
        let corpo = vec![d.campo::<String>("motivo")];
        let r = d.json::<UtenteVista>();
        d.op(
            "POST",
            percorso,
            id,
            sintesi,
            Regione,
            Some(corpo),
            vec![],
            r,
        );
    }
    d.op(
        "POST",
        "/api/v1/utenti/{username}/nuova-password",
        "reset_utente",
        "Manda all'utente un collegamento per una nuova password",
        Regione,
        None,
        vec![],
        vuota(),
    );
    let corpo = vec![d.campo::<String>("motivo")];
    let r = d.json::<u64>();
    d.op(
        "POST",
        "/api/v1/utenti/{username}/cambio-obbligato",
        "cambio_obbligato",
        "Chiede una nuova password al prossimo accesso",
        Regione,
        Some(corpo),
        vec![],
        r,
    );
    let corpo = vec![d.campo::<String>("motivo")];
    let r = d.json::<u64>();
    d.op(
        "POST",
        "/api/v1/cambio-password-obbligato",
        "cambio_obbligato_tutti",
        "Chiede una nuova password a ogni account attivo",
        Amministratore,
        Some(corpo),
        vec![],
        r,
    );
    let r = d.json::<Vec<UtenteVista>>();
    d.op(
        "GET",
        "/api/v1/comuni/{codice}/utenti",
        "utenti_del_comune",
        "Gli account di un comune (legale rappresentante e Regione)",
        Sessione,
        None,
        vec![],
        r,
    );
    let q = d.query::<super::super::utenti::FiltroLegali>();
    let r = d.json::<Vec<ComuneLegale>>();
    d.op(
        "GET",
        "/api/v1/legali-rappresentanti",
        "legali",
        "I comuni con il loro legale rappresentante",
        Regione,
        None,
        q,
        r,
    );
    let corpo = vec![d.campo::<LegaleForm>("legale")];
    let r = d.json::<UtenteVista>();
    d.op(
        "POST",
        "/api/v1/comuni/{codice}/legale-rappresentante",
        "registra_legale",
        "Registra il legale rappresentante di un comune",
        Regione,
        Some(corpo),
        vec![],
        r,
    );
    let corpo = vec![d.campo::<String>("csv")];
    let r = d.json::<u64>();
    d.op(
        "POST",
        "/api/v1/legali-rappresentanti/importazione",
        "importa_legali",
        "Registra i legali rappresentanti di un file CSV (tutto o niente)",
        Regione,
        Some(corpo),
        vec![],
        r,
    );

    // Registration requests.
    let corpo = vec![
        d.campo::<String>("comune"),
        d.campo::<Vec<IdentitaForm>>("utenti"),
    ];
    let r = d.json::<Richiesta>();
    d.op(
        "POST",
        "/api/v1/registrazioni",
        "invia_richiesta",
        "Invia la richiesta di abilitazione di utenti del comune",
        Sessione,
        Some(corpo),
        vec![],
        r,
    );
    let q = d.query::<FiltroRichieste>();
    let r = d.json::<CodaRichieste>();
    d.op(
        "GET",
        "/api/v1/registrazioni",
        "coda_richieste",
        "Le richieste da esaminare, dalla più vecchia",
        Regione,
        None,
        q,
        r,
    );
    let r = d.json::<Richiesta>();
    d.op(
        "GET",
        "/api/v1/registrazioni/{id}",
        "richiesta",
        "Una richiesta",
        Sessione,
        None,
        vec![],
        r,
    );
    let corpo = vec![d.campo::<String>("ruolo")];
    let r = d.json::<Richiesta>();
    d.op(
        "POST",
        "/api/v1/registrazioni/{id}/utenti/{indice}/approvazione",
        "approva_utente",
        "Approva un utente della richiesta con un profilo",
        Regione,
        Some(corpo),
        vec![],
        r,
    );
    let corpo = vec![d.campo::<String>("motivo")];
    let r = d.json::<Richiesta>();
    d.op(
        "POST",
        "/api/v1/registrazioni/{id}/utenti/{indice}/rifiuto",
        "rifiuta_utente",
        "Rifiuta un utente della richiesta, con il motivo",
        Regione,
        Some(corpo),
        vec![],
        r,
    );
    let r = d.json::<Vec<Richiesta>>();
    d.op(
        "GET",
        "/api/v1/comuni/{codice}/registrazioni",
        "richieste_del_comune",
        "Le richieste di un comune",
        Sessione,
        None,
        vec![],
        r,
    );
    let r = d.json::<BozzaRichiesta>();
    d.op(
        "GET",
        "/api/v1/comuni/{codice}/registrazioni/bozza",
        "bozza_richiesta",
        "La bozza della richiesta del comune",
        Sessione,
        None,
        vec![],
        r,
    );
    let corpo = vec![
        d.campo::<u64>("versione"),
        d.campo::<Vec<IdentitaForm>>("utenti"),
    ];
    let r = d.json::<BozzaRichiesta>();
    d.op(
        "PUT",
        "/api/v1/comuni/{codice}/registrazioni/bozza",
        "salva_bozza_richiesta",
        "Salva la bozza della richiesta (409 se cambiata altrove)",
        Sessione,
        Some(corpo),
        vec![],
        r,
    );
    let corpo = vec![
        d.campo::<String>("nome"),
        d.campo::<String>("cognome"),
        d.campo::<String>("codice_fiscale"),
        d.campo::<String>("motivo"),
    ];
    let r = d.json::<RichiestaDisabilitazione>();
    d.op(
        "POST",
        "/api/v1/comuni/{codice}/disabilitazioni",
        "chiedi_disabilitazione",
        "Chiede di disabilitare un utente del comune",
        Sessione,
        Some(corpo),
        vec![],
        r,
    );
    let r = d.json::<Vec<RichiestaDisabilitazione>>();
    d.op(
        "GET",
        "/api/v1/disabilitazioni",
        "disabilitazioni",
        "Le richieste di disabilitazione",
        Sessione,
        None,
        vec![],
        r,
    );
    let r = d.json::<RichiestaDisabilitazione>();
    d.op(
        "POST",
        "/api/v1/disabilitazioni/{id}/conferma",
        "conferma_disabilitazione",
        "Conferma una richiesta di disabilitazione",
        Regione,
        None,
        vec![],
        r,
    );
    let corpo = vec![d.campo::<String>("motivo")];
    let r = d.json::<RichiestaDisabilitazione>();
    d.op(
        "POST",
        "/api/v1/disabilitazioni/{id}/rifiuto",
        "rifiuta_disabilitazione",
        "Respinge una richiesta di disabilitazione, con il motivo",
        Regione,
        Some(corpo),
        vec![],
        r,
    );

    // Outbox.
    let q = d.query::<FiltroPosta>();
    let r = d.json::<Posta>();
    d.op(
        "GET",
        "/api/v1/posta",
        "posta",
        "La posta in uscita: in coda, inviata, non recapitata",
        Amministratore,
        None,
        q,
        r,
    );
    d.op(
        "POST",
        "/api/v1/posta/{id}/nuovo-tentativo",
        "riprova_messaggio",
        "Rimette in coda un messaggio non recapitato",
        Amministratore,
        None,
        vec![],
        vuota(),
    );
}
