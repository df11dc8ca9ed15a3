"""Checks added to schemathesis's own for the Servizi 0-6 API (loaded via SCHEMATHESIS_HOOKS).

An error answer must be the API's envelope, with an Italian message and our error code, and
must never carry internal details: no panic or stack trace, no source paths, no database or
decoder messages.
"""

import json

import schemathesis

INTERNI = (
    "panicked at",
    "stack backtrace",
    "RUST_BACKTRACE",
    "called `Option::unwrap()`",
    "called `Result::unwrap()`",
    "src/",
    ".rs:",
    "surrealdb",
    "SurrealQL",
    "Parse error",
    "error deserializing",
    "missing argument",
    "invalid type:",
    "expected value at line",
    "Traceback",
    "ServerFnError",
)


@schemathesis.check
def nessun_dettaglio_interno(ctx, response, case):
    """Error answers: our envelope, an Italian message, nothing internal."""
    if response.status_code < 400:
        return None
    text = response.text or ""
    for frammento in INTERNI:
        if frammento.lower() in text.lower():
            raise AssertionError(f"dettaglio interno nella risposta {response.status_code}: {frammento!r}")
    try:
        body = json.loads(text)
    except ValueError:
        raise AssertionError(f"risposta di errore {response.status_code} non JSON: {text[:200]!r}")
    data = body.get("data") if isinstance(body, dict) else None
    if not isinstance(data, dict) or not isinstance(data.get("code"), str):
        raise AssertionError(f"errore {response.status_code} senza codice: {text[:200]!r}")
    if not isinstance(body.get("message"), str) or not body["message"]:
        raise AssertionError(f"errore {response.status_code} senza messaggio: {text[:200]!r}")
    return None
