"""Recycled narratives are flagged on submission, across campaigns; unrelated ones are not."""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa

from portal import audit
from portal.applications import service as applications
from portal.db import get_session
from portal.similarity import service
from portal.similarity.models import NarrativeFingerprint, NarrativeMatch
from tests.factories import make_campaign
from tests.similarity.helpers import independent, original_and_copy, packet


def _flags(app) -> list[tuple[int, int]]:
    return [
        (m.application_id, m.other_application_id) for m in service.matches_for(get_session(), app)
    ]


def test_recycled_narrative_with_names_and_figures_changed_is_flagged(session):
    campaign = make_campaign(year=2301)
    text, copy = original_and_copy()
    first = packet(text, campaign=campaign)
    second = packet(copy, campaign=campaign)
    [match] = service.matches_for(session, second)
    assert (match.application_id, match.other_application_id) == (second.id, first.id)
    assert match.similarity >= Decimal("0.8")
    assert _flags(first) == [(second.id, first.id)]


def test_unrelated_narratives_sharing_stock_phrases_are_not_flagged(session):
    campaign = make_campaign(year=2302)
    apps = [packet(independent(seed), campaign=campaign) for seed in range(100, 108)]
    assert session.scalar(sa.select(sa.func.count()).select_from(NarrativeMatch)) == 0
    # they do share stock phrases: every pair has some passage in common
    from portal.similarity import fingerprint as fp

    a, b = (fp.shingle_set(fp.normalize(app.narrative)) for app in apps[:2])
    share, shared = fp.containment(a, b)
    assert shared > 0 and share < 0.2


def test_an_earlier_campaigns_narrative_is_found_and_the_later_packet_is_flagged(session):
    text, copy = original_and_copy(seed=11)
    earlier = packet(text, campaign=make_campaign(year=2303))
    later = packet(copy, campaign=make_campaign(year=2304))
    assert _flags(later) == [(later.id, earlier.id)]


def test_a_later_campaigns_packet_fingerprinted_first_is_still_the_one_flagged(session):
    text, copy = original_and_copy(seed=12)
    later = packet(copy, campaign=make_campaign(year=2306))
    earlier = packet(text, campaign=make_campaign(year=2305))
    assert _flags(earlier) == [(later.id, earlier.id)]


def test_a_new_version_replaces_the_packets_flags(session):
    campaign = make_campaign(year=2307)
    text, copy = original_and_copy(seed=13)
    first = packet(text, campaign=campaign)
    second = packet(copy, campaign=campaign)
    assert len(_flags(second)) == 1
    from portal.applications.models import ApplicationVersion
    from portal.db import utcnow

    rewritten = ApplicationVersion(
        application=second,
        number=2,
        submitted_at=utcnow(),
        snapshot={"narrative": independent(14)},
    )
    session.add(rewritten)
    session.flush()
    service.index_version(session, rewritten)
    assert _flags(second) == [] and _flags(first) == []
    current = session.scalars(
        sa.select(NarrativeFingerprint.version_id).where(
            NarrativeFingerprint.application_id == second.id, NarrativeFingerprint.current
        )
    ).all()
    assert current == [rewritten.id]
    entry = session.scalars(
        sa.select(audit.AuditEntry)
        .where(audit.AuditEntry.action == "similarity.check")
        .order_by(audit.AuditEntry.id.desc())
    ).first()
    assert entry.object_id == str(second.id)
    assert entry.after == {"matches": {}, "version": 2}
    assert list(entry.before["matches"]) == [str(first.id)]


def test_submitting_through_the_application_service_runs_the_check(session):
    from tests.applications.helpers import make_complete, open_campaign

    campaign = open_campaign()
    text, copy = original_and_copy(seed=15, chars=2500)
    apps = []
    for narrative in (text, copy):
        app = make_complete(campaign=campaign)
        applications.update_application(
            session, app, app.created_by, fields={}, narrative=narrative
        )
        applications.submit_application(session, app.id, app.created_by)
        apps.append(app)
    assert _flags(apps[1]) == [(apps[1].id, apps[0].id)]


