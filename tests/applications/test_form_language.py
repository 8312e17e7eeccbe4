"""The enterprise's edit form names its options in the reader's language, whichever language
the form was first built in."""

from __future__ import annotations

import lxml.html

from portal.applications.models import Application
from tests.applications.helpers import make_draft

NATURES_EN = [
    "—",
    "State-owned",
    "State-controlled",
    "Public institution",
    "Social organization",
    "Private",
    "Other",
]


def _nature_options(client, app: Application) -> list[str]:
    page = lxml.html.fromstring(client.get(f"/applications/{app.id}/edit").get_data(as_text=True))
    return [o.text_content() for o in page.xpath("//select[@name='unit_nature']/option")]


def test_unit_nature_options_follow_the_language_switch(client, login, session):
    draft = make_draft()
    login(draft.created_by)
    client.get("/lang/zh_Hans_CN")
    chinese = _nature_options(client, draft)
    assert chinese[1] == "国有"
    client.get("/lang/en")
    assert _nature_options(client, draft) == NATURES_EN
    client.get("/lang/zh_Hans_CN")
    assert _nature_options(client, draft) == chinese
