"""Generates codici_fiscali.csv: codes labelled valid/invalid by an independent implementation
(the PyPI package python-codicefiscale), for shared's codice fiscale rule to be checked against.

    python3 -m venv /tmp/cf && /tmp/cf/bin/pip install python-codicefiscale==0.12.1
    /tmp/cf/bin/python shared/tests/dati/genera_codici_fiscali.py > shared/tests/dati/codici_fiscali.csv

Invalid codes are structural mutations of valid ones (check letter, a character of the wrong
kind, month letter, day); mutations whose only fault would be an unknown birthplace are skipped,
because the rule checks the code, not the registry of places.
"""
import random
import string
from datetime import date, timedelta

from codicefiscale import codicefiscale as cf

random.seed(20261128)
COGNOMI = ["Rossi", "Bianchi", "Ferrero", "Gallo", "Bosio", "Re", "Fo", "Esposito", "Colombo",
           "Ricci", "Marino", "Greco", "Bruno", "Costa", "Giordano", "Mancini", "Lombardi", "Barbero"]
NOMI = ["Mario", "Giulia", "Luca", "Anna", "Ugo", "Ida", "Giovanni", "Chiara", "Paolo", "Elena",
        "Matteo", "Sofia", "Andrea", "Aurora", "Pietro", "Bea", "Al", "Francesca"]
LUOGHI = ["Torino", "Alba", "Cuneo", "Asti", "Novara", "Milano", "Roma", "Napoli", "Palermo",
          "Bologna", "Firenze", "Genova", "Aosta", "Bari", "Cagliari", "Trento", "Venezia"]
MESI = "ABCDEHLMPRST"
OMOCODIA = "LMNPQRSTUV"


def cin(primi15):
    return cf.encode_cin(primi15)


def mutazioni(code):
    out = []
    wrong = [c for c in string.ascii_uppercase if c != code[15]]
    out.append(code[:15] + random.choice(wrong))
    # a digit position gets a letter that is not an omocodia letter (check letter recomputed)
    i = random.choice([6, 7, 9, 10, 12, 13, 14])
    bad = random.choice([c for c in string.ascii_uppercase if c not in OMOCODIA])
    m = code[:i] + bad + code[i + 1:15]
    out.append(m + cin(m))
    # a name letter becomes a digit
    i = random.choice(range(6))
    m = code[:i] + random.choice(string.digits) + code[i + 1:15]
    out.append(m + cin(m))
    # month letter outside ABCDEHLMPRST
    m = code[:8] + random.choice([c for c in string.ascii_uppercase if c not in MESI]) + code[9:15]
    out.append(m + cin(m))
    # day 32..40 or 72..99 (or 00)
    day = random.choice(["32", "35", "40", "72", "80", "99", "00"])
    m = code[:9] + day + code[11:15]
    out.append(m + cin(m))
    # a transposition of two different adjacent characters
    i = random.choice(range(14))
    if code[i] != code[i + 1]:
        out.append(code[:i] + code[i + 1] + code[i] + code[i + 2:])
    return out


def main():
    righe = {}
    while len(righe) < 2400:
        nascita = date(1930, 1, 1) + timedelta(days=random.randrange(80 * 365))
        code = cf.encode(random.choice(COGNOMI), random.choice(NOMI), random.choice("MF"),
                         nascita.isoformat(), random.choice(LUOGHI))
        varianti = [code] + random.sample(cf.decode(code)["omocodes"][1:], 2)
        for v in varianti:
            righe[v] = cf.is_valid(v)
            for m in mutazioni(v):
                if m in righe:
                    continue
                try:
                    cf.decode(m)
                    righe[m] = True
                except ValueError as e:
                    if "birthplace" in str(e):
                        continue  # a place fault only: not what the rule checks
                    righe[m] = False
    print("codice,valido")
    for code, ok in sorted(righe.items()):
        print(f"{code},{'si' if ok else 'no'}")


main()
