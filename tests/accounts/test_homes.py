"""Each role's home shows what waits on that person, counted by the same queries as the lists it
links to: a change of state moves the count. The office's and organizers' homes show the
year's timeline with the current stage marked."""

from __future__ import annotations

from datetime import date, timedelta

import lxml.html

from portal.accounts.home import time_left
from portal.accounts.models import Role
from portal.applications.models import ApplicationState
from portal.campaigns.timeline import current_stage, timeline
from portal.clock import shanghai_today
from portal.db import get_session, utcnow
from portal.honours import revocation
from portal.notice.models import ObjectionStatus
from portal.organizations.models import OrgKind, OrgSystem
from portal.review import service as review
from portal.review.models import Decision
from portal.scoring import sheets
from tests.applications.helpers import open_campaign
from tests.factories import district, make_application, make_org, make_user
from tests.honours.helpers import make_honour, proposal_for
from tests.notice.helpers import four_organizers
from tests.querycount import counting
from tests.review.helpers import make_world
from tests.scoring.helpers import accepted, assigned_sheet, make_expert

SCORES = {
    "idea": "14.5",
    "standards": "19.5",
    "skills": "13.5",
    "innovation": "11.5",
    "results": "23.5",
    "impact": "9",
}


def _home(client):
    response = client.get("/home?lang=en")
    assert response.status_code == 200
    return lxml.html.fromstring(response.get_data(as_text=True))


def _testid(doc, testid: str) -> str:
    found = doc.xpath(f'//*[@data-testid="{testid}"]')
    return " ".join(found[0].text_content().split()) if found else ""


def _states(doc) -> dict[str, int]:
    return {
        li.get("data-state"): int(li.xpath("strong")[0].text)
        for li in doc.xpath('//*[@data-testid="home-state-counts"]/li')
    }


def _channels(doc) -> dict[str, dict[str, int]]:
    return {
        tr.get("data-channel"): {
            span.get("data-state"): int(span.xpath("strong")[0].text)
            for span in tr.xpath(".//span[@data-state]")
        }
        for tr in doc.xpath('//*[@data-testid="home-channels"]//tbody/tr')
    }


def test_enterprise_home_counts_its_packets_and_shows_a_return_with_its_reason(
    client, login, session
):
    world = make_world()
    unit = make_org(OrgKind.ENTERPRISE, district=district("huangpu"))
    user = make_user(Role.ENTERPRISE, organization=unit)
    packet = make_application(campaign=world.campaign, organization=unit, stage_position=0)
    make_application(ApplicationState.DRAFT, campaign=world.campaign, organization=unit)
    session.commit()
    login(user)
    doc = _home(client)
    assert _states(doc) == {"draft": 1, "submitted": 1}
    assert "left" in _testid(doc, "apply-left")
    assert _testid(doc, "home-returned") == ""

    review.decide(session, packet.id, world.reviewer(OrgSystem.UNION), Decision.RETURN, "缺少照片")
    session.commit()
    doc = _home(client)
    assert _states(doc) == {"draft": 1, "returned": 1}
    assert "缺少照片" in _testid(doc, "home-returned")


def test_reviewer_home_counts_its_queue_and_the_forward_empties_it(client, login, session):
    world = make_world()
    packet = make_application(campaign=world.campaign, stage_position=0)
    session.commit()
    reviewer = world.reviewer(OrgSystem.UNION)
    login(reviewer)
    doc = _home(client)
    assert _testid(doc, "home-waiting") == "1 application waits for your decision."
    assert _testid(doc, "statistics-state") == "Not started"

    review.decide(session, packet.id, reviewer, Decision.FORWARD)
    session.commit()
    assert _testid(_home(client), "home-waiting") == "0 applications wait for your decision."


def test_office_home_counts_the_formal_check_and_the_year_at_a_glance(client, login, session):
    world = make_world()
    packet = make_application(ApplicationState.RECOMMENDED, campaign=world.campaign)
    make_application(campaign=world.campaign, stage_position=0)
    session.commit()
    login(world.office)
    doc = _home(client)
    assert _states(doc) == {"submitted": 1, "recommended": 1}
    assert _testid(doc, "home-formal-check").startswith("1 recommended application waits")
    assert _testid(doc, "current-stage").startswith("Applications")
    assert _testid(doc, f"objections-{ObjectionStatus.RECEIVED.value}") == "0"
    recommending = world.orgs[OrgSystem.QUALITY]
    assert _channels(doc) == {str(recommending.id): {"submitted": 1, "recommended": 1}}

    review.decide(session, packet.id, world.office, Decision.ACCEPT)
    session.commit()
    doc = _home(client)
    assert _states(doc) == {"submitted": 1, "accepted": 1}
    assert _testid(doc, "home-formal-check").startswith("0 recommended applications wait")
    recommending = world.orgs[OrgSystem.QUALITY]
    assert _channels(doc) == {str(recommending.id): {"submitted": 1, "accepted": 1}}


