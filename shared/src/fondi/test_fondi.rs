//! The money rules: a valid plan and monitoring pass; each single mistake is caught with its
//! rule id on its field; totals never lose or invent a cent.

use super::*;
use proptest::prelude::*;

fn d(s: &str) -> Option<NaiveDate> {
    crate::servizio::regole::parse_data(s)
}

fn contesto() -> Contesto {
    Contesto {
        assegnato: Assegnato {
            statale: Importo::euro(10_000),
            regionale: Importo::euro(2_000),
        },
        servizi: vec![
            ServizioFondi {
                id: "nido".into(),
                denominazione: "Nido Arcobaleno".into(),
                cessato_dal: None,
            },
            ServizioFondi {
                id: "chiuso".into(),
                denominazione: "Micronido Il Faro".into(),
                cessato_dal: d("31/05/2022"),
            },
        ],
        data_riferimento: d("30/07/2023"),
        piano: piano(),
    }
}

fn intervento(id: &str, linea: &str, fonte: &str, importo: &str) -> InterventoForm {
    InterventoForm {
        id: id.into(),
        linea: linea.into(),
        fonte: fonte.into(),
        descrizione: "Rifacimento del tetto del nido".into(),
        servizi: vec!["nido".into()],
        importo_previsto: importo.into(),
        inizio: "01/09/2022".into(),
        fine: "30/06/2023".into(),
    }
}

fn piano() -> InterventiForm {
    InterventiForm {
        interventi: vec![
            intervento("i1", "a", "statale", "8.000,00"),
            intervento("i2", "b", "statale", "2.000"),
            InterventoForm {
                servizi: vec![],
                ..intervento("i3", "c", "regionale", "2000,00")
            },
        ],
        nota_residuo: String::new(),
    }
}

fn voce(id: &str, impegnato: &str, liquidato: &str) -> MonitoraggioVoceForm {
    MonitoraggioVoceForm {
        intervento: id.into(),
        impegnato: impegnato.into(),
        atto_numero: "DD 123/2023".into(),
        atto_data: "15/03/2023".into(),
        liquidato: liquidato.into(),
        avanzamento: "in_corso".into(),
        servizi_raggiunti: vec!["nido".into()],
        ..Default::default()
    }
}

fn monitoraggio() -> MonitoraggioForm {
    MonitoraggioForm {
        voci: vec![
            voce("i1", "8.000", "5.000,50"),
            voce("i2", "2.000", "0"),
            voce("i3", "1.500", "1.500"),
        ],
    }
}

fn errori(r: &[Rilievo]) -> Vec<(String, String)> {
    r.iter()
        .filter(|x| x.gravita == Gravita::Errore)
        .map(|x| (x.campo.clone(), x.regola.clone()))
        .collect()
}

#[test]
fn a_complete_plan_and_its_monitoring_pass_with_exact_totals() {
    let (r, tot) = controlla_interventi(&piano(), &contesto());
    assert_eq!(r, vec![], "{r:?}");
    assert_eq!(
        tot.previsto,
        Assegnato {
            statale: Importo::euro(10_000),
            regionale: Importo::euro(2_000)
        }
    );
    let (r, tot) = controlla_monitoraggio(&monitoraggio(), &contesto());
    assert_eq!(r, vec![], "{r:?}");
    assert_eq!(tot.impegnato.statale, Importo::euro(10_000));
    assert_eq!(tot.liquidato.statale, Importo(500_050));
    assert_eq!(tot.impegnato.regionale, Importo::euro(1_500));
}

