//! "Registrazione utenti": the legal representative's request listing the users to enable, the
//! Region's decision on each, and the requests to disable a user. Rules and states here; the
//! server adds the checks that need the database (a CF already active in the comune).

use crate::auth::Ruolo;
use crate::comune::ComuneRef;
use crate::error::{ApiError, FieldError};
use crate::utente::{Identita, IdentitaForm, Rilievi};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Most users in one request (a comune enables a handful at a time).
pub const MAX_UTENTI_RICHIESTA: usize = 20;
/// Longest reason for a refusal or a disabling.
pub const MOTIVO_MAX: usize = 500;

/// The request as typed: one row per user.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct RichiestaForm {
    pub utenti: Vec<IdentitaForm>,
}

impl RichiestaForm {
    /// Every rule of every row (fields `utenti.N.campo`), at least one user and at most
    /// [`MAX_UTENTI_RICHIESTA`], no codice fiscale twice.
    pub fn controlla(&self) -> Result<Vec<Identita>, ApiError> {
        let mut errori = Vec::new();
        if self.utenti.is_empty() {
            errori.push(FieldError::new(
                "utenti",
                "richiesta.vuota",
                "Aggiungi almeno un utente da abilitare.",
            ));
        }
        if self.utenti.len() > MAX_UTENTI_RICHIESTA {
            errori.push(FieldError::new(
                "utenti",
                "richiesta.troppi",
                "Una richiesta può contenere al massimo 20 utenti: inviane più di una.",
            ));
        }
        let mut ok = Vec::new();
        for (i, u) in self.utenti.iter().take(MAX_UTENTI_RICHIESTA).enumerate() {
            match u.controlla_con(&format!("utenti.{i}.")) {
                Ok(id) => {
                    if ok
                        .iter()
                        .any(|x: &Identita| x.codice_fiscale == id.codice_fiscale)
                    {
                        errori.push(FieldError::new(
                            &format!("utenti.{i}.codice_fiscale"),
                            "codice_fiscale.ripetuto",
                            "Questo codice fiscale compare già in un'altra riga della richiesta.",
                        ));
                    }
                    ok.push(id);
                }
                Err(e) => errori.extend(e),
            }
        }
        if errori.is_empty() {
            Ok(ok)
        } else {
            Err(ApiError::Validation { fields: errori })
        }
    }
}

/// The legal representative's draft of a request, kept on the server until sent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct BozzaRichiesta {
    pub utenti: Vec<IdentitaForm>,
    /// 0 when nothing was saved yet; each save must name the version it starts from.
    pub versione: u64,
    pub salvata: Option<DateTime<Utc>>,
}

crate::codici! {
    /// The Region's decision on one user of a request.
    Decisione {
        Approvato => ("approvato", "Approvato"),
        Rifiutato => ("rifiutato", "Rifiutato"),
    }
}

crate::codici! {
    /// Where a request stands, from its users' decisions.
    StatoRichiesta {
        Inviata => ("inviata", "Inviata, in attesa di esame"),
        InEsame => ("in_esame", "In esame"),
        ParzialmenteApprovata => ("parzialmente_approvata", "Parzialmente approvata"),
        Approvata => ("approvata", "Approvata"),
        Rifiutata => ("rifiutata", "Rifiutata"),
    }
}

/// The decision on one user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct EsitoVoce {
    pub decisione: Decisione,
    /// The profile given, when approved.
    pub ruolo: Option<Ruolo>,
    /// Why, when refused.
    pub motivo: Option<String>,
    /// Who decided (username).
    pub da: String,
    pub quando: DateTime<Utc>,
    /// The account created or re-enabled, when approved.
    pub account: Option<String>,
}

/// One user of a request and, once decided, the decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct VoceRichiesta {
    pub identita: Identita,
    pub esito: Option<EsitoVoce>,
}

/// A sent request, as the legal representative and the Region see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct Richiesta {
    pub id: String,
    /// Receipt number (`REG-2026-000012`).
    pub numero: String,
    pub comune: ComuneRef,
    pub sigla_provincia: String,
    /// Who sent it (username) and their name.
    pub richiedente: String,
    pub richiedente_nome: String,
    pub inviata: DateTime<Utc>,
    pub utenti: Vec<VoceRichiesta>,
    pub stato: StatoRichiesta,
}

