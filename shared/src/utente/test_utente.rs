//! The rules of identities, roles and legal representatives.

use super::*;

/// A valid codice fiscale (check letter computed).
pub fn cf(primi15: &str) -> String {
    let c = fiscale::carattere_controllo(primi15.as_bytes()) as char;
    format!("{primi15}{c}")
}

fn valida() -> IdentitaForm {
    IdentitaForm {
        nome: "Maria Grazia".into(),
        cognome: "D'Angelo".into(),
        codice_fiscale: cf("DNGMGR80A41L219"),
        email: "m.dangelo@comune.torino.it".into(),
        telefono: "+39 011 123456".into(),
        ufficio: "Servizi educativi".into(),
    }
}

#[test]
fn a_valid_identity_is_normalized() {
    let mut f = valida();
    f.nome = "  Maria   Grazia ".into();
    f.codice_fiscale = f.codice_fiscale.to_lowercase();
    let i = f.controlla().unwrap();
    assert_eq!(i.nome, "Maria Grazia");
    assert_eq!(i.codice_fiscale, cf("DNGMGR80A41L219"));
    assert_eq!(i.nome_completo(), "Maria Grazia D'Angelo");
    assert_eq!(i.telefono.as_deref(), Some("+39 011 123456"));
}

#[test]
fn invalid_identities_name_the_field_and_the_rule() {
    type Caso = (
        fn(&mut IdentitaForm),
        &'static str,
        &'static str,
        &'static str,
    );
    let casi: &[Caso] = &[
        (
            |f| f.nome = " ".into(),
            "nome",
            "nome.obbligatorio",
            "blank name",
        ),
        (
            |f| f.nome = "Mario2".into(),
            "nome",
            "nome.caratteri",
            "digit in a name",
        ),
        (
            |f| f.cognome = "x".repeat(61),
            "cognome",
            "nome.lunghezza",
            "61 characters",
        ),
        (
            |f| f.cognome = "Rossi\u{202E}ilatipsO".into(),
            "cognome",
            "testo.caratteri_invisibili",
            "right-to-left override",
        ),
        (
            |f| f.nome = "Ma\u{200B}rio".into(),
            "nome",
            "testo.caratteri_invisibili",
            "zero-width space",
        ),
        (
            |f| f.nome = "-Mario".into(),
            "nome",
            "nome.caratteri",
            "starts with a hyphen",
        ),
        (
            |f| {
                let c = fiscale::cifra_controllo_numerico(b"0123456789") as char;
                f.codice_fiscale = format!("0123456789{c}");
            },
            "codice_fiscale",
            "codice_fiscale.lunghezza",
            "a company's numeric code",
        ),
        (
            |f| f.codice_fiscale = "DNGMGR80A41L219A".into(),
            "codice_fiscale",
            "codice_fiscale.controllo",
            "wrong check letter",
        ),
        (
            |f| f.codice_fiscale = "DNGMGR80Z41L219A".into(),
            "codice_fiscale",
            "codice_fiscale.data",
            "month letter Z",
        ),
        (
            |f| f.email = "".into(),
            "email",
            "email.obbligatoria",
            "no e-mail",
        ),
        (
            |f| f.email = "mario@".into(),
            "email",
            "email.formato",
            "no domain",
        ),
        (
            |f| f.telefono = "12".into(),
            "telefono",
            "telefono.formato",
            "two digits",
        ),
        (
            |f| f.telefono = "011 abc".into(),
            "telefono",
            "telefono.formato",
            "letters",
        ),
        (
            |f| f.ufficio = "x".repeat(101),
            "ufficio",
            "testo.lunghezza",
            "101 characters",
        ),
    ];
    for (cambia, campo, regola, perche) in casi {
        let mut f = valida();
        cambia(&mut f);
        let e = f.controlla_con("utenti.3.").unwrap_err();
        assert_eq!(e.len(), 1, "{perche}: {e:?}");
        assert_eq!(e[0].field, format!("utenti.3.{campo}"), "{perche}");
        assert_eq!(e[0].rule, *regola, "{perche}");
        assert!(!e[0].message.is_empty());
    }
}