#[test]
fn each_mistake_in_a_plan_is_caught_on_its_field() {
    type Cambia = fn(&mut InterventiForm);
    let casi: &[(&str, Cambia, &str, &str)] = &[
        (
            "negative amount",
            |f| f.interventi[0].importo_previsto = "-5".into(),
            "interventi[0].importo_previsto",
            "importo.formato",
        ),
        (
            "three decimals",
            |f| f.interventi[0].importo_previsto = "10,001".into(),
            "interventi[0].importo_previsto",
            "importo.formato",
        ),
        (
            "zero planned",
            |f| f.interventi[1].importo_previsto = "0".into(),
            "interventi[1].importo_previsto",
            "importo.positivo",
        ),
        (
            "no line",
            |f| f.interventi[0].linea = "d".into(),
            "interventi[0].linea",
            "scelta.valore",
        ),
        (
            "no source",
            |f| f.interventi[0].fonte = String::new(),
            "interventi[0].fonte",
            "scelta.valore",
        ),
        (
            "line a without services",
            |f| f.interventi[0].servizi.clear(),
            "interventi[0].servizi",
            "linea_a.servizi",
        ),
        (
            "unknown service",
            |f| f.interventi[1].servizi = vec!["altrove".into()],
            "interventi[1].servizi",
            "servizio.sconosciuto",
        ),
        (
            "service ceased before the start",
            |f| f.interventi[0].servizi = vec!["chiuso".into()],
            "interventi[0].servizi",
            "servizio.cessato_prima",
        ),
        (
            "end before start",
            |f| f.interventi[0].fine = "01/01/2022".into(),
            "interventi[0].fine",
            "date.ordine",
        ),
        (
            "bad date",
            |f| f.interventi[0].inizio = "31/02/2023".into(),
            "interventi[0].inizio",
            "data.formato",
        ),
        (
            "duplicate id",
            |f| f.interventi[1].id = "i1".into(),
            "interventi[1].id",
            "intervento.id",
        ),
        (
            "short description",
            |f| f.interventi[2].descrizione = "x".into(),
            "interventi[2].descrizione",
            "testo.lunghezza",
        ),
        (
            "above the allocation",
            |f| f.interventi[2].importo_previsto = "2.000,01".into(),
            "interventi",
            "totale.oltre_assegnato",
        ),
    ];
    for (perche, cambia, campo, regola) in casi {
        let mut f = piano();
        cambia(&mut f);
        let (r, _) = controlla_interventi(&f, &contesto());
        assert!(
            errori(&r).contains(&(campo.to_string(), regola.to_string())),
            "{perche}: {:?}",
            errori(&r)
        );
    }
}

#[test]
fn a_plan_below_the_allocation_warns_and_needs_a_note() {
    let mut f = piano();
    f.interventi[1].importo_previsto = "1.500".into();
    let (r, _) = controlla_interventi(&f, &contesto());
    let avviso = r.iter().find(|x| x.gravita == Gravita::Avviso).unwrap();
    assert_eq!(avviso.regola, "totale.sotto_assegnato");
    assert!(
        avviso.messaggio.contains("restano da destinare € 500,00"),
        "{}",
        avviso.messaggio
    );
    assert_eq!(
        errori(&r),
        [(
            "nota_residuo".to_string(),
            "nota_residuo.obbligatoria".to_string()
        )]
    );
    f.nota_residuo = "Il residuo finanzia il 2024 del nido".into();
    let (r, _) = controlla_interventi(&f, &contesto());
    assert_eq!(errori(&r), []);
}

#[test]
fn each_mistake_in_a_monitoring_is_caught_on_its_field() {
    type Cambia = fn(&mut MonitoraggioForm);
    let casi: &[(&str, Cambia, &str, &str)] = &[
        (
            "paid above committed",
            |f| f.voci[0].liquidato = "8.000,01".into(),
            "voci[0].liquidato",
            "importo.liquidato_oltre_impegnato",
        ),
        (
            "committed above planned",
            |f| f.voci[1].impegnato = "2.000,01".into(),
            "voci[1].impegnato",
            "importo.impegnato_oltre_previsto",
        ),
        (
            "act after the reference date",
            |f| f.voci[0].atto_data = "31/07/2023".into(),
            "voci[0].atto_data",
            "atto.dopo_riferimento",
        ),
        (
            "no act number",
            |f| f.voci[0].atto_numero = " ".into(),
            "voci[0].atto_numero",
            "atto.numero",
        ),
        (
            "a planned intervention missing",
            |f| {
                f.voci.remove(2);
            },
            "voci",
            "monitoraggio.intervento_mancante",
        ),
        (
            "not in the plan",
            |f| f.voci[0].intervento = "i9".into(),
            "voci[0].intervento",
            "monitoraggio.intervento_sconosciuto",
        ),
        (
            "new without reason",
            |f| {
                f.voci.push(MonitoraggioVoceForm {
                    intervento: "n1".into(),
                    nuovo: true,
                    linea: "b".into(),
                    fonte: "regionale".into(),
                    descrizione: "Nuovo servizio estivo".into(),
                    avanzamento: "concluso".into(),
                    ..Default::default()
                })
            },
            "voci[3].motivo_nuovo",
            "nuovo.motivo",
        ),
        (
            "not used without reason",
            |f| f.voci[2].non_utilizzato = "500".into(),
            "voci[2].motivo_non_utilizzato",
            "non_utilizzato.motivo",
        ),
        (
            "no progress",
            |f| f.voci[2].avanzamento = String::new(),
            "voci[2].avanzamento",
            "scelta.valore",
        ),
        (
            "ceased service reached",
            |f| f.voci[0].servizi_raggiunti = vec!["chiuso".into()],
            "voci[0].servizi_raggiunti",
            "servizio.cessato_prima",
        ),
        (
            "committed above the allocation",
            |f| {
                f.voci.push(MonitoraggioVoceForm {
                    intervento: "n1".into(),
                    nuovo: true,
                    linea: "b".into(),
                    fonte: "regionale".into(),
                    descrizione: "Centro estivo comunale".into(),
                    motivo_nuovo: "Richiesta delle famiglie".into(),
                    impegnato: "600".into(),
                    atto_numero: "DG 9".into(),
                    atto_data: "01/06/2023".into(),
                    avanzamento: "concluso".into(),
                    ..Default::default()
                })
            },
            "voci",
            "totale.impegnato_oltre_assegnato",
        ),
    ];
    for (perche, cambia, campo, regola) in casi {
        let mut f = monitoraggio();
        cambia(&mut f);
        let (r, _) = controlla_monitoraggio(&f, &contesto());
        assert!(
            errori(&r).contains(&(campo.to_string(), regola.to_string())),
            "{perche}: {:?}",
            errori(&r)
        );
    }
}

