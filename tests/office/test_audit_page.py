"""The office's audit page through the real route: readable changes, filters, paging, no leaks."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from portal import audit
from portal.accounts.models import Role
from portal.office.audit_view import VALUE_CAP
from tests.applications.helpers import INDIVIDUAL_FIELDS, MEMBERS, TEAM_FIELDS
from tests.factories import make_user
from tests.test_audit_personal_data import FULL_VALUES, _save_both_packets


def _rows(page: str) -> list[str]:
    return re.findall(r'<tr data-testid="audit-entry">(.*?)</tr>', page, re.S)


def _text(fragment: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", fragment))).strip()


@pytest.fixture
def office(client, login):
    login(make_user(Role.OFFICE))
    return client


def _page(client, query: str = "") -> str:
    response = client.get("/office/audit" + query)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def test_a_packet_save_reads_as_one_line_per_changed_field(client, login):
    team, _person = _save_both_packets(client)
    login(make_user(Role.OFFICE))
    page = _page(client, f"?action=application.update&type=application&id={team.id}")
    [row] = _rows(page)
    text = _text(row)
    assert f"team_name : — → {TEAM_FIELDS['team_name']}" in text
    assert "leader_mobile : — → 138****8000" in text
    assert "lock_version : 2 → 3" in text
    assert '{"' not in row and "hmac" not in row
    assert "campaign_id" not in text  # unchanged fields are left out


def test_member_lists_are_summarised_in_rows(client, login):
    team, _person = _save_both_packets(client)
    login(make_user(Role.OFFICE))
    page = _page(client, f"?type=application&id={team.id}&action=application.update")
    [row] = _rows(page)
    assert f"members : 0 行 → {len(MEMBERS)} 行" in _text(row)


def test_filters_narrow_the_list_by_actor_action_object_and_date(client, login):
    team, person = _save_both_packets(client)
    login(make_user(Role.OFFICE))
    everything = _rows(_page(client))
    assert len(everything) >= 6

    by_object = _rows(_page(client, f"?type=application&id={person.id}"))
    assert len(by_object) == 2  # created, then saved
    assert all(f"application {person.id}" in _text(r) for r in by_object)

    by_action = _rows(_page(client, "?action=api_token.create"))
    assert len(by_action) == 2
    assert all("api_token.create" in r for r in by_action)

    owner = team.created_by.email
    by_actor = _rows(_page(client, f"?actor={owner}"))
    assert by_actor and all(owner in _text(r) for r in by_actor)
    assert len(by_actor) < len(everything)

    assert len(_rows(_page(client, "?from=2001-01-01&to=2001-12-31"))) == 0
    assert len(_rows(_page(client, "?from=2001-01-01"))) == len(everything)
    assert "没有符合条件的记录。" in _page(client, "?action=no.such.action")


@pytest.mark.parametrize(
    "query",
    [
        "?from=yesterday",
        "?to=2026-13-01",
        "?from=２０２６-01-01",
        "?page=abc",
        "?page=0",
        "?actor=" + "x" * 300,
    ],
)
def test_malformed_filters_are_a_400_never_a_500(office, query):
    assert office.get("/office/audit" + query).status_code == 400


def test_unknown_filter_values_just_match_nothing(office):
    response = office.get("/office/audit?type=%00%ff&id=%25&actor=_&whatever=1")
    assert response.status_code == 200


def test_paging_keeps_the_filters(office, session):
    for i in range(55):
        audit.record(session, actor=None, action="test.paged", object_type="thing", object_id=i)
    audit.record(session, actor=None, action="test.other", object_type="thing", object_id=99)
    session.flush()
    first = _page(office, "?action=test.paged")
    assert len(_rows(first)) == 50
    assert "page=2" in first and "action=test.paged" in first
    second = _page(office, "?action=test.paged&page=2")
    assert len(_rows(second)) == 5
    assert "test.other" not in second


def test_a_ten_thousand_character_value_is_cut_and_wraps(office, session):
    long_value = "长" * 10_000
    audit.record(
        session,
        actor=None,
        action="test.long",
        object_type="thing",
        object_id=1,
        before={"summary": "short"},
        after={"summary": long_value},
    )
    session.flush()
    page = _page(office, "?action=test.long")
    assert long_value not in page
    [row] = _rows(page)
    assert "长" * (VALUE_CAP - 1) + "…" in row
    assert "长" * VALUE_CAP not in row
    assert 'class="audit-value"' in row
    css = (Path(__file__).parents[2] / "portal" / "static" / "portal.css").read_text()
    assert re.search(r"\.audit-value[^{]*\{[^}]*overflow-wrap: anywhere", css)


def test_full_personal_values_never_appear_and_hashes_neither(client, login, session):
    _save_both_packets(client)
    login(make_user(Role.OFFICE))
    page = _page(client)
    assert [value for value in FULL_VALUES if value in page] == []
    assert INDIVIDUAL_FIELDS["id_number"] not in page
    assert MEMBERS[0]["id_number"] not in page
    digests = {
        audit.personal_hash(INDIVIDUAL_FIELDS["mobile"]),
        audit.personal_hash(INDIVIDUAL_FIELDS["id_number"]),
    }
    assert [d for d in digests if d in page] == []
    assert "139****9000" in page
