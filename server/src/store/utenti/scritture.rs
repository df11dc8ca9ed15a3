//! The writes to accounts, added to a transaction: create, activate, change state or password.

use super::*;

/// The statement that creates the account `$u` (a [`NewUtente`]).
pub(super) const CREA: &str = "CREATE type::record('utente', {u}.username) CONTENT { \
     username: {u}.username, password_hash: {u}.password_hash, nome: {u}.nome, \
     cognome: {u}.cognome, codice_fiscale: {u}.codice_fiscale, email: {u}.email, pec: {u}.pec, \
     telefono: {u}.telefono, ufficio: {u}.ufficio, ruolo: {u}.ruolo, \
     comune: IF {u}.comune != NONE { type::record('comune', {u}.comune) } ELSE { NONE }, \
     stato: {u}.stato, cambio_obbligato: false, creato: {u}.creato, \
     password_cambiata: IF {u}.password_hash != NONE { {u}.creato } ELSE { NONE } } RETURN NONE";

/// Marker thrown when an account is not in the state a change needs.
pub const STATO_CAMBIATO: &str = "utente_stato_cambiato";

impl Transazione {
    /// Creates an account (a duplicate username or codice fiscale fails the transaction).
    pub fn crea_account(&mut self, u: NewUtente) {
        let p = self.valore(u);
        self.istruzione(CREA.replace("{u}", &p));
    }

    /// Fails the transaction with [`STATO_CAMBIATO`] unless the account's state is one of
    /// `stati`.
    pub fn richiedi_stato(&mut self, username: &str, stati: &[&str]) {
        let u = self.valore(username.to_owned());
        let s = self.valore(stati.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>());
        let m = self.valore(STATO_CAMBIATO.to_owned());
        self.istruzione(format!(
            "IF (SELECT VALUE stato FROM ONLY type::record('utente', {u})) NOTINSIDE {s} \
             {{ THROW {m} }}"
        ));
    }

    /// Disables an account: every session of it ends now, its unused links are void.
    pub fn disabilita_account(&mut self, username: &str, quando: DateTime<Utc>) {
        let u = self.valore(username.to_owned());
        self.istruzione(format!(
            "UPDATE type::record('utente', {u}) SET stato = 'disabilitato' RETURN NONE"
        ));
        self.istruzione(format!(
            "DELETE sessione WHERE utente = type::record('utente', {u})"
        ));
        self.annulla_link(username, quando);
    }

    /// Puts a disabled account back to `in_attesa` without a password, with a new comune and
    /// role when given (a transfer): the person activates it again with a new link, so nobody
    /// gets back in with the old password.
    pub fn riapri_account(&mut self, username: &str, ruolo: Option<&str>, comune: Option<&str>) {
        let u = self.valore(username.to_owned());
        let r = self.valore(ruolo.map(str::to_owned));
        let c = self.valore(comune.map(str::to_owned));
        self.istruzione(format!(
            "UPDATE type::record('utente', {u}) SET stato = 'in_attesa', password_hash = NONE, \
               password_cambiata = NONE, cambio_obbligato = false, \
               ruolo = {r} OR ruolo, \
               comune = IF {c} != NONE {{ type::record('comune', {c}) }} ELSE {{ comune }} \
             RETURN NONE"
        ));
    }

    /// Updates the contact details of an account (a re-enabled person may have a new e-mail).
    pub fn aggiorna_contatti(
        &mut self,
        username: &str,
        email: &str,
        telefono: Option<String>,
        ufficio: Option<String>,
        pec: Option<String>,
    ) {
        let u = self.valore(username.to_owned());
        let e = self.valore(email.to_owned());
        let t = self.valore(telefono);
        let f = self.valore(ufficio);
        let p = self.valore(pec);
        self.istruzione(format!(
            "UPDATE type::record('utente', {u}) SET email = {e}, telefono = {t}, ufficio = {f}, \
               pec = {p} RETURN NONE"
        ));
    }

    /// Changes a regional account's role.
    pub fn imposta_ruolo(&mut self, username: &str, ruolo: &str) {
        let u = self.valore(username.to_owned());
        let r = self.valore(ruolo.to_owned());
        self.istruzione(format!(
            "UPDATE type::record('utente', {u}) SET ruolo = {r} RETURN NONE"
        ));
    }

    /// Asks for a new password at the next sign-in: one account, or (`None`) every active one.
    pub fn obbliga_cambio(&mut self, username: Option<&str>) {
        let u = self.valore(username.map(str::to_owned));
        self.istruzione(format!(
            "UPDATE utente SET cambio_obbligato = true \
             WHERE ({u} = NONE OR username = {u}) AND stato = 'attivo' RETURN NONE"
        ));
    }

    /// Sets a new password chosen by the person; ends their other sessions (all but
    /// `sessione_tenuta`, the SHA-256 of the one in use).
    pub fn imposta_password(
        &mut self,
        username: &str,
        hash: &str,
        quando: DateTime<Utc>,
        sessione_tenuta: Option<&str>,
    ) {
        let u = self.valore(username.to_owned());
        let h = self.valore(hash.to_owned());
        let q = self.valore(quando);
        let s = self.valore(sessione_tenuta.map(str::to_owned));
        self.istruzione(format!(
            "UPDATE type::record('utente', {u}) SET password_hash = {h}, password_cambiata = {q}, \
               cambio_obbligato = false RETURN NONE"
        ));
        self.istruzione(format!(
            "DELETE sessione WHERE utente = type::record('utente', {u}) \
               AND ({s} = NONE OR id != type::record('sessione', {s}))"
        ));
        // A reset link asked before the change would undo it.
        self.annulla_link(username, quando);
    }
}
