"""A deduction is shown with a minus sign only when something is deducted: no −0.00."""

from __future__ import annotations

import lxml.html

from portal.accounts.models import Role
from portal.db import get_session
from portal.organizations.models import OrgKind
from portal.scoring import sheets
from tests.factories import make_org, make_user
from tests.scoring.helpers import FULL_SCORES, assigned_sheet, make_expert


def _cells(client, a) -> dict[str, str]:
    html = client.get(f"/scoring/assignments/{a.id}").get_data(as_text=True)
    cells = lxml.html.fromstring(html).xpath("//td[@data-testid]")
    return {c.get("data-testid"): c.text_content().strip() for c in cells}


def _scored(entries):
    org = make_org(OrgKind.OTHER)
    expert = make_expert("戊专家", organization=org, user=make_user(Role.EXPERT, organization=org))
    a = assigned_sheet(expert)
    sheets.save_sheet(get_session(), None, a.expert, a.sheet, entries)
    return a


def test_zero_deductions_show_without_a_minus_sign(client, login, app):
    a = _scored(FULL_SCORES)
    login(a.expert.user)
    cells = _cells(client, a)
    assert cells["deductions"] == "0.00"
    assert cells["line-complaint"] == "0.00"


def test_a_deduction_shows_with_its_minus_sign(client, login, app):
    a = _scored({**FULL_SCORES, "complaint": "1"})
    login(a.expert.user)
    cells = _cells(client, a)
    assert cells["deductions"] == "−5.00"
    assert cells["line-complaint"] == "−5.00"
