"""Chinese first, English on request; every string translated; times in Asia/Shanghai."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from portal.accounts.models import Role
from tests.factories import make_campaign, make_user, shanghai

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "portal/translations/zh_Hans_CN/LC_MESSAGES"
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}


def _source_msgids() -> set[str]:
    method_map = [("portal/**.py", "python"), ("templates/**.html", "jinja2")]
    found = set()
    for _file, _line, message, _comments, _ctx in extract_from_dir(
        str(ROOT), method_map=method_map, keywords=KEYWORDS
    ):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


def _catalogue():
    with open(CATALOGUE / "messages.po", "rb") as f:
        return read_po(f)


def test_every_user_facing_string_has_a_chinese_translation():
    catalogue = _catalogue()
    untranslated = sorted(
        msgid
        for msgid in _source_msgids()
        if not (catalogue.get(msgid) and catalogue.get(msgid).string)
    )
    assert untranslated == [], "run scripts/update-translations and translate these"


def _plain(value):
    """Plural entries read as lists from .mo files and as tuples from .po files."""
    return tuple(value) if isinstance(value, list | tuple) else value


def test_compiled_catalogue_matches_the_po_file():
    with open(CATALOGUE / "messages.mo", "rb") as f:
        compiled = {_plain(m.id): _plain(m.string) for m in read_mo(f) if m.id}
    source = {_plain(m.id): _plain(m.string) for m in _catalogue() if m.id and m.string}
    assert compiled == source, "run scripts/update-translations to recompile messages.mo"


def test_pages_are_chinese_by_default(client):
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="zh-CN">' in page
    assert "登录" in page


def test_language_switch_turns_pages_english_and_back(client):
    client.get("/lang/en")
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="en">' in page
    assert "Log in" in page
    client.get("/lang/zh_Hans_CN")
    page = client.get("/login").get_data(as_text=True)
    # The templates' words are kept per process and language (portal.i18n): each its own.
    assert '<html lang="zh-CN">' in page
    assert "登录" in page and "Log in" not in page


def test_language_switch_only_redirects_within_the_portal(client):
    response = client.get("/lang/en?next=https://evil.example.com/")
    assert response.headers["Location"] == "/"
    response = client.get("/lang/en?next=/login")
    assert response.headers["Location"] == "/login"


def test_unknown_language_is_ignored(client):
    client.get("/lang/fr")
    assert '<html lang="zh-CN">' in client.get("/login").get_data(as_text=True)


def test_deadlines_are_shown_in_shanghai_time(client, login):
    # 17:00 in Shanghai is 09:00 UTC; the page must say 17:00.
    make_campaign(application_deadline=shanghai(2026, 11, 10, 17, 0))
    login(make_user(Role.ENTERPRISE))
    page = client.get("/home").get_data(as_text=True)
    assert "2026-11-10 17:00" in page
    assert "2026-11-10 09:00" not in page


def test_a_records_name_in_the_language_asked_or_read_once_for_a_list(app, session):
    import sqlalchemy as sa

    from portal.i18n import localized_name, name_column
    from portal.organizations.models import District, Organization
    from tests.factories import district, make_org

    huangpu = district("huangpu")
    with app.test_request_context("/"):  # a page in Chinese, the default
        assert localized_name(huangpu) == "黄浦区"
        assert localized_name(huangpu, chinese=False) == "Huangpu"
        assert localized_name(None, chinese=True) == ""
    # A statement's column: "" for a unit without a district (the outer join found none).
    without = make_org(district=None)
    names = session.execute(
        sa.select(name_column(District, False))
        .select_from(Organization)
        .outerjoin(District, District.id == Organization.district_id)
        .where(Organization.id.in_([without.id, make_org(district=huangpu).id]))
        .order_by(Organization.id)
    ).scalars()
    assert list(names) == ["", "Huangpu"]
