//! The rules of the campaign forms: definition, extension, block, declaration, CSV of comuni.

use super::*;
use chrono::NaiveDate;

#[test]
fn a_block_shows_only_on_forms_that_can_be_blocked() {
    use StatoScheda::*;
    for s in StatoScheda::ALL {
        let atteso = if matches!(s, Inviata | Accettata) {
            *s
        } else {
            Bloccata
        };
        assert_eq!(s.mostrato(true), atteso, "{s:?} bloccata");
        assert_eq!(s.mostrato(false), *s, "{s:?}");
        assert_eq!(s.bloccabile(), atteso == Bloccata, "{s:?}");
        assert_eq!(s.chiusa(), !s.bloccabile(), "{s:?}");
    }
    assert_eq!(StatoScheda::chiuse(), ["inviata", "accettata"]);
}

fn form() -> CampagnaForm {
    CampagnaForm {
        tipo: "monitoraggio".into(),
        titolo: "Monitoraggio 2020".into(),
        annualita: "2020".into(),
        data_riferimento: "30/07/2023".into(),
        apertura: "29/08/2023 12:00".into(),
        chiusura: "06/10/2023 12:00".into(),
        comuni: "001272; 004003\n001272".into(),
    }
}

#[test]
fn a_campaign_form_is_parsed_in_italian_time_with_its_eligible_comuni() {
    let d = controlla_campagna(&form()).unwrap();
    assert_eq!(d.chiusura.to_rfc3339(), "2023-10-06T10:00:00+00:00");
    assert_eq!(
        d.comuni_ammessi,
        Some(vec!["001272".to_owned(), "004003".to_owned()])
    );
    let mut tutti = form();
    tutti.comuni = "  ".into();
    assert_eq!(controlla_campagna(&tutti).unwrap().comuni_ammessi, None);
}

#[test]
fn bad_campaign_fields_are_named() {
    type Mut = fn(&mut CampagnaForm);
    let cases: &[(Mut, &str)] = &[
        (|f| f.tipo = "censimento".into(), "tipo"),
        (|f| f.titolo = "x".into(), "titolo"),
        (|f| f.annualita = "20".into(), "annualita"),
        (
            |f| f.data_riferimento = "31/02/2023".into(),
            "data_riferimento",
        ),
        (|f| f.apertura = "29/08/2023".into(), "apertura"),
        (|f| f.chiusura = "29/08/2023 11:00".into(), "chiusura"),
        (|f| f.chiusura = "29/03/2026 02:30".into(), "chiusura"),
        (|f| f.comuni = "001272 1272".into(), "comuni"),
    ];
    for (m, campo) in cases {
        let mut f = form();
        m(&mut f);
        let err = controlla_campagna(&f).unwrap_err();
        let campi: Vec<&str> = err.fields().iter().map(|e| e.field.as_str()).collect();
        assert_eq!(campi, vec![*campo], "{campo}");
    }
}

#[test]
fn an_extension_must_move_the_deadline_later_and_say_why() {
    let in_vigore = controlla_campagna(&form()).unwrap().chiusura;
    let ok = ProrogaForm {
        chiusura: "18/10/2023 12:00".into(),
        motivo: "Richieste dei comuni".into(),
    };
    assert_eq!(
        controlla_proroga(&ok, in_vigore).unwrap().0.to_rfc3339(),
        "2023-10-18T10:00:00+00:00"
    );
    let prima = ProrogaForm {
        chiusura: "06/10/2023 12:00".into(),
        ..ok.clone()
    };
    assert_eq!(
        controlla_proroga(&prima, in_vigore).unwrap_err().fields()[0].rule,
        "proroga.successiva"
    );
    let senza = ProrogaForm {
        motivo: " ".into(),
        ..ok
    };
    assert_eq!(
        controlla_proroga(&senza, in_vigore).unwrap_err().fields()[0].field,
        "motivo"
    );
}

