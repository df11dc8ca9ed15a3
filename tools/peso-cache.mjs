#!/usr/bin/env node
// What the service worker precaches, by kind, raw and brotli (quality 11): the files the
// server lists in /sw.js (the public directory less index.html and hidden files).
// With --budget FILE (tools/budget.json), also checks each limit there and exits with 1 when
// one is exceeded; the largest files of each kind are listed to say where the weight is.
// With BENCH_MD set, also writes these figures there as a markdown section.
// Usage: node tools/peso-cache.mjs [public dir] [--budget tools/budget.json]
// (default dir: $DIOXUS_PUBLIC_PATH)
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, extname } from 'node:path';
import { brotliCompressSync, constants } from 'node:zlib';

const argomenti = process.argv.slice(2);
const iBudget = argomenti.indexOf('--budget');
const fileBudget = iBudget >= 0 ? argomenti.splice(iBudget, 2)[1] : null;
const radice = argomenti[0] || process.env.DIOXUS_PUBLIC_PATH;
if (!radice) { console.error('indica la cartella public'); process.exit(2); }
const file = [];
(function elenca(dir) {
  for (const n of readdirSync(dir)) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) elenca(p);
    else {
      const rel = '/' + relative(radice, p);
      if (rel !== '/index.html' && !rel.split('/').some((x) => x.startsWith('.'))) file.push(p);
    }
  }
})(radice);
const tipo = (p) => ({ '.wasm': 'WASM', '.js': 'JS', '.css': 'CSS', '.woff2': 'font' })[extname(p)] || 'altro';
const somme = {};
const pesi = [];
for (const p of file) {
  const dati = readFileSync(p);
  const br = brotliCompressSync(dati, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  const t = (somme[tipo(p)] ||= { file: 0, grezzi: 0, brotli: 0 });
  t.file += 1; t.grezzi += dati.length; t.brotli += br;
  pesi.push({ p: relative(radice, p), t: tipo(p), grezzi: dati.length, brotli: br });
}
const kb = (n) => (n / 1024).toFixed(1).padStart(9) + ' KB';
let tot = { file: 0, grezzi: 0, brotli: 0 };
console.log('tipo     file      grezzi      brotli');
for (const [t, s] of Object.entries(somme).sort()) {
  console.log(t.padEnd(6), String(s.file).padStart(5), kb(s.grezzi), kb(s.brotli));
  tot.file += s.file; tot.grezzi += s.grezzi; tot.brotli += s.brotli;
}
console.log('totale', String(tot.file).padStart(5), kb(tot.grezzi), kb(tot.brotli));

const budget = fileBudget ? JSON.parse(readFileSync(fileBudget, 'utf8')) : null;
const misura = (voce, chiave) => voce.split('+')
  .reduce((n, t) => n + ((somme[t] || {})[chiave] || 0), 0);

if (process.env.BENCH_MD) {
  const k = (n) => (n / 1024).toFixed(1) + ' KB';
  const limite = (voce, chiave) => {
    const l = budget && budget.limiti[voce] && budget.limiti[voce][chiave];
    return l ? `${l} KB` : '';
  };
  const righe = [...Object.keys(somme).sort(), 'JS+WASM'].map((t) =>
    `| ${t} | ${t.includes('+') ? '' : somme[t].file} | ${k(misura(t, 'grezzi'))} | ${limite(t, 'grezzi')} | ` +
    `${k(misura(t, 'brotli'))} | ${limite(t, 'brotli')} |`);
  const obiettivi = Object.entries((budget && budget.obiettivo) || {}).flatMap(([v, l]) =>
    Object.entries(l).map(([c, n]) => `Target ${v} ${c}: ${n} KB (measured ${k(misura(v, c))}).`));
  writeFileSync(process.env.BENCH_MD, `## Browser bundle (release build)

What the service worker precaches from the release build (\`./dev web-release\`: wasm-opt -Oz,
no debug info), raw and brotli (quality 11), with the limits CI enforces (\`tools/budget.json\`,
\`./dev budget\`); docs/budget.md explains the gap to the target.

| kind | files | raw | limit | brotli | limit |
|---|---|---|---|---|---|
${righe.join('\n')}

${obiettivi.join(' ')}
`);
}

if (budget) {
  // Limits in KB (1024 bytes) per kind or per sum of kinds ("JS+WASM"), raw and/or brotli.
  let superati = 0;
  console.log(`\nbudget (${fileBudget})`);
  console.log('voce              misura       limite   esito');
  for (const [voce, limiti] of Object.entries(budget.limiti)) {
    for (const [chiave, limite] of Object.entries(limiti)) {
      const n = misura(voce, chiave);
      const ok = n <= limite * 1024;
      if (!ok) superati += 1;
      console.log(`${voce} ${chiave}`.padEnd(14), kb(n), kb(limite * 1024),
        ok ? '  ok' : '  SUPERATO');
    }
  }
  for (const [voce, limiti] of Object.entries(budget.obiettivo || {})) {
    for (const [chiave, limite] of Object.entries(limiti)) {
      const n = misura(voce, chiave);
      console.log(`obiettivo ${voce} ${chiave}: ${kb(n).trim()} su ${limite} KB` +
        (n <= limite * 1024 ? ' (raggiunto)' : ` (oltre di ${kb(n - limite * 1024).trim()})`));
    }
  }
  if (superati > 0) {
    console.log('\nfile più pesanti (brotli):');
    for (const f of pesi.sort((a, b) => b.brotli - a.brotli).slice(0, 6)) {
      console.log(' ', f.t.padEnd(5), kb(f.grezzi), kb(f.brotli), f.p);
    }
    console.error(`\n${superati} limiti superati: vedi tools/budget.json e docs/budget.md`);
    process.exit(1);
  }
}
