//! The operations of accounts, registration requests and the outbox.

use super::Documento;
use shared::account::{FiltroPosta, InfoLink, Posta, Presa, VerificaCredenziali};
use shared::registrazione::{
    BozzaRichiesta, CodaRichieste, FiltroRichieste, Richiesta, RichiestaDisabilitazione,
};
use shared::utente::{ComuneLegale, FiltroUtenti, IdentitaForm, LegaleForm, UtenteVista};

/// Declares them.
#[rustfmt::skip]
pub(super) fn dichiara(d: &mut Documento) {

    // One's own account.
    d.post("/api/v1/auth/link", "info_link", "A cosa serve un collegamento ricevuto per e-mail (422 se non è utilizzabile)").pubblico().campo::<String>("token").json::<InfoLink>();
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
        d.post(percorso, id, sintesi).pubblico().campo::<String>("token").campo::<String>("password").campo::<String>("conferma").vuota();
    }
    d.post("/api/v1/auth/password-dimenticata", "password_dimenticata", "Chiede un collegamento per una nuova password (risposta sempre uguale)").pubblico().campo::<String>("identificativo").json::<Presa>();
    d.post("/api/v1/auth/verifica", "verifica_credenziali", "Verifica le credenziali senza aprire una sessione").pubblico().campo::<String>("username").campo::<String>("password").json::<VerificaCredenziali>();
    d.post("/api/v1/account/password", "cambia_password", "Cambia la propria password (chiude le altre sessioni)").campo::<String>("attuale").campo::<String>("password").campo::<String>("conferma").vuota();
    d.get("/api/v1/password/comuni", "password_comuni", "Le password comuni che la regola rifiuta, una per riga").pubblico().json::<String>();

    // Accounts for the Region.
    d.get("/api/v1/utenti", "utenti", "Gli account, filtrati").regione().query::<FiltroUtenti>().json::<Vec<UtenteVista>>();
    d.post("/api/v1/utenti", "crea_regionale", "Crea un account regionale (riceve il collegamento di attivazione)").amministratore().campo::<IdentitaForm>("identita").campo::<String>("ruolo").json::<UtenteVista>();
    d.get("/api/v1/utenti/{username}", "utente", "Un account").regione().json::<UtenteVista>();
    d.put("/api/v1/utenti/{username}/ruolo", "ruolo_utente", "Cambia il ruolo di un account regionale").amministratore().campo::<String>("ruolo").json::<UtenteVista>();
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
        d.post(percorso, id, sintesi).regione().campo::<String>("motivo").json::<UtenteVista>();
    }
    d.post("/api/v1/utenti/{username}/nuova-password", "reset_utente", "Manda all'utente un collegamento per una nuova password").regione().vuota();
    d.post("/api/v1/utenti/{username}/cambio-obbligato", "cambio_obbligato", "Chiede una nuova password al prossimo accesso").regione().campo::<String>("motivo").json::<u64>();
    d.post("/api/v1/cambio-password-obbligato", "cambio_obbligato_tutti", "Chiede una nuova password a ogni account attivo").amministratore().campo::<String>("motivo").json::<u64>();
    d.get("/api/v1/comuni/{codice}/utenti", "utenti_del_comune", "Gli account di un comune (legale rappresentante e Regione)").json::<Vec<UtenteVista>>();
    d.get("/api/v1/legali-rappresentanti", "legali", "I comuni con il loro legale rappresentante").regione().query::<super::super::utenti::FiltroLegali>().json::<Vec<ComuneLegale>>();
    d.post("/api/v1/comuni/{codice}/legale-rappresentante", "registra_legale", "Registra il legale rappresentante di un comune").regione().campo::<LegaleForm>("legale").json::<UtenteVista>();
    d.post("/api/v1/legali-rappresentanti/importazione", "importa_legali", "Registra i legali rappresentanti di un file CSV (tutto o niente)").regione().campo::<String>("csv").json::<u64>();

    // Registration requests.
    d.post("/api/v1/registrazioni", "invia_richiesta", "Invia la richiesta di abilitazione di utenti del comune").campo::<String>("comune").campo::<Vec<IdentitaForm>>("utenti").json::<Richiesta>();
    d.get("/api/v1/registrazioni", "coda_richieste", "Le richieste da esaminare, dalla più vecchia").regione().query::<FiltroRichieste>().json::<CodaRichieste>();
    d.get("/api/v1/registrazioni/{id}", "richiesta", "Una richiesta").json::<Richiesta>();
    d.post("/api/v1/registrazioni/{id}/utenti/{indice}/approvazione", "approva_utente", "Approva un utente della richiesta con un profilo").regione().campo::<String>("ruolo").json::<Richiesta>();
    d.post("/api/v1/registrazioni/{id}/utenti/{indice}/rifiuto", "rifiuta_utente", "Rifiuta un utente della richiesta, con il motivo").regione().campo::<String>("motivo").json::<Richiesta>();
    d.get("/api/v1/comuni/{codice}/registrazioni", "richieste_del_comune", "Le richieste di un comune").json::<Vec<Richiesta>>();
    d.get("/api/v1/comuni/{codice}/registrazioni/bozza", "bozza_richiesta", "La bozza della richiesta del comune").json::<BozzaRichiesta>();
    d.put("/api/v1/comuni/{codice}/registrazioni/bozza", "salva_bozza_richiesta", "Salva la bozza della richiesta (409 se cambiata altrove)").campo::<u64>("versione").campo::<Vec<IdentitaForm>>("utenti").json::<BozzaRichiesta>();
    d.post("/api/v1/comuni/{codice}/disabilitazioni", "chiedi_disabilitazione", "Chiede di disabilitare un utente del comune").campo::<String>("nome").campo::<String>("cognome").campo::<String>("codice_fiscale").campo::<String>("motivo").json::<RichiestaDisabilitazione>();
    d.get("/api/v1/disabilitazioni", "disabilitazioni", "Le richieste di disabilitazione").json::<Vec<RichiestaDisabilitazione>>();
    d.post("/api/v1/disabilitazioni/{id}/conferma", "conferma_disabilitazione", "Conferma una richiesta di disabilitazione").regione().json::<RichiestaDisabilitazione>();
    d.post("/api/v1/disabilitazioni/{id}/rifiuto", "rifiuta_disabilitazione", "Respinge una richiesta di disabilitazione, con il motivo").regione().campo::<String>("motivo").json::<RichiestaDisabilitazione>();

    // Outbox.
    d.get("/api/v1/posta", "posta", "La posta in uscita: in coda, inviata, non recapitata").amministratore().query::<FiltroPosta>().json::<Posta>();
    d.post("/api/v1/posta/{id}/nuovo-tentativo", "riprova_messaggio", "Rimette in coda un messaggio non recapitato").amministratore().vuota();
}
