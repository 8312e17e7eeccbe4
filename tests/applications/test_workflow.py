"""Completeness, deadlines, submitting once, versions, withdrawal and return for revision."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from portal.accounts.models import Role
from portal.applications import service, workflow
from portal.applications.files import remove_file
from portal.applications.models import (
    ApplicationState,
    ApplicationVersion,
    FileCategory,
)
from portal.campaigns.models import CategoryKind
from portal.db import get_session
from portal.organizations.models import ChannelLevel, OrgKind
from portal.refusals import Refusal
from tests.applications.helpers import (
    attach,
    make_complete,
    make_draft,
    make_submitted,
    open_campaign,
)
from tests.factories import industry, make_org, make_user, shanghai

S = ApplicationState


def _missing_texts(app) -> list[str]:
    return [str(m) for m in service.completeness(app)]


def test_an_empty_draft_is_told_everything_missing_at_once(app, session):
    draft = make_draft()
    with app.test_request_context(), pytest.raises(service.Incomplete) as err:
        service.submit_application(session, draft.id, draft.created_by)
    with app.test_request_context():
        texts = [str(m) for m in err.value.missing]
    # 12 required team fields, members, narrative or introduction, 3 required file kinds
    assert len(texts) == 17
    assert "Upload the scan of the sealed application form." in texts
    assert "List the team's members." in texts
    assert "Write the introductory material, or upload it as a file." in texts
    assert draft.state is S.DRAFT
    assert session.scalar(sa.select(sa.func.count()).select_from(ApplicationVersion)) == 0


def test_an_introduction_file_stands_in_for_the_narrative(app, session):
    draft = make_complete()
    service.update_application(session, draft, draft.created_by, fields={}, narrative="")
    with app.test_request_context():
        assert _missing_texts(draft) == ["Write the introductory material, or upload it as a file."]
    attach(draft, FileCategory.INTRODUCTION)
    assert service.completeness(draft) == []


@pytest.mark.parametrize(
    "delta, ok",
    [(-1, False), (0, True), (1000, True), (1001, False)],
    ids=["min-1", "min", "max", "max+1"],
)
def test_narrative_limits_in_chinese_characters(app, session, delta, ok):
    draft = make_complete()  # team: 2000 to 3000 characters
    cat = draft.category
    count = cat.narrative_min_chars + delta
    # Latin letters, digits and punctuation do not count towards the limits.
    text = "服" * count + " ABC 123，。"
    warnings = service.update_application(
        session, draft, draft.created_by, fields={}, narrative=text
    )
    assert warnings == ([] if ok else ["narrative_short" if delta < 0 else "narrative_long"])
    with app.test_request_context():
        missing = _missing_texts(draft)
    if ok:
        assert missing == []
    elif delta < 0:
        assert missing == [
            "The introductory material has 1999 Chinese characters; at least 2000 are needed."
        ]
    else:
        assert missing == [
            "The introductory material has 3001 Chinese characters; at most 3000 are allowed."
        ]


def _campaign_closing_at_five():
    return open_campaign(
        year=2098,
        application_deadline=shanghai(2026, 11, 10, 17, 0),
        recommendation_deadline=shanghai(2026, 11, 15, 17, 0),
        review_deadline=shanghai(2026, 11, 25, 17, 0),
    )


def test_submit_one_second_before_the_deadline_in_shanghai(session):
    campaign = _campaign_closing_at_five()
    draft = make_complete(campaign=campaign, now=shanghai(2026, 11, 1, 9, 0))
    version = service.submit_application(
        session, draft.id, draft.created_by, now=shanghai(2026, 11, 10, 16, 59, 59)
    )
    assert version.number == 1
    assert draft.state is S.SUBMITTED
    assert version.submitted_at == shanghai(2026, 11, 10, 16, 59, 59)


@pytest.mark.parametrize("second", [(17, 0, 0), (17, 0, 1)], ids=["at", "one-second-after"])
def test_submit_at_or_after_the_deadline_is_refused(session, second):
    campaign = _campaign_closing_at_five()
    draft = make_complete(campaign=campaign, now=shanghai(2026, 11, 1, 9, 0))
    with pytest.raises(service.ApplicationError) as err:
        service.submit_application(
            session, draft.id, draft.created_by, now=shanghai(2026, 11, 10, *second)
        )
    assert err.value.key == "deadline_passed"
    assert draft.state is S.DRAFT


def test_the_workflow_guard_also_refuses_after_the_deadline(session):
    """Even a caller that skips the service's own check cannot fire submit late."""
    draft = make_complete()
    draft.campaign.application_deadline = shanghai(2026, 11, 10, 17, 0)
    with pytest.raises(service.ApplicationError) as err:
        workflow.fire(
            session, draft, S.SUBMITTED, draft.created_by, now=shanghai(2026, 11, 10, 17, 0, 1)
        )
    assert err.value.refusal == Refusal(
        "application.deadline_passed", {"when": shanghai(2026, 11, 10, 17, 0)}
    )
    assert draft.state is S.DRAFT


