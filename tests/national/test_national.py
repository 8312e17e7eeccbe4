"""The recommendation to the national programme: only current holders are picked, the office
ranks them, and the Word export carries the list and each holder's packet summary."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa
from docx import Document

from portal.accounts.models import Role
from portal.campaigns.models import CategoryKind
from portal.honours import rules as honour_rules
from portal.national import service
from portal.national.errors import NationalError
from portal.national.models import NationalNomination
from tests.accounts.helpers import english, text
from tests.factories import make_user
from tests.honours.helpers import make_honour

YEAR = 2027
TODAY = honour_rules.shanghai_today()


def _refused(key: str, call, *args, **kwargs) -> NationalError:
    with pytest.raises(NationalError) as caught:
        call(*args, **kwargs)
    assert caught.value.key == key
    return caught.value


def _expired():
    return make_honour(awarded_on=TODAY - timedelta(days=3 * 366 + 10))


def _revoked():
    return make_honour(revoked_on=TODAY - timedelta(days=3))


def test_only_a_current_holder_can_be_recommended(session):
    office = make_user(Role.OFFICE)
    current, expired, revoked = make_honour(), _expired(), _revoked()
    assert current in service.candidates(session, YEAR)
    assert expired not in service.candidates(session, YEAR)
    assert revoked not in service.candidates(session, YEAR)
    row = service.add_nomination(session, office, YEAR, current.id, "连续三年零投诉")
    assert (row.rank, row.reason) == (1, "连续三年零投诉")
    assert current not in service.candidates(session, YEAR)
    err = _refused("not_current", service.add_nomination, session, office, YEAR, expired.id)
    assert err.params["holder"] == expired.holder_name
    _refused("not_current", service.add_nomination, session, office, YEAR, revoked.id)
    _refused("already_listed", service.add_nomination, session, office, YEAR, current.id)
    _refused(
        "not_allowed",
        service.add_nomination,
        session,
        make_user(Role.ORGANIZER),
        YEAR,
        make_honour().id,
    )
    assert session.scalar(sa.select(sa.func.count(NationalNomination.id))) == 1


def test_the_office_orders_the_list_and_taking_one_off_closes_the_gap(client, login, session):
    office = make_user(Role.OFFICE)
    a, b, c = (make_honour() for _ in range(3))
    rows = [service.add_nomination(session, office, YEAR, h.id) for h in (a, b, c)]
    login(office)
    english(client)
    ranks = {f"rank-{rows[0].id}": "3", f"rank-{rows[1].id}": "1", f"rank-{rows[2].id}": "2"}
    client.post(f"/national/{YEAR}/order", data=ranks)
    assert [r.honour_id for r in service.national_list(session, YEAR)] == [b.id, c.id, a.id]
    repeated = {**ranks, f"rank-{rows[2].id}": "1"}
    page = text(client.post(f"/national/{YEAR}/order", data=repeated, follow_redirects=True))
    assert "Give every holder on the list a different rank from 1 to 3" in page
    assert [r.honour_id for r in service.national_list(session, YEAR)] == [b.id, c.id, a.id]
    client.post(f"/national/{YEAR}/{rows[1].id}/remove")
    listed = service.national_list(session, YEAR)
    assert [(r.rank, r.honour_id) for r in listed] == [(1, c.id), (2, a.id)]


def test_adding_a_revoked_holder_is_refused_in_chinese(client, login, session):
    revoked = _revoked()
    login(make_user(Role.OFFICE))
    client.get("/lang/zh_Hans_CN")
    page = text(
        client.post(f"/national/{YEAR}/add", data={"honour_id": revoked.id}, follow_redirects=True)
    )
    assert f"{revoked.holder_name}目前不持有有效称号（已撤销）" in page
    assert session.scalar(sa.select(sa.func.count(NationalNomination.id))) == 0


def test_the_page_adds_a_holder_from_the_current_ones(client, login, session):
    current, expired = make_honour(), _expired()
    login(make_user(Role.OFFICE))
    english(client)
    page = text(client.get(f"/national/?year={YEAR}"))
    assert f'<option value="{current.id}">' in page
    assert f'<option value="{expired.id}">' not in page
    client.post(f"/national/{YEAR}/add", data={"honour_id": current.id, "reason": "示范窗口"})
    page = text(client.get(f"/national/?year={YEAR}"))
    assert current.holder_name in page and "示范窗口" in page


def _cells(table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def test_the_word_export_holds_the_ranked_list_and_each_holders_summary(client, login, session):
    office = make_user(Role.OFFICE)
    team = make_honour(
        members=12,
        women=9,
        deeds_summary="十二人班组，年服务旅客三百万人次。",
        service_content="铁路客运窗口",
        satisfaction_rate=Decimal("99.2"),
    )
    person = make_honour(
        kind=CategoryKind.INDIVIDUAL,
        post="大堂经理",
        age=41,
        female=True,
        deeds_summary="二十年如一日服务老年客户。",
    )
    service.add_nomination(session, office, YEAR, team.id, "班组服务规范")
    service.add_nomination(session, office, YEAR, person.id, "个人服务典型")
    rows = service.national_list(session, YEAR)
    service.reorder(session, office, YEAR, {rows[0].id: "2", rows[1].id: "1"})
    login(office)
    response = client.get(f"/national/{YEAR}/recommendation.docx")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    doc = Document(io.BytesIO(response.data))
    paragraphs = [p.text for p in doc.paragraphs]
    assert paragraphs[0] == f"{YEAR}年全国用户满意服务明星推荐名单"
    assert paragraphs[1].startswith("共2名")
    listing, first, second = doc.tables
    assert _cells(listing)[0][:4] == ["名次", "称号获得者", "类别", "单位"]
    assert [row[:2] for row in _cells(listing)[1:]] == [
        ["1", person.holder_name],
        ["2", team.holder_name],
    ]
    assert f"第1名　{person.holder_name}" in paragraphs
    assert f"第2名　{team.holder_name}" in paragraphs
    person_cells = sum(_cells(first), [])
    assert "大堂经理" in person_cells and "女" in person_cells
    assert "二十年如一日服务老年客户。" in person_cells and "个人服务典型" in person_cells
    team_cells = sum(_cells(second), [])
    assert "12" in team_cells and "9（75.0%）" in team_cells and "99.2%" in team_cells
    assert "十二人班组，年服务旅客三百万人次。" in team_cells and "铁路客运窗口" in team_cells
    assert team.certificate_number in team_cells


def test_the_export_refuses_a_list_naming_a_holder_revoked_since(session):
    office = make_user(Role.OFFICE)
    honour = make_honour()
    service.add_nomination(session, office, YEAR, honour.id)
    honour.revoked_at = honour.created_at
    honour.revocation_reason = "与顾客发生争吵，经查属实"
    session.flush()
    err = _refused("no_longer_current", service.export_data, session, YEAR)
    assert err.params["holders"] == honour.holder_name
    _refused("empty", service.export_data, session, YEAR + 1)
