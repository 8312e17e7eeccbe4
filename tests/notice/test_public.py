"""The public notice page, its Word copy and the public API: the list, nothing personal."""

import io
import re
from datetime import date, timedelta
from decimal import Decimal

import docx
import sqlalchemy as sa

from portal.accounts.models import Role
from portal.applications.models import Application, ApplicationState, TeamMember
from portal.campaigns.models import CategoryKind
from portal.db import utcnow
from portal.notice import objections
from portal.organizations.models import OrgKind
from tests.factories import district, industry, make_application, make_org, make_user
from tests.notice.helpers import open_notice, with_candidates
from tests.querycount import counting

PERSONAL = [
    "310101198803071234",  # individual's ID number
    "13912345678",  # individual's mobile
    "zhang.wei@example.com",
    "1988-03-07",
    "021-63215678",  # office phone
    "310104199001011238",  # team member's ID number
    "13700001111",  # team leader's mobile
    "1990-01-01",
]


def _known_packets(campaign):
    unit = make_org(
        OrgKind.ENTERPRISE,
        name="上海浦东发展银行黄浦支行",
        district=district("huangpu"),
        industry=industry("finance"),
    )
    person = make_application(
        ApplicationState.CANDIDATE,
        campaign=campaign,
        organization=unit,
        kind=CategoryKind.INDIVIDUAL,
        person_name="张伟",
        id_number="310101198803071234",
        mobile="13912345678",
        email="zhang.wei@example.com",
        birth_date=date(1988, 3, 7),
        office_phone="021-63215678",
        age=38,
        female=False,
    )
    rail = make_org(
        OrgKind.ENTERPRISE,
        name="上海铁路局虹桥站",
        district=district("changning"),
        industry=industry("railway"),
    )
    team = make_application(
        ApplicationState.CANDIDATE,
        campaign=campaign,
        organization=rail,
        team_name="虹桥站客运一班",
        leader_name="李娜",
        leader_mobile="13700001111",
        average_age=Decimal("31.5"),
    )
    team.members.append(
        TeamMember(
            name="王芳", id_number="310104199001011238", birth_date=date(1990, 1, 1), female=True
        )
    )
    return person, team


def _open_now(n_extra=0, year=2026):
    campaign, extra = with_candidates(n_extra, year=year)
    person, team = _known_packets(campaign)
    notice = open_notice(campaign, opens_at=utcnow() - timedelta(hours=1))
    return campaign, notice, person, team


def test_anonymous_sees_the_list_without_personal_data(client, session):
    campaign, notice, person, team = _open_now()
    response = client.get("/notice")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    for shown in ("张伟", "上海浦东发展银行黄浦支行", "虹桥站客运一班", "上海铁路局虹桥站"):
        assert shown in html
    for secret in PERSONAL:
        assert secret not in html
    table = html.split('data-testid="notice-list"')[1]
    assert "38" not in re.sub(r"\d{3,}", "", table)  # no ages in the table (ids taken out)


def test_list_page_sets_no_cookie_and_is_publicly_cacheable(client):
    _open_now()
    response = client.get("/notice")
    assert "Set-Cookie" not in response.headers
    assert response.headers["Cache-Control"] == "public, max-age=1"
    assert "csrf_token" not in response.get_data(as_text=True)


def test_signed_in_users_get_a_private_copy(client, login):
    _open_now()
    login(make_user(Role.OFFICE))
    response = client.get("/notice")
    assert "public" not in response.headers["Cache-Control"]
    assert "private" in response.headers["Cache-Control"]


def test_word_copy_has_the_list_and_nothing_personal(client):
    campaign, notice, person, team = _open_now()
    response = client.get(f"/notice/{campaign.year}/list.docx")
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    document = docx.Document(io.BytesIO(response.data))
    text = "\n".join(
        [p.text for p in document.paragraphs]
        + [c.text for t in document.tables for row in t.rows for c in row.cells]
    )
    assert "张伟" in text and "虹桥站客运一班" in text and "上海铁路局虹桥站" in text
    for secret in PERSONAL:
        assert secret not in text
    raw = response.data
    with __import__("zipfile").ZipFile(io.BytesIO(raw)) as z:
        xml = "".join(z.read(n).decode("utf-8", "ignore") for n in z.namelist())
    for secret in PERSONAL:
        assert secret not in xml


