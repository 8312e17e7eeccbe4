"""The HTML forms, as each role's browser would post them, with hostile values in every field.

Each page is fetched as the role that works on it; every POST form it renders (read from the
HTML, hidden fields included) is then posted with each field left out, kept, set to one of its
options, or set to empty, odd-digit, huge or arbitrary Unicode text. No answer may be a 5xx.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.accounts.models import Role
from tests.fuzz.conftest import World, cases
from tests.fuzz.inputs import field_values, forms_on, links
from tests.fuzz.settings import fuzz_settings

# Forms that would end the session the tier works in, or revoke its API tokens.
SKIPPED_ACTIONS = ("/logout", "/revoke", "/lang/")
# A login form fuzzed from an address of its own, so throttling never locks out the roles.
FUZZ_ADDRESS = {"REMOTE_ADDR": "198.51.100.7"}

# (role, page): a page is a URL (with {campaign}, {user}, … from the seeded rows) or
# "listing => pattern", the first link on the listing that matches the pattern.
PAGES = [
    (None, "/register"),
    (None, "/login"),
    (None, "/password/forgot"),
    (None, "/password/reset/{reset_token}"),
    (None, "/notice/objections/status"),
    (None, r"/notice => /notice/\d+/candidates/\d+/objection"),
    (Role.ENTERPRISE, "/applications/new"),
    (Role.ENTERPRISE, "/applications/{draft}/edit"),
    (Role.ENTERPRISE, "/account/tokens"),
    (Role.CHANNEL_REVIEWER, r"/review/ => /review/applications/\d+"),
    ("zhixie.xuhui@demo.example.com", "/statistics/mine"),
    (
        "zhixie.huangpu@demo.example.com",
        r"/recommendations/ => /recommendations/campaigns/\d+/categories/\d+",
    ),
    (Role.EXPERT, r"/scoring/ => /scoring/assignments/\d+"),
    ("zhuanjia2@demo.example.com", "/scoring/campaigns/{campaign}/pledge"),
    (Role.OFFICE, "/office/campaigns/new"),
    (Role.OFFICE, "/office/campaigns/{campaign}/settings"),
    (Role.OFFICE, "/office/campaigns/{campaign}/categories"),
    (Role.OFFICE, "/office/campaigns/{campaign}/rubric"),
    (Role.OFFICE, "/office/campaigns/{campaign}/stages"),
    (Role.OFFICE, "/office/campaigns/{campaign}/copy"),
    (Role.OFFICE, "/office/users/new"),
    (Role.OFFICE, "/office/users/{user}/edit"),
    (Role.OFFICE, "/office/organizations/new"),
    (Role.OFFICE, "/office/organizations/{organization}/edit"),
    (Role.OFFICE, "/notice/calendar"),
    (Role.OFFICE, "/notice/manage/{campaign}"),
    (Role.OFFICE, "/notice/manage/objections/{open_objection}"),
    (Role.OFFICE, "/scoring/experts/new"),
    (Role.OFFICE, r"/scoring/experts => /scoring/experts/\d+/edit"),
    (Role.OFFICE, "/scoring/campaigns/{campaign}/panels/new"),
    (Role.OFFICE, r"/scoring/campaigns/{campaign}/panels => /scoring/panels/\d+"),
    (Role.OFFICE, r"/scoring/results/ => /scoring/results/categories/\d+"),
    (Role.OFFICE, r"/statistics/ => /statistics/\d+"),
    (Role.OFFICE, "/honours/{honour}"),
    (Role.ADMIN, "/office/users/new"),
]


def _page(world: World, role: Role | None, page: str) -> str:
    if "=>" not in page:
        # The open campaign, an objection, and rows no demo login depends on.
        return page.format(
            campaign=max(world.ids["campaign"]),
            open_objection=world.open_objection,
            draft=world.draft_application,
            honour=world.ids["honour"][0],
            user=world.spare_user,
            organization=world.spare_organization,
            reset_token=world.reset_token,
        )
    listing, pattern = (part.strip() for part in page.split("=>"))
    listing = listing.format(campaign=max(world.ids["campaign"]))
    html = world.client(role).get(listing).get_data(as_text=True)
    found = links(html, pattern)
    assert found, f"{listing} shows no link like {pattern} to {role}"
    return found[0]


@pytest.mark.parametrize(
    ("role", "page"), PAGES, ids=[f"{getattr(r, 'value', r) or 'anonymous'} {p}" for r, p in PAGES]
)
def test_form_never_answers_5xx(world, role, page):
    url = _page(world, role, page)
    client = world.client(role)
    response = client.get(url, environ_base=FUZZ_ADDRESS)
    assert response.status_code == 200, (url, response.status_code)
    forms = {
        action: form
        for action, form in forms_on(response.get_data(as_text=True), url).items()
        if not any(skip in action for skip in SKIPPED_ACTIONS)
    }
    assert forms, f"{url} renders no form to {role}"

    @given(data=st.data())
    # A page of many small forms (a calendar's delete buttons) gets no more than a few each.
    @fuzz_settings(max_examples=min(12 * len(forms), 36))
    def fuzz(data):
        form = forms[data.draw(st.sampled_from(sorted(forms)), label="action")]
        values = data.draw(field_values(form), label="fields")
        answer = client.post(form.action, data=values, environ_base=FUZZ_ADDRESS)
        cases["forms"] += 1
        assert answer.status_code < 500, (form.action, values, answer.status_code)

    fuzz()
