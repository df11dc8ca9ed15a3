#!/usr/bin/env node
// What the service worker precaches, by kind, raw and brotli (quality 11): the files the
// server lists in /sw.js (the public directory less index.html and hidden files).
// Usage: node tools/peso-cache.mjs [public dir] (default: $DIOXUS_PUBLIC_PATH)
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, extname } from 'node:path';
import { brotliCompressSync, constants } from 'node:zlib';

const radice = process.argv[2] || process.env.DIOXUS_PUBLIC_PATH;
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
for (const p of file) {
  const dati = readFileSync(p);
  const br = brotliCompressSync(dati, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  const t = (somme[tipo(p)] ||= { file: 0, grezzi: 0, brotli: 0 });
  t.file += 1; t.grezzi += dati.length; t.brotli += br;
}
const kb = (n) => (n / 1024).toFixed(1).padStart(9) + ' KB';
let tot = { file: 0, grezzi: 0, brotli: 0 };
console.log('tipo     file      grezzi      brotli');
for (const [t, s] of Object.entries(somme).sort()) {
  console.log(t.padEnd(6), String(s.file).padStart(5), kb(s.grezzi), kb(s.brotli));
  tot.file += s.file; tot.grezzi += s.grezzi; tot.brotli += s.brotli;
}
console.log('totale', String(tot.file).padStart(5), kb(tot.grezzi), kb(tot.brotli));
