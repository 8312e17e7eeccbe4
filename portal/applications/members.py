"""Parsing of the team member and honour rows, and the one function that derives figures."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import lazy_gettext as _l

from portal.applications.fields import ID_NUMBER_MESSAGES, parse_date
from portal.applications.models import Application, TeamMember
from portal.campaigns.models import CategoryKind
from portal.checks import age_on, normalize_id_number, parse_resident_id
from portal.inputs import parse_int
from portal.limits import birth_date_problem

MEMBER_KEYS = ("name", "id_number", "sex", "birth_date", "post", "years_in_post")
HONOUR_KEYS = ("title", "awarded_by", "year")
FEMALE_WORDS = {"female", "f", "女"}
MALE_WORDS = {"male", "m", "男"}
ONE_DECIMAL = Decimal("0.1")


def _blank(row: dict, keys) -> bool:
    return not any(str(row.get(k) or "").strip() for k in keys)


def parse_members(
    rows: list[dict], today: date, reference: date | None = None
) -> tuple[list[dict], dict[str, object]]:
    """Member rows as column values, and problems keyed 'members-<i>-<field>'.

    A row with an ID number takes birth date and sex from it; otherwise both must be given.
    With the campaign's reference date, the age either gives must be a working adult's.
    Wholly empty rows are dropped.
    """
    members: list[dict] = []
    problems: dict[str, object] = {}
    for i, row in enumerate(rows):
        if _blank(row, MEMBER_KEYS):
            continue
        text = {k: str(row.get(k) or "").strip() for k in MEMBER_KEYS}
        key = f"members-{i}-"
        member: dict = {"name": text["name"], "post": text["post"], "id_number": None}
        if not text["name"]:
            problems[key + "name"] = _l("Each member needs a name.")
        elif len(text["name"]) > 64:
            problems[key + "name"] = _l("At most %(n)s characters.", n=64)
        if len(text["post"]) > 100:
            problems[key + "post"] = _l("At most %(n)s characters.", n=100)
        if text["id_number"]:
            parsed = parse_resident_id(text["id_number"], today=today)
            if isinstance(parsed, str):
                problems[key + "id_number"] = ID_NUMBER_MESSAGES[parsed]
            else:
                member.update(
                    id_number=normalize_id_number(text["id_number"]),
                    birth_date=parsed.birth_date,
                    female=parsed.female,
                )
                if reference and (problem := birth_date_problem(parsed.birth_date, reference)):
                    problems[key + "id_number"] = problem
        else:
            try:
                birth = parse_date(text["birth_date"])
            except ValueError:
                problems[key + "birth_date"] = _l(
                    "Give the birth date as YYYY-MM-DD, or the ID number."
                )
            else:
                if birth > today:
                    problems[key + "birth_date"] = _l("This date is in the future.")
                elif reference and (problem := birth_date_problem(birth, reference)):
                    problems[key + "birth_date"] = problem
                member["birth_date"] = birth
            sex = text["sex"].lower()
            if sex in FEMALE_WORDS or sex in MALE_WORDS:
                member["female"] = sex in FEMALE_WORDS
            else:
                problems[key + "sex"] = _l("Choose the sex, or give the ID number.")
        if text["years_in_post"]:
            years = parse_int(text["years_in_post"], 0, 70)
            if years is None:
                problems[key + "years_in_post"] = _l("Years in post is a whole number up to 70.")
            member["years_in_post"] = years
        else:
            member["years_in_post"] = None
        members.append(member)
    return members, problems


def parse_honours(rows: list[dict], today: date) -> tuple[list[dict], dict[str, object]]:
    honours: list[dict] = []
    problems: dict[str, object] = {}
    for i, row in enumerate(rows):
        if _blank(row, HONOUR_KEYS):
            continue
        text = {k: str(row.get(k) or "").strip() for k in HONOUR_KEYS}
        key = f"honours-{i}-"
        if not text["title"]:
            problems[key + "title"] = _l("Each honour needs its title.")
        elif len(text["title"]) > 200:
            problems[key + "title"] = _l("At most %(n)s characters.", n=200)
        if len(text["awarded_by"]) > 200:
            problems[key + "awarded_by"] = _l("At most %(n)s characters.", n=200)
        if text["year"] and parse_int(text["year"], 1949, today.year) is None:
            problems[key + "year"] = _l("Give the year with four digits, not in the future.")
        honours.append(text)
    return honours, problems


def _one_decimal(value: Decimal) -> Decimal:
    return value.quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def derive_figures(application: Application) -> None:
    """Fill every computed column from the data: the only place these figures are written.

    Individuals: birth date and sex from the ID number, age and whole years in post at the
    campaign's reference date. Teams: size, average age at the reference date, number and
    percentage share of women, from the member list.
    """
    ref = application.campaign.reference_date
    if application.category.kind is CategoryKind.INDIVIDUAL:
        parsed = parse_resident_id(application.id_number) if application.id_number else None
        if parsed is None or isinstance(parsed, str):
            application.birth_date = application.female = application.age = None
        else:
            application.birth_date = parsed.birth_date
            application.female = parsed.female
            application.age = age_on(parsed.birth_date, ref)
        start = application.post_start_date
        application.years_in_post = age_on(start, ref) if start and start <= ref else None
        application.member_count = application.women_count = None
        application.average_age = application.women_share = None
        return
    members: list[TeamMember] = application.members
    count = len(members)
    women = sum(1 for m in members if m.female)
    application.member_count = count
    application.women_count = women
    if count:
        total_age = sum(age_on(m.birth_date, ref) for m in members)
        application.average_age = _one_decimal(Decimal(total_age) / count)
        application.women_share = _one_decimal(Decimal(women * 100) / count)
    else:
        application.average_age = application.women_share = None
    application.birth_date = application.female = application.age = None
    application.years_in_post = None
