"""Sample files and numbers for the browser tests, built from their published formats.

Written from the specifications (GB 11643-1999, PNG, PDF 1.4), not from the portal's code, so a
test that uses them checks the portal against the standard rather than against itself.
"""

from __future__ import annotations

import struct
import zlib
from datetime import date

# GB 11643-1999: weights of the first 17 digits; the sum mod 11 indexes the check character.
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def resident_id(birth: date, female: bool, serial: int = 1, area: str = "310101") -> str:
    """A valid 18-character resident ID: area, birth date, two serial digits, a sex digit
    (odd for men, even for women) and the check character."""
    sex_digit = 2 * (serial % 5) + (0 if female else 1)
    body = f"{area}{birth:%Y%m%d}{serial % 100:02d}{sex_digit}"
    total = sum(int(c) * w for c, w in zip(body, _ID_WEIGHTS, strict=True))
    return body + _ID_CHECK[total % 11]


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return (
        struct.pack(">I", len(data))
        + kind
        + data
        + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    )


def png_bytes(
    width: int = 48, height: int = 32, rgb: tuple[int, int, int] = (200, 30, 30)
) -> bytes:
    """A complete PNG image of one colour (8-bit RGB, no interlace) that any viewer opens."""
    row = b"\x00" + bytes(rgb) * width  # filter type 0, then the pixels
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", zlib.compress(row * height))
        + _png_chunk(b"IEND", b"")
    )


def pdf_bytes(text: str = "Service Star evidence") -> bytes:
    """A one-page PDF 1.4 with a line of Helvetica text and a correct cross-reference table."""
    stream = f"BT /F1 18 Tf 72 720 Td ({text}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


# GB 32100-2015: the 31 characters of a unified social credit code (no I, O, S, V, Z) and the
# weights of its first 17; the check character is (31 - sum mod 31) mod 31.
_CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_code(serial: int, area: str = "310117") -> str:
    """A valid 18-character unified social credit code of an enterprise (registration office 9,
    kind 1) in an area, with a nine-digit organization number taken from `serial`."""
    body = f"91{area}{serial % 10**9:09d}"
    total = sum(_CREDIT_CHARS.index(c) * w for c, w in zip(body, _CREDIT_WEIGHTS, strict=True))
    return body + _CREDIT_CHARS[(31 - total % 31) % 31]
