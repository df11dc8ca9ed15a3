//! The children-attending form: one block of counts per service operating at the reference
//! date, the rules' findings while typing (the same rules the server runs), the justification
//! the warnings ask for, and the receipt once sent.

use super::{avvisi, dichiarazione, pulsanti};
use crate::components::navigazione::Briciole;
use crate::offline::scheda::{use_modulo_scheda, Caricata, DatiModulo};
use crate::Route;
use dioxus::prelude::*;
use shared::campagna::data_ora_estesa;
use shared::campagna::Scheda;
use shared::frequentanti::{controlla, inviabile, FrequentantiForm, Gravita, RigaForm, FASCE};

impl DatiModulo for FrequentantiForm {
    fn salvati(s: &Scheda) -> Option<Self> {
        s.dati.clone()
    }

    /// A row for every service operating at the reference date, and only those.
    fn completa(s: &Scheda, mut f: Self) -> Self {
        for serv in &s.servizi {
            if !f.righe.iter().any(|r| r.servizio == serv.id) {
                f.righe.push(RigaForm {
                    servizio: serv.id.clone(),
                    iscritti: vec![String::new(); 4],
                    frequentanti: vec![String::new(); 4],
                    ..Default::default()
                });
            }
        }
        f.righe
            .retain(|r| s.servizi.iter().any(|x| x.id == r.servizio));
        f
    }

    /// The cells that differ, named by service and age band.
    fn differenze(s: &Scheda, mie: &Self) -> Vec<String> {
        let salvate = s.dati.clone().unwrap_or_default();
        let mut out = Vec::new();
        for r in &mie.righe {
            let nome = s
                .servizi
                .iter()
                .find(|x| x.id == r.servizio)
                .map(|x| x.denominazione.clone())
                .unwrap_or_default();
            let altra = salvate
                .righe
                .iter()
                .find(|x| x.servizio == r.servizio)
                .cloned()
                .unwrap_or_default();
            let mut confronta = |campo: String, mio: &str, suo: &str| {
                if mio.trim() != suo.trim() {
                    out.push(format!("{nome}, {campo}: sul server «{suo}», tuo «{mio}»"));
                }
            };
            for (f, (_, _, fascia)) in FASCE.iter().enumerate() {
                let g = |v: &Vec<String>| v.get(f).cloned().unwrap_or_default();
                confronta(
                    format!("iscritti {fascia}"),
                    &g(&r.iscritti),
                    &g(&altra.iscritti),
                );
                confronta(
                    format!("frequentanti {fascia}"),
                    &g(&r.frequentanti),
                    &g(&altra.frequentanti),
                );
            }
            confronta("con disabilità".into(), &r.disabili, &altra.disabili);
            confronta(
                "posti disponibili".into(),
                &r.posti_disponibili,
                &altra.posti_disponibili,
            );
        }
        if mie.giustificazione.trim() != salvate.giustificazione.trim() {
            out.push(format!(
                "Giustificazione: sul server «{}», tua «{}»",
                salvate.giustificazione, mie.giustificazione
            ));
        }
        out
    }
}

