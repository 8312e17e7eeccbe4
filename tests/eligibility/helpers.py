"""Builders for eligibility tests: a campaign with the programme's rules, packets in it."""

from __future__ import annotations

from datetime import date

from portal.applications.models import TeamMember
from portal.campaigns.models import Campaign, CategoryKind
from portal.db import get_session
from portal.eligibility import service
from tests.applications.helpers import category, make_complete, make_id_number, open_campaign


def ruled_campaign(**fields) -> Campaign:
    """An open campaign (reference date 2026-11-10) with the default rules seeded, as a
    campaign created by the office has them."""
    campaign = open_campaign(**fields)
    service.seed_rules(get_session(), campaign)
    return campaign


def checks_by_code(app) -> dict:
    return {c.code: c for c in service.evaluate(get_session(), app)}


def signed(app):
    service.sign_declaration(get_session(), app.created_by, app)
    return app


def complete(kind=CategoryKind.TEAM, campaign=None, user=None, sign=True):
    """A complete draft that meets every default condition (declaration signed)."""
    app = make_complete(user, kind, campaign or ruled_campaign())
    return signed(app) if sign else app


def rules_row(campaign, kind):
    return service.rules_of(get_session(), category(campaign, kind))


def add_member(app, id_number: str, name: str = "周敏") -> TeamMember:
    member = TeamMember(
        application=app,
        position=len(app.members),
        name=name,
        id_number=id_number,
        birth_date=date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14])),
        female=int(id_number[16]) % 2 == 0,
        post="柜员",
    )
    get_session().add(member)
    get_session().flush()
    return member


__all__ = ["make_id_number"]
