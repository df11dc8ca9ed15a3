"""A real SMTP server for the tests (aiosmtpd), bound to 127.0.0.1.

Every message accepted is written to the folder as `<n>.json` (recipients, subject,
Message-ID, the text and HTML parts decoded by Python's email package) next to the raw
`<n>.eml`. Options: recipients containing `--rifiuta` get a permanent 550; `--tls-cert` and
`--tls-key` offer STARTTLS and require it; `--utente`/`--password` require AUTH. Prints
`PRONTO <porta>` once listening, and stops by itself when its standard input closes (the
test that started it is gone).
"""

import argparse
import email
import email.policy
import itertools
import json
import os
import ssl
import sys

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--porta", type=int, required=True)
    p.add_argument("--cartella", required=True)
    p.add_argument("--rifiuta", default="")
    p.add_argument("--tls-cert", default="")
    p.add_argument("--tls-key", default="")
    p.add_argument("--utente", default="")
    p.add_argument("--password", default="")
    a = p.parse_args()
    contatore = itertools.count(1)

    class Raccoglitore:
        async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
            if a.rifiuta and a.rifiuta in address:
                return "550 5.1.1 Destinatario inesistente"
            envelope.rcpt_tos.append(address)
            return "250 OK"

        async def handle_DATA(self, server, session, envelope):
            n = next(contatore)
            grezzo = envelope.original_content or envelope.content
            if isinstance(grezzo, str):
                grezzo = grezzo.encode()
            m = email.message_from_bytes(grezzo, policy=email.policy.default)
            testo = m.get_body(("plain",))
            html = m.get_body(("html",))
            voce = {
                "a": envelope.rcpt_tos,
                "da": envelope.mail_from,
                "oggetto": str(m["Subject"] or ""),
                "message_id": str(m["Message-ID"] or ""),
                "testo": testo.get_content() if testo else "",
                "html": html.get_content() if html else "",
                "tls": bool(session.ssl),
                "autenticato": bool(session.authenticated),
            }
            base = os.path.join(a.cartella, f"{n:06d}")
            with open(base + ".eml", "wb") as f:
                f.write(grezzo)
            with open(base + ".json.tmp", "w", encoding="utf-8") as f:
                json.dump(voce, f, ensure_ascii=False)
            os.replace(base + ".json.tmp", base + ".json")
            return "250 2.0.0 Messaggio accettato"

    def autentica(server, session, envelope, mechanism, auth_data):
        ok = (
            isinstance(auth_data, LoginPassword)
            and auth_data.login.decode() == a.utente
            and auth_data.password.decode() == a.password
        )
        return AuthResult(success=ok)

    opzioni = {}
    if a.tls_cert:
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(a.tls_cert, a.tls_key)
        opzioni.update(tls_context=ctx, require_starttls=True)
    if a.utente:
        opzioni.update(authenticator=autentica, auth_required=True, auth_require_tls=bool(a.tls_cert))
    else:
        opzioni.update(auth_require_tls=False)
    c = Controller(Raccoglitore(), hostname="127.0.0.1", port=a.porta, **opzioni)
    c.start()
    print(f"PRONTO {a.porta}", flush=True)
    try:
        sys.stdin.read()
    finally:
        c.stop()


if __name__ == "__main__":
    main()
