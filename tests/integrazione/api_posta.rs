//! E-mail through a real SMTP server: STARTTLS with credentials and a private CA, a server
//! whose certificate is not trusted, and the campaigns' notices (window opened, reminders N
//! days before the deadline, a form unlocked or returned, a deadline extended), each sent once.

use crate::campagne_prova::{campagna, dichiara_tutti, righe, tra};
use crate::conti::{app_e_posta, email_di};
use crate::helpers::{attendi, spawn_app_with, TestApp, TestUser};
use crate::smtp::{porta_libera, Opzioni, ServerPosta};
use backend::config::{Secret, SicurezzaSmtp};
use backend::service::posta::{avvisi, consegna};
use serde_json::json;
use shared::routes;
use std::path::Path;

/// A CA and a certificate it signs for 127.0.0.1, as PEM files in `dir`: (ca, cert, key).
fn certificati(dir: &Path) -> (std::path::PathBuf, std::path::PathBuf, std::path::PathBuf) {
    use rcgen::{
        BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair, KeyUsagePurpose,
    };
    let mut ca = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    ca.distinguished_name
        .push(DnType::CommonName, "CA di prova di Servizi 0-6");
    let chiave_ca = KeyPair::generate().unwrap();
    let cert_ca = ca.self_signed(&chiave_ca).unwrap();
    let emittente = Issuer::new(ca, &chiave_ca);
    let mut server =
        CertificateParams::new(vec!["127.0.0.1".to_owned(), "localhost".to_owned()]).unwrap();
    server
        .distinguished_name
        .push(DnType::CommonName, "127.0.0.1");
    let chiave = KeyPair::generate().unwrap();
    let cert = server.signed_by(&chiave, &emittente).unwrap();
    let (p_ca, p_cert, p_key) = (
        dir.join("ca.pem"),
        dir.join("cert.pem"),
        dir.join("key.pem"),
    );
    std::fs::write(&p_ca, cert_ca.pem()).unwrap();
    std::fs::write(&p_cert, cert.pem()).unwrap();
    std::fs::write(&p_key, chiave.serialize_pem()).unwrap();
    (p_ca, p_cert, p_key)
}

async fn app_starttls(porta: u16, ca: Option<&Path>) -> TestApp {
    let ca = ca.map(|c| c.to_string_lossy().into_owned());
    spawn_app_with(move |s| {
        s.posta.smtp_host = "127.0.0.1".into();
        s.posta.smtp_port = porta;
        s.posta.smtp_sicurezza = SicurezzaSmtp::Starttls;
        s.posta.smtp_username = Some("servizi06".into());
        s.posta.smtp_password =
            Some(serde_json::from_value::<Secret>(json!("segreto-di-prova")).unwrap());
        s.posta.smtp_ca = ca;
    })
    .await
}

async fn chiedi_reset(app: &TestApp) {
    let (s, _) = app
        .post(
            &app.client(),
            "/api/v1/auth/password-dimenticata",
            json!({ "identificativo": "torino" }),
        )
        .await;
    assert_eq!(s, 200);
}

#[tokio::test]
#[cfg_attr(
    not(feature = "esterni"),
    ignore = "serve il server SMTP di prova (aiosmtpd): lo installa `./dev test` (feature esterni)"
)]
async fn mail_goes_through_starttls_with_credentials_and_a_private_ca() {
    let dir = tempfile::tempdir().unwrap();
    let (ca, cert, key) = certificati(dir.path());
    let posta = ServerPosta::avvia(
        porta_libera(),
        &Opzioni {
            tls: Some((cert, key)),
            credenziali: Some(("servizi06".into(), "segreto-di-prova".into())),
            ..Default::default()
        },
    );
    let app = app_starttls(posta.porta, Some(&ca)).await;
    chiedi_reset(&app).await;
    let m = posta
        .attendi(&email_di(TestUser::Torino), "Nuova password")
        .await;
    assert!(m.tls, "delivered inside STARTTLS");
    assert!(m.autenticato, "after AUTH");
}