/// The state of a request from its users' decisions.
pub fn stato_richiesta(voci: &[VoceRichiesta]) -> StatoRichiesta {
    let decise: Vec<&EsitoVoce> = voci.iter().filter_map(|v| v.esito.as_ref()).collect();
    let approvate = decise
        .iter()
        .filter(|e| e.decisione == Decisione::Approvato)
        .count();
    match (decise.len(), voci.len()) {
        (0, _) => StatoRichiesta::Inviata,
        (d, n) if d < n && approvate == 0 => StatoRichiesta::InEsame,
        (d, n) if d == n && approvate == n => StatoRichiesta::Approvata,
        (d, n) if d == n && approvate == 0 => StatoRichiesta::Rifiutata,
        _ => StatoRichiesta::ParzialmenteApprovata,
    }
}

/// The Region's queue and lists: filters (query string; all optional).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct FiltroRichieste {
    /// Province abbreviation (`TO`).
    #[serde(default)]
    pub provincia: String,
    /// ISTAT code of the comune.
    #[serde(default)]
    pub comune: String,
    /// `da_esaminare` (default: with users still undecided), `tutte`.
    #[serde(default)]
    pub stato: String,
}

/// The queue's counts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct CodaRichieste {
    /// Requests with at least one user undecided.
    pub richieste_aperte: u32,
    /// Users waiting for a decision.
    pub utenti_da_esaminare: u32,
    /// The requests that match the filters, oldest first.
    pub richieste: Vec<Richiesta>,
}

/// Approving one user: the profile to give.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct ApprovazioneForm {
    /// `operatore_comunale` or `legale_rappresentante`.
    pub ruolo: String,
}

/// A reason (refusing a user, disabling, re-enabling, forcing a password change).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct MotivazioneForm {
    pub motivo: String,
}

impl MotivazioneForm {
    /// The trimmed reason: 3 to [`MOTIVO_MAX`] characters, one line of plain text.
    pub fn controlla(&self) -> Result<String, ApiError> {
        let mut r = Rilievi::new("");
        let v = self.motivo.trim();
        let n = v.chars().count();
        if n < 3 {
            r.errore(
                "motivo",
                "motivo.obbligatorio",
                "Scrivi il motivo (almeno 3 caratteri).",
            );
        } else if n > MOTIVO_MAX {
            r.errore(
                "motivo",
                "motivo.lunghezza",
                format!("Al massimo {MOTIVO_MAX} caratteri."),
            );
        } else if v.chars().any(crate::text::nascosto) {
            r.errore(
                "motivo",
                "testo.caratteri_invisibili",
                "Contiene caratteri di controllo o invisibili.",
            );
        }
        if r.errori.is_empty() {
            Ok(v.to_owned())
        } else {
            Err(ApiError::Validation { fields: r.errori })
        }
    }
}

/// The legal representative's request to disable a user of the comune, giving the user's
/// NOME, COGNOME and CF (as on the reference form) and why.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct DisabilitazioneForm {
    pub nome: String,
    pub cognome: String,
    pub codice_fiscale: String,
    pub motivo: String,
}

/// A checked disabling request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Disabilitazione {
    pub nome: String,
    pub cognome: String,
    pub codice_fiscale: String,
    pub motivo: String,
}

impl DisabilitazioneForm {
    /// Every rule; 422 with the failing fields.
    pub fn controlla(&self) -> Result<Disabilitazione, ApiError> {
        let mut r = Rilievi::new("");
        let nome = crate::utente::nome_persona(&mut r, "nome", &self.nome, "il nome");
        let cognome = crate::utente::nome_persona(&mut r, "cognome", &self.cognome, "il cognome");
        let codice_fiscale =
            crate::utente::cf_persona(&mut r, "codice_fiscale", &self.codice_fiscale);
        let motivo = MotivazioneForm {
            motivo: self.motivo.clone(),
        }
        .controlla();
        let mut errori = r.errori;
        match motivo {
            Ok(motivo) if errori.is_empty() => Ok(Disabilitazione {
                nome,
                cognome,
                codice_fiscale,
                motivo,
            }),
            Ok(_) => Err(ApiError::Validation { fields: errori }),
            Err(e) => {
                errori.extend(e.fields().iter().cloned());
                Err(ApiError::Validation { fields: errori })
            }
        }
    }
}

crate::codici! {
    /// Where a request to disable a user stands.
    StatoDisabilitazione {
        InAttesa => ("in_attesa", "In attesa di conferma"),
        Confermata => ("confermata", "Confermata: utente disabilitato"),
        Respinta => ("respinta", "Respinta"),
    }
}

