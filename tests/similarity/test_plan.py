"""The office's flag list walks the flags highest similarity first and stops at a page, and
counts a campaign's flags from the flags' own campaign columns."""

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
    values = {"campaign_id": campaign.id, "limit": 100, "offset": 0}
    for backward in (False, True):  # the first pages, and those read from the list's end
        plan = sqlite_plan(session, service._match_list_query(True, backward, sqlite=True), values)
        if plan is None:
            break
        # The page's flags are found along the index alone (it holds both campaigns of each
        # flag: no flag's row is read on the way), with no sort, and only they are then joined
        # to the packets they name (the outer sort orders the page's rows).
        found, _, joined = plan.partition("SCAN anon_1")
        assert found.split("\n")[:2] == [
            "MATERIALIZE anon_1",
            "SCAN narrative_match USING COVERING INDEX ix_narrative_match_similarity",
        ]
        assert "TEMP B-TREE" not in found and "application" in joined
    page = service.list_matches(session, campaign)
    assert page.total == 2 and len(page.items) == 2
    assert page.items[0].similarity >= page.items[1].similarity


def test_a_campaigns_flags_are_counted_from_the_campaign_indexes_alone(session):
    earlier, later, third = (make_campaign(year=y) for y in (2431, 2432, 2433))
    text, copy = original_and_copy(seed=73)
    packet(text, campaign=earlier, team_name="去年班组73")
    packet(copy, campaign=later, team_name="今年班组73")  # a flag across the two campaigns
    text, copy = original_and_copy(seed=74)
    packet(text, campaign=later, team_name="原班组74")
    packet(copy, campaign=later, team_name="复制班组74")  # a flag within one campaign
    totals = {c.year: service.list_matches(session, c).total for c in (earlier, later, third)}
    assert totals == {2431: 1, 2432: 2, 2433: 0}
    assert service.list_matches(session).total == 2
    plan = sqlite_plan(session, service._match_count_query(True), {"campaign_id": later.id})
    if plan is not None:
        assert "COVERING INDEX ix_narrative_match_campaign" in plan
        # The flags whose other packet is of the campaign are sought as the two ranges around
        # it: those within the campaign, counted already, are not passed over again.
        seek = "COVERING INDEX ix_narrative_match_other_campaign (other_campaign_id=? AND {})"
        for elsewhere in ("campaign_id<?", "campaign_id>?"):
            assert seek.format(elsewhere) in plan
        assert "application" not in plan


def test_pages_read_from_either_end_give_the_whole_list_in_its_order(session):
    campaign = make_campaign(year=2434)
    for seed in range(75, 80):
        text, copy = original_and_copy(seed=seed)
        packet(text, campaign=campaign, team_name=f"原班组{seed}")
        packet(copy, campaign=campaign, team_name=f"复制班组{seed}")
    whole = [row.id for row in service.list_matches(session, campaign).items]
    assert len(whole) == 5
    # Pages 2 and 3 of 3 lie nearer the end than the start: they are read from the end.
    pages = [service.list_matches(session, campaign, n, per_page=2) for n in (1, 2, 3)]
    assert [row.id for page in pages for row in page.items] == whole
    assert [page.has_next for page in pages] == [True, True, False]
    assert {page.total for page in pages} == {5}
