"""The application form as plain data, shared with the Word exporter and importer.

The contract: every leaf is a string ("" when empty), dates are YYYY-MM-DD, rates are percent.
Computed figures are written on export and ignored on import: the portal recomputes them.
"""

from __future__ import annotations

from decimal import Decimal

from flask_babel import gettext as _

from portal.applications.fields import FIELDS_BY_NAME
from portal.applications.models import Application
from portal.campaigns.models import CategoryKind
from portal.organizations.models import UnitNature
from portal.percent import percent_text

UNIT_NATURE_ZH = {
    UnitNature.STATE_OWNED: "国有企业",
    UnitNature.STATE_CONTROLLED: "国有控股企业",
    UnitNature.PUBLIC_INSTITUTION: "事业单位",
    UnitNature.SOCIAL_ORGANIZATION: "社会团体",
    UnitNature.PRIVATE: "民营企业",
    UnitNature.OTHER: "其他",
}
# Names a filled-in form may use for the nature of the unit.
UNIT_NATURE_ALIASES = {
    **{zh: n for n, zh in UNIT_NATURE_ZH.items()},
    "国有": UnitNature.STATE_OWNED,
    "国企": UnitNature.STATE_OWNED,
    "国有控股": UnitNature.STATE_CONTROLLED,
    "社会组织": UnitNature.SOCIAL_ORGANIZATION,
    "民营": UnitNature.PRIVATE,
    "私营": UnitNature.PRIVATE,
    "私营企业": UnitNature.PRIVATE,
    **{n.value: n for n in UnitNature},
}

UNIT_KEYS = ("unit_nature", "superior", "address", "postcode")
TEAM_KEYS = {
    "name": "team_name",
    "founded_on": "team_founded_on",
    "leader_name": "leader_name",
    "leader_post": "leader_post",
    "leader_mobile": "leader_mobile",
}
PERSON_KEYS = {
    "name": "person_name",
    "ethnicity": "ethnicity",
    "political_status": "political_status",
    "education": "education",
    "id_number": "id_number",
    "work_start_date": "work_start_date",
    "post_start_date": "post_start_date",
    "post": "post",
    "office_phone": "office_phone",
    "mobile": "mobile",
    "email": "email",
}
METRIC_KEYS = (
    "on_time_rate",
    "satisfaction_rate",
    "grievance_rate",
    "complaint_rate",
    "complaint_handling_rate",
)


def _s(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _sex(female: bool | None) -> str:
    return "" if female is None else ("女" if female else "男")


def application_form_data(app: Application) -> dict:
    """The form of one packet as the data contract describes it."""
    org = app.organization
    team = app.category.kind is CategoryKind.TEAM
    empty_team = dict.fromkeys(
        [*TEAM_KEYS, "member_count", "average_age", "women_count", "women_share"], ""
    )
    empty_person = dict.fromkeys([*PERSON_KEYS, "sex", "birth_date", "years_in_post"], "")
    data = {
        "category_kind": app.category.kind.value,
        "category_name": app.category.name_zh,
        "campaign_year": str(app.campaign.year),
        "campaign_theme": app.campaign.theme,
        "unit": {
            "name": org.name,
            "credit_code": org.credit_code or "",
            "unit_nature": UNIT_NATURE_ZH.get(app.unit_nature, "") if app.unit_nature else "",
            "superior": _s(app.unit_superior),
            "industry": app.industry.name_zh if app.industry else "",
            "district": app.district.name_zh if app.district else "",
            "address": _s(app.unit_address),
            "postcode": _s(app.unit_postcode),
        },
        "team": empty_team,
        "members": [],
        "person": empty_person,
        "service_content": _s(app.service_content),
        "customers_served": _s(app.customers_served),
        "metrics": {k: _s(getattr(app, k)) for k in METRIC_KEYS},
        "honours": [
            {k: _s(h.get(k)) for k in ("title", "awarded_by", "year")} for h in app.honours or []
        ],
        "deeds_summary": _s(app.deeds_summary),
        "unit_opinion": _s(app.unit_opinion),
        "recommender_opinion": "",
        "review_opinion": "",
    }
    if team:
        data["team"] = {key: _s(getattr(app, col)) for key, col in TEAM_KEYS.items()} | {
            "member_count": _s(app.member_count),
            "average_age": _s(app.average_age),
            "women_count": _s(app.women_count),
            "women_share": percent_text(app.women_share, sign=False),
        }
        data["members"] = [
            {
                "name": m.name,
                "sex": _sex(m.female),
                "birth_date": _s(m.birth_date),
                "id_number": _s(m.id_number),
                "post": _s(m.post),
                "years_in_post": _s(m.years_in_post),
            }
            for m in app.members
        ]
    else:
        data["person"] = {key: _s(getattr(app, col)) for key, col in PERSON_KEYS.items()} | {
            "sex": _sex(app.female),
            "birth_date": _s(app.birth_date),
            "years_in_post": _s(app.years_in_post),
        }
    return data


def _unit_nature(text: str) -> str:
    text = (text or "").strip()
    if not text:
        return ""
    nature = UNIT_NATURE_ALIASES.get(text)
    return nature.value if nature else text


def form_fields_from_data(data: dict, kind: CategoryKind) -> dict[str, str]:
    """Column texts from the contract's data; computed figures and unit identity are ignored."""
    unit = data.get("unit") or {}
    fields = {
        "unit_nature": _unit_nature(unit.get("unit_nature", "")),
        "unit_superior": unit.get("superior", ""),
        "unit_address": unit.get("address", ""),
        "unit_postcode": unit.get("postcode", ""),
        "service_content": data.get("service_content", ""),
        "customers_served": data.get("customers_served", ""),
        "deeds_summary": data.get("deeds_summary", ""),
        "unit_opinion": data.get("unit_opinion", ""),
    }
    metrics = data.get("metrics") or {}
    fields.update({k: metrics.get(k, "") for k in METRIC_KEYS})
    if kind is CategoryKind.TEAM:
        team = data.get("team") or {}
        fields.update({col: team.get(key, "") for key, col in TEAM_KEYS.items()})
    else:
        person = data.get("person") or {}
        fields.update({col: person.get(key, "") for key, col in PERSON_KEYS.items()})
    return {k: str(v or "") for k, v in fields.items()}


def problem_label(key: str) -> str:
    """A readable place for a problem key: the field's label, or 'Member 2: ID number'."""
    if key in FIELDS_BY_NAME:
        return str(FIELDS_BY_NAME[key].label)
    table, _sep, rest = key.partition("-")
    index, _sep, column = rest.partition("-")
    if table == "members" and index.isdigit():
        return _(
            "Member %(n)s, %(column)s", n=int(index) + 1, column=member_column_labels()[column]
        )
    if table == "honours" and index.isdigit():
        return _(
            "Honour %(n)s, %(column)s", n=int(index) + 1, column=honour_column_labels()[column]
        )
    return key


def member_column_labels() -> dict[str, str]:
    return {
        "name": _("name"),
        "id_number": _("ID number"),
        "sex": _("sex"),
        "birth_date": _("birth date"),
        "post": _("post"),
        "years_in_post": _("years in post"),
    }


def honour_column_labels() -> dict[str, str]:
    return {"title": _("title"), "awarded_by": _("awarded by"), "year": _("year")}
