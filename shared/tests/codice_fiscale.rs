//! The codice fiscale rule agrees with an independent implementation (python-codicefiscale) on
//! every code of `dati/codici_fiscali.csv` (valid codes, omocodia variants, structural mutations).

use shared::fiscale::{normalizza, verifica};

#[test]
fn the_rule_agrees_with_the_independent_implementation_on_every_code() {
    let dati = include_str!("dati/codici_fiscali.csv");
    let mut validi = 0;
    let mut non_validi = 0;
    let mut disaccordi = Vec::new();
    for riga in dati.lines().skip(1) {
        let (codice, atteso) = riga.split_once(',').expect("riga codice,valido");
        let atteso = atteso == "si";
        if atteso {
            validi += 1;
        } else {
            non_validi += 1;
        }
        if verifica(&normalizza(codice)).is_ok() != atteso {
            disaccordi.push(codice.to_owned());
        }
    }
    assert!(validi > 300 && non_validi > 1500, "{validi} / {non_validi}");
    assert!(disaccordi.is_empty(), "disagreements: {disaccordi:?}");
}

#[test]
fn lower_case_input_is_accepted_after_normalization() {
    assert!(verifica(&normalizza(" rssmra85t10a562s ")).is_ok());
}