#[test]
fn a_declaration_covers_every_active_service_once_and_explains_each_change() {
    let oggi = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
    let attivi = vec!["a".to_owned(), "b".to_owned()];
    let voce = |s: &str, stato: &str, dal: &str, motivo: &str| VoceDichiarazione {
        servizio: s.into(),
        stato: stato.into(),
        dal: dal.into(),
        motivo: motivo.into(),
    };
    let ok = DichiarazioneForm {
        voci: vec![
            voce("a", "operante", "", ""),
            voce("b", "sospeso", "01/09/2026", "Lavori"),
        ],
    };
    let d = controlla_dichiarazione(&ok, &attivi, oggi).unwrap();
    assert_eq!(d[0].cambio, None);
    assert_eq!(
        d[1].cambio.as_ref().map(|c| c.0),
        Some(crate::servizio::StatoServizio::Sospeso)
    );
    let casi = [
        (
            vec![voce("a", "operante", "", "")],
            "voci",
            "a service missing",
        ),
        (
            vec![
                voce("a", "operante", "", ""),
                voce("a", "operante", "", ""),
                voce("b", "operante", "", ""),
            ],
            "voci",
            "twice",
        ),
        (
            vec![voce("a", "operante", "", ""), voce("b", "chiuso", "", "")],
            "voci[1].stato",
            "unknown status",
        ),
        (
            vec![
                voce("a", "operante", "", ""),
                voce("b", "cessato", "01/12/2026", "Chiuso"),
            ],
            "voci[1].dal",
            "date after today",
        ),
        (
            vec![
                voce("a", "operante", "", ""),
                voce("b", "cessato", "01/09/2026", ""),
            ],
            "voci[1].motivo",
            "no reason",
        ),
        (
            vec![
                voce("a", "operante", "", ""),
                voce("b", "operante", "", ""),
                voce("z", "operante", "", ""),
            ],
            "voci[2]",
            "not an active service",
        ),
    ];
    for (voci, campo, why) in casi {
        let err = controlla_dichiarazione(&DichiarazioneForm { voci }, &attivi, oggi).unwrap_err();
        assert_eq!(err.fields()[0].field, campo, "{why}");
    }
}

#[test]
fn a_campaign_round_trips_through_its_edit_form() {
    for comuni in ["001272; 004003\n001272", ""] {
        let d = controlla_campagna(&CampagnaForm {
            comuni: comuni.into(),
            ..form()
        })
        .unwrap();
        assert_eq!(controlla_campagna(&CampagnaForm::da_dati(&d)).unwrap(), d);
    }
}

#[test]
fn istat_codes_are_read_from_the_csv_files_offices_export() {
    let cases: &[(&str, Result<Vec<&str>, &str>)] = &[
        ("001272\n004003\n", Ok(vec!["001272", "004003"])),
        (
            "\u{feff}Comune;Codice ISTAT\r\nTorino;001272\r\nAlba;\"004003\"\r\n",
            Ok(vec!["001272", "004003"]),
        ),
        (
            "codice,importo\n1272,1500\n\n4003,200\n",
            Ok(vec!["001272", "004003"]),
        ),
        ("1272\tTorino\n", Ok(vec!["001272"])),
        (
            "001272\nTorino\n",
            Err("Riga 2: manca il codice ISTAT del comune."),
        ),
        (
            "Comune\n0012720\n",
            Err("Riga 2: «0012720» non è un codice ISTAT di comune (6 cifre)."),
        ),
        ("Comune;Codice\n", Err("Il file non contiene codici ISTAT.")),
        ("", Err("Il file non contiene codici ISTAT.")),
    ];
    for (testo, atteso) in cases {
        let atteso = atteso
            .clone()
            .map(|v| v.into_iter().map(String::from).collect::<Vec<_>>());
        assert_eq!(
            codici_da_csv(testo),
            atteso.map_err(String::from),
            "{testo:?}"
        );
    }
    // What the file gives is what the campaign form accepts.
    let f = CampagnaForm {
        comuni: codici_da_csv("x\n1272\n4003").unwrap().join("\n"),
        ..form()
    };
    assert_eq!(
        controlla_campagna(&f).unwrap().comuni_ammessi.unwrap(),
        ["001272", "004003"]
    );
}
