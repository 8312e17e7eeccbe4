"""The office's users and organizations lists: a page is found along the list's own index and
only its rows are joined to what they show, so a deep page costs what the first does; the
statements a page sends do not grow with the list."""

from __future__ import annotations

import re

import pytest
from werkzeug.datastructures import MultiDict

from portal.accounts import views_users
from portal.accounts.forms_users import UserFilterForm
from portal.accounts.models import Role
from portal.organizations import views as organization_views
from portal.organizations.forms import OrganizationFilterForm
from portal.organizations.models import OrgKind
from tests.factories import make_org, make_user
from tests.plans import sqlite_plan
from tests.querycount import page_statements


@pytest.mark.parametrize(
    ("query", "form", "covering"),
    [
        (
            views_users.users_query,
            UserFilterForm,
            "user_account USING COVERING INDEX ix_user_account_list",
        ),
        (
            organization_views.organizations_query,
            OrganizationFilterForm,
            "organization USING COVERING INDEX ix_organization_list",
        ),
    ],
)
def test_a_page_is_found_along_the_lists_index_before_anything_is_joined(
    app, session, query, form, covering
):
    with app.test_request_context("/"):
        statement = query(form(formdata=MultiDict()))  # the list as it opens: the active ones
    plan = sqlite_plan(session, statement, {"limit": 101, "offset": 4900})
    if plan is not None:
        found, _, joined = plan.partition("SCAN anon_1")
        # The rows passed over are index entries alone: none is read, joined or sorted.
        assert f"SCAN {covering}" in found
        assert "TEMP B-TREE" not in found and "SEARCH" in joined


@pytest.mark.parametrize(
    ("path", "role"), [("/office/users/", Role.ADMIN), ("/office/organizations/", Role.OFFICE)]
)
def test_the_lists_statements_do_not_grow_with_their_rows(
    app, client, login, monkeypatch, path, role
):
    monkeypatch.setattr(views_users, "PAGE_SIZE", 2)
    monkeypatch.setattr(organization_views, "PAGE_SIZE", 2)
    login(make_user(role))
    counts = [page_statements(app, client, f"{path}?page=2")]
    for _ in range(6):
        make_user(Role.EXPERT, organization=make_org(OrgKind.OTHER))
    counts.append(page_statements(app, client, f"{path}?page=2"))
    assert counts[0] == counts[1]


def test_the_pages_of_users_follow_the_whole_list_in_its_order(client, login, monkeypatch):
    login(make_user(Role.ADMIN))
    for n, role in enumerate([Role.OFFICE, Role.EXPERT, Role.OFFICE, Role.EXPERT, Role.OFFICE]):
        make_user(role, email=f"order-{4 - n}@example.com")
    emails = re.compile(r"order-\d@example\.com")
    whole = emails.findall(client.get("/office/users/?q=order-").get_data(as_text=True))
    monkeypatch.setattr(views_users, "PAGE_SIZE", 2)
    paged = [
        email
        for page in (1, 2, 3)
        for email in emails.findall(
            client.get(f"/office/users/?q=order-&page={page}").get_data(as_text=True)
        )
    ]
    assert len(whole) == 5 and paged == whole
