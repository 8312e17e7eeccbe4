"""Paged lists: one helper for every list, counted or not; a next page only if one exists."""

from __future__ import annotations

import sqlalchemy as sa

from portal.accounts import views_users
from portal.accounts.models import Role
from portal.organizations import views as organization_views
from portal.organizations.models import Organization, OrgKind
from portal.pagination import paginate
from tests.accounts.helpers import english
from tests.factories import make_org, make_user

NEXT = "Next page"


def _names(session, prefix: str):
    return (
        sa.select(Organization.name)
        .where(Organization.name.startswith(prefix))
        .order_by(Organization.name)
    )


def _orgs(prefix: str, n: int) -> list[str]:
    return [make_org(OrgKind.OTHER, name=f"{prefix}{i:02d}").name for i in range(n)]


def test_uncounted_pages_know_whether_a_next_page_exists(session):
    names = _orgs("分页甲", 5)
    first = paginate(session, _names(session, "分页甲"), 1, 2)
    last = paginate(session, _names(session, "分页甲"), 3, 2)
    assert (first.items, first.has_next, first.has_previous) == (names[:2], True, False)
    assert (last.items, last.has_next, last.has_previous, last.total) == (
        names[4:],
        False,
        True,
        None,
    )


def test_an_exactly_full_last_page_offers_no_next_page(session):
    names = _orgs("分页乙", 4)
    page = paginate(session, _names(session, "分页乙"), 2, 2)
    assert (page.items, page.has_next) == (names[2:], False)


def test_counted_pages_give_the_total_and_read_a_page_past_the_end_as_the_last(session):
    names = _orgs("分页丙", 5)
    page = paginate(session, _names(session, "分页丙"), 9, 2, count=True)
    assert (page.items, page.page, page.pages, page.total, page.has_next) == (
        names[4:],
        3,
        3,
        5,
        False,
    )
    empty = paginate(session, _names(session, "分页无"), 4, 2, count=True)
    assert (empty.items, empty.page, empty.pages, empty.total) == ([], 1, 1, 0)


def test_a_query_of_several_columns_gives_row_tuples(session):
    _orgs("分页丁", 3)
    query = sa.select(Organization.name, Organization.kind).where(
        Organization.name.startswith("分页丁")
    )
    page = paginate(session, query.order_by(Organization.name), 1, 2, count=True)
    assert page.items == [("分页丁00", OrgKind.OTHER), ("分页丁01", OrgKind.OTHER)]


def test_organization_list_offers_a_next_page_only_when_there_is_one(client, login, monkeypatch):
    login(make_user(Role.OFFICE))
    english(client)
    monkeypatch.setattr(organization_views, "PAGE_SIZE", 3)
    _orgs("分页戊", 3)
    full = client.get("/office/organizations/?q=分页戊").get_data(as_text=True)
    assert "分页戊02" in full and NEXT not in full
    make_org(OrgKind.OTHER, name="分页戊03")
    more = client.get("/office/organizations/?q=分页戊").get_data(as_text=True)
    assert "分页戊03" not in more and NEXT in more
    last = client.get("/office/organizations/?q=分页戊&page=2").get_data(as_text=True)
    assert "分页戊03" in last and NEXT not in last


def test_user_list_offers_a_next_page_only_when_there_is_one(client, login, monkeypatch):
    login(make_user(Role.ADMIN))
    english(client)
    monkeypatch.setattr(views_users, "PAGE_SIZE", 2)
    for n in range(2):
        make_user(Role.EXPERT, email=f"paged-{n}@example.com")
    full = client.get("/office/users/?q=paged-").get_data(as_text=True)
    assert "paged-1@example.com" in full and NEXT not in full
    make_user(Role.EXPERT, email="paged-2@example.com")
    more = client.get("/office/users/?q=paged-").get_data(as_text=True)
    assert "paged-2@example.com" not in more and NEXT in more


def test_a_page_is_read_from_the_nearer_end_and_never_past_it():
    """window(total, limit, offset): the first half of a list forward, the second from its end
    (the rows after the page passed over instead of those before), and a place past the end
    reads nothing rather than a negative offset (which PostgreSQL refuses)."""
    from portal.pagination import window

    assert window(100, 10, 0) == (False, 10, 0)
    assert window(100, 10, 40) == (False, 10, 40)
    assert window(100, 10, 60) == (True, 10, 30)
    assert window(95, 10, 90) == (True, 5, 0)  # the last page, shorter
    assert window(12, 2, 29) == (True, 0, 0)  # a quota line beyond the list
