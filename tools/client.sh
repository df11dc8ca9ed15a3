#!/usr/bin/env bash
# The browser bundle without the Dioxus CLI: cargo for wasm32, wasm-bindgen-cli, and (release)
# wasm-opt, esbuild and lightningcss from npm; the page shell is app/index.html plus the loader script.
#
#   tools/client.sh debug   <out>   what the tests and `./dev run` serve (debug info, no wasm-opt)
#   tools/client.sh release <out>   what is deployed: wasm-opt -Oz, minified JS, names that
#                                   carry their content's hash
#
# <out> is emptied and receives index.html, the files of public/ and wasm/. The server serves
# it as its public directory (DIOXUS_PUBLIC_PATH). What dx did and this does the same way:
# docs/budget.md "Built without dx".
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

modo="${1:?debug o release}"
out="${2:?cartella di destinazione}"
case "$modo" in
  debug) profilo=wasm-dev ;;
  release) profilo=wasm-release ;;
  *) echo "modo sconosciuto: $modo (debug o release)" >&2; exit 2 ;;
esac

# getrandom's browser backend (the same flag dx passes).
RUSTFLAGS='--cfg getrandom_backend="wasm_js"' cargo build -p app --bin app \
  --no-default-features --features web --target wasm32-unknown-unknown --profile "$profilo"
wasm="${CARGO_TARGET_DIR:-target}/wasm32-unknown-unknown/$profilo/app.wasm"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
rm -rf "$out"
mkdir -p "$out/wasm"
cp -r public/. "$out/"
rm -f "$out/vendor/.stamp"

# Loads the module and starts the app (`main` runs from __wbindgen_start when it exists).
avvio() {
  printf '\n__wbg_init({ module_or_path: "%s" }).then((wasm) => {\n' "$1"
  printf '  if (wasm.__wbindgen_start == undefined) wasm.main();\n});\n'
}

if [ "$modo" = debug ]; then
  wasm-bindgen --target web --no-typescript --debug --keep-debug --keep-lld-exports \
    --out-name app --out-dir "$out/wasm" "$wasm"
  avvio /wasm/app_bg.wasm >> "$out/wasm/app.js"
  js=/wasm/app.js
  precarica=""
else
  wasm-bindgen --target web --no-typescript --remove-name-section --remove-producers-section \
    --out-name app --out-dir "$tmp" "$wasm"
  wasm-opt --enable-reference-types --enable-bulk-memory --enable-mutable-globals \
    --enable-nontrapping-float-to-int --enable-threads --strip-debug -Oz \
    "$tmp/app_bg.wasm" -o "$tmp/ottimizzato.wasm"
  impronta() { sha256sum "$1" | cut -c1-16; }
  nome_wasm="app_bg-$(impronta "$tmp/ottimizzato.wasm").wasm"
  mv "$tmp/ottimizzato.wasm" "$out/wasm/$nome_wasm"
  avvio "/wasm/$nome_wasm" >> "$tmp/app.js"
  # One file: the bindings, their snippets (the app's own JS and the framework's), minified.
  # (wasm-bindgen repeats a snippet's key in its imports object, always with the same module.)
  esbuild "$tmp/app.js" --bundle --minify --format=esm --log-level=warning \
    --log-override:duplicate-object-key=silent --outfile="$tmp/unico.js"
  nome_js="app-$(impronta "$tmp/unico.js").js"
  mv "$tmp/unico.js" "$out/wasm/$nome_js"
  js="/wasm/$nome_js"
  # The style sheets minified (lightningcss, the minifier dx used).
  find "$out" -name '*.css' -print0 | while IFS= read -r -d '' css; do
    lightningcss --minify "$css" -o "$css"
  done
  precarica="    <link rel=\"preload\" as=\"script\" href=\"$js\" crossorigin>\n"
fi

# The page shell: app/index.html with the preload in the head and the module before </body>.
script="    <script type=\"module\" async src=\"$js\"></script>\n"
awk -v precarica="$precarica" -v script="$script" '
  /<\/head>/ { printf "%s", precarica }
  /<\/body>/ { printf "%s", script }
  { print }
' app/index.html > "$out/index.html"
echo "client $modo in $out ($(du -sh "$out/wasm" | cut -f1) in wasm/)"
