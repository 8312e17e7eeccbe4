"""A long ranking a page at a time: the ranked packets first, ranks typed on one page placed
among those saved on the others, the page buttons saving what was typed on the way."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from portal.audit import AuditEntry
from portal.recommendations import ranking, service
from portal.recommendations.models import Recommendation
from portal.recommendations.ranking import PER_PAGE
from tests.accounts.helpers import english, text
from tests.querycount import counting
from tests.recommendations.helpers import awaiting, quality_channel
from tests.recommendations.test_pages import rank_path


def _rows(page: str) -> list[int]:
    """The packet ids of the ranking's rows, in order."""
    return [int(part.split('"')[0]) for part in page.split('<tr data-testid="packet-')[1:]]


def _ranking(session):
    """A channel with a page and two more packets awaiting its ranking."""
    ch = quality_channel()
    ch.team.channel_quota = 5
    apps = awaiting(ch, PER_PAGE + 2)
    session.commit()
    return ch, apps


def _saved(session) -> list[int]:
    rec = session.scalar(sa.select(Recommendation))
    session.refresh(rec)
    return [e.application_id for e in rec.entries]


def _post(client, ch, number: int, page: str, **data):
    """The form of ranking page `number` as the browser sends it: every row's rank field."""
    ranks = {f"rank-{app_id}": "" for app_id in _rows(page)}
    lock = page.split('name="lock_version" type="hidden" value="')[1].split('"')[0]
    form = {**ranks, "opinion": "", "lock_version": lock, **data}
    return client.post(f"{rank_path(ch)}?page={number}", data=form)


def test_a_long_ranking_shows_a_page_at_a_time_the_ranked_packets_first(client, login, session):
    ch, apps = _ranking(session)
    service.save_ranking(session, ch.reviewer, ch.campaign, ch.team, [apps[-1].id], "")
    session.commit()
    login(ch.reviewer)
    english(client)
    first = text(client.get(rank_path(ch)))
    assert _rows(first) == [apps[-1].id] + [a.id for a in apps[: PER_PAGE - 1]]
    assert f'name="rank-{apps[-1].id}" value="1"' in first
    assert "Page 1 of 2" in first
    second = text(client.get(f"{rank_path(ch)}?page=2"))
    assert _rows(second) == [apps[-3].id, apps[-2].id]
    assert "Page 2 of 2" in second and 'data-testid="previous-page"' in second
    # A page beyond the last shows the last.
    assert _rows(text(client.get(f"{rank_path(ch)}?page=9"))) == _rows(second)


def test_a_rank_typed_on_the_second_page_takes_its_place_among_the_saved_ones(
    client, login, session
):
    ch, apps = _ranking(session)
    first, second = apps[0], apps[1]
    service.save_ranking(session, ch.reviewer, ch.campaign, ch.team, [first.id, second.id], "")
    session.commit()
    login(ch.reviewer)
    english(client)
    page = text(client.get(f"{rank_path(ch)}?page=2"))
    late = apps[-1]
    response = _post(client, ch, 2, page, **{f"rank-{late.id}": "2"})
    assert response.headers["Location"] == f"{rank_path(ch)}?page=2"
    assert _saved(session) == [first.id, late.id, second.id]


def test_a_page_button_saves_what_was_typed_and_opens_that_page(client, login, session):
    ch, apps = _ranking(session)
    login(ch.reviewer)
    english(client)
    page = text(client.get(rank_path(ch)))
    # Nothing typed: the next page opens and nothing is saved.
    response = _post(client, ch, 1, page, turn="2")
    assert response.headers["Location"] == f"{rank_path(ch)}?page=2"
    assert session.scalar(sa.select(Recommendation)) is None
    assert session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)) == 0
    # A rank typed, then the next page: saved on the way.
    response = _post(client, ch, 1, page, turn="2", **{f"rank-{apps[3].id}": "1"})
    assert response.headers["Location"] == f"{rank_path(ch)}?page=2"
    assert _saved(session) == [apps[3].id]
    page = text(client.get(response.headers["Location"]))
    assert "The ranking is saved." in page
    # A refused rank keeps the reviewer on the page, with what was typed.
    page = text(_post(client, ch, 2, page, turn="1", **{f"rank-{apps[-1].id}": "x"}))
    assert "A rank is a whole number from 1; 'x' is not." in page
    assert f'name="rank-{apps[-1].id}" value="x"' in page
    assert _saved(session) == [apps[3].id]


def test_the_ranking_page_sends_as_many_statements_for_one_packet_as_for_a_page_and_more(
    app, client, login, session
):
    ch = quality_channel()
    [one] = awaiting(ch)
    service.save_ranking(session, ch.reviewer, ch.campaign, ch.team, [one.id], "")
    session.commit()
    login(ch.reviewer)
    engine = app.extensions["portal.db"]["engine"]

    def statements(path: str) -> int:
        with counting(engine) as sent:
            assert client.get(path).status_code == 200
        return len(sent)

    few = statements(rank_path(ch))
    awaiting(ch, PER_PAGE + 10)
    session.commit()
    assert statements(rank_path(ch)) == few
    assert statements(f"{rank_path(ch)}?page=2") == few


@pytest.mark.parametrize("per_page", [2, 3])  # pages read from either end, a short last page
def test_every_page_is_its_slice_of_the_whole_ranking_from_either_end(
    session, monkeypatch, per_page
):
    """A page nearer the end is read from the end: every page is still its slice of the list,
    the ranked packets first in rank order, then the others as they arrived."""
    ch = quality_channel()
    ch.team.channel_quota = 5
    apps = awaiting(ch, 7)
    service.save_ranking(session, ch.reviewer, ch.campaign, ch.team, [apps[5].id, apps[2].id], "")
    whole = [
        r.id
        for r in ranking.ranking_page(session, ch.organization, ch.campaign, ch.team).packets.items
    ]
    assert whole[:3] == [apps[5].id, apps[2].id, apps[0].id]
    monkeypatch.setattr(ranking, "PER_PAGE", per_page)
    for number in range(1, -(-7 // per_page) + 1):
        page = ranking.ranking_page(session, ch.organization, ch.campaign, ch.team, number)
        assert [r.id for r in page.packets.items] == whole[
            (number - 1) * per_page : number * per_page
        ]