def test_office_home_counts_honours_expiring_this_year(client, login, session):
    office = make_user(Role.OFFICE)
    open_campaign()
    session.commit()
    login(office)
    assert _testid(_home(client), "honours-expiring") == "0"
    honour, later = make_honour(), make_honour()
    today = shanghai_today()
    honour.valid_until = today + timedelta(days=1)
    if honour.valid_until.year != today.year:  # the last day of a year
        honour.valid_until = today
    later.valid_until = date(today.year + 1, 1, 1)
    session.commit()
    doc = _home(client)
    assert _testid(doc, "honours-expiring") == "1"
    listed = client.get(doc.xpath('//a[contains(@href, "expiring=")]/@href')[0])
    rows = lxml.html.fromstring(listed.get_data(as_text=True)).xpath(
        '//*[@data-testid="honour-list"]/tbody/tr/td[1]'
    )
    assert [td.text_content() for td in rows] == [honour.certificate_number]


def test_time_left_counts_days_and_hours_then_hours_and_minutes(app):
    deadline = utcnow()
    with app.test_request_context("/?lang=en"):
        assert time_left(deadline, deadline - timedelta(days=2, hours=5, minutes=9)) == (
            "2 d 5 h left"
        )
        assert time_left(deadline, deadline - timedelta(hours=3, minutes=7)) == "3 h 7 min left"
        assert time_left(deadline, deadline) == "closed"


def test_reviewer_and_enterprise_homes_read_a_fixed_number_of_statements(client, login, session):
    world = make_world()
    unit = make_org(OrgKind.ENTERPRISE, district=district("huangpu"))
    user = make_user(Role.ENTERPRISE, organization=unit)
    reviewer = world.reviewer(OrgSystem.UNION)

    def returned_and_waiting():
        packet = make_application(campaign=world.campaign, organization=unit, stage_position=0)
        review.decide(session, packet.id, reviewer, Decision.RETURN, "请补充材料")
        make_application(campaign=world.campaign, organization=unit, stage_position=0)
        session.commit()

    returned_and_waiting()
    few = {}
    for who in (user, reviewer):
        login(who)
        _home(client)
        with counting(session.connection()) as statements:
            _home(client)
        few[who.id] = len(statements)
    for _ in range(4):
        returned_and_waiting()
    for who in (user, reviewer):
        login(who)
        with counting(session.connection()) as statements:
            _home(client)
        assert len(statements) == few[who.id], who.role


def test_office_home_reads_a_fixed_number_of_statements(client, login, session):
    world = make_world()
    session.commit()
    login(world.office)
    _home(client)
    with counting(session.connection()) as few:
        _home(client)
    for _ in range(5):
        make_application(campaign=world.campaign, stage_position=0)
        make_application(ApplicationState.RECOMMENDED, campaign=world.campaign)
    session.commit()
    with counting(session.connection()) as many:
        _home(client)
    assert len(many) == len(few)


def test_organizer_home_counts_the_revocation_awaiting_its_vote(client, login, session):
    organizers = four_organizers()
    me = organizers[OrgSystem.QUALITY]
    open_campaign()
    proposal = proposal_for(make_honour())
    session.commit()
    login(me)
    doc = _home(client)
    assert _testid(doc, "revocation-count") == "1"
    assert _testid(doc, "signature-count") == "0"
    assert doc.xpath('//*[@data-testid="current-stage"]')

    revocation.decide_revocation(session, proposal, me, approve=True)
    session.commit()
    assert _testid(_home(client), "revocation-count") == "0"


def test_expert_home_counts_the_sheets_to_lock(client, login, session):
    campaign = open_campaign()
    expert = make_expert()
    assignment = assigned_sheet(expert, campaign, app=accepted(campaign))
    session.commit()
    login(expert.user)
    doc = _home(client)
    assert (_testid(doc, "sheets-open"), _testid(doc, "sheets-locked")) == ("1", "0")

    sheets.save_sheet(get_session(), None, expert, assignment.sheet, SCORES)
    sheets.lock_sheet(get_session(), expert.user, expert, assignment.sheet)
    session.commit()
    doc = _home(client)
    assert (_testid(doc, "sheets-open"), _testid(doc, "sheets-locked")) == ("0", "1")


def test_the_timeline_marks_the_stage_the_year_is_at(session):
    campaign = open_campaign()
    apply_ends = campaign.application_deadline
    second = timedelta(seconds=1)
    assert current_stage(campaign, apply_ends - second) == "apply"
    assert current_stage(campaign, apply_ends) == "recommend"
    assert current_stage(campaign, campaign.review_deadline - second) == "review"
    after_review = campaign.review_deadline + second
    assert current_stage(campaign, after_review) == "approve"
    window = (after_review + timedelta(days=1), after_review + timedelta(days=8))
    assert current_stage(campaign, window[0], window) == "notice"
    assert current_stage(campaign, window[1], window) == "honours"
    steps = timeline(campaign, campaign.recommendation_deadline - second)
    assert [s.state for s in steps] == ["done", "current", "next", "next", "next", "next"]
