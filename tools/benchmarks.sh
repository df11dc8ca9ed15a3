#!/usr/bin/env bash
# Runs every benchmark and writes docs/benchmarks.md from the sections they produce (each one
# writes its figures to the file named by BENCH_MD): no figure in that file is typed by hand.
# Each section gets the exact command that produced it and how long it took; the header, the
# date, the commit and the machine.
#
#   ./dev benchmarks                       everything, default scales
#   SCADENZA="--comuni 1180 --utenti-per-comune 3" ./dev benchmarks   a larger surge
#   SOLO="lombardia" ./dev benchmarks      the whole of Lombardia (1,502 comuni x 3 officials)
#   SOLO="scadenza crash" ./dev benchmarks  only some sections (the others are kept as the
#                                          last full run wrote them, with their own date)
#   RIPETI=3 ./dev benchmarks               the repeat section runs each bench 3 times (default 10)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

out="${BENCH_OUT:-docs/benchmarks.md}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
: > "$tmp/sezioni.md"

commit="$(git rev-parse --short HEAD)"
git diff --quiet HEAD -- . ':!docs/benchmarks.md' || commit="$commit (con modifiche non ancora registrate)"
cpu="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs || echo '?')"
ram="$(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)"

vuole() { [ -z "${SOLO:-}" ] || [[ " $SOLO " == *" $1 "* ]]; }

# sezione NAME COMMAND...: runs it with BENCH_MD set, appends its section and the command,
# between markers; a section SOLO leaves out is copied, markers included, from the file as it
# was (if it has it).
sezione() {
  local nome="$1"
  shift
  if ! vuole "$nome"; then
    [ -f "$out" ] && sed -n "/^<!-- sezione:$nome -->\$/,/^<!-- \/sezione:$nome -->\$/p" "$out" >> "$tmp/sezioni.md"
    return 0
  fi
  printf '\n==> %s\n' "$*"
  local t0
  t0="$(date +%s)"
  BENCH_MD="$tmp/$nome.md" "$@"
  if [ ! -s "$tmp/$nome.md" ]; then
    echo "la sezione $nome non ha prodotto cifre" >&2
    exit 1
  fi
  {
    echo "<!-- sezione:$nome -->"
    echo
    cat "$tmp/$nome.md"
    echo
    printf 'Comando: `%s` (%s s, %s).\n' "$*" "$(( $(date +%s) - t0 ))" "$(date -u +'%Y-%m-%d %H:%M UTC')"
    echo "<!-- /sezione:$nome -->"
  } >> "$tmp/sezioni.md"
}

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/servizi06/target}"
if vuole scadenza || vuole lombardia || vuole crash || vuole ripetizioni || vuole profilo; then
  cargo build --release -p tests --bins
fi
# shellcheck disable=SC2086
sezione scadenza cargo run --release -q -p tests --bin banco-scadenza -- ${SCADENZA:-}
# The largest Region whole: every comune of Lombardia, three officials each, all saving and
# sending in the same run.
sezione lombardia cargo run --release -q -p tests --bin banco-scadenza -- \
  --regione 03 --comuni 1502 --utenti-per-comune 3
# shellcheck disable=SC2086
sezione crash cargo run --release -q -p tests --bin banco-crash -- ${CRASH:-}
sezione profilo bash tools/profilo.sh
# ripetizioni: banco-scadenza and banco-crash RIPETI times each in a row (fresh data every
# time): how many completed, and the exit status and error of any that did not. A bench a
# newcomer cannot run reliably cannot judge anything.
ripetizioni() {
  local n="${RIPETI:-10}" ok_s=0 ok_c=0 righe=""
  local bin="$CARGO_TARGET_DIR/release"
  for i in $(seq 1 "$n"); do
    for b in scadenza crash; do
      local t0 esito log
      t0="$(date +%s)"
      log="$tmp/ripeti-$b-$i.log"
      # shellcheck disable=SC2086
      if BENCH_MD= "$bin/banco-$b" ${RIPETI_OPZIONI:-} > "$log" 2>&1; then
        esito="completato"
        if [ "$b" = scadenza ]; then ok_s=$((ok_s + 1)); else ok_c=$((ok_c + 1)); fi
      else
        esito="**non completato** (uscita $?: $(grep -m1 -E 'Error|error|panicked' "$log" | cut -c1-160 | tr '|' '/'))"
      fi
      righe+="| $i | \`banco-$b\` | $esito | $(( $(date +%s) - t0 )) s |"$'\n'
    done
  done
  {
    echo "## Ripetizioni (\`banco-scadenza\`, \`banco-crash\`)"
    echo
    echo "**banco-scadenza: $ok_s su $n completati; banco-crash: $ok_c su $n completati**, uno dopo l'altro, ciascuno su dati nuovi, con le opzioni predefinite."
    echo
    echo "| giro | banco | esito | durata |"
    echo "|---|---|---|---|"
    printf '%s' "$righe"
  } > "$BENCH_MD"
}
sezione ripetizioni ripetizioni
# The workspace form resolves features as the test build does, so it reuses that build.
sezione elenco cargo bench -q --workspace --exclude app --bench elenco_servizi --profile dev
sezione regole cargo bench -q -p shared --bench regole --profile dev
# The API contract with many more examples than CI runs (SCHEMATHESIS_ESEMPI, default 100).
sezione contratto env SCHEMATHESIS_ESEMPI="${SCHEMATHESIS_ESEMPI:-100}" \
  cargo test -q --workspace --features tests/esterni,app/server --test integrazione -- --exact \
  api_contratto::schemathesis_finds_no_server_error_and_no_answer_outside_the_contract_for_any_role
if vuole peso || vuole lighthouse; then
  ./dev web-release
fi
sezione peso node tools/peso-cache.mjs "$CARGO_TARGET_DIR/client/release/public" --budget tools/budget.json
sezione lighthouse bash tools/lighthouse.sh

{
  echo "# Benchmarks"
  echo
  echo "Generated by \`./dev benchmarks\` (\`tools/benchmarks.sh\`): every figure below is printed by the"
  echo "command under its section, on this machine; nothing is typed by hand. Run it again to refresh."
  echo
  echo "- date: $(date -u +'%Y-%m-%d %H:%M UTC')"
  echo "- commit: $commit"
  echo "- machine: $(nproc) cores ($cpu), $ram RAM, $(uname -sr)"
  cat "$tmp/sezioni.md"
} > "$out"
echo "scritto $out"