def test_search_and_filters_are_in_the_query_string(client):
    campaign, notice, person, team = _open_now()
    html = client.get("/notice?q=虹桥").get_data(as_text=True)
    assert "虹桥站客运一班" in html and "张伟" not in html
    html = client.get("/notice?industry=finance").get_data(as_text=True)
    assert "张伟" in html and "虹桥站客运一班" not in html
    html = client.get("/notice?district=changning").get_data(as_text=True)
    assert "虹桥站客运一班" in html and "张伟" not in html
    individual = next(c for c in campaign.categories if c.kind is CategoryKind.INDIVIDUAL)
    html = client.get(f"/notice/{campaign.year}?category={individual.code}").get_data(as_text=True)
    assert "张伟" in html and "虹桥站客运一班" not in html
    assert "1 of 2 candidates" in html


def test_no_notice_before_it_opens(client, session):
    campaign, _ = with_candidates(1)
    open_notice(campaign, opens_at=utcnow() + timedelta(days=1))
    assert "No candidate list is on public notice" in client.get("/notice").get_data(as_text=True)
    assert client.get(f"/notice/{campaign.year}").status_code == 404


def test_upheld_objection_removes_the_candidate_from_page_and_docx(client, session):
    campaign, notice, person, team = _open_now()
    office = make_user(Role.OFFICE)
    case = objections.submit_objection(
        session,
        notice,
        person,
        name="赵敏",
        mobile="13800138000",
        email=None,
        reason="该候选人申报的服务满意率数据与单位实际公布的数据不一致。",
        filled_seconds=30,
    )
    objections.decide_objection(session, case, office, upheld=True, reply="经核实，情况属实。")
    assert person.state is ApplicationState.DISQUALIFIED
    html = client.get("/notice").get_data(as_text=True)
    assert "张伟" not in html and "虹桥站客运一班" in html
    assert 'data-testid="revised"' in html
    data = client.get(f"/notice/{campaign.year}/list.docx").data
    text = "\n".join(
        c.text for t in docx.Document(io.BytesIO(data)).tables for r in t.rows for c in r.cells
    )
    assert "张伟" not in text and "虹桥站客运一班" in text
    api = client.get("/api/v1/notice").get_json()
    assert [c["name"] for c in api["candidates"]] == ["虹桥站客运一班"]
    assert api["revised_at"] is not None


def _statements(client, session, path):
    session.expunge_all()
    with counting(session.connection()) as statements:
        response = client.get(path)
    assert response.status_code == 200
    return len(statements)


def test_list_page_runs_as_many_statements_at_10_as_at_500_candidates(client, session):
    campaign, _ = with_candidates(10)
    open_notice(campaign, opens_at=utcnow() - timedelta(hours=1))
    paths = ("/notice", "/notice?page=2", "/notice?q=测试单位&industry=finance&page=2")
    few = [_statements(client, session, path) for path in paths]
    assert max(few) <= 5
    with_candidates(490, campaign=campaign)
    assert [_statements(client, session, path) for path in paths] == few
    assert client.get("/notice").get_data(as_text=True).count("data-candidate=") == 200
    assert _statements(client, session, "/api/v1/notice") <= 5


ROW = re.compile(r'<tr data-candidate="(\d+)"><td>(\d+)</td>')


def _listed(client, path: str) -> tuple[list[tuple[int, int]], str]:
    """(candidate id, number shown) of each row of the page, and the page."""
    html = client.get(path).get_data(as_text=True)
    return [(int(i), int(n)) for i, n in ROW.findall(html)], html


def _above_the_list(html: str) -> str:
    """What the page says of the whole list: the count and the filters' choices."""
    return html[html.index('<form method="get" class="filters"') : html.index("<table")]


def test_a_long_list_is_paged_and_what_it_says_of_the_list_is_of_the_whole_list(client, session):
    campaign, notice, person, team = _open_now(n_extra=228)
    first, page_one = _listed(client, "/notice")
    second, page_two = _listed(client, f"/notice/{campaign.year}?page=2")
    assert [n for _, n in first] == list(range(1, 201))
    assert [n for _, n in second] == list(range(201, 231))
    listed = sa.select(Application.id).where(Application.campaign_id == campaign.id)
    in_order = session.scalars(listed.order_by(Application.category_id, Application.id))
    assert [i for i, _ in first + second] == list(in_order)  # teams' category, then by id
    assert "230 of 230 candidates" in page_one
    assert _above_the_list(page_two) == _above_the_list(page_one)
    assert 'option value="finance"' in page_one and 'option value="railway"' in page_one
    assert "Page 1 of 2" in page_one and "Page 2 of 2" in page_two
    assert 'href="/notice?page=2" rel="next"' in page_one
    assert f'href="/notice/{campaign.year}?page=1" rel="prev"' in page_two
    beyond, _ = _listed(client, f"/notice/{campaign.year}?page=9")
    assert beyond == second  # a page beyond the last is the last


