"""`flask retention`: what passed its keeping time is listed, then removed with --apply, and
the audit trail still verifies."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from portal import audit
from portal.accounts.models import Role
from portal.applications.models import ApplicationState
from portal.audit import AuditEntry
from portal.demo import seed_demo
from portal.files.models import StoredFile
from portal.honours.models import Honour
from portal.notice.models import Objection
from portal.records.retention import age_preserving_date
from portal.storage import get_storage
from tests.campaigns.test_round_trip import _as_multidict, form_values
from tests.factories import district, industry, make_campaign, make_user
from tests.records.helpers import DEMO_TODAY, attach_pdf, campaign_of, packets_of

# The 2025 demo notice closed on Friday 2025-12-05: its records are kept until 2027-12-05.
LAST_KEPT_DAY = "2027-12-05"
FIRST_DAY_DUE = "2027-12-06"
PERSONAL = ("person_name", "leader_name", "id_number", "mobile", "birth_date", "email")


@pytest.fixture
def demo(session):
    seed_demo(today=DEMO_TODAY)
    campaign = campaign_of(2025)
    packets = packets_of(campaign)
    for app in packets:  # mobiles, as the forms ask for them
        app.mobile = "13912345678" if app.person_name else None
        app.leader_mobile = "13987654321" if app.team_name else None
    files = {app.id: attach_pdf(app) for app in packets}
    session.commit()
    return campaign, packets, files


def _retention(app, *args, **kwargs):
    return app.test_cli_runner().invoke(args=["retention", *args], **kwargs)


def _figures(app) -> tuple:
    members = [
        (m.female, age_preserving_date(m.birth_date, app.campaign.reference_date))
        for m in app.members
    ]
    return (
        app.state,
        app.age,
        app.female,
        app.member_count,
        app.women_count,
        app.average_age,
        app.district_id,
        app.industry_id,
        app.category_id,
        members,
    )


def test_nothing_is_due_while_the_selection_records_are_kept(app, session, demo):
    result = _retention(app, "--on", LAST_KEPT_DAY)
    assert result.exit_code == 0, result.output
    assert "nothing has passed its keeping time" in result.output


def test_packets_not_awarded_lose_files_and_personal_data_and_keep_statistics(app, session, demo):
    campaign, packets, files = demo
    losers = [a for a in packets if a.state is not ApplicationState.AWARDED]
    winners = [a for a in packets if a.state is ApplicationState.AWARDED]
    assert losers and winners
    figures = {a.id: _figures(a) for a in packets}
    held_ids = {a.id: a.id_number for a in winners}
    storage = get_storage()

    listed = _retention(app, "--on", FIRST_DAY_DUE)
    assert listed.exit_code == 0, listed.output
    for loser in losers:
        assert f"not_awarded\tapplication {loser.id}\t2025 packet not awarded" in listed.output
    for winner in winners:
        assert f"application {winner.id}\t" not in listed.output
    objections = session.scalars(sa.select(Objection)).all()
    for objection in objections:
        assert f"objection\tobjection {objection.id}\t" in listed.output
    assert "honour" not in listed.output
    assert storage.exists(files[losers[0].id].key)  # listing removes nothing

    applied = _retention(app, "--apply", "--yes", "--on", FIRST_DAY_DUE)
    assert applied.exit_code == 0, applied.output
    purged = len(losers) + len(objections)
    assert f"purged {purged} records: {len(losers)} stored files deleted" in applied.output

    session.expire_all()
    for loser in losers:
        assert not storage.exists(files[loser.id].key)
        assert session.get(StoredFile, files[loser.id].id) is None
        assert loser.files == [] and loser.latest_version.stored_files == []
        assert all(getattr(loser, name) is None for name in PERSONAL if name != "birth_date")
        assert loser.narrative == "" and loser.leader_mobile is None
        assert all(m.name == "" and m.id_number is None for m in loser.members)
        assert _figures(loser) == figures[loser.id]
        frozen = json.dumps(loser.latest_version.snapshot, ensure_ascii=False)
        assert "13912345678" not in frozen and "13987654321" not in frozen
        for member in loser.members:
            assert member.birth_date.strftime("%m-%d") == campaign.reference_date.strftime("%m-%d")
    for winner in winners:
        assert storage.exists(files[winner.id].key)
        assert winner.id_number == held_ids[winner.id]
        assert _figures(winner) == figures[winner.id]
    for objection in session.scalars(sa.select(Objection)):
        assert (objection.name, objection.email, objection.ip_address) == ("", None, "")
        assert objection.mobile[3:7] == "****"

    entries = session.scalars(
        sa.select(AuditEntry).where(AuditEntry.action == "retention.purge")
    ).all()
    assert len(entries) == purged
    assert {(e.object_type, e.object_id) for e in entries} >= {
        ("application", str(a.id)) for a in losers
    }
    assert audit.verify(session).ok
    again = _retention(app, "--on", FIRST_DAY_DUE)
    assert "nothing has passed its keeping time" in again.output


def test_an_ended_honour_loses_id_numbers_and_mobiles_two_years_later(app, session, demo):
    campaign, packets, files = demo
    revoked = session.scalars(sa.select(Honour).where(Honour.revoked_at.is_not(None))).one()
    holder = revoked.application
    name, figures = holder.title, _figures(holder)
    # Revoked on 2026-06-15: kept until 2028-06-15. The others run until 2028-12-09 (+2).
    assert f"honour {revoked.id}" not in _retention(app, "--on", "2028-06-15").output
    listed = _retention(app, "--on", "2028-06-16")
    assert f"honour_expired\thonour {revoked.id}\t" in listed.output
    assert listed.output.count("honour_expired") == 1

    applied = _retention(app, "--apply", "--yes", "--on", "2028-06-16")
    assert applied.exit_code == 0, applied.output

    session.expire_all()
    assert holder.id_number is None and holder.mobile is None and holder.leader_mobile is None
    assert holder.title == name and revoked.holder_name  # the roll keeps its names
    assert _figures(holder) == figures
    assert get_storage().exists(files[holder.id].key)  # the honour's record keeps its files
    frozen = holder.latest_version.snapshot
    assert frozen["fields"]["id_number"] is None and frozen["fields"]["mobile"] is None
    entry = session.scalars(
        sa.select(AuditEntry).where(
            AuditEntry.action == "retention.purge", AuditEntry.object_type == "honour"
        )
    ).one()
    assert entry.object_id == str(revoked.id)
    assert audit.verify(session).ok


def test_a_longer_keeping_time_of_the_campaign_is_respected(app, session, demo):
    campaign, packets, _files = demo
    campaign.records_kept_years = 3
    session.commit()
    assert "nothing has passed" in _retention(app, "--on", FIRST_DAY_DUE).output
    assert "not_awarded" in _retention(app, "--on", "2028-12-06").output


def test_apply_asks_first_and_removes_nothing_on_no(app, session, demo):
    _campaign, packets, files = demo
    loser = next(a for a in packets if a.state is not ApplicationState.AWARDED)
    answer = _retention(app, "--apply", "--on", FIRST_DAY_DUE, input="n\n")
    assert answer.exit_code == 1
    assert "nothing removed" in answer.output
    session.expire_all()
    assert get_storage().exists(files[loser.id].key)
    assert session.get(StoredFile, files[loser.id].id) is not None


def test_a_bad_date_is_refused_with_a_clear_message(app, session):
    result = _retention(app, "--on", "next-year")
    assert result.exit_code == 2
    assert "'next-year' does not match the format '%Y-%m-%d'" in result.output


def test_the_office_sets_the_keeping_times_on_the_settings_page(session, client, login):
    campaign = make_campaign(year=2096)
    campaign.districts = [district("xuhui")]
    campaign.industries = [industry("finance")]
    session.flush()
    login(make_user(Role.OFFICE))
    url = f"/office/campaigns/{campaign.id}/settings"
    shown = form_values(client.get(url).get_data(as_text=True))
    assert ("records_kept_years", "2") in shown and ("honour_records_kept_years", "2") in shown

    def post(records: str, honours: str):
        values = [(k, v) for k, v in shown if not k.endswith("kept_years")]
        values += [("records_kept_years", records), ("honour_records_kept_years", honours)]
        return client.post(url, data=_as_multidict(values))

    too_short = post("1", "2")
    assert too_short.status_code == 200
    session.expire_all()
    assert campaign.records_kept_years == 2
    saved = post("5", "3")
    assert saved.status_code == 302, saved.get_data(as_text=True)
    session.expire_all()
    assert (campaign.records_kept_years, campaign.honour_records_kept_years) == (5, 3)


def test_retention_warns_of_a_year_not_archived_until_it_is(app, session, demo, tmp_path):
    warning = "warning: 2025 has not been archived: 'flask archive 2025' keeps its records"
    assert warning in _retention(app, "--on", FIRST_DAY_DUE).output
    archived = app.test_cli_runner().invoke(args=["archive", "2025", "--output", str(tmp_path)])
    assert archived.exit_code == 0, archived.output
    listed = _retention(app, "--on", FIRST_DAY_DUE)
    assert "not_awarded" in listed.output and "has not been archived" not in listed.output


def test_the_campaign_page_shows_its_keeping_times(session, client, login):
    campaign = make_campaign(year=2095, records_kept_years=4, honour_records_kept_years=3)
    login(make_user(Role.OFFICE))
    page = client.get(f"/office/campaigns/{campaign.id}?lang=en").get_data(as_text=True)
    assert (
        "selection records 4 years after the notice; honour records 3 years after the title ends"
        in page
    )