def test_index_pending_fingerprints_versions_made_without_submission(session):
    from tests.factories import make_application

    campaign = make_campaign(year=2308)
    text, copy = original_and_copy(seed=16)
    first = make_application(campaign=campaign, narrative=text)
    second = make_application(campaign=campaign, narrative=copy)
    assert service.index_pending(session) >= 2
    assert _flags(second) == [(second.id, first.id)]
    assert service.index_pending(session) == 0


def test_shared_passages_of_a_flagged_pair(session):
    campaign = make_campaign(year=2309)
    text, copy = original_and_copy(seed=17)
    first = packet(text, campaign=campaign)
    second = packet(copy, campaign=campaign)
    [match] = service.matches_for(session, second)
    comparison = service.compare(match, lambda app: app.id == second.id)
    mine, theirs = comparison.sides
    assert mine.named and not theirs.named and theirs.segments == []
    assert "".join(s.text for s in mine.segments) == copy
    assert all(p in copy for p in mine.passages)
    assert all(p in text for p in theirs.passages)
    assert comparison.shared_chars > 0.8 * mine.chars
    assert first.id == match.other_application_id


def test_the_index_command_checks_versions_made_without_submission(app, session):
    from tests.factories import make_application

    campaign = make_campaign(year=2310)
    text, copy = original_and_copy(seed=18)
    make_application(campaign=campaign, narrative=text)
    second = make_application(campaign=campaign, narrative=copy)
    result = app.test_cli_runner().invoke(args=["similarity", "index"])
    assert result.exit_code == 0, result.output
    assert result.output.strip().endswith("narratives checked.")
    assert len(_flags(second)) == 1


def test_fingerprints_of_an_older_scheme_are_recomputed(session):
    campaign = make_campaign(year=2311)
    text, copy = original_and_copy(seed=19)
    packet(text, campaign=campaign)
    second = packet(copy, campaign=campaign)
    session.execute(sa.update(NarrativeFingerprint).values(scheme=0))
    assert service.index_pending(session) == 2
    assert session.scalars(sa.select(NarrativeFingerprint.scheme)).all() == [2, 2]
    assert len(_flags(second)) == 1


def test_a_check_sends_three_statements_and_five_more_when_it_flags_a_pair(session):
    import re

    from tests.factories import make_application
    from tests.querycount import counting

    campaign = make_campaign(year=2312)
    text, copy = original_and_copy(seed=20)
    first = make_application(campaign=campaign, narrative=text)
    second = make_application(campaign=campaign, narrative=copy)
    versions = [first.versions[0], second.versions[0]]
    audit.record(session, actor=None, action="test.start")  # the audit chain's head exists
    sent = []
    for version in versions:
        with counting(session.connection()) as statements:
            service.index_version(session, version)
        sent.append(
            [
                re.match(r"SELECT (DISTINCT )?\S+|INSERT INTO \S+|UPDATE \S+", s)[0]
                for s in statements
            ]
        )
    check = [
        "INSERT INTO narrative_fingerprint",
        "INSERT INTO narrative_band",
        "SELECT DISTINCT narrative_fingerprint.id,",
    ]
    assert sent[0] == check
    assert sent[1] == check + [
        "SELECT narrative_fingerprint.id,",  # the candidate's narrative, for the exact comparison
        "INSERT INTO narrative_match",
        "SELECT audit_head.id,",
        "INSERT INTO audit_entry",
        "UPDATE audit_head",
    ]
    assert _flags(second) == [(second.id, first.id)]


def test_sketch_agreement_counts_only_the_bins_filled_in_both_sketches():
    pack = service.pack_sketch
    assert service.sketch_agreement(pack([1] * 72), pack([1] * 36 + [2] * 36)) == 0.5
    # 36 bins filled in both, 27 of them equal
    half_empty = [None] * 36 + [5] * 36
    assert service.sketch_agreement(pack(half_empty), pack([5] * 63 + [6] * 9)) == 27 / 36
    assert service.sketch_agreement(pack([None] * 72), pack([5] * 72)) == 0.0
