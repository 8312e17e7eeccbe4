"""The fields of the team and individual application forms, and how each is checked.

One table serves the web form, the Word import and the API: each field names its column,
its kind (how its text is parsed), the categories it belongs to and whether submission needs it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l

from portal.campaigns.models import CategoryKind
from portal.checks import is_mobile, normalize_id_number, parse_resident_id
from portal.limits import EARLIEST_DATE, LONG_TEXT_CHARS, OPINION_CHARS, birth_date_problem
from portal.organizations.models import UnitNature

TEAM = frozenset({CategoryKind.TEAM})
INDIVIDUAL = frozenset({CategoryKind.INDIVIDUAL})
BOTH = TEAM | INDIVIDUAL

ID_NUMBER_MESSAGES = {
    "length": _l("A resident ID number has 18 characters."),
    "characters": _l("A resident ID number has 17 digits followed by a digit or the letter X."),
    "date": _l("The birth date in this ID number (characters 7 to 14) is not a real past date."),
    "check": _l(
        "The check character (the last one) of this ID number is wrong; please check the number "
        "against the ID card."
    ),
}


@dataclass(frozen=True)
class FieldSpec:
    name: str  # the Application column
    label: object
    kind: str  # text, longtext, date, rate, mobile, phone, email, postcode, id_number, nature
    section: str  # unit, team, person, service, opinion
    categories: frozenset[CategoryKind] = BOTH
    required: bool = False
    max_length: int | None = None


FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("unit_nature", _l("Nature of the unit"), "nature", "unit", required=True),
    FieldSpec("unit_superior", _l("Superior body"), "text", "unit", max_length=200),
    FieldSpec("unit_address", _l("Address"), "text", "unit", required=True, max_length=300),
    FieldSpec("unit_postcode", _l("Postcode"), "postcode", "unit", required=True),
    FieldSpec("team_name", _l("Team name"), "text", "team", TEAM, True, 200),
    FieldSpec("team_founded_on", _l("Date the team was founded"), "date", "team", TEAM, True),
    FieldSpec("leader_name", _l("Team leader"), "text", "team", TEAM, True, 64),
    FieldSpec("leader_post", _l("Team leader's post"), "text", "team", TEAM, True, 100),
    FieldSpec("leader_mobile", _l("Team leader's mobile"), "mobile", "team", TEAM, True),
    FieldSpec("person_name", _l("Name"), "text", "person", INDIVIDUAL, True, 64),
    FieldSpec("id_number", _l("Resident ID number"), "id_number", "person", INDIVIDUAL, True),
    FieldSpec("ethnicity", _l("Ethnicity"), "text", "person", INDIVIDUAL, True, 32),
    FieldSpec("political_status", _l("Political status"), "text", "person", INDIVIDUAL, True, 32),
    FieldSpec("education", _l("Education"), "text", "person", INDIVIDUAL, True, 32),
    FieldSpec("work_start_date", _l("Date started work"), "date", "person", INDIVIDUAL, True),
    FieldSpec(
        "post_start_date", _l("Date started the current post"), "date", "person", INDIVIDUAL, True
    ),
    FieldSpec("post", _l("Post or position"), "text", "person", INDIVIDUAL, True, 100),
    FieldSpec("office_phone", _l("Office phone"), "phone", "person", INDIVIDUAL),
    FieldSpec("mobile", _l("Mobile"), "mobile", "person", INDIVIDUAL, True),
    FieldSpec("email", _l("Email"), "email", "person", INDIVIDUAL),
    FieldSpec(
        "service_content",
        _l("Main service content"),
        "longtext",
        "service",
        required=True,
        max_length=LONG_TEXT_CHARS,
    ),
    FieldSpec(
        "customers_served",
        _l("Customers served"),
        "longtext",
        "service",
        required=True,
        max_length=LONG_TEXT_CHARS,
    ),
    FieldSpec("on_time_rate", _l("On-time service rate (%)"), "rate", "service"),
    FieldSpec(
        "satisfaction_rate", _l("Customer satisfaction rate (%)"), "rate", "service", required=True
    ),
    FieldSpec("grievance_rate", _l("Customer grievance rate (%)"), "rate", "service"),
    FieldSpec("complaint_rate", _l("Customer complaint rate (%)"), "rate", "service"),
    FieldSpec(
        "complaint_handling_rate", _l("Satisfaction with complaint handling (%)"), "rate", "service"
    ),
    FieldSpec(
        "deeds_summary",
        _l("Summary of deeds"),
        "longtext",
        "service",
        required=True,
        # A hard cap in all characters; the category's limit in Chinese characters is checked
        # on submission (applications.service.summary_problem).
        max_length=LONG_TEXT_CHARS,
    ),
    FieldSpec(
        "unit_opinion", _l("Opinion of the unit"), "longtext", "opinion", max_length=OPINION_CHARS
    ),
)
FIELDS_BY_NAME = {f.name: f for f in FIELDS}


def fields_for(kind: CategoryKind) -> list[FieldSpec]:
    return [f for f in FIELDS if kind in f.categories]


_POSTCODE = re.compile(r"^\d{6}$")
_PHONE = re.compile(r"^[0-9()+\- ]{5,32}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def parse_date(raw: str) -> date:
    """A date as YYYY-MM-DD; raises ValueError."""
    return date.fromisoformat(raw.strip())


def parse_value(
    spec: FieldSpec, raw: str | None, today: date | None = None, reference: date | None = None
):
    """(value, problem): the typed value of the field's text, or a message saying what is wrong.

    Empty text gives (None, None): whether a field may stay empty is checked at submission.
    `reference` (the campaign's reference date) bounds the age an ID number gives.
    """
    text = (raw or "").strip()
    if not text:
        return None, None
    if spec.max_length and len(text) > spec.max_length:
        return None, _l("At most %(n)s characters.", n=spec.max_length)
    kind = spec.kind
    if kind in ("text", "longtext"):
        return text, None
    if kind == "date":
        try:
            value = parse_date(text)
        except ValueError:
            return None, _l("Enter a date as YYYY-MM-DD.")
        if value > (today or date.today()):
            return None, _l("This date is in the future.")
        if value < EARLIEST_DATE:
            return None, _l("Enter a date from %(year)s on.", year=EARLIEST_DATE.year)
        return value, None
    if kind == "rate":
        try:
            rate = Decimal(text.rstrip("%").strip())
        except InvalidOperation:
            return None, _l("Enter a percentage such as 98.5.")
        if not rate.is_finite() or not Decimal(0) <= rate <= Decimal(100):
            return None, _l("A percentage lies between 0 and 100.")
        return rate.quantize(Decimal("0.01")), None
    if kind == "mobile":
        if not is_mobile(text):
            return None, _l("A mobile number has 11 digits and starts with 1.")
        return text, None
    if kind == "phone":
        if not _PHONE.match(text):
            return None, _l("Enter a phone number with digits, spaces, brackets or dashes.")
        return text, None
    if kind == "email":
        if not _EMAIL.match(text) or len(text) > 254:
            return None, _l("Enter an email address such as name@example.com.")
        return text, None
    if kind == "postcode":
        if not _POSTCODE.match(text):
            return None, _l("A postcode has 6 digits.")
        return text, None
    if kind == "id_number":
        parsed = parse_resident_id(text, today=today)
        if isinstance(parsed, str):
            return None, ID_NUMBER_MESSAGES[parsed]
        if reference and (problem := birth_date_problem(parsed.birth_date, reference)):
            return None, problem
        return normalize_id_number(text), None
    if kind == "nature":
        try:
            return UnitNature(text), None
        except ValueError:
            return None, _l("Choose the nature of the unit from the list.")
    raise ValueError(f"unknown field kind {kind}")
