#!/usr/bin/env bash
# Where the server's CPU time goes during the deadline bench: `perf record` on the
# `server-prova` process alone (all its threads, from its start to its end: logins, saves,
# sends), grouped by crate (tools/profilo.py); the markdown to BENCH_MD (or stdout).
# Needs perf (Debian `linux-perf`) and the release build of the benches.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/servizi06/target}"
bin="$CARGO_TARGET_DIR/release"
opzioni="${PROFILO_OPZIONI:---ritmo 0 --salvataggi 20}"
command -v perf > /dev/null || { echo "perf non trovato (apt-get install linux-perf)" >&2; exit 1; }
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
# shellcheck disable=SC2086
BENCH_MD= "$bin/banco-scadenza" $opzioni > "$tmp/banco.log" 2>&1 &
banco=$!
pid=""
for _ in $(seq 1 600); do
  pid="$(pgrep -n -f "^$bin/server-prova" || true)"
  [ -n "$pid" ] && break
  sleep 0.1
done
[ -n "$pid" ] || { echo "server-prova non partito" >&2; cat "$tmp/banco.log" >&2; exit 1; }
perf record -q -F 499 -p "$pid" -o "$tmp/perf.data" > /dev/null 2>&1 || true
wait "$banco"
perf report -i "$tmp/perf.data" --sort dso,sym --stdio 2> /dev/null | grep -v '^#' | grep . > "$tmp/report.txt"
{
  echo "## Dove va il tempo del server (\`perf\`, \`banco-scadenza $opzioni\`)"
  echo
  echo "Campioni di \`perf record -F 499 -p\` sul solo processo del server, dall'avvio alla fine del banco (accessi, salvataggi, invii), raggruppati per crate del simbolo (\`tools/profilo.py\`)."
  echo
  python3 tools/profilo.py "$tmp/report.txt" "dove"
  echo
  echo "Salvataggi nel giro profilato: $(grep -m1 'salvataggi/s (app' "$tmp/banco.log" | cut -d'|' -f3 | xargs)/s (perf rallenta il server di qualche punto)."
} > "${BENCH_MD:-/dev/stdout}"
