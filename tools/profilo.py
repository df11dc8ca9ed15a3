#!/usr/bin/env python3
"""Groups a `perf report --sort dso,sym --stdio` of the server by where the time goes (our
code, SurrealDB, HTTP, serde, argon2, allocator and libc, kernel…) and prints the markdown
table of the shares. Usage: profilo.py REPORT.txt TITLE"""

import collections
import re
import sys

# First match wins: (group, test on the crate name of the symbol).
GRUPPI = [
    ("il nostro codice (`backend`, `app`, `shared`)", lambda c: c in ("backend", "app", "shared")),
    ("argon2 (accessi)", lambda c: c in ("argon2", "blake2")),
    (
        "SurrealDB (parser, esecutore, SurrealKV)",
        lambda c: c.startswith("surreal")
        or c in ("reblessive", "revision", "storekey", "quick_cache", "roaring", "seize",
                 "crossbeam_skiplist", "crossbeam_epoch", "phf", "phf_shared", "integer_encoding",
                 "unicase", "fst", "lru", "rust_decimal", "geo", "ulid", "uuid", "vart"),
    ),
    (
        "HTTP e server functions (axum, hyper, tower, dioxus)",
        lambda c: c in ("axum", "axum_core", "hyper", "hyper_util", "tower", "tower_http", "http",
                        "http_body", "http_body_util", "httparse", "h2", "mime")
        or c.startswith("dioxus"),
    ),
    ("serde, serde_json", lambda c: c in ("serde", "serde_json", "serde_core")),
    ("tokio, futures", lambda c: c.startswith("tokio") or c.startswith("futures")),
    ("tracing", lambda c: c.startswith("tracing")),
    ("allocazione e copie (Rust `alloc`, `core`)", lambda c: c in ("alloc", "core", "__rustc", "std", "hashbrown", "T", "usize")),
]


def main() -> None:
    report, titolo = sys.argv[1], sys.argv[2]
    quote: collections.Counter[str] = collections.Counter()
    for riga in open(report, encoding="utf-8", errors="replace"):
        m = re.match(r"\s*([\d.]+)%\s+(\S+)\s+\[(.)\]\s+(.*)", riga)
        if not m:
            continue
        p, dso, simbolo = float(m.group(1)), m.group(2), m.group(4)
        if "kernel" in dso:
            quote["kernel (rete, file, fsync, scheduler)"] += p
            continue
        if dso.startswith("libc") or dso.startswith("ld-linux") or dso.startswith("libgcc"):
            quote["libc (malloc/free, memmove)"] += p
            continue
        s = simbolo.lstrip("<")
        for prefisso in ("core::ptr::drop_in_place<", "<"):
            if s.startswith(prefisso):
                s = s[len(prefisso):]
        c = re.match(r"[A-Za-z_][A-Za-z0-9_]*", s)
        crate = c.group(0) if c else ""
        gruppo = next((g for g, t in GRUPPI if t(crate)), "altro")
        quote[gruppo] += p
    totale = sum(quote.values()) or 1.0
    print(f"| {titolo} | quota del tempo di CPU del server |")
    print("|---|---|")
    for g, p in quote.most_common():
        print(f"| {g} | {100 * p / totale:.1f} % |")


if __name__ == "__main__":
    main()