#[test]
fn an_allocation_is_read_from_the_csv_the_region_exports() {
    let ok = riparto_da_csv(
        "\u{feff}Codice ISTAT;Importo\r\n1272;1.234.567,89\r\n004003;\"500\"\r\n\r\n",
    )
    .unwrap();
    assert_eq!(
        ok,
        [
            ("001272".to_string(), Importo(123_456_789)),
            ("004003".to_string(), Importo(50_000))
        ]
    );
    let ok = riparto_da_csv("codice,importo\n1272,1234.50\n").unwrap();
    assert_eq!(ok, [("001272".to_string(), Importo(123_450))]);
    let errori = riparto_da_csv("codice;importo\n1272;-5\nTorino;10\n4003\n1272;1\n0012720;3\n")
        .unwrap_err();
    assert_eq!(
        errori,
        [
            "Riga 2: L'importo non può essere negativo.",
            "Riga 3: «Torino» non è un codice ISTAT di comune.",
            "Riga 4: manca l'importo.",
            "Riga 6: «0012720» non è un codice ISTAT di comune (6 cifre).",
        ]
    );
    assert_eq!(
        riparto_da_csv("1272;1\n1272;2").unwrap_err(),
        ["Riga 2: il comune 001272 compare più volte."]
    );
    assert_eq!(
        riparto_da_csv("codice;importo").unwrap_err(),
        ["Il file non contiene righe di riparto."]
    );
}

proptest! {
    /// Whatever amounts are typed, each source's total is the exact sum of the cents typed.
    #[test]
    fn totals_never_lose_or_invent_a_cent(importi in prop::collection::vec((0i64..100_000_000, any::<bool>()), 1..40)) {
        let f = InterventiForm {
            interventi: importi.iter().enumerate().map(|(i, (c, statale))| InterventoForm {
                importo_previsto: Importo(*c).testo(),
                fonte: if *statale { "statale" } else { "regionale" }.into(),
                ..intervento(&format!("i{i}"), "b", "", "")
            }).collect(),
            nota_residuo: String::new(),
        };
        let (_, tot) = controlla_interventi(&f, &contesto());
        let atteso = |s: bool| Importo(importi.iter().filter(|x| x.1 == s).map(|x| x.0).sum());
        prop_assert_eq!(tot.previsto.statale, atteso(true));
        prop_assert_eq!(tot.previsto.regionale, atteso(false));
    }

    /// Arbitrary JSON never panics the rules.
    #[test]
    fn arbitrary_forms_never_panic(testo in ".{0,40}", n in 0usize..5) {
        let v = InterventoForm { id: testo.clone(), linea: testo.clone(), fonte: testo.clone(), descrizione: testo.clone(),
            servizi: vec![testo.clone(); n], importo_previsto: testo.clone(), inizio: testo.clone(), fine: testo.clone() };
        let _ = controlla_interventi(&InterventiForm { interventi: vec![v; n], nota_residuo: testo.clone() }, &contesto());
        let m = MonitoraggioVoceForm { intervento: testo.clone(), impegnato: testo.clone(), liquidato: testo.clone(),
            atto_data: testo.clone(), non_utilizzato: testo.clone(), ..Default::default() };
        let _ = controlla_monitoraggio(&MonitoraggioForm { voci: vec![m; n] }, &contesto());
    }
}
