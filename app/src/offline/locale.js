// Browser storage and signals for offline work, called from the app (Rust) through
// wasm-bindgen: one IndexedDB database per user (drafts, the sync queue, copies of the data
// last read), the service worker's registration and updates, the network's state, tab locks.

const PREFISSO = 'servizi06-';
const ARCHIVI = ['bozze', 'coda', 'copie'];

function apri(utente) {
  return new Promise((ok, ko) => {
    const r = indexedDB.open(PREFISSO + utente, 1);
    r.onupgradeneeded = () => {
      for (const a of ARCHIVI) if (!r.result.objectStoreNames.contains(a)) r.result.createObjectStore(a);
    };
    r.onsuccess = () => ok(r.result);
    r.onerror = () => ko(r.error);
    r.onblocked = () => ko(new Error('database bloccato'));
  });
}

function esegui(utente, archivio, modo, fare) {
  return apri(utente).then((db) => new Promise((ok, ko) => {
    const tx = db.transaction(archivio, modo);
    let risultato;
    fare(tx.objectStore(archivio), (v) => { risultato = v; });
    tx.oncomplete = () => { db.close(); ok(risultato); };
    tx.onerror = () => { db.close(); ko(tx.error); };
    tx.onabort = () => { db.close(); ko(tx.error || new Error('transazione annullata')); };
  }));
}

/** The text stored under `chiave`, or undefined. */
export function leggi(utente, archivio, chiave) {
  return esegui(utente, archivio, 'readonly', (s, fine) => {
    s.get(chiave).onsuccess = (e) => fine(e.target.result);
  });
}

// The last write asked for each record: the next one starts after it, so that a draft
// written at every keystroke is stored in the order it was typed whatever the browser does
// with the connections each write opens.
const in_scrittura = new Map();

/** Stores `valore` (text) under `chiave`, after any write of the same record asked before. */
export function scrivi(utente, archivio, chiave, valore) {
  const k = JSON.stringify([utente, archivio, chiave]);
  const prima = in_scrittura.get(k) || Promise.resolve();
  const questa = prima.catch(() => {}).then(() =>
    esegui(utente, archivio, 'readwrite', (s) => { s.put(valore, chiave); }));
  in_scrittura.set(k, questa);
  questa.finally(() => { if (in_scrittura.get(k) === questa) in_scrittura.delete(k); }).catch(() => {});
  return questa;
}

/**
 * Reads `chiave`, passes it (or undefined) to `cambia` and stores what it returns, in one
 * transaction: two tabs changing the same record never lose each other's change.
 */
export function aggiorna(utente, archivio, chiave, cambia) {
  return esegui(utente, archivio, 'readwrite', (s, fine) => {
    s.get(chiave).onsuccess = (e) => {
      const nuovo = cambia(e.target.result);
      s.put(nuovo, chiave);
      fine(nuovo);
    };
  });
}

/** Forgets everything this device keeps for `utente`: its database and the cached pages. */
export async function dimentica(utente) {
  await new Promise((ok) => {
    const r = indexedDB.deleteDatabase(PREFISSO + utente);
    r.onsuccess = r.onerror = r.onblocked = () => ok();
  });
  if ('caches' in self) {
    for (const k of await caches.keys()) if (k.startsWith('servizi06-pagine-')) await caches.delete(k);
  }
}

let ricarica = false;

/** Registers the service worker; calls `nuova_versione()` when a newer version is ready. */
export function registra_sw(nuova_versione) {
  // Drafts and the queue must not be evicted when the device runs short of space.
  if (navigator.storage && navigator.storage.persist) navigator.storage.persist().catch(() => {});
  if (!('serviceWorker' in navigator)) return;
  const avvisa = (w) => { if (w && navigator.serviceWorker.controller) nuova_versione(); };
  navigator.serviceWorker.register('/sw.js').then((reg) => {
    if (reg.waiting) avvisa(reg.waiting);
    reg.addEventListener('updatefound', () => {
      const w = reg.installing;
      if (w) w.addEventListener('statechange', () => { if (w.state === 'installed') avvisa(w); });
    });
  }).catch(() => {});
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    if (ricarica) { ricarica = false; location.reload(); }
  });
}

/** Switches to the waiting version and reloads the page with it. */
export async function attiva_nuova_versione() {
  const reg = await navigator.serviceWorker.getRegistration();
  if (reg && reg.waiting) { ricarica = true; reg.waiting.postMessage({ tipo: 'attiva' }); }
}

/** Asks the service worker to keep this page for offline use. */
export function memorizza_pagina(url) {
  if (!('serviceWorker' in navigator)) return;
  navigator.serviceWorker.ready.then((reg) => {
    if (reg.active) reg.active.postMessage({ tipo: 'memorizza', url });
  });
}

/** Whether the browser thinks it is online. */
export function in_linea() {
  return navigator.onLine;
}

/** Calls `cambiato(online)` when the connection comes or goes. */
export function su_rete(cambiato) {
  addEventListener('online', () => cambiato(true));
  addEventListener('offline', () => cambiato(false));
}

/** A new random key (UUID v4). */
export function nuova_chiave() {
  return crypto.randomUUID();
}

const tenuti = new Map();
let prossimo = 1;

/**
 * Asks for the exclusive lock `nome` (Web Locks) and returns an id for `rilascia`: `ottenuto()`
 * runs when this tab holds it; while another tab holds it, `occupato()` runs first and the
 * request waits its turn.
 */
export function blocca(nome, ottenuto, occupato) {
  const id = prossimo++;
  if (!navigator.locks) { ottenuto(); return id; }
  const annulla = new AbortController();
  const tieni = () => new Promise((fine) => {
    if (!tenuti.has(id)) { fine(); return; } // released before it was obtained
    tenuti.set(id, { fine, annulla });
    ottenuto();
  });
  tenuti.set(id, { fine: null, annulla });
  navigator.locks.request(nome, { ifAvailable: true }, (l) => {
    if (l) return tieni();
    occupato();
    return navigator.locks.request(nome, { signal: annulla.signal }, () => tieni()).catch(() => {});
  });
  return id;
}

/** Releases (or stops waiting for) the lock `id`. */
export function rilascia(id) {
  const t = tenuti.get(id);
  if (!t) return;
  tenuti.delete(id);
  if (t.fine) t.fine(); else t.annulla.abort();
}

const canali = new Map();

/** Sends `messaggio` (text) to the other tabs listening on `nome`. */
export function annuncia(nome, messaggio) {
  let c = canali.get(nome);
  if (!c) { c = new BroadcastChannel(nome); canali.set(nome, c); }
  c.postMessage(messaggio);
}

/** Calls `ricevuto(text)` for each message other tabs send on `nome`. */
export function ascolta(nome, ricevuto) {
  const c = new BroadcastChannel(nome);
  c.onmessage = (e) => ricevuto(e.data);
}
