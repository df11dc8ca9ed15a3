#!/usr/bin/env python3
"""What the browser's WebAssembly is made of: code and data by group of crates, from the
function names `twiggy` reads in the optimised build before wasm-bindgen and wasm-opt
(target/wasm32-unknown-unknown/wasm-release/app.wasm, left by `./dev web-release`).

Shares are of that file's code and data (custom sections left out); wasm-opt then shrinks
everything by about a quarter, so the shares, not the bytes, carry over to the bundle.

    cargo install twiggy --locked      # once
    python3 tools/wasm-composizione.py [app.wasm]
"""

import collections
import csv
import io
import os
import re
import subprocess
import sys

GRUPPI = {
    "pages and rules (app, shared; event handlers inlined into subsecond's call_it)": [
        "app", "shared", "subsecond"],
    "Dioxus runtime (core, hooks, signals, web, router, document, html)": [
        "dioxus_core", "dioxus_hooks", "dioxus_signals", "dioxus_web", "dioxus_router",
        "dioxus_document", "dioxus_html", "generational_box", "dioxus_interpreter_js",
        "sledgehammer_utils", "dioxus_history", "dioxus_stores", "dioxus_devtools",
        "dioxus_cli_config", "dioxus_asset_resolver", "manganis", "const_serialize",
        "dioxus_logger", "slab", "futures_channel", "futures_util", "futures_core"],
    "fullstack client and HTTP (dioxus_fullstack, http, axum, reqwest, url, idna, ciborium…)": [
        "dioxus_fullstack", "dioxus_fullstack_core", "http", "axum", "axum_core", "reqwest",
        "url", "idna", "idna_adapter", "icu_normalizer", "icu_properties", "icu_collections",
        "icu_provider", "icu_locale_core", "zerovec", "zerotrie", "ciborium", "ciborium_ll",
        "multer", "headers", "serde_qs", "gloo_net", "mime", "mime_guess", "encoding_rs",
        "base64", "uuid", "form_urlencoded", "percent_encoding", "serde_urlencoded", "httparse",
        "bytes", "send_wrapper", "wasm_streams", "content_disposition", "charset"],
    "serde, serde_json": ["serde_json", "serde_core", "serde", "serde_wasm_bindgen",
                          "serde_path_to_error"],
    "Rust standard library (core, alloc, fmt, hashbrown…)": [
        "core", "alloc", "fmt", "str", "hashbrown", "std", "num", "v0", "slice", "char"],
    "wasm-bindgen, js-sys, web-sys": ["wasm_bindgen", "js_sys", "web_sys",
                                      "wasm_bindgen_futures", "__wbindgen_placeholder__"],
    "chrono": ["chrono"],
    "tracing": ["tracing", "tracing_subscriber", "tracing_core", "tracing_wasm", "sharded_slab"],
    "regex (validator's e-mail rule, before shared::email)": [
        "regex", "regex_automata", "regex_syntax"],
}


def main() -> None:
    target = os.environ.get("CARGO_TARGET_DIR",
                            os.path.expanduser("~/.cache/servizi06/target"))
    wasm = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        target, "wasm32-unknown-unknown/wasm-release/app.wasm")
    out = subprocess.run(["twiggy", "top", "-n", "1000000", "-f", "csv", wasm],
                         check=True, capture_output=True, text=True).stdout
    gruppo = {c: g for g, cs in GRUPPI.items() for c in cs}
    somme: collections.Counter = collections.Counter()
    totale = 0
    for r in csv.DictReader(io.StringIO(out)):
        nome, n = r["Name"], int(r["ShallowSize"])
        if "section" in nome:
            continue
        if "__wbindgen_describe" in nome or nome.startswith(("export ", "import ")):
            continue  # wasm-bindgen's descriptors and the export table: gone after wasm-bindgen
        totale += n
        if nome.startswith("data segment"):
            somme["data (strings, tables, page templates)"] += n
            continue
        crate = (re.findall(r"([a-z_][a-z0-9_]*)(?:\[[0-9a-f]+\])?::", nome) or ["?"])[0]
        somme[gruppo.get(crate, "other crates and unnamed functions")] += n
    print(f"| part of {os.path.basename(wasm)} (before wasm-opt) | KB | share |")
    print("|---|---|---|")
    for g, n in somme.most_common():
        print(f"| {g} | {n / 1024:.0f} | {100 * n / totale:.1f} % |")
    print(f"| total code and data | {totale / 1024:.0f} | 100 % |")


if __name__ == "__main__":
    main()
