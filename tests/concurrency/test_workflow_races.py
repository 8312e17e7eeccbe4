"""Workflow decisions sent twice at the same moment, through the real pages: one wins, the
other is refused in words, and the records show one decision (one version, one audit entry)."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _
from markupsafe import escape

from portal.accounts.models import Role
from portal.applications.models import Application, ApplicationState, ApplicationVersion
from portal.applications.service import ApplicationError
from portal.audit import AuditEntry
from portal.campaigns.models import Campaign, CampaignStatus
from portal.labels import label
from portal.notice import service as notice_service
from portal.notice.errors import NoticeError
from portal.notice.models import Signature
from portal.organizations.models import OrgSystem
from portal.review.errors import ReviewError
from portal.review.models import StageDecision
from portal.scoring import sheets
from portal.scoring.errors import Refused
from portal.scoring.models import ScoreSheet, SheetStatus
from portal.workflow import TransitionRefused
from tests.applications.helpers import make_complete
from tests.concurrency.conftest import client_for, race, seeded
from tests.factories import district, make_application, make_campaign, make_org, make_user
from tests.notice.helpers import four_organizers, with_candidates
from tests.review.helpers import make_world
from tests.scoring.helpers import FULL_SCORES, assigned_sheet


def _audit(session, action: str, object_id) -> int:
    return session.scalar(
        sa.select(sa.func.count(AuditEntry.id)).where(
            AuditEntry.action == action, AuditEntry.object_id == str(object_id)
        )
    )


def _message(racing_app, make) -> str:
    """A refusal as the page shows it (Chinese, escaped)."""
    with racing_app.test_request_context():
        return str(escape(make()))


def _shown(client, response) -> str:
    """The page the response redirects to, with the flashed message."""
    return client.get(response.headers["Location"]).get_data(as_text=True)


def _no_server_error(response) -> int:
    assert response.status_code < 500, response.get_data(as_text=True)[:2000]
    return response.status_code


def test_a_double_submitted_packet_is_submitted_once_with_one_frozen_version(racing_app):
    with seeded(racing_app):
        app = make_complete()
        app_id, user = app.id, app.created_by

    clients = [client_for(racing_app, user) for _ in range(2)]

    def submit(i: int) -> str:
        response = clients[i].post(f"/applications/{app_id}/submit")
        assert _no_server_error(response) == 302
        return _shown(clients[i], response)

    pages = race(2, submit)
    refusal = _message(racing_app, lambda: ApplicationError("already_submitted").message)
    assert sorted(refusal in page for page in pages) == [False, True]
    with seeded(racing_app) as session:
        packet = session.get(Application, app_id)
        assert packet.state is ApplicationState.SUBMITTED
        versions = session.scalars(
            sa.select(ApplicationVersion.number).where(ApplicationVersion.application_id == app_id)
        ).all()
        assert versions == [1]
        assert _audit(session, "application.submit", app_id) == 1


def test_two_decisions_at_the_same_stage_one_wins_the_other_is_told_it_is_stale(racing_app):
    with seeded(racing_app) as session:
        world = make_world()
        union = world.orgs[OrgSystem.UNION]
        second = make_user(Role.CHANNEL_REVIEWER, organization=union)
        packet = make_application(
            campaign=world.campaign,
            organization=make_org(district=district("huangpu")),
            stage_position=0,
        )
        session.flush()
        app_id, lock_version = packet.id, packet.lock_version
        reviewers = [world.reviewer(OrgSystem.UNION), second]
    decisions = [
        {"decision": "forward", "opinion": "材料齐全，同意推荐。"},
        {"decision": "return", "opinion": "请补充客户满意度调查原件。"},
    ]

    clients = [client_for(racing_app, reviewer) for reviewer in reviewers]

    def decide(i: int):
        client = clients[i]
        response = client.post(
            f"/review/applications/{app_id}/decision",
            data={**decisions[i], "lock_version": lock_version},
        )
        assert _no_server_error(response) == 302
        return _shown(client, response)

    outcomes = race(2, decide)
    with seeded(racing_app) as session:
        made = session.scalars(
            sa.select(StageDecision).where(StageDecision.application_id == app_id)
        ).all()
        assert len(made) == 1
        winner = [d.value for d in (made[0].decision,)][0]
        loser = 1 if winner == "forward" else 0
        stale = _message(racing_app, lambda: ReviewError("decision_stale").message)
        assert stale in outcomes[loser] and stale not in outcomes[1 - loser]
        entries = session.scalar(
            sa.select(sa.func.count(AuditEntry.id)).where(
                AuditEntry.action.like("application.%"), AuditEntry.object_id == str(app_id)
            )
        )
        assert entries == 1
        packet = session.get(Application, app_id)
        expected = ApplicationState.SUBMITTED if winner == "forward" else ApplicationState.RETURNED
        assert packet.state is expected


def test_two_parallel_locks_of_one_score_sheet_lock_it_once(racing_app):
    with seeded(racing_app) as session:
        assignment = assigned_sheet()
        sheets.save_sheet(session, None, assignment.expert, assignment.sheet, dict(FULL_SCORES))
        session.flush()
        sheet_id, version = assignment.sheet.id, assignment.sheet.lock_version
        assignment_id, user = assignment.id, assignment.expert.user

    clients = [client_for(racing_app, user) for _ in range(2)]

    def lock(i: int) -> str:
        response = clients[i].post(
            f"/scoring/assignments/{assignment_id}/lock", data={"lock_version": version}
        )
        assert _no_server_error(response) == 302
        return _shown(clients[i], response)

    pages = race(2, lock)
    done = _message(racing_app, lambda: _("The sheet is locked. Thank you."))
    refused = [
        _message(racing_app, lambda k=k: Refused(k).message) for k in ("stale", "sheet_locked")
    ]
    assert sorted(done in page for page in pages) == [False, True]
    assert sum(any(r in page for r in refused) for page in pages) == 1
    with seeded(racing_app) as session:
        sheet = session.get(ScoreSheet, sheet_id)
        assert sheet.status is SheetStatus.LOCKED
        assert _audit(session, "sheet.lock", sheet_id) == 1


def test_parallel_signatures_give_one_signature_per_organizer(racing_app):
    with seeded(racing_app) as session:
        campaign, _apps = with_candidates(3)
        organizers = four_organizers()
        office = make_user(Role.OFFICE)
        rnd = notice_service.request_approval(session, campaign, office)
        session.flush()
        campaign_id, digest, round_id = campaign.id, rnd.list_digest, rnd.id
        # Two users of each organizer sign at the same moment.
        signers = [u for u in organizers.values()] + [
            make_user(Role.ORGANIZER, organization=u.organization) for u in organizers.values()
        ]

    clients = [client_for(racing_app, signer) for signer in signers]

    def sign(i: int) -> str:
        response = clients[i].post(f"/notice/manage/{campaign_id}/sign", data={"digest": digest})
        assert _no_server_error(response) == 302
        return _shown(clients[i], response)

    pages = race(len(signers), sign)
    refusal = _message(racing_app, lambda: NoticeError("already_decided").message)
    assert sum(refusal in page for page in pages) == 4
    with seeded(racing_app) as session:
        signatures = session.scalars(
            sa.select(Signature).where(Signature.round_id == round_id)
        ).all()
        assert sorted(s.organization_id for s in signatures) == sorted(
            u.organization_id for u in organizers.values()
        )
        assert _audit(session, "notice.signed", round_id) == 4
        assert notice_service.approval_status(session, campaign).approved


CLOSED = CampaignStatus.CLOSED


def test_two_office_users_closing_a_campaign_at_once_close_it_once(racing_app):
    with seeded(racing_app):
        campaign = make_campaign(year=2031, status=CampaignStatus.OPEN)
        campaign_id = campaign.id
        offices = [make_user(Role.OFFICE) for _ in range(2)]
    clients = [client_for(racing_app, office) for office in offices]

    def close(i: int) -> str:
        response = clients[i].post(
            f"/office/campaigns/{campaign_id}/status", data={"target": "closed", "reason": ""}
        )
        assert _no_server_error(response) == 302
        return _shown(clients[i], response)

    pages = race(2, close)
    done = _message(
        racing_app,
        lambda: _("The %(year)s campaign is now %(status)s.", year=2031, status=label(CLOSED)),
    )
    # The second finds the row changed under the lock (PostgreSQL), or already closed when
    # SQLite let it in after the first.
    refused = [
        _message(racing_app, lambda: TransitionRefused("stale").message),
        _message(
            racing_app,
            lambda: _(
                "A campaign that is %(current)s cannot become %(target)s.",
                current=label(CLOSED),
                target=label(CLOSED),
            ),
        ),
    ]
    assert sorted(done in page for page in pages) == [False, True]
    assert sum(any(r in page for r in refused) for page in pages) == 1
    with seeded(racing_app) as session:
        assert session.get(Campaign, campaign_id).status is CLOSED
        assert _audit(session, "campaign.close", campaign_id) == 1
