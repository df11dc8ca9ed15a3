//! Browser end-to-end tests: real headless Chromium driven through chromedriver. Each test
//! starts its own app, chromedriver and browser profile; all stop when the test ends.
//! They need the web client (`tools/client.sh`; the README's test command builds it): without it
//! they fail, saying so. Every page state they wait for is also checked with axe-core
//! (WCAG 2.1 A/AA, [`axe`]).

mod accessibilita;
mod accesso;
mod account;
mod aspetto;
mod axe;
mod campagne_regione;
mod fondi;
mod offline;
mod offline_fondi;
mod rilevazioni;
mod servizi;

use crate::helpers::{public_dir, spawn_app_with, TestApp};
use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{json, Value};
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Desktop and phone widths the flows are checked at.
pub const DESKTOP: (u32, u32) = (1280, 900);
/// A common small phone.
pub const MOBILE: (u32, u32) = (360, 740);
/// The most common office laptop's width.
pub const LARGO: (u32, u32) = (1366, 900);

/// A browser session on a fresh profile, with its chromedriver.
pub struct Browser {
    /// The WebDriver client.
    pub client: Client,
    driver: Child,
    _profile: tempfile::TempDir,
}

impl Drop for Browser {
    /// Kills chromedriver's whole process group, Chromium included: a test that fails before
    /// `close()` must not leave a browser running.
    fn drop(&mut self) {
        let gruppo = format!("-{}", self.driver.id());
        let _ = Command::new("kill")
            .args(["-KILL", "--", &gruppo])
            .stderr(Stdio::null())
            .status();
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

fn free_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").expect("porta libera");
    l.local_addr().expect("indirizzo").port()
}

/// The app, with the built web client, ready for a browser.
pub async fn app_for_browser() -> TestApp {
    app_for_browser_with(|_| {}).await
}

/// [`app_for_browser`] with adjusted settings.
pub async fn app_for_browser_with(adjust: impl FnOnce(&mut backend::config::Settings)) -> TestApp {
    let dir = public_dir();
    let has_wasm = std::fs::read_dir(dir.join("wasm"))
        .map(|mut d| d.next().is_some())
        .unwrap_or(false);
    assert!(
        dir.join("index.html").is_file() && has_wasm,
        "manca il client web compilato in {dir:?}: esegui il comando di test del README \
         (`./dev test`), che lo compila e imposta DIOXUS_PUBLIC_PATH"
    );
    spawn_app_with(adjust).await
}

/// Starts chromedriver and headless Chromium at the given window size.
pub async fn browser(size: (u32, u32)) -> Browser {
    browser_con(size, "normal").await
}

/// [`browser`] with a WebDriver page-load strategy: `eager` returns from a navigation once the
/// document is parsed, without waiting for every download (the WebAssembly's included).
pub async fn browser_con((width, height): (u32, u32), strategia: &str) -> Browser {
    let chromedriver = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into());
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let port = free_port();
    // `--port` alone: chromedriver then listens on loopback only.
    // Its own process group (Chromium joins it), so that `Drop` can stop them all.
    let driver = Command::new(&chromedriver)
        .process_group(0)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("chromedriver non avviato ({chromedriver}): {e}"));
    let profile = tempfile::tempdir().expect("profilo");
    let mut caps = serde_json::Map::new();
    caps.insert("pageLoadStrategy".into(), json!(strategia));
    caps.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": chromium,
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--disable-quic",
                format!("--window-size={width},{height}"),
                format!("--user-data-dir={}", profile.path().display()),
            ]
        }),
    );
    let url = format!("http://127.0.0.1:{port}");
    let deadline = Instant::now() + Duration::from_secs(20);
    let client = loop {
        match ClientBuilder::new(HttpConnector::new())
            .capabilities(caps.clone())
            .connect(&url)
            .await
        {
            Ok(c) => break c,
            Err(e) if Instant::now() < deadline => {
                let _ = e;
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            Err(e) => panic!("sessione WebDriver non avviata: {e}"),
        }
    };
    // Window size as the page sees it (headless ignores the outer frame).
    client
        .issue_cmd(Cdp::new(
            "Emulation.setDeviceMetricsOverride",
            json!({"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600}),
        ))
        .await
        .expect("dimensioni della finestra");
    Browser {
        client,
        driver,
        _profile: profile,
    }
}

impl Browser {
    /// Opens `url` and waits until the app has hydrated (browser code is running).
    pub async fn open(&self, url: &str) {
        self.client.goto(url).await.expect("navigazione");
        self.wait_hydrated().await;
    }

    /// Logs in through the form as a demo account and waits for the personal home.
    pub async fn accedi(&self, app: &TestApp, username: &str) {
        self.open(&app.url("/accesso")).await;
        self.type_into("username", username).await;
        self.type_into("password", backend::service::demo::DEMO_PASSWORD)
            .await;
        self.click_id("entra").await;
        self.wait_id("profilo").await;
    }

    /// Waits for the hydration marker set by the app's first effect; then checks the page's
    /// accessibility.
    pub async fn wait_hydrated(&self) {
        let idratata = self
            .client
            .wait()
            .at_most(Duration::from_secs(30))
            .for_element(Locator::Css("#app[data-hydrated='true']"))
            .await;
        if let Err(e) = idratata {
            panic!(
                "pagina non idratata entro 30 s: {e}\n{}",
                self.descrivi_pagina().await
            );
        }
        self.assert_accessible().await;
    }

    /// Waits for an element by id; then checks the page's accessibility (each new state of a
    /// page the suite waits for is checked once: see [`Self::assert_accessible`]).
    pub async fn wait_id(&self, id: &str) -> fantoccini::elements::Element {
        let el = self
            .client
            .wait()
            // Generous: with the whole suite running on 2 cores a reload can take long.
            .at_most(Duration::from_secs(30))
            .for_element(Locator::Id(id))
            .await;
        let el = match el {
            Ok(el) => el,
            Err(e) => panic!(
                "elemento #{id} non comparso: {e}\n{}",
                self.descrivi_pagina().await
            ),
        };
        self.assert_accessible().await;
        // Found again: the page may have re-rendered it while the check ran.
        self.client.find(Locator::Id(id)).await.unwrap_or(el)
    }

    /// Scrolls the element into the middle of the viewport at once and clicks it, as a person
    /// would (the theme's smooth scrolling would otherwise still be moving at click time).
    pub async fn click_id(&self, id: &str) {
        let el = self.wait_id(id).await;
        self.click(el).await;
    }

    /// Clicks an element the same way (scrolled into the middle of the viewport first).
    pub async fn click(&self, el: fantoccini::elements::Element) {
        self.client
            .execute(
                "arguments[0].scrollIntoView({block: 'center', behavior: 'instant'}); return true;",
                vec![serde_json::to_value(&el).expect("elemento")],
            )
            .await
            .expect("scorrimento");
        el.click().await.unwrap_or_else(|e| panic!("clic: {e}"));
    }

    /// The page fits the window's width (no sideways scrolling) at `size`; at a phone's width
    /// its controls are also big enough for a finger ([`Self::assert_touch_targets`]).
    pub async fn assert_no_horizontal_overflow(&self, size: (u32, u32)) {
        self.assert_accessible().await;
        let overflow = self
            .js("return document.documentElement.scrollWidth - window.innerWidth;")
            .await;
        assert!(
            overflow.as_i64().unwrap_or(0) <= 0,
            "horizontal overflow {overflow} at {size:?}"
        );
        if size.0 < 600 {
            self.assert_touch_targets().await;
        }
        self.assert_testi_separati().await;
    }

    /// No two visible pieces of text of different elements overprint each other (a heading
    /// over a field's label, a floating label over its value): the rectangles of the text
    /// nodes' lines, compared two by two.
    pub async fn assert_testi_separati(&self) {
        let sovrapposti = self
            .js(
                "const righe = [];
                 // Text clipped away (visually hidden for screen readers only) does not show.
                 const ritagliato = (el) => {
                   for (let a = el; a && a !== document.body; a = a.parentElement) {
                     const st = getComputedStyle(a), r = a.getBoundingClientRect();
                     if (st.clip !== 'auto' || st.clipPath !== 'none') return true;
                     if (st.overflow !== 'visible' && (r.width <= 1 || r.height <= 1)) return true;
                   }
                   return false;
                 };
                 const w = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
                 while (w.nextNode()) {
                   const t = w.currentNode, el = t.parentElement;
                   if (!t.textContent.trim() || !el) continue;
                   if (el.closest('.visually-hidden, .visually-hidden-focusable, script, style, select, option, [aria-hidden=\"true\"]')) continue;
                   const st = getComputedStyle(el);
                   if (st.visibility === 'hidden' || Number(st.opacity) === 0 || ritagliato(el)) continue;
                   const r = document.createRange(); r.selectNodeContents(t);
                   for (const b of r.getClientRects()) {
                     if (b.width > 1 && b.height > 1) righe.push([el, b, t.textContent.trim().slice(0, 40)]);
                   }
                 }
                 const out = [];
                 for (let i = 0; i < righe.length; i++) for (let j = i + 1; j < righe.length; j++) {
                   const [ea, a, ta] = righe[i], [eb, b, tb] = righe[j];
                   if (ea === eb) continue;
                   const l = Math.min(a.right, b.right) - Math.max(a.left, b.left);
                   const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
                   if (l > 2 && h > 0.3 * Math.min(a.height, b.height)) out.push(ta + ' / ' + tb);
                 }
                 return out.slice(0, 10);",
            )
            .await;
        assert_eq!(sovrapposti, json!([]), "testi sovrapposti");
    }

    /// Compares the window with the committed reference `tests/schermate/{nome}.png`
    /// (pixelmatch through `tools/confronta-schermate.mjs`): at most `tolleranza` (a share of
    /// the pixels) may differ. Animations, the text cursor and the clock-dependent parts are
    /// stilled first. `AGGIORNA_SCHERMATE=1` writes the reference instead; a missing reference
    /// fails, saying so.
    pub async fn confronta_schermata(&self, nome: &str, tolleranza: f64) {
        self.js(
            "if (!document.getElementById('stile-schermate')) {
               const s = document.createElement('style'); s.id = 'stile-schermate';
               s.textContent = '*, *::before, *::after { transition: none !important; animation: none !important; caret-color: transparent !important; } #ultima-sincronizzazione, #stato-rete { visibility: hidden !important; }';
               document.head.appendChild(s);
             }
             if (document.activeElement) document.activeElement.blur();
             window.scrollTo(0, 0);
             return true;",
        )
        .await;
        self.js_async("const fatto = arguments[arguments.length - 1]; document.fonts.ready.then(() => requestAnimationFrame(() => requestAnimationFrame(() => fatto(true))));")
            .await;
        let png = self.client.screenshot().await.expect("schermata");
        let cartella = crate::helpers::cartella_test().join("schermate");
        let riferimento = cartella.join(format!("{nome}.png"));
        if std::env::var("AGGIORNA_SCHERMATE").is_ok_and(|v| v == "1") {
            std::fs::create_dir_all(&cartella).expect("cartella delle schermate");
            std::fs::write(&riferimento, &png).expect("schermata di riferimento");
            return;
        }
        assert!(
            riferimento.is_file(),
            "manca la schermata di riferimento {riferimento:?}: controlla la pagina e creala con \
             AGGIORNA_SCHERMATE=1"
        );
        let dir = tempfile::tempdir().expect("cartella temporanea");
        let attuale = dir.path().join("attuale.png");
        let diff = dir.path().join("differenze.png");
        std::fs::write(&attuale, &png).expect("schermata");
        let script = crate::helpers::cartella_test().join("../tools/confronta-schermate.mjs");
        let out = Command::new("node")
            .arg(&script)
            .arg(&riferimento)
            .arg(&attuale)
            .arg(&diff)
            .current_dir(crate::helpers::cartella_test().join(".."))
            .output()
            .expect("node tools/confronta-schermate.mjs");
        assert!(
            out.status.success(),
            "confronto non riuscito: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let esito: Value = serde_json::from_slice(&out.stdout).expect("esito del confronto");
        let diversi = esito["diversi"].as_f64().unwrap_or(f64::MAX);
        let totale = esito["totale"].as_f64().unwrap_or(1.0);
        if diversi / totale > tolleranza {
            // Kept beside the build for a look: the new screenshot and the difference.
            let conserva = std::env::temp_dir().join(format!("schermate-{nome}"));
            let _ = std::fs::create_dir_all(&conserva);
            let _ = std::fs::copy(&attuale, conserva.join("attuale.png"));
            let _ = std::fs::copy(&diff, conserva.join("differenze.png"));
            panic!(
                "la schermata {nome} differisce dal riferimento in {diversi} pixel su {totale} \
                 ({:.2} %, tollerati {:.2} %): vedi {conserva:?}",
                100.0 * diversi / totale,
                100.0 * tolleranza
            );
        }
    }

    /// Every visible control (buttons, fields, selects, button-like links) is at least 44 px
    /// tall and wide: a finger's target on a phone. Checkboxes and radios count by their label.
    pub async fn assert_touch_targets(&self) {
        let piccoli = self
            .js(
                "return [...document.querySelectorAll('button, a.btn, input, select, textarea')]
                   .filter((e) => !['checkbox', 'radio', 'hidden'].includes(e.type))
                   .filter((e) => e.offsetParent !== null)
                   .map((e) => [e.id || e.name || e.textContent.trim().slice(0, 30), e.getBoundingClientRect()])
                   .filter(([, r]) => r.height < 44 || r.width < 44)
                   .map(([n, r]) => `${n} ${Math.round(r.width)}x${Math.round(r.height)}`);",
            )
            .await;
        assert_eq!(piccoli, json!([]), "touch targets under 44 px");
    }

    /// Confirms the dialog `id` opened by the last click: it has the focus on "Annulla" (the
    /// safe choice), then "conferma" is clicked.
    pub async fn conferma(&self, id: &str) {
        self.wait_id(id).await;
        self.wait_js(
            &format!(
                "return document.activeElement && document.activeElement.id === '{id}-annulla';"
            ),
            "il fuoco su «Annulla» nella finestra di conferma",
        )
        .await;
        self.click_id(&format!("{id}-conferma")).await;
        self.wait_js(
            &format!("return document.getElementById('{id}') === null;"),
            "la finestra di conferma si chiude",
        )
        .await;
    }

    /// Text of an element by id, once present.
    pub async fn text_of(&self, id: &str) -> String {
        self.wait_id(id).await.text().await.expect("testo")
    }

    /// Types into the input with this id.
    pub async fn type_into(&self, id: &str, text: &str) {
        self.wait_id(id)
            .await
            .send_keys(text)
            .await
            .expect("digitazione");
    }

    /// What a failed wait saw, for its message: the address, whether the app has started, the
    /// page's notices and dialogs (the sign-out confirmation among them), its status lines and
    /// the start of its text.
    pub async fn descrivi_pagina(&self) -> String {
        let stato = self
            .client
            .execute(
                "const testo = (s) => [...document.querySelectorAll(s)].map((e) => (e.id ? '#' + e.id + ': ' : '') + e.innerText.trim());
                 return {
                   indirizzo: location.href,
                   idratata: document.getElementById('app')?.dataset.hydrated ?? null,
                   avvisi: testo('[role=alert], [role=alertdialog], .alert'),
                   stato: testo('[role=status]'),
                   testo: (document.body?.innerText ?? '').slice(0, 1500),
                 };",
                vec![],
            )
            .await;
        match stato {
            Ok(v) => format!("pagina: {v:#}"),
            Err(e) => format!("pagina non leggibile: {e}"),
        }
    }

    /// Runs JavaScript and returns its value.
    pub async fn js(&self, script: &str) -> Value {
        self.client.execute(script, vec![]).await.expect("script")
    }

    /// Waits until `script` returns true; then checks the page's accessibility.
    pub async fn wait_js(&self, script: &str, what: &str) {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            if self.js(script).await == Value::Bool(true) {
                self.assert_accessible().await;
                return;
            }
            if Instant::now() >= deadline {
                panic!("in attesa di: {what}\n{}", self.descrivi_pagina().await);
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits until the element with this id shows a text containing `testo` (also when the
    /// element was already there with another text); its whole text. Then checks the page's
    /// accessibility.
    pub async fn wait_text(&self, id: &str, testo: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(15);
        let script =
            "const e = document.getElementById(arguments[0]); return e ? e.innerText : null;";
        loop {
            let v = self
                .client
                .execute(script, vec![Value::from(id)])
                .await
                .expect("script");
            if let Some(t) = v.as_str().filter(|t| t.contains(testo)) {
                let t = t.to_owned();
                self.assert_accessible().await;
                return t;
            }
            assert!(
                Instant::now() < deadline,
                "#{id} non contiene «{testo}»: {v}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Cuts (`false`) or restores the network: the page's (DevTools offline emulation, so the
    /// browser says it is offline) and the server's (every request, service worker's included,
    /// fails with 503).
    pub async fn rete(&self, app: &TestApp, online: bool) {
        app.interrompi_rete(!online);
        self.client
            .issue_cmd(Cdp::new(
                "Network.emulateNetworkConditions",
                json!({"offline": !online, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1}),
            ))
            .await
            .expect("condizioni di rete");
    }

    /// Runs `script` in every page this browser opens from now on, before the page's own
    /// scripts (DevTools `Page.addScriptToEvaluateOnNewDocument`): a slower device, a browser
    /// quirk.
    pub async fn prima_di_ogni_pagina(&self, script: &str) {
        self.client
            .issue_cmd(Cdp::new(
                "Page.addScriptToEvaluateOnNewDocument",
                json!({ "source": script }),
            ))
            .await
            .expect("script per ogni pagina");
    }

    /// Runs asynchronous JavaScript (its last argument is the callback) and returns its value.
    pub async fn js_async(&self, script: &str) -> Value {
        self.client
            .execute_async(script, vec![])
            .await
            .expect("script asincrono")
    }

    /// How many requests to `/api/` the page has made.
    pub async fn api_requests(&self) -> u64 {
        self.js("return performance.getEntriesByType('resource')\
               .filter(e => e.name.includes('/api/')).length;")
            .await
            .as_u64()
            .unwrap_or(0)
    }

    /// Ends the session.
    pub async fn close(self) {
        let client = self.client.clone();
        let _ = client.close().await;
    }
}

/// A Chrome DevTools Protocol command sent through chromedriver.
#[derive(Debug)]
pub struct Cdp {
    cmd: &'static str,
    params: Value,
}

impl Cdp {
    /// A command and its parameters.
    pub fn new(cmd: &'static str, params: Value) -> Self {
        Self { cmd, params }
    }
}

impl WebDriverCompatibleCommand for Cdp {
    fn endpoint(&self, base: &url::Url, sid: Option<&str>) -> Result<url::Url, url::ParseError> {
        base.join(&format!(
            "session/{}/goog/cdp/execute",
            sid.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (
            http::Method::POST,
            Some(json!({"cmd": self.cmd, "params": self.params}).to_string()),
        )
    }
}
