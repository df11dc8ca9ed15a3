// Compares a screenshot with its committed reference (pixelmatch, per-pixel colour threshold
// 0.1, anti-aliased pixels ignored). Usage:
//   node tools/confronta-schermate.mjs <riferimento.png> <attuale.png> <differenze.png>
// Prints {"diversi": N, "totale": M, "larghezza": W, "altezza": H} and writes the pixels that
// differ (red) into <differenze.png>. Different sizes count every pixel as different.
import fs from 'node:fs';
import pixelmatch from 'pixelmatch';
import { PNG } from 'pngjs';

const [riferimento, attuale, differenze] = process.argv.slice(2);
if (!riferimento || !attuale || !differenze) {
  console.error('uso: confronta-schermate.mjs <riferimento.png> <attuale.png> <differenze.png>');
  process.exit(2);
}
const a = PNG.sync.read(fs.readFileSync(riferimento));
const b = PNG.sync.read(fs.readFileSync(attuale));
if (a.width !== b.width || a.height !== b.height) {
  console.log(JSON.stringify({
    diversi: Math.max(a.width * a.height, b.width * b.height),
    totale: Math.max(a.width * a.height, b.width * b.height),
    larghezza: b.width,
    altezza: b.height,
    dimensioni_diverse: `${a.width}x${a.height} / ${b.width}x${b.height}`,
  }));
  process.exit(0);
}
const diff = new PNG({ width: a.width, height: a.height });
const diversi = pixelmatch(a.data, b.data, diff.data, a.width, a.height, { threshold: 0.1 });
fs.writeFileSync(differenze, PNG.sync.write(diff));
console.log(JSON.stringify({ diversi, totale: a.width * a.height, larghezza: a.width, altezza: a.height }));
