"""National-standard checks: unified social credit code, resident ID number, mobile number."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from portal.inputs import is_ascii_digits

CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARS = "10X98765432"
MOBILE_RE = re.compile(r"^1\d{10}$")


def normalize_credit_code(code: str) -> str:
    return (code or "").strip().upper()


def credit_code_problem(code: str) -> str | None:
    """Why a unified social credit code (GB 32100-2015) is invalid, or None when it is valid.

    Returns a stable problem key: 'length', 'characters' or 'check'.
    """
    code = normalize_credit_code(code)
    if len(code) != 18:
        return "length"
    if any(c not in CREDIT_ALPHABET for c in code):
        return "characters"
    total = sum(
        CREDIT_ALPHABET.index(c) * w for c, w in zip(code[:17], CREDIT_WEIGHTS, strict=True)
    )
    check_index = (31 - total % 31) % 31
    if CREDIT_ALPHABET[check_index] != code[17]:
        return "check"
    return None


@dataclass(frozen=True)
class ResidentId:
    number: str
    birth_date: date
    female: bool

    def age_on(self, when: date) -> int:
        return age_on(self.birth_date, when)

    @property
    def masked(self) -> str:
        return mask_id_number(self.number)


def age_on(birth: date, when: date) -> int:
    """Whole years of age on a date."""
    return when.year - birth.year - ((when.month, when.day) < (birth.month, birth.day))


def normalize_id_number(number: str) -> str:
    return (number or "").strip().upper()


def parse_resident_id(number: str, today: date | None = None) -> ResidentId | str:
    """A parsed resident ID (GB 11643-1999), or a problem key.

    Problem keys: 'length', 'characters', 'date', 'check'.
    """
    number = normalize_id_number(number)
    if len(number) != 18:
        return "length"
    if not is_ascii_digits(number[:17]) or not (is_ascii_digits(number[17]) or number[17] == "X"):
        return "characters"
    try:
        birth = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return "date"
    if birth > (today or date.today()) or birth.year < 1900:
        return "date"
    total = sum(int(c) * w for c, w in zip(number[:17], ID_WEIGHTS, strict=True))
    if ID_CHECK_CHARS[total % 11] != number[17]:
        return "check"
    return ResidentId(number=number, birth_date=birth, female=int(number[16]) % 2 == 0)


def mask_id_number(number: str) -> str:
    number = normalize_id_number(number)
    if len(number) < 8:
        return "*" * len(number)
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


def mask_mobile(mobile: str | None) -> str:
    if not mobile or len(mobile) < 7:
        return mobile or ""
    return mobile[:3] + "****" + mobile[-4:]


def mask_email(email: str | None) -> str | None:
    """`w***@example.com`: enough to recognise, not enough to write to."""
    if not email:
        return email
    local, at, domain = email.partition("@")
    return (local[:1] + "***" + at + domain) if at else "***"


def is_mobile(value: str) -> bool:
    return bool(MOBILE_RE.match((value or "").strip()))
