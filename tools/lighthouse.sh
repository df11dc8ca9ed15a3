#!/usr/bin/env bash
# Lighthouse (npm `lighthouse`, mobile profile: simulated slow 4G and 4x slower CPU) on three
# pages of the RELEASE build: the public home, the login page and a campaign form as Torino's
# official. The app runs on a free port with a fresh in-memory database and the demo data; the
# campaign is created, published and declared through the API as in the tests.
# Prints a markdown section (and writes it to $BENCH_MD when set); the JSON reports stay in
# $LIGHTHOUSE_OUT (default: a folder under $CARGO_TARGET_DIR).
#
#   bash tools/lighthouse.sh
#   SERVER_BIN=path/to/server-prova bash tools/lighthouse.sh    (another build of the server)
#
# Needs: the release browser bundle (`./dev web-release`, built here when missing), the
# server binary `server-prova` in the release profile (built here; shared with the
# benchmarks), Debian `chromium` (CHROME_PATH to use another).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$PWD"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/servizi06/target}"
export PATH="$ROOT/node_modules/.bin:$PATH"
export CHROME_PATH="${CHROME_PATH:-/usr/bin/chromium}"
PUBLIC="$CARGO_TARGET_DIR/client/release/public"
OUT="${LIGHTHOUSE_OUT:-$CARGO_TARGET_DIR/lighthouse}"
PASSWORD="demo-servizi-06"

