//! `/rilevazioni`: the campaigns a user can see; `/rilevazioni/{id}`: a comune's form for one
//! campaign: why it is open or closed and until when (countdown), one block of counts per
//! service operating at the reference date, the rules' findings while typing, draft saves,
//! sending and the receipt. The server decides; the page only shows.

use crate::api::campagne::{campagne, dichiara, invia_scheda, salva_scheda, scheda};
use crate::components::ora::use_adesso;
use crate::components::shell::{Idratata, Sessione};
use crate::Route;
use dioxus::prelude::*;
use shared::campagna::data_ora_estesa;
use shared::campagna_regole::{DichiarazioneForm, Ricevuta, Scheda, VoceDichiarazione};
use shared::frequentanti::{controlla, inviabile, FrequentantiForm, Gravita, RigaForm, FASCE};
use shared::tempo::tempo_mancante;

/// `/rilevazioni`
#[component]
pub fn Rilevazioni() -> Element {
    let sessione = use_context::<Sessione>().0;
    if sessione().is_none() {
        return rsx! {
            div { class: "alert alert-warning", role: "alert", id: "serve-accesso",
                "Per vedere questa pagina devi accedere. "
                Link { to: Route::Accesso {}, "Vai all'accesso" }
            }
        };
    }
    let elenco = use_resource(campagne);
    rsx! {
        document::Title { "Rilevazioni — Servizi 0-6" }
        h1 { "Rilevazioni" }
        if sessione().is_some_and(|u| !u.ruolo.is_comunale()) {
            Link { to: Route::NuovaRilevazione {}, id: "nuova-rilevazione", class: "btn btn-primary mb-3", "Nuova rilevazione" }
        }
        match &*elenco.read() {
            None => rsx! { p { role: "status", "Caricamento…" } },
            Some(Err(e)) => rsx! { div { class: "alert alert-danger", role: "alert", "{e}" } },
            Some(Ok(v)) if v.is_empty() => rsx! { p { id: "nessuna-rilevazione", "Nessuna rilevazione aperta per te." } },
            Some(Ok(v)) => rsx! {
                ul { class: "list-group", id: "elenco-rilevazioni",
                    for c in v.iter() {
                        li { key: "{c.id}", class: "list-group-item",
                            Link { to: Route::Rilevazione { id: c.id.clone() }, class: "fw-semibold", "{c.dati.titolo}" }
                            div { class: "small text-muted",
                                "{c.dati.tipo.label()} · {c.stato.label()} · termine: {data_ora_estesa(c.chiusura_in_vigore)}"
                            }
                        }
                    }
                }
            },
        }
    }
}

/// `/rilevazioni/{id}`
#[component]
pub fn Rilevazione(id: String) -> Element {
    let sessione = use_context::<Sessione>().0;
    match sessione().and_then(|u| u.comune.filter(|_| u.ruolo.is_comunale())) {
        Some(c) => rsx! { SchedaComune { key: "{id}", id: id.clone(), codice: c.codice } },
        None => {
            rsx! { crate::pages::campagna_regione::GestioneCampagna { key: "{id}", id: id.clone() } }
        }
    }
}