def test_the_workflow_judges_the_deadline_at_the_instant_it_is_given(session):
    """The guard compares the deadline with the `now` the caller passes, not with the clock:
    one second before 17:00 Beijing time the move is made, though that day is long past."""
    draft = make_complete()
    draft.campaign.application_deadline = shanghai(2026, 11, 10, 17, 0)
    one_second_before = shanghai(2026, 11, 10, 16, 59, 59)
    draft.submitted_at = one_second_before
    workflow.fire(session, draft, S.SUBMITTED, draft.created_by, now=one_second_before)
    assert draft.state is S.SUBMITTED


def test_submitting_twice_makes_one_version(session):
    draft = make_complete()
    service.submit_application(session, draft.id, draft.created_by)
    with pytest.raises(service.ApplicationError) as err:
        service.submit_application(session, draft.id, draft.created_by)
    assert err.value.key == "already_submitted"
    assert [v.number for v in draft.versions] == [1]


def test_a_second_session_with_a_stale_copy_cannot_submit_again(app, session):
    draft = make_complete()
    assert draft.state is S.DRAFT  # this session now holds a copy that will go stale
    session.commit()
    other = app.extensions["portal.db"]["sessionmaker"]()
    try:
        user = other.get(type(draft.created_by), draft.created_by.id)
        service.submit_application(other, draft.id, user)
        other.commit()
    finally:
        other.close()
    assert draft.state is S.DRAFT  # stale, as after a double click in another worker
    with pytest.raises(service.ApplicationError) as err:
        service.submit_application(session, draft.id, draft.created_by)
    assert err.value.key == "already_submitted"
    count = session.scalar(
        sa.select(sa.func.count())
        .select_from(ApplicationVersion)
        .where(ApplicationVersion.application_id == draft.id)
    )
    assert count == 1


def test_version_snapshot_freezes_fields_members_and_files(session):
    draft = make_submitted()
    version = draft.versions[0]
    snap = version.snapshot
    assert snap["form"]["team"]["name"] == "外滩营业部服务班组"
    assert snap["form"]["team"]["member_count"] == "3"
    assert len(snap["members"]) == 3
    assert [f["category"] for f in snap["files"]] == ["sealed_form", "evidence", "survey"]
    assert all(len(f["sha256"]) == 64 for f in snap["files"])
    assert {f.id for f in version.stored_files} == {f["stored_file_id"] for f in snap["files"]}
    assert snap["narrative_chars"] == 2000


