"""Personal data of a packet: full only for its enterprise and the office, masked for every other
reader on every page, API answer and Word form, and each look by the office kept in the audit."""

from __future__ import annotations

from io import BytesIO

import pytest
import sqlalchemy as sa
from docx import Document

from portal.accounts.models import Role
from portal.applications.models import ApplicationState
from portal.audit import AuditEntry
from portal.campaigns.models import CategoryKind
from tests.api.helpers import token_for
from tests.applications.helpers import INDIVIDUAL_FIELDS, MEMBERS, TEAM_FIELDS, make_submitted
from tests.factories import make_org, make_user
from tests.scoring.helpers import assigned_sheet, make_expert

ID_NUMBER = INDIVIDUAL_FIELDS["id_number"]  # born 1990-05-17
MOBILE = INDIVIDUAL_FIELDS["mobile"]
MASKED_ID = ID_NUMBER[:4] + "**********" + ID_NUMBER[-4:]
MASKED_MOBILE = MOBILE[:3] + "****" + MOBILE[-4:]

FULL, MASKED, HIDDEN = "full", "masked", "hidden"
EXPECTED = {
    "owner": FULL,
    "office": FULL,
    "channel_reviewer": MASKED,
    "expert": MASKED,
    "other_enterprise": HIDDEN,
    "organizer": HIDDEN,
    "admin": HIDDEN,
}


def _reader(who: str, app):
    """The user of that role, able to open the packet wherever the role may."""
    if who == "owner":
        return app.created_by
    if who == "other_enterprise":
        return make_user(Role.ENTERPRISE, organization=make_org())
    if who == "expert":
        app.state = ApplicationState.ACCEPTED
        expert = make_expert()
        assigned_sheet(expert, app=app)
        return expert.user
    return make_user(Role(who))


def _word_text(data: bytes) -> str:
    doc = Document(BytesIO(data))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def _api(client, user, path):
    response = client.get(path, headers={"Authorization": f"Bearer {token_for(user)}"})
    return response.status_code, response.get_json()


def _views(client, login, user, app) -> dict[str, tuple[int, str]]:
    """Status and text of the packet's page, API detail, API version and Word form."""
    login(user)
    page = client.get(f"/applications/{app.id}/versions/1")
    word = client.get(f"/applications/{app.id}/versions/1/form.docx")
    detail = _api(client, user, f"/api/v1/applications/{app.id}")
    version = _api(client, user, f"/api/v1/applications/{app.id}/versions/1")
    return {
        "page": (page.status_code, page.get_data(as_text=True)),
        "word_form": (word.status_code, _word_text(word.data) if word.status_code == 200 else ""),
        "api_detail": (detail[0], str(detail[1])),
        "api_version": (version[0], str(version[1])),
    }


@pytest.mark.parametrize("who", list(EXPECTED))
def test_id_number_and_mobile_shown_in_full_only_to_the_enterprise_and_the_office(
    client, login, session, who
):
    app = make_submitted(kind=CategoryKind.INDIVIDUAL)
    user = _reader(who, app)
    session.commit()
    expected = EXPECTED[who]
    for where, (status, text) in _views(client, login, user, app).items():
        if expected == HIDDEN:
            assert status == 404, (where, status)
            continue
        assert status == 200, (where, status)
        assert (ID_NUMBER in text, MOBILE in text) == (expected == FULL,) * 2, where
        assert (MASKED_ID in text, MASKED_MOBILE in text) == (expected == MASKED,) * 2, where


@pytest.mark.parametrize("who", ["owner", "office", "channel_reviewer", "expert"])
def test_birth_date_shown_only_to_the_enterprise_and_the_office(client, login, session, who):
    app = make_submitted(kind=CategoryKind.INDIVIDUAL)
    user = _reader(who, app)
    session.commit()
    full = EXPECTED[who] == FULL
    views = _views(client, login, user, app)
    for where in ("page", "word_form"):
        text = views[where][1]
        assert ("1990-05-17" in text, "1990-**-**" in text) == (full, not full), where
    for where in ("api_detail", "api_version"):
        assert ("1990-05-17" in views[where][1]) is full, where


@pytest.mark.parametrize("who", ["owner", "office", "channel_reviewer"])
def test_team_members_id_numbers_and_leader_mobile_masked_in_the_word_form(
    client, login, session, who
):
    app = make_submitted()
    user = _reader(who, app)
    session.commit()
    login(user)
    response = client.get(f"/applications/{app.id}/versions/1/form.docx")
    assert response.status_code == 200
    text = _word_text(response.data)
    member_id, leader = MEMBERS[0]["id_number"], TEAM_FIELDS["leader_mobile"]
    full = EXPECTED[who] == FULL
    assert (member_id in text, leader in text) == (full, full)
    assert (member_id[:4] + "**********" + member_id[-4:] in text) is not full
    assert (leader[:3] + "****" + leader[-4:] in text) is not full


def _view_entries(session) -> list[AuditEntry]:
    session.expire_all()
    return list(
        session.scalars(
            sa.select(AuditEntry)
            .where(AuditEntry.action == "personal_data.view")
            .order_by(AuditEntry.id)
        )
    )


@pytest.mark.parametrize(
    ("path", "where"),
    [
        ("/applications/{id}/versions/1", "page"),
        ("/review/applications/{id}", "review_page"),
        ("/applications/{id}/versions/1/form.docx", "word_form"),
        ("/api/v1/applications/{id}", "api_detail"),
        ("/api/v1/applications/{id}/versions/1", "api_version"),
    ],
)
def test_an_office_look_writes_one_entry_naming_reader_and_packet_without_values(
    client, login, session, path, where
):
    app = make_submitted(kind=CategoryKind.INDIVIDUAL)
    office = make_user(Role.OFFICE)
    session.commit()
    login(office)
    headers = {"Authorization": f"Bearer {token_for(office)}"} if path.startswith("/api") else {}
    assert client.get(path.format(id=app.id), headers=headers).status_code == 200
    entries = _view_entries(session)
    assert [(e.actor_id, e.object_type, e.object_id) for e in entries] == [
        (office.id, type(app).__tablename__, str(app.id))
    ]
    assert entries[0].after == {"where": where, "organization_id": app.organization_id}
    raw = session.execute(
        sa.text("SELECT * FROM audit_entry WHERE id = :id"), {"id": entries[0].id}
    )
    row = " ".join(str(v) for v in raw.one())
    assert ID_NUMBER not in row and MOBILE not in row and "1990-05-17" not in row


@pytest.mark.parametrize("who", ["owner", "channel_reviewer", "expert"])
def test_a_look_by_anyone_but_the_office_writes_no_entry(client, login, session, who):
    app = make_submitted(kind=CategoryKind.INDIVIDUAL)
    user = _reader(who, app)
    session.commit()
    _views(client, login, user, app)
    assert _view_entries(session) == []


@pytest.mark.parametrize("who", ["office", "channel_reviewer"])
def test_the_review_page_masks_personal_data_for_the_channel_only(client, login, session, who):
    app = make_submitted(kind=CategoryKind.INDIVIDUAL)
    user = _reader(who, app)
    session.commit()
    login(user)
    response = client.get(f"/review/applications/{app.id}")
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    full = EXPECTED[who] == FULL
    assert (ID_NUMBER in text, MOBILE in text, "1990-05-17" in text) == (full,) * 3
    assert (MASKED_ID in text, MASKED_MOBILE in text) == (not full,) * 2
