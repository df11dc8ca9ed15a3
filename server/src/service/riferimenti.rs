//! Reference data held per process: the campaigns, the comuni and each comune's registry,
//! which every form request reads and which change a few times a year. The database stays the
//! authority: every change to them bumps a generation counter in its own transaction
//! (`contatore:riferimenti` for campaigns and comuni, `contatore:servizi` for the registry),
//! each form request reads both counters in the same call that reads the form, and a cache
//! whose generation differs is emptied before use. So several app servers over one database
//! stay coherent: a change made through any of them is seen by the next request on every one.
//!
//! Rows loaded under an older generation than the cache now holds are used for that request
//! and not kept; a request that read an older generation than the cache's does not use the
//! cache at all.

use crate::store::comuni::ComuneRow;
use crate::store::schede::Generazioni;
use crate::store::{Store, StoreError};
use shared::campagna::Campagna;
use shared::servizio::ServizioScheda;
use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex};

#[derive(Debug, Default)]
struct Dentro {
    generazioni: Option<Generazioni>,
    comuni: HashMap<String, Option<ComuneRow>>,
    campagne: HashMap<String, Option<Campagna>>,
    registri: HashMap<String, Arc<Vec<ServizioScheda>>>,
}

/// The process's cache of reference data (cheap to clone).
#[derive(Debug, Clone, Default)]
pub struct Riferimenti {
    dentro: Arc<Mutex<Dentro>>,
}

/// Which cached map an entry lives in.
type Mappa<K, V> = fn(&mut Dentro) -> &mut HashMap<K, V>;

impl Riferimenti {
    fn con<T>(&self, f: impl FnOnce(&mut Dentro) -> T) -> T {
        let mut g = match self.dentro.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        };
        f(&mut g)
    }

    /// Brings the cache to generations `g` (read by the caller in this request): what changed
    /// is dropped. `false` when `g` is older than the cache's (a slow request): then the cache
    /// is left alone and not used.
    fn allinea(d: &mut Dentro, g: Generazioni) -> bool {
        match d.generazioni {
            Some(c) if c == g => true,
            Some(c) if g.riferimenti < c.riferimenti || g.servizi < c.servizi => false,
            c => {
                if c.is_none_or(|c| c.riferimenti != g.riferimenti) {
                    d.comuni.clear();
                    d.campagne.clear();
                }
                if c.is_none_or(|c| c.servizi != g.servizi) {
                    d.registri.clear();
                }
                d.generazioni = Some(g);
                true
            }
        }
    }

    /// The cached value of `chiave` under generations `g`, else `carica`'s (kept if the cache
    /// is still at `g`).
    async fn prendi<K, V, F>(
        &self,
        g: Generazioni,
        mappa: Mappa<K, V>,
        chiave: K,
        carica: F,
    ) -> Result<V, StoreError>
    where
        K: Hash + Eq,
        V: Clone,
        F: std::future::Future<Output = Result<V, StoreError>>,
    {
        let trovato = self.con(|d| {
            if Self::allinea(d, g) {
                mappa(d).get(&chiave).cloned()
            } else {
                None
            }
        });
        if let Some(v) = trovato {
            return Ok(v);
        }
        let v = carica.await?;
        self.con(|d| {
            if d.generazioni == Some(g) {
                mappa(d).insert(chiave, v.clone());
            }
        });
        Ok(v)
    }

    /// Comune `codice` as stored, under generations `g`.
    pub async fn comune(
        &self,
        store: &Store,
        g: Generazioni,
        codice: &str,
    ) -> Result<Option<ComuneRow>, StoreError> {
        self.prendi(
            g,
            |d| &mut d.comuni,
            codice.to_owned(),
            store.comune(codice),
        )
        .await
    }

    /// Campaign `id` as stored, under generations `g`.
    pub async fn campagna(
        &self,
        store: &Store,
        g: Generazioni,
        id: &str,
    ) -> Result<Option<Campagna>, StoreError> {
        self.prendi(g, |d| &mut d.campagne, id.to_owned(), store.campagna(id))
            .await
    }

    /// The services of comune `comune` (Region `regione`) with their data, under generations
    /// `g`.
    pub async fn registro(
        &self,
        store: &Store,
        g: Generazioni,
        regione: &str,
        comune: &str,
    ) -> Result<Arc<Vec<ServizioScheda>>, StoreError> {
        let filtro = crate::store::servizi::Filtro {
            codice_regione: regione.to_owned(),
            comune: Some(comune.to_owned()),
            ..Default::default()
        };
        self.prendi(g, |d| &mut d.registri, comune.to_owned(), async {
            Ok(Arc::new(store.servizi_tutti(&filtro).await?))
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g(riferimenti: u64, servizi: u64) -> Generazioni {
        Generazioni {
            riferimenti,
            servizi,
        }
    }

    #[test]
    fn a_new_generation_drops_only_what_it_covers_and_an_older_one_is_not_served() {
        let mut d = Dentro::default();
        assert!(Riferimenti::allinea(&mut d, g(1, 1)));
        d.campagne.insert("c".into(), None);
        d.registri.insert("001272".into(), Arc::new(Vec::new()));
        // The registry moved: its rows go, the campaigns stay.
        assert!(Riferimenti::allinea(&mut d, g(1, 2)));
        assert!(d.registri.is_empty());
        assert!(d.campagne.contains_key("c"));
        // A request that read generations older than the cache's: not served from it.
        assert!(!Riferimenti::allinea(&mut d, g(0, 2)));
        assert!(d.campagne.contains_key("c"));
        // Campaigns or comuni moved: they go.
        assert!(Riferimenti::allinea(&mut d, g(2, 2)));
        assert!(d.campagne.is_empty());
    }
}