/// A request to disable a user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct RichiestaDisabilitazione {
    pub id: String,
    pub comune: ComuneRef,
    /// The account to disable.
    pub utente: String,
    pub nome: String,
    pub cognome: String,
    pub codice_fiscale: String,
    pub motivo: String,
    /// Who asked (username).
    pub richiedente: String,
    pub quando: DateTime<Utc>,
    pub stato: StatoDisabilitazione,
    /// Who decided, when, and (for a refusal) why.
    pub deciso_da: Option<String>,
    pub deciso_il: Option<DateTime<Utc>>,
    pub motivo_decisione: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cf(primi15: &str) -> String {
        let c = crate::fiscale::carattere_controllo(primi15.as_bytes()) as char;
        format!("{primi15}{c}")
    }

    fn utente(cfx: &str) -> IdentitaForm {
        IdentitaForm {
            nome: "Anna".into(),
            cognome: "Verdi".into(),
            codice_fiscale: cfx.into(),
            email: "anna.verdi@comune.torino.it".into(),
            ..Default::default()
        }
    }

    fn esito(d: Decisione) -> Option<EsitoVoce> {
        Some(EsitoVoce {
            decisione: d,
            ruolo: None,
            motivo: None,
            da: "regione".into(),
            quando: chrono::DateTime::UNIX_EPOCH,
            account: None,
        })
    }

    #[test]
    fn a_request_names_the_row_of_every_failure() {
        let a = cf("VRDNNA85M41L219");
        let f = RichiestaForm {
            utenti: vec![
                utente(&a),
                utente("VRDNNA85M41L219A"),
                utente(&a.to_lowercase()),
            ],
        };
        let e = f.controlla().unwrap_err();
        let campi: Vec<(&str, &str)> = e
            .fields()
            .iter()
            .map(|f| (f.field.as_str(), f.rule.as_str()))
            .collect();
        assert!(
            campi.contains(&("utenti.1.codice_fiscale", "codice_fiscale.controllo")),
            "{campi:?}"
        );
        assert!(
            campi.contains(&("utenti.2.codice_fiscale", "codice_fiscale.ripetuto")),
            "{campi:?}"
        );
        assert_eq!(campi.len(), 2);
    }

    #[test]
    fn a_request_holds_one_to_twenty_users() {
        let vuota = RichiestaForm { utenti: vec![] }.controlla().unwrap_err();
        assert_eq!(vuota.fields()[0].rule, "richiesta.vuota");
        let troppi = RichiestaForm {
            utenti: (0..21).map(|_| IdentitaForm::default()).collect(),
        }
        .controlla()
        .unwrap_err();
        assert!(troppi.fields().iter().any(|f| f.rule == "richiesta.troppi"));
        let ok = RichiestaForm {
            utenti: vec![utente(&cf("VRDNNA85M41L219"))],
        };
        assert_eq!(ok.controlla().unwrap().len(), 1);
    }

    #[test]
    fn the_state_of_a_request_follows_its_decisions() {
        let voce = |e| VoceRichiesta {
            identita: utente(&cf("VRDNNA85M41L219")).controlla().unwrap(),
            esito: e,
        };
        use Decisione::*;
        let casi = [
            (vec![None, None], StatoRichiesta::Inviata),
            (vec![esito(Rifiutato), None], StatoRichiesta::InEsame),
            (
                vec![esito(Approvato), None],
                StatoRichiesta::ParzialmenteApprovata,
            ),
            (
                vec![esito(Approvato), esito(Rifiutato)],
                StatoRichiesta::ParzialmenteApprovata,
            ),
            (
                vec![esito(Approvato), esito(Approvato)],
                StatoRichiesta::Approvata,
            ),
            (
                vec![esito(Rifiutato), esito(Rifiutato)],
                StatoRichiesta::Rifiutata,
            ),
        ];
        for (esiti, atteso) in casi {
            let voci: Vec<VoceRichiesta> = esiti.into_iter().map(voce).collect();
            assert_eq!(stato_richiesta(&voci), atteso);
        }
    }

    #[test]
    fn a_disabling_request_checks_identity_and_reason() {
        let e = DisabilitazioneForm {
            nome: "Anna".into(),
            cognome: "Verdi".into(),
            codice_fiscale: "x".into(),
            motivo: "".into(),
        }
        .controlla()
        .unwrap_err();
        let campi: Vec<&str> = e.fields().iter().map(|f| f.field.as_str()).collect();
        assert_eq!(campi, vec!["codice_fiscale", "motivo"]);
        assert!(MotivazioneForm {
            motivo: "Trasferita ad altro ente".into()
        }
        .controlla()
        .is_ok());
    }
}