#[component]
fn SchedaComune(id: String, codice: String) -> Element {
    let id = use_signal(|| id);
    let codice = use_signal(|| codice);
    let mut corrente = use_signal(|| None::<Scheda>);
    let mut form = use_signal(FrequentantiForm::default);
    let mut esito = use_signal(|| None::<(bool, String)>);
    let mut ricevuta = use_signal(|| None::<Ricevuta>);
    let mut in_corso = use_signal(|| false);
    let ora = use_adesso();
    let idratata = use_context::<Idratata>().0;
    let caricata = use_resource(move || async move { scheda(id(), codice()).await });
    let mut dichiarazione = use_signal(DichiarazioneForm::default);
    use_effect(move || {
        if let Some(Ok(s)) = &*caricata.read() {
            form.set(con_righe(s));
            dichiarazione.set(DichiarazioneForm {
                voci: s
                    .da_dichiarare
                    .iter()
                    .map(|x| VoceDichiarazione {
                        servizio: x.id.clone(),
                        stato: "operante".into(),
                        ..Default::default()
                    })
                    .collect(),
            });
            ricevuta.set(s.ricevuta.clone());
            corrente.set(Some(s.clone()));
        }
    });

    // Saves the draft as typed; `automatico`: by the autosave (said so in the message).
    let salva_bozza = move |automatico: bool| async move {
        let Some(s) = corrente() else { return };
        let dati = form();
        in_corso.set(true);
        let r = salva_scheda(id(), codice(), s.versione, dati, None).await;
        in_corso.set(false);
        match r {
            Ok(nuova) => {
                corrente.set(Some(nuova));
                let quando =
                    shared::tempo::ora_italiana(crate::components::ora::adesso()).format("%H:%M");
                esito.set(Some((
                    true,
                    if automatico {
                        format!("Bozza salvata automaticamente alle {quando}.")
                    } else {
                        "Bozza salvata.".into()
                    },
                )));
            }
            Err(e) => esito.set(Some((false, e.0.message()))),
        }
    };
    // Autosave: three seconds after the last change, a changed form that can be compiled saves
    // itself (the form as loaded is not a change).
    use_effect(move || {
        let scritto = form();
        spawn(async move {
            #[cfg(feature = "web")]
            gloo_timers::future::TimeoutFuture::new(3_000).await;
            let Some(s) = corrente() else { return };
            let cambiato = s.dati.as_ref() != Some(&scritto) && con_righe(&s) != scritto;
            if cfg!(feature = "web")
                && cambiato
                && form() == scritto
                && !in_corso()
                && s.compilabile
                && s.dichiarazione.is_some()
                && ricevuta().is_none()
            {
                salva_bozza(true).await;
            }
        });
    });
    let Some(s) = corrente() else {
        return rsx! {
            match &*caricata.read() {
                Some(Err(e)) => rsx! { div { class: "alert alert-danger", role: "alert", id: "errore-scheda", "{e}" } },
                _ => rsx! { p { role: "status", "Caricamento della scheda…" } },
            }
        };
    };
    let (rilievi, totali) = controlla(&form.read(), &s.servizi);
    let puo_inviare = inviabile(&rilievi);
    let avvisi: Vec<_> = rilievi
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
    let secondi = (s.chiusura - ora()).num_seconds();
    let modificabile = s.compilabile && ricevuta().is_none();

    let salva = move |_| salva_bozza(false);
    let invia = move |_| async move {
        in_corso.set(true);
        let r = invia_scheda(id(), codice(), None).await;
        in_corso.set(false);
        match r {
            Ok(ric) => {
                esito.set(Some((
                    true,
                    format!("Scheda inviata: ricevuta n. {}.", ric.numero),
                )));
                ricevuta.set(Some(ric));
            }
            Err(e) => esito.set(Some((false, e.0.message()))),
        }
    };
    let salvata = s.dati.as_ref() == Some(&form());
    let dichiarata = s.dichiarazione.is_some();
    let conferma = move |_| async move {
        in_corso.set(true);
        let r = dichiara(id(), codice(), dichiarazione().voci).await;
        in_corso.set(false);
        match r {
            Ok(nuova) => {
                form.set(con_righe(&nuova));
                corrente.set(Some(nuova));
                esito.set(Some((
                    true,
                    "Dichiarazione confermata: ora puoi compilare la scheda.".into(),
                )));
            }
            Err(e) => esito.set(Some((false, e.0.message()))),
        }
    };

    rsx! {
        document::Title { "Scheda — Servizi 0-6" }
        nav { "aria-label": "Percorso", Link { to: Route::Rilevazioni {}, "← Rilevazioni" } }
        h1 { class: "h2 my-2", "Scheda di {s.comune.nome}" }
        div { id: "stato-scheda", class: if s.compilabile { "alert alert-info" } else { "alert alert-warning" }, role: "status",
            p { class: "mb-1", id: "stato-scheda-messaggio", "{s.messaggio}" }
            if s.compilabile {
                p { class: "mb-0 fw-semibold", id: "conto-alla-rovescia", "{tempo_mancante(secondi)} (fino al {data_ora_estesa(s.chiusura)})." }
            }
        }
        if let Some((ok, t)) = esito() {
            div { id: "esito-scheda", class: if ok { "alert alert-success" } else { "alert alert-danger" }, role: "alert", "{t}" }
        }
        if let Some(r) = ricevuta() {
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
        if modificabile && !dichiarata {
            section { id: "dichiarazione", class: "mb-4",
                h2 { class: "h5", "Dichiarazione preliminare" }
                p { "Per ogni servizio attivo indica se alla data di riferimento era operante, sospeso o cessato. I servizi sospesi o cessati sono aggiornati nell'anagrafica." }
                for (i, v) in dichiarazione().voci.iter().enumerate() {
                    div { key: "{v.servizio}", class: "row g-2 align-items-end border-bottom mb-2",
                        div { class: "col-12 col-md-4 fw-semibold mb-3",
                            {s.da_dichiarare.iter().find(|x| x.id == v.servizio).map(|x| x.denominazione.clone()).unwrap_or_default()}
                        }
                        div { class: "col-12 col-md-3",
                            crate::components::field::Scelta { id: format!("d{i}-stato"), etichetta: "Alla data di riferimento", valore: v.stato.clone(),
                                opzioni: vec![("operante".to_owned(), "Operante".to_owned()), ("sospeso".to_owned(), "Sospeso".to_owned()), ("cessato".to_owned(), "Cessato".to_owned())],
                                errore: None,
                                onchange: move |x: String| dichiarazione.with_mut(|d| d.voci[i].stato = x) }
                        }
                        if v.stato != "operante" {
                            div { class: "col-6 col-md-2",
                                crate::components::field::Campo { id: format!("d{i}-dal"), etichetta: "Dal (gg/mm/aaaa)", valore: v.dal.clone(), errore: None, inputmode: "numeric",
                                    oninput: move |x: String| dichiarazione.with_mut(|d| d.voci[i].dal = x) }
                            }
                            div { class: "col-6 col-md-3",
                                crate::components::field::Campo { id: format!("d{i}-motivo"), etichetta: "Motivo", valore: v.motivo.clone(), errore: None,
                                    oninput: move |x: String| dichiarazione.with_mut(|d| d.voci[i].motivo = x) }
                            }
                        }
                    }
                }
                button { id: "conferma-dichiarazione", class: "btn btn-primary", disabled: !idratata() || in_corso(), onclick: conferma, "Conferma la dichiarazione" }
            }
        }
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
        if dichiarata && !avvisi.is_empty() {
            div { id: "avvisi", class: "alert alert-warning", role: "alert",
                ul { class: "mb-2", for a in avvisi.iter() { li { key: "{a.campo}", "{a.messaggio}" } } }
                label { r#for: "giustificazione", class: "form-label", "Giustificazione" }
                textarea { id: "giustificazione", class: "form-control", rows: "3", disabled: !modificabile,
                    value: "{form().giustificazione}",
                    oninput: move |e| form.with_mut(|f| f.giustificazione = e.value()) }
                if let Some(m) = messaggio_di("giustificazione".into()) {
                    div { id: "giustificazione-errore", class: "invalid-feedback d-block", "{m}" }
                }
            }
        }
        if modificabile && dichiarata {
            div { class: "d-flex flex-wrap gap-2 mb-5",
                button { id: "salva-bozza", class: "btn btn-outline-primary", disabled: !idratata() || in_corso(), onclick: salva, "Salva bozza" }
                button { id: "invia-scheda", class: "btn btn-primary", disabled: !idratata() || in_corso() || !puo_inviare || !salvata, onclick: invia, "Invia" }
                if !salvata { span { class: "align-self-center text-muted", "Salva la bozza prima di inviare." } }
            }
        }
    }
}

/// The form's data with a row for every service operating at the reference date.
fn con_righe(s: &Scheda) -> FrequentantiForm {
    let mut f = s.dati.clone().unwrap_or_default();
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
