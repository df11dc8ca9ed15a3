//! Accessibility: axe-core (npm `axe-core`, installed by `./dev tools`) run on every state of a
//! page the suite reaches, for the WCAG 2.1 A and AA rules. The [`Browser`] helpers that wait
//! for a page (`open`, `wait_id`, `wait_text`, …) call [`Browser::assert_accessible`] themselves,
//! so a new page or a new message in a page is checked without asking.

use super::Browser;
use serde_json::Value;
use std::sync::OnceLock;

/// The rule sets checked: WCAG 2.0 and 2.1, levels A and AA.
const TAGS: &str = "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']";

/// axe-core's source, read once per test binary.
fn sorgente_axe() -> &'static str {
    static AXE: OnceLock<String> = OnceLock::new();
    AXE.get_or_init(|| {
        let p = crate::helpers::cartella_test().join("../node_modules/axe-core/axe.min.js");
        std::fs::read_to_string(&p).unwrap_or_else(|e| {
            panic!(
                "manca axe-core ({}: {e}): esegui `./dev tools`",
                p.display()
            )
        })
    })
}

/// Runs axe unless this state of the page (its address and the ids in it) was already checked
/// in this document; answers `"inietta"` when axe is not loaded yet, `null` when there is
/// nothing to check, else the violations, each already summarised.
const CONTROLLO: &str = r#"
const fatto = arguments[arguments.length - 1];
const firma = location.pathname + location.search + '|' +
  [...document.querySelectorAll('[id]')].map((e) => e.id).join(',');
if (window.__axeFirma === firma) return fatto(null);
if (typeof window.axe === 'undefined') return fatto('inietta');
window.__axeFirma = firma;
window.axe
  .run(document, { runOnly: { type: 'tag', values: TAGS }, resultTypes: ['violations'] })
  .then((r) => fatto(r.violations.map((v) =>
    `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}` +
    ` [${v.nodes[0] ? v.nodes[0].failureSummary.split('\n').map((l) => l.trim()).filter(Boolean).join(' / ') : ''}]`)))
  .catch((e) => fatto([`axe non eseguito: ${e}`]));
"#;

impl Browser {
    /// No WCAG 2.1 A/AA violation on the page as it is now; a readable list (rule, impact,
    /// help, target selectors and the first node's reason) otherwise. Cheap when the page's
    /// address and ids are those already checked.
    pub async fn assert_accessible(&self) {
        let script = CONTROLLO.replace("TAGS", TAGS);
        for tentativo in 0..4 {
            // A page that is navigating away answers with an error: check the next one.
            let esito = match self.client.execute_async(&script, vec![]).await {
                Ok(v) => v,
                Err(e) if tentativo < 3 => {
                    let _ = e;
                    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                    continue;
                }
                Err(e) => panic!("controllo di accessibilità: {e}"),
            };
            match esito {
                Value::Null => return,
                Value::String(s) if s == "inietta" => {
                    // Re-asked at the next turn if the page changed meanwhile.
                    let _ = self.client.execute(sorgente_axe(), vec![]).await;
                }
                Value::Array(v) if v.is_empty() => return,
                Value::Array(v) => {
                    let url = self
                        .client
                        .current_url()
                        .await
                        .map(|u| u.to_string())
                        .unwrap_or_default();
                    let elenco: Vec<String> = v
                        .iter()
                        .map(|x| format!("  - {}", x.as_str().unwrap_or_default()))
                        .collect();
                    panic!(
                        "accessibilità (axe-core, WCAG 2.1 A/AA) su {url}:\n{}",
                        elenco.join("\n")
                    );
                }
                altro => panic!("controllo di accessibilità: risposta inattesa {altro}"),
            }
        }
        panic!("axe-core non si carica nella pagina");
    }
}