if ! ls "$PUBLIC"/wasm/*.wasm >/dev/null 2>&1; then
  ./dev web-release >&2
fi
if [ ! -x node_modules/.bin/lighthouse ]; then ./dev tools >&2; fi
# SERVER_BIN: another server binary (e.g. the debug one, to try this script quickly).
if [ -z "${SERVER_BIN:-}" ]; then
  echo "==> cargo build --release -p tests --bin server-prova" >&2
  cargo build --release -q -p tests --bin server-prova >&2
  SERVER_BIN="$CARGO_TARGET_DIR/release/server-prova"
fi

PORT="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
BASE="http://127.0.0.1:$PORT"
LAVORO="$(mktemp -d)"
mkdir -p "$OUT"
# Only the process started here is stopped.
SERVER_PID=""
fine() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$LAVORO"
}
trap fine EXIT

echo "==> server on $BASE (release, in-memory database, demo data)" >&2
IP=127.0.0.1 PORT="$PORT" DIOXUS_PUBLIC_PATH="$PUBLIC" \
  APP_DATABASE__ENDPOINT="mem://" APP_DATABASE__IMPORT_SOLO_REGIONE=true \
  APP_APPLICATION__PUBLIC_URL="$BASE" RUST_LOG=warn \
  "$SERVER_BIN" > "$LAVORO/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 600); do
  if curl -sf "$BASE/api/v1/health" >/dev/null; then break; fi
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then cat "$LAVORO/server.log" >&2; exit 1; fi
  sleep 0.2
done
curl -sf "$BASE/api/v1/health" >/dev/null

# api JAR METHOD PATH [JSON]: a JSON call with the cookie jar of one user.
api() {
  curl -sf -b "$1" -c "$1" -X "$2" -H 'Content-Type: application/json' \
    ${4:+--data "$4"} "$BASE$3"
}
json() { node -e "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>{const v=JSON.parse(s);console.log($1)})"; }
quando() { TZ=Europe/Rome date -d "$1" +'%d/%m/%Y %H:%M'; }

echo "==> a published campaign, declared by Torino" >&2
api "$LAVORO/regione" POST /api/v1/auth/login "{\"username\":\"regione\",\"password\":\"$PASSWORD\"}" >/dev/null
ID="$(api "$LAVORO/regione" POST /api/v1/campagne "{\"campagna\":{\"tipo\":\"frequentanti\",
  \"titolo\":\"Frequentanti al 31/12/2025\",\"annualita\":\"2025\",\"data_riferimento\":\"31/12/2025\",
  \"apertura\":\"$(quando '-1 hour')\",\"chiusura\":\"$(quando '+30 days')\",\"comuni\":\"\"}}" | json v.id)"
api "$LAVORO/regione" POST "/api/v1/campagne/$ID/pubblica" '{}' >/dev/null
api "$LAVORO/torino" POST /api/v1/auth/login "{\"username\":\"torino\",\"password\":\"$PASSWORD\"}" >/dev/null
SCHEDA="/api/v1/campagne/$ID/comuni/001272/scheda"
VOCI="$(api "$LAVORO/torino" GET "$SCHEDA" | json "JSON.stringify({voci: v.da_dichiarare.map((x) => ({servizio: x.id, stato: 'operante'}))})")"
api "$LAVORO/torino" POST "$SCHEDA/dichiarazione" "$VOCI" >/dev/null
# The session cookie is HttpOnly: curl's jar writes its line with a "#HttpOnly_" prefix.
COOKIE="$(sed 's/^#HttpOnly_//' "$LAVORO/torino" \
  | awk '!/^#/ && NF >= 7 { printf "%s%s=%s", sep, $6, $7; sep = "; " }')"

# misura NAME PATH [HEADERS]: Lighthouse's mobile profile (its default), twice: with
# simulated throttling (Lighthouse's default, as PageSpeed Insights) and with the page really
# loaded through DevTools throttling (same network and CPU figures).
misura() {
  local nome="$1" percorso="$2" intestazioni="${3:-}" metodo
  for metodo in simulate devtools; do
    echo "==> lighthouse $percorso ($metodo)" >&2
    lighthouse "$BASE$percorso" --quiet --output=json --output-path="$OUT/$nome-$metodo.json" \
      --only-categories=performance,accessibility,best-practices --throttling-method="$metodo" \
      --chrome-flags="--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage" \
      ${intestazioni:+--extra-headers="$intestazioni"} >&2
  done
}
misura home /
misura accesso /accesso
misura scheda "/rilevazioni/$ID" "{\"Cookie\": \"$COOKIE\"}"

SEZIONE="$(node - "$OUT" "$(basename "$SERVER_BIN")" "$SERVER_BIN" <<'EOF'
const fs = require('fs');
const [dir, server, percorsoServer] = process.argv.slice(2);
const profilo = percorsoServer.includes('/release/') ? 'release build' : 'given with SERVER_BIN';
const pagine = [
  ['home', 'home pubblica `/`'],
  ['accesso', 'accesso `/accesso`'],
  ['scheda', 'scheda di rilevazione `/rilevazioni/{id}` (Torino)'],
];
const righe = [];
const mancati = [];
let versione = '';
for (const [f, nome] of pagine) for (const metodo of ['simulate', 'devtools']) {
  const r = JSON.parse(fs.readFileSync(`${dir}/${f}-${metodo}.json`, 'utf8'));
  versione = r.lighthouseVersion;
  const c = (k) => Math.round(r.categories[k].score * 100);
  const a = (k) => r.audits[k].numericValue;
  righe.push(`| ${nome} | ${metodo} | ${c('performance')} | ${c('accessibility')} | ${c('best-practices')} | ` +
    `${(a('largest-contentful-paint') / 1000).toFixed(2)} s | ${Math.round(a('total-blocking-time'))} ms | ` +
    `${a('cumulative-layout-shift').toFixed(3)} |`);
  // What keeps a category below 100: the audits that failed, by weight.
  for (const k of ['performance', 'accessibility', 'best-practices']) {
    const falliti = r.categories[k].auditRefs
      .filter((x) => x.weight > 0 && r.audits[x.id].score !== null && r.audits[x.id].score < 0.9)
      .sort((x, y) => y.weight - x.weight)
      .map((x) => `${x.id} (${r.audits[x.id].displayValue || r.audits[x.id].score})`);
    if (falliti.length) mancati.push(`- ${nome} (${metodo}), ${k}: ${falliti.join(', ')}`);
  }
}
console.log(`## Lighthouse (release browser bundle, mobile profile)

Lighthouse ${versione} in headless Chromium, mobile profile (slow 4G: 150 ms, 1.6 Mbit/s; CPU
4x slower), on the release browser bundle served by \`${server}\` (${profilo}) with an
in-memory database and the demo data; measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC.
Each page twice: \`simulate\` (Lighthouse's default: the page loads unthrottled and the metrics
are estimated from its dependency graph) and \`devtools\` (the page really loads throttled).
Scores out of 100.

| page | throttling | performance | accessibility | best practices | LCP | TBT | CLS |
|---|---|---|---|---|---|---|---|
${righe.join('\n')}
${mancati.length ? '\nAudits below 0.9 (what costs points):\n\n' + mancati.join('\n') : ''}`);
EOF
)"
echo "$SEZIONE"
if [ -n "${BENCH_MD:-}" ]; then printf '%s\n' "$SEZIONE" > "$BENCH_MD"; fi
