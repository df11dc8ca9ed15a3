//! Delivering the outbox: SMTP through lettre (STARTTLS, TLS or plain; credentials and an
//! extra CA from configuration), or `.eml` files in a folder when no SMTP server is set.

use crate::config::{PostaSettings, SicurezzaSmtp};
use crate::state::AppState;
use crate::store::posta::{MessaggioRow, SEGNAPOSTO};
use chrono::{DateTime, Utc};
use lettre::message::{header::ContentType, Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

/// How one attempt ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Esito {
    /// Accepted by the server (its answer) or written to the folder.
    Consegnato(String),
    /// Worth retrying: a 4xx answer, a connection or TLS failure, a timeout.
    Temporaneo(String),
    /// Never deliverable as it is: a 5xx answer, an address the message cannot carry.
    Permanente(String),
}

/// Delivers every message due now, in batches, until none is left; how many were handled.
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn consegna_dovuti(state: &AppState) -> anyhow::Result<usize> {
    let mut fatti = 0;
    loop {
        let adesso = state.orologio.adesso();
        let presa = adesso + chrono::Duration::minutes(2);
        let lotto = state.store.posta_prendi(adesso, presa, 20).await?;
        if lotto.is_empty() {
            return Ok(fatti);
        }
        for m in lotto {
            let esito = consegna(&state.settings.posta, &m).await;
            registra(state, &m, esito).await?;
            fatti += 1;
        }
    }
}

/// Records an attempt's outcome: sent; retry later (doubling waits, capped); or given up.
async fn registra(state: &AppState, m: &MessaggioRow, esito: Esito) -> anyhow::Result<()> {
    let adesso = state.orologio.adesso();
    let p = &state.settings.posta;
    match esito {
        Esito::Consegnato(risposta) => {
            tracing::info!(messaggio = %m.id, causa = %m.causa, "messaggio consegnato");
            state
                .store
                .posta_consegnato(&m.id, adesso, &risposta)
                .await?;
        }
        Esito::Temporaneo(errore) => {
            let prossimo = prossimo_tentativo(p, m.tentativi, m.creato, adesso);
            tracing::warn!(messaggio = %m.id, tentativi = m.tentativi + 1, %errore, "consegna non riuscita, da ripetere");
            let testo = match prossimo {
                Some(_) => errore,
                None => format!(
                    "{errore} (non recapitato entro {} ore: abbandonato)",
                    p.scadenza_ore
                ),
            };
            state.store.posta_fallito(&m.id, prossimo, &testo).await?;
        }
        Esito::Permanente(errore) => {
            tracing::warn!(messaggio = %m.id, %errore, "consegna rifiutata definitivamente");
            state.store.posta_fallito(&m.id, None, &errore).await?;
        }
    }
    Ok(())
}

/// When to try again after `tentativi` failed attempts (this one included is `tentativi + 1`):
/// the first wait, doubled each time, capped; `None` past the message's lifetime.
pub fn prossimo_tentativo(
    p: &PostaSettings,
    tentativi: i64,
    creato: DateTime<Utc>,
    adesso: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    let esponente = u32::try_from(tentativi.clamp(0, 20)).unwrap_or(20);
    let attesa = p
        .attesa_iniziale_secondi
        .max(1)
        .saturating_mul(1u64 << esponente)
        .min(p.attesa_massima_secondi.max(1));
    let quando = adesso + chrono::Duration::seconds(i64::try_from(attesa).unwrap_or(3600));
    (quando < creato + chrono::Duration::hours(p.scadenza_ore)).then_some(quando)
}

/// The message as it goes out: the link put back in place of the placeholder.
fn componi(p: &PostaSettings, m: &MessaggioRow) -> Result<Message, Esito> {
    let link = match (&m.segreto, m.testo.contains(SEGNAPOSTO)) {
        (Some(l), _) => l.clone(),
        (None, false) => String::new(),
        (None, true) => {
            return Err(Esito::Permanente(
                "il collegamento del messaggio non è più conservato: va chiesto di nuovo".into(),
            ))
        }
    };
    let testo = m.testo.replace(SEGNAPOSTO, &link);
    let html = m
        .html
        .replace(SEGNAPOSTO, &super::testi::html_sicuro(&link));
    let da: Mailbox = p
        .mittente
        .parse()
        .map_err(|e| Esito::Permanente(format!("mittente non valido ({}): {e}", p.mittente)))?;
    let a: Mailbox = m
        .destinatario
        .parse()
        .map_err(|e| Esito::Permanente(format!("indirizzo del destinatario non valido: {e}")))?;
    Message::builder()
        .from(da)
        .to(a)
        .subject(m.oggetto.clone())
        .message_id(Some(m.message_id.clone()))
        .multipart(
            MultiPart::alternative()
                .singlepart(
                    SinglePart::builder()
                        .header(ContentType::TEXT_PLAIN)
                        .body(testo),
                )
                .singlepart(
                    SinglePart::builder()
                        .header(ContentType::TEXT_HTML)
                        .body(html),
                ),
        )
        .map_err(|e| Esito::Permanente(format!("messaggio non componibile: {e}")))
}