def test_return_then_resubmit_keeps_version_one_readable(session):
    draft = make_submitted()
    reviewer = make_user(Role.CHANNEL_REVIEWER)  # district channel of the same district
    service.return_for_revision(session, draft.id, reviewer, "请补充顾客评价调查表原件")
    assert draft.state is S.RETURNED
    assert service.return_reason(draft) == "请补充顾客评价调查表原件"
    owner = draft.created_by
    service.update_application(session, draft, owner, fields={"team_name": "外滩服务班组"})
    old_file = draft.files[2]
    remove_file(session, draft, owner, old_file.id)
    attach(draft, FileCategory.SURVEY, name="surveys-v2.pdf")
    v2 = service.submit_application(session, draft.id, owner)
    assert v2.number == 2
    v1 = service.get_version(draft, 1)
    assert v1.snapshot["form"]["team"]["name"] == "外滩营业部服务班组"
    assert v1.return_reason == "请补充顾客评价调查表原件"
    assert v2.snapshot["form"]["team"]["name"] == "外滩服务班组"
    # The survey of version 1 left the draft but stays in storage for version 1.
    assert old_file.stored_file_id in {f.id for f in v1.stored_files}
    assert session.get(type(old_file.stored_file), old_file.stored_file_id) is not None


def test_removing_a_file_that_never_was_submitted_deletes_it(session):
    draft = make_draft()
    link = attach(draft, FileCategory.EVIDENCE)
    stored_id = link.stored_file_id
    remove_file(session, draft, draft.created_by, link.id)
    from portal.files.models import StoredFile

    assert session.get(StoredFile, stored_id) is None
    assert draft.files == []


def test_return_needs_the_packets_own_channel_and_a_reason(session):
    draft = make_submitted()
    other_channel = make_org(
        OrgKind.CHANNEL,
        channel_level=ChannelLevel.INDUSTRY,
        district=None,
        industry=industry("railway"),
    )
    outsider = make_user(Role.CHANNEL_REVIEWER, organization=other_channel)
    with pytest.raises(service.ApplicationError) as err:
        service.return_for_revision(session, draft.id, outsider, "不属于本渠道")
    assert err.value.key == "not_in_channel"
    reviewer = make_user(Role.CHANNEL_REVIEWER)
    with pytest.raises(service.ApplicationError) as err:
        service.return_for_revision(session, draft.id, reviewer, "  ")
    assert err.value.key == "reason_required"
    assert draft.state is S.SUBMITTED


def test_withdraw_returns_to_draft_and_resubmission_is_version_two(session):
    draft = make_submitted()
    service.withdraw_application(session, draft.id, draft.created_by)
    assert draft.state is S.DRAFT
    assert draft.versions[0].withdrawn_at is not None
    v2 = service.submit_application(session, draft.id, draft.created_by)
    assert v2.number == 2


def test_withdraw_is_refused_once_review_has_started(session, monkeypatch):
    draft = make_submitted()
    # The review chain will answer this hook; here it says a stage has acted.
    monkeypatch.setattr(service.rules, "review_has_started", lambda app: True)
    with pytest.raises(service.ApplicationError) as err:
        service.withdraw_application(session, draft.id, draft.created_by)
    assert err.value.key == "review_started"
    assert draft.state is S.SUBMITTED


def test_another_enterprise_cannot_submit_or_withdraw(session):
    draft = make_complete()
    stranger = make_user(Role.ENTERPRISE)
    with pytest.raises(service.ApplicationError) as err:
        service.submit_application(session, draft.id, stranger)
    assert err.value.key == "not_allowed"
    with pytest.raises(service.ApplicationError):
        service.update_application(session, draft, stranger, fields={"team_name": "x"})


def test_a_stale_edit_is_refused(session):
    draft = make_draft()
    loaded_at = draft.lock_version
    service.update_application(session, draft, draft.created_by, fields={"team_name": "甲"})
    with pytest.raises(service.ApplicationError) as err:
        service.update_application(
            session, draft, draft.created_by, fields={"team_name": "乙"}, lock_version=loaded_at
        )
    assert err.value.key == "stale"
    assert draft.team_name == "甲"


def test_individual_packet_submits(session):
    draft = make_complete(kind=CategoryKind.INDIVIDUAL)
    version = service.submit_application(session, draft.id, draft.created_by)
    assert version.snapshot["form"]["person"]["sex"] == "女"
    assert version.snapshot["form"]["team"]["name"] == ""
    assert get_session().get(type(draft), draft.id).state is S.SUBMITTED
