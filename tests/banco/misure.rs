//! Figures of a run: latencies per endpoint (percentiles), answers by status, throughput, and
//! the markdown section a generator collects (`BENCH_MD`).

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::Duration;

/// Latencies and statuses per endpoint, shared by every client task.
#[derive(Debug, Default)]
pub struct Registro {
    dentro: Mutex<Dentro>,
}

#[derive(Debug, Default)]
struct Dentro {
    latenze: BTreeMap<&'static str, Vec<Duration>>,
    stati: BTreeMap<(&'static str, u16), u64>,
    trasporto: BTreeMap<&'static str, u64>,
}

/// Summary of one endpoint's latencies.
#[derive(Debug, Clone, Copy, Default)]
pub struct Sintesi {
    /// Requests measured.
    pub n: usize,
    /// Median.
    pub p50: Duration,
    /// 95th percentile.
    pub p95: Duration,
    /// 99th percentile.
    pub p99: Duration,
    /// Slowest.
    pub max: Duration,
}

/// Percentiles of `v` (sorted in place).
pub fn sintesi(v: &mut [Duration]) -> Sintesi {
    if v.is_empty() {
        return Sintesi::default();
    }
    v.sort_unstable();
    let q = |p: f64| v[((v.len() as f64 * p).ceil() as usize).clamp(1, v.len()) - 1];
    Sintesi {
        n: v.len(),
        p50: q(0.50),
        p95: q(0.95),
        p99: q(0.99),
        max: v[v.len() - 1],
    }
}

impl Registro {
    fn con<T>(&self, f: impl FnOnce(&mut Dentro) -> T) -> T {
        let mut g = match self.dentro.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        };
        f(&mut g)
    }

    /// One answer of `endpoint`.
    pub fn segna(&self, endpoint: &'static str, status: u16, durata: Duration) {
        self.con(|d| {
            d.latenze.entry(endpoint).or_default().push(durata);
            *d.stati.entry((endpoint, status)).or_default() += 1;
        });
    }

    /// A request of `endpoint` that got no answer (connection failed or cut).
    pub fn senza_risposta(&self, endpoint: &'static str) {
        self.con(|d| *d.trasporto.entry(endpoint).or_default() += 1);
    }

    /// Latency summary of `endpoint`.
    pub fn sintesi(&self, endpoint: &'static str) -> Sintesi {
        self.con(|d| {
            sintesi(
                d.latenze
                    .get_mut(endpoint)
                    .map_or(&mut [], |v| v.as_mut_slice()),
            )
        })
    }

    /// Answers that were not 2xx, and requests without answer: `(endpoint, status or None, n)`.
    pub fn errori(&self) -> Vec<(&'static str, Option<u16>, u64)> {
        self.con(|d| {
            let mut v: Vec<_> = d
                .stati
                .iter()
                .filter(|((_, s), _)| !(200..300).contains(s))
                .map(|((e, s), n)| (*e, Some(*s), *n))
                .collect();
            v.extend(d.trasporto.iter().map(|(e, n)| (*e, None, *n)));
            v
        })
    }
}

/// Milliseconds with one decimal.
pub fn ms(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1000.0)
}

/// Writes `sezione` to the file named by `BENCH_MD`, if set (replacing its content).
pub fn scrivi_bench_md(sezione: &str) -> anyhow::Result<Option<String>> {
    match std::env::var("BENCH_MD") {
        Ok(percorso) if !percorso.is_empty() => {
            std::fs::write(&percorso, sezione)?;
            Ok(Some(percorso))
        }
        _ => Ok(None),
    }
}

/// "raggiunto" / "non raggiunto".
pub fn esito(ok: bool) -> &'static str {
    if ok {
        "raggiunto"
    } else {
        "**non raggiunto**"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_pick_the_nearest_rank() {
        let mut v: Vec<Duration> = (1..=100).map(Duration::from_millis).collect();
        let s = sintesi(&mut v);
        assert_eq!(
            (s.p50, s.p95, s.p99, s.max),
            (
                Duration::from_millis(50),
                Duration::from_millis(95),
                Duration::from_millis(99),
                Duration::from_millis(100)
            )
        );
        assert_eq!(sintesi(&mut []).n, 0);
    }
}
