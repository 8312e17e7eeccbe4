"""/api/v1/applications: who sees which packet, editing with lock_version, uploads, submission."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from jsonschema import Draft202012Validator

from portal.accounts.models import Role
from portal.api.applications import visible_applications
from portal.applications import rules, service
from portal.applications.models import Application, ApplicationState, FileCategory
from portal.campaigns.models import CategoryKind
from portal.db import get_session, utcnow
from portal.organizations.models import OrgKind
from tests.api.helpers import token_for
from tests.applications.helpers import (
    INDIVIDUAL_FIELDS,
    MEMBERS,
    PDF,
    PNG,
    TEAM_FIELDS,
    attach,
    make_complete,
    make_draft,
    make_submitted,
    open_campaign,
)
from tests.factories import SHANGHAI, district, make_org, make_user

ROLES = ("enterprise", "channel_reviewer", "office", "organizer", "expert", "admin")


class Api:
    """Requests with one token per user, answers checked against the OpenAPI schemas."""

    def __init__(self, client):
        self.client = client
        self.tokens: dict[int, str] = {}
        document = client.get("/api/v1/openapi.json").get_json()
        self.components = document["components"]

    def __call__(self, method, path, user, *, schema=None, **kwargs):
        if user.id not in self.tokens:
            self.tokens[user.id] = token_for(user)
        headers = {"Authorization": f"Bearer {self.tokens[user.id]}", **kwargs.pop("headers", {})}
        sep = "&" if "?" in path else "?"
        response = self.client.open(f"{path}{sep}lang=en", method=method, headers=headers, **kwargs)
        if schema is not None:
            root = {"$ref": f"#/components/schemas/{schema}", "components": self.components}
            body = response.get_json()
            errors = [e.message for e in Draft202012Validator(root).iter_errors(body)]
            assert errors == [], (method, path, schema, errors)
        return response


@pytest.fixture
def api(client):
    return Api(client)


def _upload(api, app, user, content, name, category="evidence", **kwargs):
    return api(
        "PUT",
        f"/api/v1/applications/{app.id}/files?category={category}&filename={name}",
        user,
        data=content,
        headers={"Content-Type": "application/octet-stream"},
        **kwargs,
    )


# --- visibility -----------------------------------------------------------------------------


@pytest.fixture
def packets(session):
    """Drafts and submitted packets of two enterprises in huangpu and one in xuhui."""
    campaign = open_campaign()
    own = make_user(Role.ENTERPRISE)
    xuhui = make_user(Role.ENTERPRISE, organization=make_org(district=district("xuhui")))
    return {
        "own_draft": make_draft(own, campaign=campaign),
        "own_submitted": make_submitted(own, campaign=campaign),
        "other_submitted": make_submitted(campaign=campaign),
        "xuhui_submitted": make_submitted(xuhui, campaign=campaign),
        "xuhui_draft": make_draft(xuhui, campaign=campaign),
        "own": own,
    }


def _readers(packets):
    return {
        "enterprise": packets["own"],
        "channel_reviewer": make_user(Role.CHANNEL_REVIEWER),
        "office": make_user(Role.OFFICE),
        "organizer": make_user(Role.ORGANIZER),
        "expert": make_user(Role.EXPERT),
        "admin": make_user(Role.ADMIN),
    }


EXPECTED = {
    "enterprise": ["own_submitted", "own_draft"],
    "channel_reviewer": ["other_submitted", "own_submitted"],
    "office": ["xuhui_submitted", "other_submitted", "own_submitted"],
    "organizer": [],
    "expert": [],
    "admin": [],
}


@pytest.mark.parametrize("role", ROLES)
def test_each_role_lists_and_opens_exactly_the_packets_the_web_shows_it(api, packets, role):
    user = _readers(packets)[role]
    names = {app.id: name for name, app in packets.items() if name != "own"}
    listed = api("GET", "/api/v1/applications", user, schema="ApplicationPage").get_json()
    assert [names[row["id"]] for row in listed["data"]] == EXPECTED[role]
    assert listed["meta"]["total"] == len(EXPECTED[role])
    for name, app in packets.items():
        if name == "own":
            continue
        status = api("GET", f"/api/v1/applications/{app.id}", user).status_code
        assert status == (200 if name in EXPECTED[role] else 404), name


def test_the_list_query_agrees_with_the_view_predicate_for_every_role(session, packets):
    users = _readers(packets)
    users["xuhui_reviewer"] = make_user(
        Role.CHANNEL_REVIEWER, organization=make_org(OrgKind.CHANNEL, district=district("xuhui"))
    )
    apps = session.query(Application).all()
    for user in users.values():
        listed = set(
            session.scalars(
                Application.__table__.select()
                .with_only_columns(Application.id)
                .where(visible_applications(user))
            )
        )
        assert listed == {a.id for a in apps if rules.can_view_application(user, a)}, user.role


def test_list_filters_by_state(api, packets):
    listed = api("GET", "/api/v1/applications?state=draft", packets["own"]).get_json()
    assert [row["id"] for row in listed["data"]] == [packets["own_draft"].id]
    bad = api("GET", "/api/v1/applications?state=won", packets["own"], schema="Error")
    assert bad.status_code == 400
    assert bad.get_json()["error"]["message"] == (
        "Unknown value 'won' for state; use one of: draft, submitted, returned, "
        "not_recommended, channel_approved, recommended, incomplete, rejected, accepted, "
        "candidate, "
        "not_selected, disqualified, awarded."
    )


# --- creating and editing -------------------------------------------------------------------


def test_an_enterprise_creates_a_draft_in_the_open_campaign(api, session):
    campaign = open_campaign()
    user = make_user(Role.ENTERPRISE, organization=make_org(address="上海市中山东一路1号"))
    response = api(
        "POST", "/api/v1/applications", user, json={"category": "team"}, schema="Application"
    )
    assert response.status_code == 201
    body = response.get_json()
    assert response.headers["Location"] == f"/api/v1/applications/{body['id']}"
    assert body["state"] == "draft"
    assert body["campaign"] == {"id": campaign.id, "year": campaign.year}
    assert body["category"]["kind"] == "team"
    assert body["fields"]["unit_address"] == "上海市中山东一路1号"
    assert body["fields"]["team_name"] is None
    assert "person_name" not in body["fields"]
    assert body["missing"][:2] == ["Fill in “Nature of the unit”.", "Fill in “Postcode”."]
    assert body["versions"] == [] and body["files"] == []


def test_creating_needs_a_known_category_and_an_enterprise(api, session):
    open_campaign()
    user = make_user(Role.ENTERPRISE)
    bad = api(
        "POST", "/api/v1/applications", user, json={"category": "x"}, schema="ApplicationError"
    )
    assert bad.status_code == 422
    assert bad.get_json()["error"]["problems"] == {
        "category": "Choose the category by its code: team, individual."
    }
    office = api("POST", "/api/v1/applications", make_user(Role.OFFICE), json={"category": "team"})
    assert office.status_code == 403
    assert session.query(Application).count() == 0


def test_patch_saves_fields_and_members_and_computes_the_figures(api, session):
    app = make_draft()
    version = app.lock_version
    response = api(
        "PATCH",
        f"/api/v1/applications/{app.id}",
        app.created_by,
        json={"lock_version": version, "fields": TEAM_FIELDS, "members": MEMBERS},
        schema="Application",
    )
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    session.expire_all()
    assert body["lock_version"] == session.get(Application, app.id).lock_version > version
    assert body["fields"]["team_name"] == "外滩营业部服务班组"
    assert body["fields"]["satisfaction_rate"] == 99.2
    assert body["fields"]["team_founded_on"] == "2015-03-01"
    # Ages on the reference date 2026-11-10: 40, 29 and 26.
    assert body["figures"] == {
        "member_count": 3,
        "average_age": 31.7,
        "women_count": 2,
        "women_share": 66.7,
        "birth_date": None,
        "sex": None,
        "age": None,
        "years_in_post": None,
    }
    assert [(m["name"], m["sex"], m["birth_date"]) for m in body["members"]] == [
        ("李红", "female", "1986-01-20"),
        ("张伟", "male", "1996-12-01"),
        ("陈静", "female", "2000-11-10"),
    ]


def test_a_stale_lock_version_is_refused_and_saves_nothing(api, session):
    app = make_draft()
    read = app.lock_version
    path = f"/api/v1/applications/{app.id}"
    first = api("PATCH", path, app.created_by, json={"lock_version": read, "fields": TEAM_FIELDS})
    assert first.status_code == 200
    now = first.get_json()["lock_version"]
    stale = api(
        "PATCH",
        path,
        app.created_by,
        json={"lock_version": read, "fields": {"team_name": "另一个名字"}},
        schema="ApplicationError",
    )
    assert stale.status_code == 409
    assert stale.get_json()["error"] == {
        "code": "stale",
        "message": "The application was saved by someone else after you read it: you sent "
        f"lock_version {read}, it is now {now}. Nothing was saved; read it again and repeat "
        "your changes.",
        "lock_version": now,
    }
    assert (
        api("GET", path, app.created_by).get_json()["fields"]["team_name"] == "外滩营业部服务班组"
    )
    missing = api("PATCH", path, app.created_by, json={"fields": {}})
    assert missing.status_code == 422
    assert missing.get_json()["error"]["problems"] == {
        "lock_version": "Send the lock_version of the application as you last read it "
        f"(it is {now} now)."
    }


def test_every_field_problem_is_listed_at_once_with_the_web_messages(api, session):
    app = make_draft()
    response = api(
        "PATCH",
        f"/api/v1/applications/{app.id}",
        app.created_by,
        json={
            "lock_version": app.lock_version,
            "fields": {
                "team_name": "好班组",
                "unit_postcode": "2000",
                "leader_mobile": "23800138000",
                "satisfaction_rate": 101,
                "person_name": "王芳",
                "team_founded_on": ["2015"],
            },
            "members": [{"name": "李红", "id_number": "310101198601201234"}],
        },
        schema="ApplicationError",
    )
    assert response.status_code == 422
    assert response.get_json()["error"]["problems"] == {
        "unit_postcode": "A postcode has 6 digits.",
        "leader_mobile": "A mobile number has 11 digits and starts with 1.",
        "satisfaction_rate": "A percentage lies between 0 and 100.",
        "person_name": "There is no field person_name on this form; the fields are: unit_nature, "
        "unit_superior, unit_address, unit_postcode, team_name, team_founded_on, leader_name, "
        "leader_post, leader_mobile, service_content, customers_served, on_time_rate, "
        "satisfaction_rate, grievance_rate, complaint_rate, complaint_handling_rate, "
        "deeds_summary, unit_opinion.",
        "team_founded_on": "Send this field's value as text or a number.",
        "members-0-id_number": "The check character (the last one) of this ID number is wrong; "
        "please check the number against the ID card.",
    }
    body = api("GET", f"/api/v1/applications/{app.id}", app.created_by).get_json()
    assert (body["lock_version"], body["fields"]["team_name"], body["members"]) == (
        app.lock_version,
        None,
        [],
    )


def test_unknown_fields_alone_also_leave_the_draft_unchanged(api, session):
    app = make_draft()
    response = api(
        "PATCH",
        f"/api/v1/applications/{app.id}",
        app.created_by,
        json={"lock_version": app.lock_version, "fields": {"team_name": "好班组", "colour": "x"}},
    )
    assert response.status_code == 422
    assert list(response.get_json()["error"]["problems"]) == ["colour"]
    body = api("GET", f"/api/v1/applications/{app.id}", app.created_by).get_json()
    assert (body["lock_version"], body["fields"]["team_name"]) == (app.lock_version, None)


def test_another_enterprise_cannot_learn_that_a_draft_exists(api, session):
    app = make_draft()
    stranger = make_user(Role.ENTERPRISE)
    path = f"/api/v1/applications/{app.id}"
    assert api("GET", path, stranger).status_code == 404
    patched = api("PATCH", path, stranger, json={"lock_version": 1}, schema="Error")
    assert patched.status_code == 404
    assert patched.get_json()["error"]["message"] == (
        f"There is no application with the id {app.id}."
    )
    assert _upload(api, app, stranger, PDF, "a.pdf").status_code == 404
    assert api("POST", path + "/submit", stranger).status_code == 404


# --- files ----------------------------------------------------------------------------------


def test_a_png_named_pdf_is_stored_as_png_with_its_hash(api, session):
    app = make_draft()
    response = _upload(api, app, app.created_by, PNG, "photo.pdf", schema="StoredFile")
    assert response.status_code == 201
    body = response.get_json()
    assert {k: body[k] for k in ("category", "filename", "kind", "content_type", "size")} == {
        "category": "evidence",
        "filename": "photo.png",
        "kind": "png",
        "content_type": "image/png",
        "size": len(PNG),
    }
    assert body["sha256"] == hashlib.sha256(PNG).hexdigest()
    assert response.headers["Location"] == body["url"]
    download = api("GET", body["url"], app.created_by)
    assert download.status_code == 200
    assert download.data == PNG
    assert download.headers["Content-Type"] == "image/png"
    listed = api("GET", f"/api/v1/applications/{app.id}", app.created_by).get_json()["files"]
    assert [(f["id"], f["filename"], f["size"]) for f in listed] == [
        (body["id"], "photo.png", len(PNG))
    ]


def test_a_text_file_is_refused_and_the_draft_is_unchanged(api, session):
    app = make_draft()
    attach(app, FileCategory.EVIDENCE)
    session.commit()
    response = _upload(api, app, app.created_by, b"just some notes\n", "notes.pdf")
    assert response.status_code == 422
    assert response.get_json()["error"] == {
        "code": "upload_rejected",
        "message": "The content of “notes.pdf” is not a PDF, JPEG, PNG, Word (.docx) or Excel "
        "(.xlsx) file, whatever its name says.",
        "reason": "unrecognised",
    }
    files = api("GET", f"/api/v1/applications/{app.id}", app.created_by).get_json()["files"]
    assert [f["filename"] for f in files] == ["scan.pdf"]


def test_the_packet_cap_refuses_the_file_that_would_pass_it(api, session):
    app = make_draft(campaign=open_campaign(max_file_mb=1, max_packet_mb=1))
    big = PNG + b"\x00" * (700 * 1024 - len(PNG))
    assert _upload(api, app, app.created_by, big, "a.png", "photo").status_code == 201
    second = _upload(api, app, app.created_by, big, "b.png", "photo", schema="ApplicationError")
    assert second.status_code == 422
    assert second.get_json()["error"]["message"] == (
        "The file “b.png” would take the application packet over its limit of 1 MB; 324 KB is left."
    )
    assert second.get_json()["error"]["reason"] == "packet_too_large"
    files = api("GET", f"/api/v1/applications/{app.id}", app.created_by).get_json()["files"]
    assert [f["filename"] for f in files] == ["a.png"]


def test_uploads_need_a_category_and_a_raw_body(api, session):
    app = make_draft()
    no_category = api(
        "PUT",
        f"/api/v1/applications/{app.id}/files?filename=a.pdf",
        app.created_by,
        data=PDF,
        headers={"Content-Type": "application/octet-stream"},
    )
    assert no_category.status_code == 400
    assert no_category.get_json()["error"]["parameter"] == "category"
    form = api(
        "POST",
        f"/api/v1/applications/{app.id}/files?category=evidence&filename=a.pdf",
        app.created_by,
        data={"file": (PDF, "a.pdf")},
    )
    assert form.status_code == 415
    assert app.files == []


def test_deleting_a_file_takes_it_out_of_the_draft_only(api, session):
    app = make_draft()
    link = attach(app, FileCategory.EVIDENCE)
    session.commit()
    path = f"/api/v1/applications/{app.id}/files/{link.stored_file_id}"
    assert api("DELETE", path, app.created_by).status_code == 204
    assert api("GET", path, app.created_by).status_code == 404
    assert api("DELETE", path, app.created_by).status_code == 404
    submitted = make_submitted()
    first = submitted.files[0].stored_file_id
    refused = api(
        "DELETE",
        f"/api/v1/applications/{submitted.id}/files/{first}",
        submitted.created_by,
        schema="ApplicationError",
    )
    assert refused.status_code == 409
    assert refused.get_json()["error"]["code"] == "not_editable"


def test_downloads_follow_the_web_permissions(api, session):
    submitted = make_submitted()
    draft = make_draft(submitted.created_by, campaign=submitted.campaign)
    draft_file = attach(draft, FileCategory.EVIDENCE).stored_file_id
    sent = submitted.files[0].stored_file_id
    reviewer = make_user(Role.CHANNEL_REVIEWER)
    office = make_user(Role.OFFICE)
    stranger = make_user(Role.ENTERPRISE)
    url = f"/api/v1/applications/{submitted.id}/files/{sent}"
    for user, status in ((submitted.created_by, 200), (reviewer, 200), (office, 200)):
        response = api("GET", url, user)
        assert (response.status_code, response.data) == (status, PDF)
    assert api("GET", url, stranger).status_code == 404
    assert api("GET", url, make_user(Role.EXPERT)).status_code == 404
    draft_url = f"/api/v1/applications/{draft.id}/files/{draft_file}"
    assert api("GET", draft_url, reviewer).status_code == 404
    assert api("GET", draft_url, office).status_code == 404
    # A file of another packet is not reachable through this one.
    assert (
        api("GET", f"/api/v1/applications/{submitted.id}/files/{draft_file}", office).status_code
        == 404
    )


# --- submission -----------------------------------------------------------------------------


def test_submit_freezes_one_version_and_a_second_submit_is_refused(api, session):
    app = make_complete()
    session.commit()
    path = f"/api/v1/applications/{app.id}/submit"
    first = api("POST", path, app.created_by, schema="ApplicationVersion")
    assert first.status_code == 201
    body = first.get_json()
    assert (body["number"], body["application_id"]) == (1, app.id)
    assert first.headers["Location"] == f"/api/v1/applications/{app.id}/versions/1"
    assert body["fields"]["team_name"] == "外滩营业部服务班组"
    assert [f["category"] for f in body["files"]] == ["sealed_form", "evidence", "survey"]
    second = api("POST", path, app.created_by, schema="ApplicationError")
    assert second.status_code == 409
    assert second.get_json()["error"] == {
        "code": "already_submitted",
        "message": "This application is already submitted.",
    }
    detail = api("GET", f"/api/v1/applications/{app.id}", app.created_by).get_json()
    assert detail["state"] == "submitted"
    assert [v["number"] for v in detail["versions"]] == [1]
    assert detail["missing"] == []
    version = api("GET", f"/api/v1/applications/{app.id}/versions/1", app.created_by)
    assert version.get_json() == body
    assert (
        api("GET", f"/api/v1/applications/{app.id}/versions/2", app.created_by).status_code == 404
    )


def test_an_incomplete_packet_is_refused_with_everything_missing(api, session):
    app = make_draft(kind=CategoryKind.INDIVIDUAL)
    response = api(
        "POST", f"/api/v1/applications/{app.id}/submit", app.created_by, schema="ApplicationError"
    )
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "incomplete"
    assert error["missing"] == [
        "Fill in “Nature of the unit”.",
        "Fill in “Address”.",
        "Fill in “Postcode”.",
        "Fill in “Name”.",
        "Fill in “Resident ID number”.",
        "Fill in “Ethnicity”.",
        "Fill in “Political status”.",
        "Fill in “Education”.",
        "Fill in “Date started work”.",
        "Fill in “Date started the current post”.",
        "Fill in “Post or position”.",
        "Fill in “Mobile”.",
        "Fill in “Main service content”.",
        "Fill in “Customers served”.",
        "Fill in “Customer satisfaction rate (%)”.",
        "Fill in “Summary of deeds”.",
        "Write the introductory material, or upload it as a file.",
        "Upload the scan of the sealed application form.",
        "Upload at least one evidentiary document.",
        "Upload the customer evaluation surveys.",
    ]
    assert session.get(Application, app.id).versions == []


def test_submit_one_second_after_the_deadline_in_shanghai_is_refused(api, session):
    app = make_complete()
    deadline = (utcnow() - timedelta(seconds=1)).astimezone(SHANGHAI)
    app.campaign.application_deadline = deadline
    session.commit()
    response = api(
        "POST", f"/api/v1/applications/{app.id}/submit", app.created_by, schema="ApplicationError"
    )
    assert response.status_code == 409
    assert response.get_json()["error"] == {
        "code": "deadline_passed",
        "message": f"Applications closed at {deadline:%Y-%m-%d %H:%M} (Beijing time).",
    }
    session.expire_all()
    assert session.get(Application, app.id).state is ApplicationState.DRAFT


def test_submit_just_before_the_deadline_is_accepted(api, session):
    app = make_complete()
    app.campaign.application_deadline = (utcnow() + timedelta(minutes=1)).astimezone(SHANGHAI)
    session.commit()
    response = api("POST", f"/api/v1/applications/{app.id}/submit", app.created_by)
    assert response.status_code == 201


def test_withdraw_makes_the_packet_a_draft_hidden_from_reviewers(api, session):
    app = make_submitted()
    reviewer = make_user(Role.CHANNEL_REVIEWER)
    assert api("GET", f"/api/v1/applications/{app.id}", reviewer).status_code == 200
    response = api(
        "POST", f"/api/v1/applications/{app.id}/withdraw", app.created_by, schema="Application"
    )
    assert response.status_code == 200
    body = response.get_json()
    assert body["state"] == "draft"
    assert body["versions"][0]["withdrawn_at"] is not None
    assert api("GET", f"/api/v1/applications/{app.id}", reviewer).status_code == 404
    again = api("POST", f"/api/v1/applications/{app.id}/withdraw", app.created_by)
    assert again.status_code == 409
    assert again.get_json()["error"]["message"] == (
        "Only a submitted application can be withdrawn or returned."
    )


# --- personal data --------------------------------------------------------------------------


def test_reviewers_get_id_numbers_and_mobiles_masked(api, session):
    app = make_submitted(kind=CategoryKind.INDIVIDUAL)
    id_number = INDIVIDUAL_FIELDS["id_number"]
    masked_id = id_number[:4] + "**********" + id_number[-4:]
    reviewer = make_user(Role.CHANNEL_REVIEWER)
    office = make_user(Role.OFFICE)
    for user, expected, birth_date in (
        (app.created_by, (id_number, "13900139000"), "1990-05-17"),
        (office, (id_number, "13900139000"), "1990-05-17"),
        (reviewer, (masked_id, "139****9000"), None),
    ):
        for path, schema in (
            (f"/api/v1/applications/{app.id}", "Application"),
            (f"/api/v1/applications/{app.id}/versions/1", "ApplicationVersion"),
        ):
            body = api("GET", path, user, schema=schema).get_json()
            assert (body["fields"]["id_number"], body["fields"]["mobile"]) == expected, user.role
            assert body["figures"]["birth_date"] == birth_date
            assert body["figures"]["sex"] == "female"


def test_reviewers_see_team_members_id_numbers_masked(api, session):
    app = make_submitted()
    reviewer = make_user(Role.CHANNEL_REVIEWER)
    body = api("GET", f"/api/v1/applications/{app.id}", reviewer, schema="Application").get_json()
    assert body["shown_version"] == 1
    assert body["fields"]["leader_mobile"] == "138****8000"
    full = MEMBERS[0]["id_number"]
    assert [m["id_number"] for m in body["members"]] == [
        full[:4] + "**********" + full[-4:],
        None,
        None,
    ]
    own = api("GET", f"/api/v1/applications/{app.id}", app.created_by).get_json()
    assert own["shown_version"] is None
    assert own["members"][0]["id_number"] == full
    assert own["fields"]["leader_mobile"] == "13800138000"


def test_reviewers_read_the_submitted_version_not_later_edits(api, session):
    app = make_submitted()
    reviewer = make_user(Role.CHANNEL_REVIEWER)
    service.return_for_revision(get_session(), app.id, reviewer, "补充")
    service.update_application(
        get_session(), app, app.created_by, fields={"team_name": "改过的名字"}
    )
    session.commit()
    body = api("GET", f"/api/v1/applications/{app.id}", reviewer).get_json()
    assert (body["state"], body["fields"]["team_name"]) == ("returned", "外滩营业部服务班组")
    assert body["return_reason"] == "补充"
    own = api("GET", f"/api/v1/applications/{app.id}", app.created_by).get_json()
    assert own["fields"]["team_name"] == "改过的名字"


def test_the_list_runs_as_many_statements_for_twelve_packets_as_for_one(client, session):
    from tests.api.helpers import auth_headers
    from tests.querycount import counting

    user = make_user(Role.ENTERPRISE)
    headers = auth_headers(user)

    def statements(rows: int) -> int:
        session.expunge_all()
        with counting(session.connection()) as seen:
            response = client.get("/api/v1/applications?per_page=100", headers=headers)
        assert len(response.get_json()["data"]) == rows
        return len(seen)

    make_draft(user)
    one = statements(1)
    user = session.merge(user)
    for n in range(11):
        make_draft(user, CategoryKind.INDIVIDUAL if n % 2 else CategoryKind.TEAM)
    assert statements(12) == one