def test_a_list_of_candidates_and_winners_is_paged_in_one_order(client, session):
    """Once some are awarded the list holds two states; the pages still follow one order."""
    campaign, notice, person, team = _open_now(n_extra=228)
    listed = sa.select(Application).where(Application.campaign_id == campaign.id)
    for packet in session.scalars(listed.where(Application.id % 3 == 0)):
        packet.state = ApplicationState.AWARDED
    session.flush()
    first, html = _listed(client, "/notice")
    second, _ = _listed(client, "/notice?page=2")
    in_order = session.scalars(
        listed.with_only_columns(Application.id).order_by(Application.category_id, Application.id)
    )
    assert [i for i, _ in first + second] == list(in_order)
    assert "230 of 230 candidates" in html


def test_the_pages_of_a_search_keep_the_search(client):
    campaign, notice, person, team = _open_now(n_extra=228)
    path = "/notice?q=测试单位"
    first, html = _listed(client, path)
    assert len(first) == 200 and "228 of 230 candidates" in html  # not the two named units
    assert 'href="/notice?q=%E6%B5%8B%E8%AF%95%E5%8D%95%E4%BD%8D&amp;page=2" rel="next"' in html
    second, html = _listed(client, path + "&page=2")
    assert [n for _, n in second] == list(range(201, 229))
    assert {i for i, _ in first} & {i for i, _ in second} == set()
    assert person.id not in {i for i, _ in first + second}


def test_search_takes_wildcards_literally_and_ignores_case(client):
    campaign, notice, person, team = _open_now()
    make_application(
        ApplicationState.CANDIDATE, campaign=campaign, team_name="Bund 100% Service Team"
    )
    html = client.get("/notice?q=100%25 service").get_data(as_text=True)
    assert "Bund 100% Service Team" in html and "1 of 3 candidates" in html
    assert "0 of 3 candidates" in client.get("/notice?q=_").get_data(as_text=True)
    assert "1 of 3 candidates" in client.get("/notice?q=%25").get_data(as_text=True)


def test_a_nul_in_the_search_or_filters_is_taken_out_not_a_server_error(client):
    _open_now()
    for query in ("q=%00", "q=%E8%99%B9%00%E6%A1%A5", "industry=%00", "category=fin%00ance"):
        response = client.get(f"/notice?{query}")
        assert response.status_code == 200, query
    html = client.get("/notice?q=%E8%99%B9%00%E6%A1%A5").get_data(as_text=True)
    assert "上海铁路局虹桥站" in html and "1 of 2 candidates" in html  # searched as 虹桥


def test_the_list_s_groups_read_from_the_kept_sums_are_those_counted_from_the_packets(session):
    """The counts and filter choices of the whole list come from the kept balance sums and
    each group's first packet: the same groups, counts and first ids as counting the packets
    themselves (what a search does), through packets without a district or an industry, winners
    beside candidates, and a candidate withdrawn."""
    from portal.notice.public import _groups

    campaign, notice, person, team = _open_now(n_extra=6)
    nowhere = make_org(OrgKind.ENTERPRISE, name="无辖区单位", district=None, industry=None)
    no_trade = make_org(OrgKind.ENTERPRISE, name="无行业单位", district=district("huangpu"),
                        industry=None)  # fmt: skip
    for unit, kind in ((nowhere, CategoryKind.TEAM), (nowhere, CategoryKind.INDIVIDUAL),
                       (no_trade, CategoryKind.TEAM)):  # fmt: skip
        make_application(ApplicationState.CANDIDATE, campaign=campaign, organization=unit,
                         kind=kind)  # fmt: skip
    team.state = ApplicationState.AWARDED
    person.state = ApplicationState.DISQUALIFIED
    session.flush()

    def groups(searched: bool) -> list[tuple]:
        values = {"campaign_id": campaign.id, "pattern": "%"}
        rows = session.execute(_groups(searched), values).all()
        return sorted((tuple(r) for r in rows), key=lambda r: r[6])  # by first id

    kept = groups(False)
    assert kept == groups(True)
    assert sum(r[4] for r in kept) == 10  # 6 + the winner + 3, not the withdrawn
    assert any(r[2] is None and r[3] is None for r in kept)  # the unit without either
    assert any(r[2] is not None and r[3] is None for r in kept)  # without an industry