#[tokio::test]
#[cfg_attr(
    not(feature = "esterni"),
    ignore = "serve il server SMTP di prova (aiosmtpd): lo installa `./dev test` (feature esterni)"
)]
async fn a_server_whose_certificate_is_not_trusted_gets_nothing_and_the_message_waits() {
    let dir = tempfile::tempdir().unwrap();
    let (_, cert, key) = certificati(dir.path());
    let posta = ServerPosta::avvia(
        porta_libera(),
        &Opzioni {
            tls: Some((cert, key)),
            credenziali: Some(("servizi06".into(), "segreto-di-prova".into())),
            ..Default::default()
        },
    );
    // No CA configured: the certificate cannot be verified.
    let app = app_starttls(posta.porta, None).await;
    chiedi_reset(&app).await;
    let m = crate::conti::primo_tentativo(&app, &email_di(TestUser::Torino)).await;
    assert_eq!(m.stato, "in_coda", "retried later, not given up");
    assert!(
        posta.messaggi().is_empty(),
        "nothing sent in the clear or to an unverified server"
    );
}

/// Writes the notices due now and waits until the outbox has delivered everything (the
/// background sender may be the one delivering).
async fn giro(app: &TestApp) {
    avvisi::scrivi_dovuti(&app.state).await.unwrap();
    attendi("la posta in coda consegnata", || async {
        consegna::consegna_dovuti(&app.state).await.unwrap();
        let (conti, _) = app.state.store.posta_elenco(Some("in_coda")).await.unwrap();
        (conti.in_coda == 0).then_some(())
    })
    .await;
}

fn con_oggetto(posta: &ServerPosta, a: &str, oggetto: &str) -> usize {
    posta
        .per(a)
        .iter()
        .filter(|m| m.oggetto.contains(oggetto))
        .count()
}

#[tokio::test]
#[cfg_attr(
    not(feature = "esterni"),
    ignore = "serve il server SMTP di prova (aiosmtpd): lo installa `./dev test` (feature esterni)"
)]
async fn campaign_notices_go_out_once_when_the_window_opens_and_before_the_deadline() {
    let (app, posta) = app_e_posta().await;
    let regione = app.logged_in(TestUser::Regione).await;
    let giorni = 10;
    let id = app
        .pubblica_campagna(&regione, campagna(60, 60 * 24 * giorni, "001272, 004003"))
        .await;
    let (torino, alba, sindaco) = (
        email_di(TestUser::Torino),
        email_di(TestUser::Alba),
        email_di(TestUser::SindacoTorino),
    );
    giro(&app).await;
    assert!(
        app.state
            .store
            .avvisi_campagna(&id)
            .await
            .unwrap()
            .is_empty(),
        "not open yet"
    );

    app.state.orologio.avanza(chrono::Duration::minutes(61));
    giro(&app).await;
    giro(&app).await;
    for a in [&torino, &alba, &sindaco] {
        assert_eq!(con_oggetto(&posta, a, "Aperta la rilevazione"), 1, "{a}");
    }
    assert_eq!(
        con_oggetto(&posta, &email_di(TestUser::Regione), "Aperta"),
        0
    );

    // Torino sends its form; Alba does not.
    let client = app.logged_in(TestUser::Torino).await;
    let scheda = routes::scheda(&id, "001272");
    let s = dichiara_tutti(&app, &client, &scheda).await;
    let dati = json!({ "righe": righe(&s["servizi"], 1), "giustificazione": "" });
    let (status, s) = app
        .put(&client, &scheda, json!({ "versione": 0, "dati": dati }))
        .await;
    assert_eq!(status, 200, "{s}");
    let (status, r) = app
        .post(&client, &format!("{scheda}/invio"), json!({}))
        .await;
    assert_eq!(status, 200, "{r}");

    // Seven days before the deadline: a reminder to the comuni that have not sent.
    app.state
        .orologio
        .avanza(chrono::Duration::days(giorni - 7) - chrono::Duration::minutes(60));
    giro(&app).await;
    giro(&app).await;
    assert_eq!(con_oggetto(&posta, &alba, "Mancano 7 giorni"), 1);
    assert_eq!(
        con_oggetto(&posta, &torino, "Mancano 7 giorni"),
        0,
        "Torino has sent"
    );
    assert_eq!(con_oggetto(&posta, &sindaco, "Mancano 7 giorni"), 0);
    // One day before.
    app.state.orologio.avanza(chrono::Duration::days(6));
    giro(&app).await;
    giro(&app).await;
    assert_eq!(con_oggetto(&posta, &alba, "Manca 1 giorno"), 1);
    assert_eq!(
        con_oggetto(&posta, &alba, "Mancano 7 giorni"),
        1,
        "each reminder once"
    );
    let eventi = app.state.store.avvisi_campagna(&id).await.unwrap();
    assert_eq!(eventi.len(), 3, "{eventi:?}");
}

