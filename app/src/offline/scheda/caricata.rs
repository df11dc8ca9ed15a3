//! A comune's form as loaded: from the server, or from the copy on the device when offline;
//! loaded again after every answer to a queued write.

use super::*;

/// A comune's form as loaded: from the server, or from the copy on the device when offline.
#[derive(Clone, Copy, PartialEq)]
pub struct Caricata {
    pub id: Signal<String>,
    pub codice: Signal<String>,
    pub utente: Memo<String>,
    /// `scheda:{campagna}:{comune}`: the name of its draft, copy, queue group and tab lock.
    pub modulo: Memo<String>,
    /// The form as last read (`None` until it is).
    pub corrente: Signal<Option<Scheda>>,
    /// It comes from the device's copy (the server could not be reached).
    pub da_copia: Signal<bool>,
    /// The last load's error, when there is no form to show.
    pub errore: Signal<Option<shared::ApiError>>,
}

/// Loads form `codice` of campaign `id` for `utente`, again after every answer to a queued
/// write; each server answer is kept as the device's copy.
pub fn use_caricata(id: String, codice: String, utente: Memo<String>) -> Caricata {
    let id = use_signal(|| id);
    let codice = use_signal(|| codice);
    let offline = use_context::<StatoOffline>();
    let modulo = use_memo(move || modulo_scheda(&id(), &codice()));
    let mut corrente = use_signal(|| None::<Scheda>);
    let mut da_copia = use_signal(|| false);
    let mut errore = use_signal(|| None::<shared::ApiError>);
    let caricata = use_resource(move || async move {
        let _ = (offline.risposte)();
        crate::api::campagne::scheda(id(), codice()).await
    });
    use_effect(move || match &*caricata.read() {
        Some(Ok(s)) => {
            let copia = s.clone();
            spawn(async move {
                crate::offline::scrivi(&utente.peek(), "copie", &modulo.peek(), &copia).await;
            });
            da_copia.set(false);
            corrente.set(Some(s.clone()));
        }
        Some(Err(e)) if e.0 == shared::ApiError::Unavailable => {
            let e = e.0.clone();
            spawn(async move {
                let copia: Option<Scheda> =
                    crate::offline::leggi(&utente.peek(), "copie", &modulo.peek()).await;
                match copia {
                    Some(s) => {
                        da_copia.set(true);
                        corrente.set(Some(s));
                    }
                    None => errore.set(Some(e)),
                }
            });
        }
        Some(Err(e)) => errore.set(Some(e.0.clone())),
        None => {}
    });
    Caricata {
        id,
        codice,
        utente,
        modulo,
        corrente,
        da_copia,
        errore,
    }
}
