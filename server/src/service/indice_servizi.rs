//! The served Region's list of services, held in memory so that filtering, searching and
//! paging 15,000 services takes milliseconds. The database stays the authority: every write
//! bumps a generation counter in its own transaction; each list request reads that counter
//! (one key) and reloads the rows if another writer moved it. Writes made through this
//! process update the index in place.

use crate::store::{Store, StoreError};
use shared::servizio::{FiltroServizi, ServizioRiga, PER_PAGINA};
use std::sync::Arc;
use tokio::sync::RwLock;

/// A list row with its sort key and searchable text.
#[derive(Debug, Clone)]
struct Voce {
    riga: ServizioRiga,
    ordine: (String, String, String),
    ricerca: String,
}

impl Voce {
    fn new(riga: ServizioRiga, ricerca: String) -> Self {
        let ordine = (
            riga.comune.nome.to_lowercase(),
            riga.denominazione.to_lowercase(),
            riga.id.clone(),
        );
        Self {
            riga,
            ordine,
            ricerca,
        }
    }

    fn passa(&self, f: &FiltroServizi) -> bool {
        let r = &self.riga;
        f.comune.as_ref().is_none_or(|c| r.comune.codice == *c)
            && f.provincia.as_ref().is_none_or(|p| r.sigla_provincia == *p)
            && f.tipo.as_ref().is_none_or(|t| r.tipo.code() == t)
            && f.stato.as_ref().is_none_or(|s| r.stato.code() == s)
            && f.titolarita
                .as_ref()
                .is_none_or(|t| r.titolarita.code() == t)
            && f.q
                .as_ref()
                .is_none_or(|q| self.ricerca.contains(q.as_str()))
    }
}

#[derive(Debug, Default)]
struct Contenuto {
    generazione: Option<u64>,
    voci: Vec<Voce>,
}

/// The in-memory list index of one Region (cheap to clone).
#[derive(Debug, Clone, Default)]
pub struct IndiceServizi {
    inner: Arc<RwLock<Contenuto>>,
}

impl IndiceServizi {
    /// One page of rows matching `f` (already normalized) and the total, current with the
    /// database's generation.
    pub async fn cerca(
        &self,
        store: &Store,
        codice_regione: &str,
        f: &FiltroServizi,
        pagina: u32,
    ) -> Result<(Vec<ServizioRiga>, u64), StoreError> {
        let generazione = store.servizi_generazione().await?;
        {
            let c = self.inner.read().await;
            if c.generazione == Some(generazione) {
                return Ok(pagina_di(&c.voci, f, pagina));
            }
        }
        let mut c = self.inner.write().await;
        if c.generazione != Some(generazione) {
            // Read the counter again inside the lock: rows loaded after it are at least as new.
            let generazione = store.servizi_generazione().await?;
            let mut voci: Vec<Voce> = store
                .servizi_righe_regione(codice_regione)
                .await?
                .into_iter()
                .map(|(r, q)| Voce::new(r, q))
                .collect();
            voci.sort_by(|a, b| a.ordine.cmp(&b.ordine));
            *c = Contenuto {
                generazione: Some(generazione),
                voci,
            };
        }
        Ok(pagina_di(&c.voci, f, pagina))
    }

    /// Records a write made through this process that moved the generation to `generazione`:
    /// applied in place if the index was exactly one step behind, else left for a reload.
    pub async fn aggiorna(&self, generazione: u64, riga: ServizioRiga, ricerca: String) {
        let mut c = self.inner.write().await;
        if c.generazione != Some(generazione.wrapping_sub(1)) {
            c.generazione = None;
            return;
        }
        c.voci.retain(|v| v.riga.id != riga.id);
        let voce = Voce::new(riga, ricerca);
        let pos = c.voci.partition_point(|v| v.ordine < voce.ordine);
        c.voci.insert(pos, voce);
        c.generazione = Some(generazione);
    }
}

fn pagina_di(voci: &[Voce], f: &FiltroServizi, pagina: u32) -> (Vec<ServizioRiga>, u64) {
    let per = PER_PAGINA as usize;
    let salta = (pagina.max(1) as usize - 1).saturating_mul(per);
    let mut totale = 0u64;
    let mut righe = Vec::with_capacity(per);
    for v in voci.iter().filter(|v| v.passa(f)) {
        if totale as usize >= salta && righe.len() < per {
            righe.push(v.riga.clone());
        }
        totale += 1;
    }
    (righe, totale)
}