#[tokio::test]
#[cfg_attr(
    not(feature = "esterni"),
    ignore = "serve il server SMTP di prova (aiosmtpd): lo installa `./dev test` (feature esterni)"
)]
async fn unlocking_returning_and_extending_tell_the_comune_by_mail() {
    let (app, posta) = app_e_posta().await;
    let regione = app.logged_in(TestUser::Regione).await;
    let id = app
        .pubblica_campagna(&regione, campagna(-60, 60 * 24 * 3, "001272, 004003"))
        .await;
    let base = routes::scheda(&id, "004003");
    let motivo = json!({ "motivo": "Verifica dei dati del registro" });
    assert_eq!(
        app.chiama(&regione, "POST", &format!("{base}/blocco"), &motivo)
            .await
            .0,
        200
    );
    assert_eq!(
        app.chiama(&regione, "POST", &format!("{base}/sblocco"), &motivo)
            .await
            .0,
        200
    );
    let alba = email_di(TestUser::Alba);
    let m = posta.attendi(&alba, "Scheda sbloccata").await;
    assert!(m.testo.contains("Verifica dei dati del registro"));
    assert!(m.testo.contains(&format!("/rilevazioni/{id}")));
    assert!(posta
        .per(&email_di(TestUser::Torino))
        .iter()
        .all(|m| !m.oggetto.contains("sbloccata")));

    // Alba sends; the Region returns it.
    let client = app.logged_in(TestUser::Alba).await;
    let s = dichiara_tutti(&app, &client, &base).await;
    let dati = json!({ "righe": righe(&s["servizi"], 1), "giustificazione": "" });
    assert_eq!(
        app.put(&client, &base, json!({ "versione": 0, "dati": dati }))
            .await
            .0,
        200
    );
    assert_eq!(
        app.post(&client, &format!("{base}/invio"), json!({}))
            .await
            .0,
        200
    );
    let commenti = json!({ "commenti": [{ "campo": "", "testo": "Frequentanti da rivedere" }] });
    let (status, r) = app
        .chiama(&regione, "POST", &format!("{base}/restituzione"), &commenti)
        .await;
    assert_eq!(status, 200, "{r}");
    posta.attendi(&alba, "Scheda da correggere").await;

    // An extension for everybody, and one for a single comune.
    let (status, r) = app
        .post(
            &regione,
            &routes::campagna_azione(&id, "proroghe"),
            json!({ "chiusura": tra(60 * 24 * 5), "motivo": "Richieste dei comuni" }),
        )
        .await;
    assert_eq!(status, 200, "{r}");
    let m = posta.attendi(&email_di(TestUser::Torino), "Proroga").await;
    assert!(m.testo.contains("sono stati prorogati al"), "{}", m.testo);
    let (status, r) = app
        .post(
            &regione,
            &routes::scheda_azione(&id, "001272", "proroga"),
            json!({ "chiusura": tra(60 * 24 * 6), "motivo": "Problema tecnico" }),
        )
        .await;
    assert_eq!(status, 200, "{r}");
    attendi("la seconda proroga", || async {
        (con_oggetto(&posta, &email_di(TestUser::Torino), "Proroga") >= 2).then_some(())
    })
    .await;
    assert!(posta
        .per(&email_di(TestUser::Torino))
        .iter()
        .any(|m| m.testo.contains("per il Comune di Torino")));
}