#[component]
pub(super) fn SchedaFrequentanti(c: Caricata) -> Element {
    let (m, mut form) = use_modulo_scheda::<FrequentantiForm>(c);
    let Some(s) = (c.corrente)() else {
        return rsx! {};
    };
    let (rilievi, totali) = controlla(&form.read(), &s.servizi);
    let puo_inviare = inviabile(&rilievi);
    let avvisi_regole: Vec<_> = rilievi
        .iter()
        .filter(|r| r.gravita == Gravita::Avviso)
        .cloned()
        .collect();
    // The rules ran once above for this render; each field looks its error up.
    let errori_campo: std::collections::HashMap<String, String> = rilievi
        .iter()
        .filter(|r| r.gravita == Gravita::Errore)
        .rev()
        .map(|r| (r.campo.clone(), r.messaggio.clone()))
        .collect();
    let messaggio_di = |campo: String| -> Option<String> { errori_campo.get(&campo).cloned() };
    let modificabile = m.modificabile(&s);
    let dichiarata = s.dichiarazione.is_some();
    let (id, codice) = ((c.id)(), (c.codice)());

    rsx! {
        document::Title { "Scheda — Servizi 0-6" }
        Briciole { voci: vec![("Rilevazioni".to_string(), Route::Rilevazioni {})], pagina: "Scheda" }
        h1 { class: "h2 my-2", "Scheda di {s.comune.nome}" }
        {avvisi(m, &s)}
        if let Some(r) = s.ricevuta.clone() {
            div { id: "ricevuta", class: "card card-bg mb-4",
                div { class: "card-body",
                    h2 { class: "h5", "Ricevuta n. {r.numero}" }
                    p { class: "mb-1", "Inviata il {data_ora_estesa(r.quando)} da {r.da}." }
                    p { class: "small text-break", "Impronta SHA-256 dei dati inviati: " code { "{r.impronta}" } }
                    a { id: "scarica-ricevuta", class: "btn btn-outline-primary btn-sm",
                        href: "/api/v1/campagne/{id}/comuni/{codice}/scheda/ricevuta.pdf", download: "ricevuta-{r.numero}.pdf",
                        "Scarica la ricevuta (PDF)" }
                }
            }
        }
        {dichiarazione(m, &s)}
        for (i, riga) in form().righe.iter().enumerate().filter(|_| dichiarata) {
            fieldset { key: "{riga.servizio}", class: "border rounded p-3 mb-3",
                legend { class: "h6 float-none w-auto px-2",
                    {s.servizi.iter().find(|x| x.id == riga.servizio).map(|x| x.denominazione.clone()).unwrap_or_else(|| riga.servizio.clone())}
                }
                div { class: "row g-2",
                    for (f, (_, _, nome)) in FASCE.iter().enumerate() {
                        for (tipo, etichetta) in [("iscritti", "Iscritti"), ("frequentanti", "Frequentanti")] {
                            div { key: "{tipo}-{f}", class: "col-6 col-md-3",
                                CampoConteggio {
                                    id: format!("r{i}-{tipo}-{f}"),
                                    etichetta: format!("{etichetta} {nome}"),
                                    valore: if tipo == "iscritti" { riga.iscritti.get(f).cloned().unwrap_or_default() } else { riga.frequentanti.get(f).cloned().unwrap_or_default() },
                                    errore: messaggio_di(format!("righe[{i}].{tipo}[{f}]")),
                                    disabilitato: !modificabile,
                                    oninput: move |v: String| form.with_mut(|fm| {
                                        let r = &mut fm.righe[i];
                                        let col = if tipo == "iscritti" { &mut r.iscritti } else { &mut r.frequentanti };
                                        col.resize(4, String::new());
                                        col[f] = v;
                                    }),
                                }
                            }
                        }
                    }
                    div { class: "col-6 col-md-3",
                        CampoConteggio { id: format!("r{i}-disabili"), etichetta: "di cui con disabilità",
                            valore: riga.disabili.clone(), errore: messaggio_di(format!("righe[{i}].disabili")), disabilitato: !modificabile,
                            oninput: move |v: String| form.with_mut(|fm| fm.righe[i].disabili = v) }
                    }
                    div { class: "col-6 col-md-3",
                        CampoConteggio { id: format!("r{i}-posti"), etichetta: "Posti disponibili",
                            valore: riga.posti_disponibili.clone(), errore: messaggio_di(format!("righe[{i}].posti_disponibili")), disabilitato: !modificabile,
                            oninput: move |v: String| form.with_mut(|fm| fm.righe[i].posti_disponibili = v) }
                    }
                }
            }
        }
        if dichiarata { p { id: "totali", "Totale iscritti {totali.iscritti}, frequentanti {totali.frequentanti}, con disabilità {totali.disabili}, posti disponibili {totali.posti_disponibili}." } }
        if dichiarata && !avvisi_regole.is_empty() {
            div { id: "avvisi", class: "alert alert-warning", role: "alert",
                ul { class: "mb-2", for a in avvisi_regole.iter() { li { key: "{a.campo}", "{a.messaggio}" } } }
                label { r#for: "giustificazione", class: "form-label", "Giustificazione" }
                textarea { id: "giustificazione", class: "form-control", rows: "3", disabled: !modificabile,
                    value: "{form().giustificazione}",
                    oninput: move |e| form.with_mut(|f| f.giustificazione = e.value()) }
                if let Some(msg) = messaggio_di("giustificazione".into()) {
                    div { id: "giustificazione-errore", class: "invalid-feedback d-block", "{msg}" }
                }
            }
        }
        {pulsanti(m, &s, puo_inviare)}
    }
}

#[component]
fn CampoConteggio(
    id: String,
    etichetta: String,
    valore: String,
    errore: Option<String>,
    disabilitato: bool,
    oninput: EventHandler<String>,
) -> Element {
    rsx! {
        crate::components::field::Campo {
            id,
            etichetta,
            valore,
            errore,
            autocomplete: "off",
            inputmode: "numeric",
            disabilitato,
            oninput,
        }
    }
}
