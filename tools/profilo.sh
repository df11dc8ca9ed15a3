#!/usr/bin/env bash
# Where the server's CPU time goes while it saves drafts under the deadline bench: `perf
# record` on the `server-prova` process alone (all its threads), from the moment the bench
# says its closed-loop save phase starts to the moment it says it ends (the `fase:` lines it
# prints), so logins, start-up and sends are not in it; grouped by crate (tools/profilo.py);
# the markdown to BENCH_MD (or stdout). Needs perf (Debian `linux-perf`) and the release build
# of the benches.
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
aspetta_riga() {
  until grep -qF "$1" "$tmp/banco.log"; do
    kill -0 "$banco" 2> /dev/null || { echo "banco finito prima di: $1" >&2; cat "$tmp/banco.log" >&2; exit 1; }
    sleep 0.05
  done
}
aspetta_riga "fase: salvataggi a ciclo chiuso"
perf record -q -F 499 -p "$pid" -o "$tmp/perf.data" > /dev/null 2>&1 &
perf_pid=$!
aspetta_riga "fase: fine dei salvataggi a ciclo chiuso"
kill -INT "$perf_pid"
wait "$perf_pid" || true
wait "$banco"
perf report -i "$tmp/perf.data" --sort dso,sym --stdio 2> /dev/null | grep -v '^#' | grep . > "$tmp/report.txt"
{
  echo "## Dove va il tempo del server (\`perf\`, \`banco-scadenza $opzioni\`)"
  echo
  echo "Campioni di \`perf record -F 499 -p\` sul solo processo del server durante la fase dei salvataggi a ciclo chiuso (né avvio, né accessi, né invii), tempo proprio di ogni simbolo raggruppato per crate (\`tools/profilo.py\`)."
  echo
  python3 tools/profilo.py "$tmp/report.txt" "dove"
  echo
  echo "Salvataggi nel giro profilato: $(grep -m1 'salvataggi/s (app' "$tmp/banco.log" | cut -d'|' -f3 | xargs)/s (perf rallenta il server di qualche punto)."
} > "${BENCH_MD:-/dev/stdout}"