#[test]
fn a_legal_representative_needs_a_pec() {
    let f = LegaleForm {
        nome: "Stefano".into(),
        cognome: "Lo Russo".into(),
        codice_fiscale: cf("LRSSFN75B12L219"),
        email: "sindaco@comune.torino.it".into(),
        pec: "".into(),
    };
    let e = f.controlla().unwrap_err();
    assert_eq!(e.fields()[0].field, "pec");
    let ok = LegaleForm {
        pec: "protocollo@cert.comune.torino.it".into(),
        ..f
    };
    assert_eq!(
        ok.controlla().unwrap().pec,
        "protocollo@cert.comune.torino.it"
    );
}

#[test]
fn the_legal_representatives_csv_names_every_wrong_line() {
    let a = cf("LRSSFN75B12L219");
    let b = cf("BNCLCU70C15A124");
    let testo = format!(
        "codice ISTAT;codice fiscale;nome;cognome;email;pec\n\
         1272;{a};Stefano;Lo Russo;sindaco@comune.torino.it;protocollo@cert.comune.torino.it\n\
         4003;{b};Luca;Bianchi;sindaco@comune.alba.cn.it;comune.alba@cert.legalmail.it\n"
    );
    let righe = legali_da_csv(&testo).unwrap();
    assert_eq!(righe.len(), 2);
    assert_eq!(righe[0].0, "001272");
    assert_eq!(righe[1].1.identita.cognome, "Bianchi");

    let sbagliato = format!(
        "1272;{a};Stefano;Lo Russo;sindaco@comune.torino.it;protocollo@cert.comune.torino.it\n\
         4003;XXXXXX00A00A000A;Luca;Bianchi;x;comune.alba@cert.legalmail.it\n\
         4003;{b};Luca\n\
         1272;{b};Luca;Bianchi;sindaco@comune.alba.cn.it;comune.alba@cert.legalmail.it\n"
    );
    let errori = legali_da_csv(&sbagliato).unwrap_err();
    assert!(
        errori
            .iter()
            .any(|e| e.starts_with("Riga 2, codice fiscale:")),
        "{errori:?}"
    );
    assert!(
        errori.iter().any(|e| e.starts_with("Riga 2, e-mail:")),
        "{errori:?}"
    );
    assert!(
        errori
            .iter()
            .any(|e| e.starts_with("Riga 3: servono 6 colonne")),
        "{errori:?}"
    );
    assert!(
        errori
            .iter()
            .any(|e| e == "Riga 4: il comune 001272 compare più volte."),
        "{errori:?}"
    );
    assert_eq!(legali_da_csv("").unwrap_err().len(), 1);
}

#[test]
fn usernames_from_names_are_plain_ascii_and_never_a_codice_fiscale() {
    assert_eq!(username_da_nome("Niccolò", "D'Angelo"), "niccolo.dangelo");
    assert_eq!(
        username_da_nome("Maria Grazia", "Lo Russo"),
        "mariagrazia.lorusso"
    );
    assert_eq!(username_da_nome("李", "王"), "utente");
    assert!(crate::auth::username_rule(&username_da_nome("Ève", "Ōno")).is_ok());
    assert!(!sembra_codice_fiscale(&username_da_nome("Mario", "Rossi")));
    assert!(sembra_codice_fiscale(&cf("RSSMRA80A01L219").to_lowercase()));
    assert!(sembra_codice_fiscale(&format!(
        " {} ",
        cf("RSSMRA80A01L219")
    )));
    assert!(!sembra_codice_fiscale("torino"));
}

#[test]
fn only_regional_roles_pass_the_regional_rule_and_comune_roles_the_comune_rule() {
    assert_eq!(
        ruolo_regionale("amministratore").unwrap(),
        Ruolo::Amministratore
    );
    assert!(ruolo_regionale("operatore_comunale").is_err());
    assert_eq!(
        ruolo_comunale(" legale_rappresentante ").unwrap(),
        Ruolo::LegaleRappresentante
    );
    assert!(ruolo_comunale("amministratore").is_err());
    assert!(ruolo_comunale("").is_err());
}
