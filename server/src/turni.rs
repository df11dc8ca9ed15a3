//! Turns: at most N pieces of work at once, a bounded queue behind them, and an optional
//! longest wait. Used by password hashing (one hash per core) and by the HTTP layer (a bounded
//! number of requests worked on at once, so that a surge queues instead of piling up in memory).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// Why no turn was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rifiuto {
    /// The queue was full: refused at once.
    CodaPiena,
    /// Waited the longest allowed without a turn.
    AttesaScaduta,
}

/// At most `contemporanei` turns held at once; at most `max_attesa` waiting for one.
pub struct Turni {
    permessi: Arc<Semaphore>,
    in_attesa: AtomicUsize,
    max_attesa: usize,
}

/// Keeps the waiting count right however the wait ends (turn, timeout, or the request dropped).
struct InAttesa<'a>(&'a AtomicUsize);

impl Drop for InAttesa<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Turni {
    /// `contemporanei` turns (at least one), `max_attesa` places in the queue.
    pub fn nuovo(contemporanei: usize, max_attesa: usize) -> Self {
        Turni {
            permessi: Arc::new(Semaphore::new(contemporanei.max(1))),
            in_attesa: AtomicUsize::new(0),
            max_attesa,
        }
    }

    /// Waiting for a turn now.
    pub fn in_attesa(&self) -> usize {
        self.in_attesa.load(Ordering::SeqCst)
    }

    /// Turns free now.
    pub fn liberi(&self) -> usize {
        self.permessi.available_permits()
    }

    /// A turn, held until the permit is dropped; first come first served (the semaphore is
    /// fair). Refused at once when the queue is full, or after `entro` without a turn.
    pub async fn aspetta(&self, entro: Option<Duration>) -> Result<OwnedSemaphorePermit, Rifiuto> {
        if self.in_attesa.fetch_add(1, Ordering::SeqCst) >= self.max_attesa {
            self.in_attesa.fetch_sub(1, Ordering::SeqCst);
            return Err(Rifiuto::CodaPiena);
        }
        let _in_attesa = InAttesa(&self.in_attesa);
        let turno = self.permessi.clone().acquire_owned();
        let esito = match entro {
            Some(d) => tokio::time::timeout(d, turno)
                .await
                .map_err(|_| Rifiuto::AttesaScaduta)?,
            None => turno.await,
        };
        // The semaphore is never closed.
        esito.map_err(|_| Rifiuto::CodaPiena)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn turns_are_bounded_the_queue_too_and_a_wait_ends() {
        let t = Arc::new(Turni::nuovo(1, 1));
        let primo = t.aspetta(None).await.expect("a free turn");
        assert_eq!(t.liberi(), 0);
        // One may wait; it gets the turn when the first is given back.
        let t2 = t.clone();
        let secondo = tokio::spawn(async move { t2.aspetta(None).await.map(|_| ()) });
        while t.in_attesa() == 0 {
            tokio::task::yield_now().await;
        }
        // The queue is full: a third is refused at once.
        assert_eq!(t.aspetta(None).await.map(|_| ()), Err(Rifiuto::CodaPiena));
        drop(primo);
        assert_eq!(secondo.await.unwrap(), Ok(()));
        assert_eq!(t.in_attesa(), 0);
        // A wait with a limit ends without a turn, and leaves the queue.
        let tenuto = t.aspetta(None).await.unwrap();
        assert_eq!(
            t.aspetta(Some(Duration::from_millis(20))).await.map(|_| ()),
            Err(Rifiuto::AttesaScaduta)
        );
        assert_eq!(t.in_attesa(), 0);
        drop(tenuto);
        assert_eq!(t.liberi(), 1);
    }
}
