"""The office's flag list walks the flags highest similarity first and stops at a page."""

from __future__ import annotations

from portal.accounts.models import Role
from portal.similarity import service
from tests.factories import make_campaign, make_user
from tests.plans import sqlite_plan
from tests.similarity.helpers import original_and_copy, packet


def test_a_page_of_flags_reads_the_similarity_index_without_sorting(session):
    campaign = make_campaign(year=2430)
    for seed in (71, 72):
        text, copy = original_and_copy(seed=seed)
        packet(text, campaign=campaign, team_name=f"原班组{seed}")
        packet(copy, campaign=campaign, team_name=f"复制班组{seed}")
    make_user(Role.OFFICE)
    statement = service._match_list_query(True).limit(100).offset(0)
    plan = sqlite_plan(session, statement, {"campaign_id": campaign.id})
    if plan is not None:
        assert "USING INDEX ix_narrative_match_similarity" in plan
        assert "TEMP B-TREE" not in plan
    page = service.list_matches(session, campaign)
    assert page.total == 2 and len(page.items) == 2
    assert page.items[0].similarity >= page.items[1].similarity
