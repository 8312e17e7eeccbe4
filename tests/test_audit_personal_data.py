"""The audit trail records that personal data changed, never the data itself."""

from __future__ import annotations

import json

import sqlalchemy as sa

from portal import audit
from portal.accounts.models import Role
from portal.audit import AuditEntry
from portal.campaigns.models import CategoryKind
from portal.checks import mask_id_number
from tests.api.test_applications import Api
from tests.applications.helpers import INDIVIDUAL_FIELDS, MEMBERS, TEAM_FIELDS, make_draft
from tests.factories import make_user

FULL_VALUES = [
    INDIVIDUAL_FIELDS["id_number"],
    INDIVIDUAL_FIELDS["mobile"],
    TEAM_FIELDS["leader_mobile"],
    MEMBERS[0]["id_number"],
    "1986-01-20",  # the first member's birth date, from the ID number
    "1990-05-17",  # the individual's birth date, from the ID number
    "1996-12-01",
    "2000-11-10",
]


def _raw_audit_text(session) -> str:
    """Every audit row as the database holds it, read past the ORM."""
    session.flush()
    rows = session.execute(sa.select(AuditEntry.__table__)).mappings().all()
    return json.dumps([dict(r) for r in rows], default=str, ensure_ascii=False)


def _save_both_packets(client):
    api = Api(client)
    team = make_draft()
    person = make_draft(kind=CategoryKind.INDIVIDUAL)
    for packet, body in (
        (team, {"fields": TEAM_FIELDS, "members": MEMBERS}),
        (person, {"fields": INDIVIDUAL_FIELDS}),
    ):
        response = api(
            "PATCH",
            f"/api/v1/applications/{packet.id}",
            packet.created_by,
            json={"lock_version": packet.lock_version, **body},
        )
        assert response.status_code == 200, response.get_json()
    return team, person


def test_a_packet_save_leaves_no_full_id_number_mobile_or_birth_date_in_the_audit_table(
    client, session
):
    _save_both_packets(client)
    raw = _raw_audit_text(session)
    assert mask_id_number(INDIVIDUAL_FIELDS["id_number"]) in raw
    assert "139****9000" in raw
    leaked = [value for value in FULL_VALUES if value in raw]
    assert leaked == []


def test_registration_keeps_the_mobile_out_of_the_audit_table(client, session):
    from tests.factories import district, industry, make_credit_code

    response = client.post(
        "/register",
        data={
            "unit_name": "上海审计测试银行",
            "credit_code": make_credit_code(987),
            "district_id": district().id,
            "industry_id": industry().id,
            "contact_name": "赵敏",
            "mobile": "13712345678",
            "email": "zhao@example.com",
            "password": "a-long-password-1",
            "confirm": "a-long-password-1",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    raw = _raw_audit_text(session)
    assert "137****5678" in raw
    assert "13712345678" not in raw


def test_an_investigator_holding_a_value_finds_the_entries_that_speak_of_it(app, client, session):
    team, person = _save_both_packets(client)
    found = audit.entries_mentioning(session, INDIVIDUAL_FIELDS["id_number"].lower())
    assert {(e.object_type, e.object_id) for e in found} == {("application", str(person.id))}
    assert audit.entries_mentioning(session, "110101199003070000") == []

    result = app.test_cli_runner().invoke(args=["audit", "match", MEMBERS[0]["id_number"]])
    assert result.exit_code == 0
    assert f"application {team.id}" in result.output
    assert f"application {person.id}" not in result.output


def test_the_office_audit_page_shows_masked_values_only(client, login, session):
    _save_both_packets(client)
    login(make_user(Role.OFFICE))
    page = client.get("/office/audit").get_data(as_text=True)
    assert mask_id_number(INDIVIDUAL_FIELDS["id_number"]) in page
    assert [value for value in FULL_VALUES if value in page] == []