/// One attempt.
#[tracing::instrument(skip_all)]
pub async fn consegna(p: &PostaSettings, m: &MessaggioRow) -> Esito {
    let messaggio = match componi(p, m) {
        Ok(x) => x,
        Err(e) => return e,
    };
    if !p.smtp() {
        return in_cartella(p, m, &messaggio).await;
    }
    let trasporto = match trasporto(p) {
        Ok(t) => t,
        Err(e) => return Esito::Temporaneo(format!("configurazione SMTP: {e}")),
    };
    match trasporto.send(messaggio).await {
        Ok(r) => Esito::Consegnato(format!(
            "{} {}",
            r.code(),
            r.message().collect::<Vec<_>>().join(" ")
        )),
        Err(e) if e.is_permanent() => Esito::Permanente(format!("rifiutato dal server: {e}")),
        Err(e) => Esito::Temporaneo(format!("server di posta non raggiungibile o occupato: {e}")),
    }
}

/// The SMTP transport of the configuration.
fn trasporto(p: &PostaSettings) -> anyhow::Result<AsyncSmtpTransport<Tokio1Executor>> {
    let host = p.smtp_host.trim();
    let parametri_tls = || -> anyhow::Result<TlsParameters> {
        let mut b = TlsParameters::builder(host.to_owned());
        if let Some(ca) = &p.smtp_ca {
            let pem = std::fs::read(ca).map_err(|e| anyhow::anyhow!("certificati CA {ca}: {e}"))?;
            b = b.add_root_certificate(Certificate::from_pem(&pem)?);
        }
        Ok(b.build()?)
    };
    let mut b = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host)
        .port(p.smtp_port)
        .timeout(Some(std::time::Duration::from_secs(30)));
    b = match p.smtp_sicurezza {
        SicurezzaSmtp::Starttls => b.tls(Tls::Required(parametri_tls()?)),
        SicurezzaSmtp::Tls => b.tls(Tls::Wrapper(parametri_tls()?)),
        SicurezzaSmtp::Nessuna => b.tls(Tls::None),
    };
    if let (Some(u), Some(pw)) = (&p.smtp_username, &p.smtp_password) {
        b = b.credentials(Credentials::new(u.clone(), pw.expose().to_owned()));
    }
    Ok(b.build())
}

/// Development: the message as an `.eml` file (the path is logged, never the content).
async fn in_cartella(p: &PostaSettings, m: &MessaggioRow, messaggio: &Message) -> Esito {
    let dir = std::path::Path::new(&p.cartella);
    if let Err(e) = tokio::fs::create_dir_all(dir).await {
        return Esito::Temporaneo(format!("cartella della posta {}: {e}", dir.display()));
    }
    let file = dir.join(format!("{}-{}.eml", m.creato.format("%Y%m%dT%H%M%S"), m.id));
    match tokio::fs::write(&file, messaggio.formatted()).await {
        Ok(()) => {
            tracing::info!(file = %file.display(), "messaggio scritto nella cartella della posta (nessun server SMTP configurato)");
            Esito::Consegnato(format!("scritto in {}", file.display()))
        }
        Err(e) => Esito::Temporaneo(format!("scrittura di {}: {e}", file.display())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Settings;

    #[test]
    fn retries_wait_longer_each_time_up_to_the_cap_and_stop_at_the_lifetime() {
        let mut p = Settings::for_tests().unwrap().posta;
        p.attesa_iniziale_secondi = 60;
        p.attesa_massima_secondi = 3600;
        p.scadenza_ore = 72;
        let creato = chrono::DateTime::UNIX_EPOCH;
        let attese: Vec<i64> = (0..8)
            .map(|t| (prossimo_tentativo(&p, t, creato, creato).unwrap() - creato).num_seconds())
            .collect();
        assert_eq!(attese, vec![60, 120, 240, 480, 960, 1920, 3600, 3600]);
        let tardi = creato + chrono::Duration::hours(72);
        assert_eq!(prossimo_tentativo(&p, 3, creato, tardi), None);
    }
}
