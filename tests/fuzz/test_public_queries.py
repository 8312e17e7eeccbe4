"""Every query parameter of the public pages, with hostile values and raw, broken query strings.

The public reaches these pages without an account: the start page, the notice and its objection
case lookup, the honour roll, revoked titles, certificate verification, the language switch and
the login page. Values come as parsed parameters and as raw query strings with broken
percent-encoding. No answer may be a 5xx.
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz.conftest import World, cases
from tests.fuzz.inputs import hostile_text
from tests.fuzz.settings import fuzz_settings

LANG = ["lang"]
# Each public page and the parameters it reads.
PAGES = {
    "/": LANG,
    "/notice": [*LANG, "q", "category", "district", "industry", "year", "page"],
    "/notice/{year}": [*LANG, "q", "category", "district", "industry"],
    "/notice/{year}/list.docx": [*LANG, "q"],
    "/notice/objections/status": [*LANG, "case", "mobile"],
    "/honours": [*LANG, "year", "kind", "industry", "district", "page"],
    "/honours/revoked": [*LANG, "year", "page"],
    "/honours/verify": [*LANG, "code"],
    "/honours/{honour}": [*LANG],
    "/lang/en": ["next"],
    "/lang/{text}": ["next"],
    "/login": [*LANG, "next"],
    "/register": [*LANG],
}
# Broken or odd encodings a hand-typed or truncated link may carry.
RAW_PIECES = ["%", "%zz", "%ff%fe", "%C2%B2", "%E4%B8", "%00", "+", "&&", "=", "a=1=2", "%0d%0a"]


def _raw_query(names: list[str]) -> st.SearchStrategy[str]:
    pair = st.tuples(st.sampled_from([*names, "x"]), st.sampled_from(RAW_PIECES))
    return st.lists(pair, max_size=4).map(lambda pairs: "&".join(f"{k}={v}" for k, v in pairs))


def _query(names: list[str]) -> st.SearchStrategy[str]:
    parsed = st.dictionaries(st.sampled_from(names), hostile_text(), max_size=len(names))
    return st.one_of(parsed.map(lambda d: urlencode(d)), _raw_query(names))


@pytest.mark.parametrize("page", sorted(PAGES))
def test_public_page_never_answers_5xx(world: World, page):
    client = world.client(None)
    names = PAGES[page]

    @given(query=_query(names), text=hostile_text())
    @fuzz_settings(max_examples=15 if page.endswith(".docx") else 40)
    def fuzz(query, text):
        path = page.format(year=2025, honour=world.ids["honour"][0], text=quote(text, safe=""))
        response = client.get(path, query_string=query)
        cases["public"] += 1
        assert response.status_code < 500, (path, query, response.status_code)

    fuzz()
