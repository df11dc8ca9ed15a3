#!/usr/bin/env python3
"""Draws the app's icons (public/icone/icona-{192,512}.png): "0-6" in white on the Region's
blue, with a safe margin for maskable icons. Pure Python (zlib), no image library."""
import struct, zlib, pathlib

FONT = {  # 5x7 bitmaps
    "0": ["01110", "10001", "10011", "10101", "11001", "10001", "01110"],
    "-": ["00000", "00000", "00000", "11111", "00000", "00000", "00000"],
    "6": ["00110", "01000", "10000", "11110", "10001", "10001", "01110"],
}
BLU, BIANCO = (0x00, 0x66, 0xCC), (0xFF, 0xFF, 0xFF)

def png(size):
    testo = "0-6"
    colonne = len(testo) * 6 - 1
    scala = int(size * 0.6) // colonne
    x0 = (size - colonne * scala) // 2
    y0 = (size - 7 * scala) // 2
    righe = []
    for y in range(size):
        riga = bytearray([0])
        for x in range(size):
            cx, cy = (x - x0) // scala, (y - y0) // scala
            acceso = False
            if 0 <= cy < 7 and 0 <= cx < colonne and (x - x0) >= 0 and (y - y0) >= 0:
                i, col = divmod(cx, 6)
                acceso = col < 5 and FONT[testo[i]][cy][col] == "1"
            riga += bytes(BIANCO if acceso else BLU)
        righe.append(bytes(riga))
    def blocco(tipo, dati):
        return struct.pack(">I", len(dati)) + tipo + dati + struct.pack(">I", zlib.crc32(tipo + dati))
    return (b"\x89PNG\r\n\x1a\n" + blocco(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0))
            + blocco(b"IDAT", zlib.compress(b"".join(righe), 9)) + blocco(b"IEND", b""))

cartella = pathlib.Path(__file__).resolve().parent.parent / "public" / "icone"
cartella.mkdir(exist_ok=True)
for s in (192, 512):
    (cartella / f"icona-{s}.png").write_bytes(png(s))
