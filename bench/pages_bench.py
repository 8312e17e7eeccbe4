"""Every list page of every role, rendered through the test client, against a bare Flask page.

Run by hand (not a test):  .venv/bin/python bench/pages_bench.py [--rows 200,5000] [--rounds 5]

For each size it builds a temporary SQLite database in which every list holds that many
packets (or rows), through the portal's models, the tests' factories and the services:

- the open campaign: packets at the union's stage (all of one enterprise: its applications
  list), at the quality association's stage, awaiting the quality association's ranking, and
  awaiting the office's formal check; a similarity flag between pairs of them; the activity
  statistics tables of five channels;
- the previous campaign: accepted packets scored by three experts (one with a login, whose
  assignments list holds them all), the candidate list confirmed by the results service, the
  joint approval signed and the notice open an hour ago; an objection to every candidate,
  filed through the objection service;
- the campaign before: its notice closed and its final list confirmed (the honours);
- an enterprise user for every unit, so the users and organizations lists hold as many rows.

Then it renders each page as its role through Flask's test client (the paged lists also at
their last page, by its number), the pages of both sizes
and a floor page interleaved in a new random order each round, and prints per page the
table rows it shows, its size, the SQL statements of one request, and the median CPU time
per request (time.process_time: SQLite runs in this process, so its work counts), with the
ratio to the floor: a bare Flask + Jinja app rendering a 200-row table from SQLite, measured
in the same run. Target: at most 2x the floor for every page, paged at every size.
"""

from __future__ import annotations

import argparse
import random
import re
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402

import portal.models  # noqa: E402, F401
from portal import create_app  # noqa: E402
from portal.accounts.models import Role, User  # noqa: E402
from portal.applications.models import (  # noqa: E402
    Application,
    ApplicationState,
    ApplicationVersion,
)
from portal.campaigns.models import CategoryKind  # noqa: E402
from portal.db import Base, get_engine, get_session, utcnow  # noqa: E402
from portal.honours import service as honours  # noqa: E402
from portal.organizations.models import Organization, OrgKind, OrgSystem  # noqa: E402
from portal.recommendations import balance_kept  # noqa: E402
from portal.reference import seed_reference  # noqa: E402
from portal.review import queue_kept  # noqa: E402
from portal.scoring.models import (  # noqa: E402
    Assignment,
    AssignmentStatus,
    ScoreSheet,
    SheetStatus,
)
from portal.scoring.results import kept  # noqa: E402
from portal.scoring.results import service as results  # noqa: E402
from portal.scoring.sheets import accept_pledge  # noqa: E402
from portal.similarity.models import NarrativeMatch  # noqa: E402
from tests.factories import (  # noqa: E402
    district,
    industry,
    make_campaign,
    make_credit_code,
    make_user,
)
from tests.honours.helpers import PAST_NOTICE_OPENS  # noqa: E402
from tests.notice.helpers import objection, open_notice  # noqa: E402
from tests.review.helpers import channel  # noqa: E402
from tests.scoring.results_helpers import make_expert, panel_for  # noqa: E402
from tests.statistics.helpers import file_all  # noqa: E402

PASSWORD = "password-123456"  # tests.factories.PASSWORD
FLOOR_ROWS = 200
TBODY = re.compile(r"<tbody.*?</tbody>", re.S)


# --- the floor: a bare Flask + Jinja page --------------------------------------------------

FLOOR_TEMPLATE = """<!doctype html><html lang="zh-Hans"><head><meta charset="utf-8">
<title>{{ title }}</title><link rel="stylesheet" href="/static/portal.css"></head><body>
<header><nav><a href="/">首页</a> <a href="/notice">公示</a></nav></header><main>
<h1>{{ title }}</h1><table class="table"><thead><tr><th>序号</th><th>类别</th><th>名称</th>
<th>单位</th><th>区</th><th>行业</th><th></th></tr></thead><tbody>
{% for r in rows %}<tr data-testid="row"><td>{{ loop.index }}</td><td>{{ r[1] }}</td>
<td>{{ r[2] }}</td><td>{{ r[3] }}</td><td>{{ r[4] }}</td><td>{{ r[5] }}</td>
<td><a class="button" href="/notice/2026/candidates/{{ r[0] }}/objection">提出异议</a></td></tr>
{% endfor %}</tbody></table></main></body></html>"""


def floor_app():
    """Flask, Jinja and one SQLite query of 200 rows, nothing else."""
    from flask import Flask, render_template_string

    connection = sqlite3.connect(":memory:", check_same_thread=False)
    connection.execute(
        "CREATE TABLE candidate (id INTEGER PRIMARY KEY, category TEXT, name TEXT,"
        " unit TEXT, district TEXT, industry TEXT)"
    )
    connection.executemany(
        "INSERT INTO candidate VALUES (?, ?, ?, ?, ?, ?)",
        [
            (
                n,
                "用户满意服务明星班组",
                f"服务窗口班组{n}",
                f"上海市某某服务有限公司{n}",
                "黄浦区",
                "金融业",
            )
            for n in range(1, FLOOR_ROWS + 1)
        ],
    )
    app = Flask("floor")

    @app.route("/")
    def page():
        rows = connection.execute("SELECT * FROM candidate ORDER BY id").fetchall()
        return render_template_string(FLOOR_TEMPLATE, title="公示名单", rows=rows)

    return app


# --- the portal's data ---------------------------------------------------------------------


@dataclass
class World:
    """Who logs in, and the ids the pages' addresses need."""

    users: dict[str, str] = field(default_factory=dict)  # role name -> email
    ids: dict[str, int] = field(default_factory=dict)
    units: list[int] = field(default_factory=list)  # the enterprises' organization ids


def portal_app(path: Path):
    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "bench-" + "x" * 40,
            "DATABASE_URL": f"sqlite:///{path}",
            "INSTANCE_PATH": str(path.parent),
            "WTF_CSRF_ENABLED": False,
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        }
    )


def build(app, n: int) -> World:
    world = World()
    with app.app_context():
        Base.metadata.create_all(get_engine())
        seed_reference(get_session())
        people(world, n)
        open_campaign(world, n)
        noticed_campaign(world, n)
        awarded_campaign(world, n)
        get_session().commit()
    return world


def insert_ids(model, rows: list[dict]) -> list[int]:
    """Rows inserted in bulk (one executemany); their ids in the order of the rows."""
    returning = sa.insert(model).returning(model.id, sort_by_parameter_order=True)
    return list(get_session().scalars(returning, rows))


def people(world: World, n: int) -> None:
    """The office, an administrator, and n enterprises in Huangpu with a user each."""
    world.users["office"] = make_user(Role.OFFICE).email
    world.users["admin"] = make_user(Role.ADMIN).email
    first = make_user(Role.ENTERPRISE)
    world.users["enterprise"] = first.email
    area, trade = district(), industry()
    world.units = [first.organization_id] + insert_ids(
        Organization,
        [
            {
                "name": f"上海某某服务有限公司{i}",
                "kind": OrgKind.ENTERPRISE,
                "credit_code": make_credit_code(500_000_000 + i),
                "district_id": area.id,
                "industry_id": trade.id,
            }
            for i in range(1, n)
        ],
    )
    insert_ids(
        User,
        [
            {
                "email": f"unit{i}@example.com",
                "name": f"联系人{i}",
                "password_hash": first.password_hash,
                "role": Role.ENTERPRISE,
                "organization_id": unit,
            }
            for i, unit in enumerate(world.units[1:], start=1)
        ],
    )


def packets(campaign, state, units: list[int], *, kind=None, **fields) -> list[int]:
    """A packet of each unit (Huangpu, finance) in `state` with one frozen version, in bulk;
    teams and individuals alternate unless `kind` is given."""
    now = utcnow()
    category = {c.kind: c for c in campaign.categories}
    area, trade = district(), industry()
    rows = []
    for i, unit in enumerate(units, start=1):
        k = kind or (CategoryKind.TEAM if i % 2 else CategoryKind.INDIVIDUAL)
        team = k is CategoryKind.TEAM
        rows.append(
            {
                "campaign_id": campaign.id,
                "category_id": category[k].id,
                "kind": k,
                "organization_id": unit,
                "district_id": area.id,
                "industry_id": trade.id,
                "state": state,
                "submitted_at": now,
                "team_name": f"服务窗口班组{i}" if team else None,
                "member_count": 3 if team else None,
                "women_count": 1 if team else None,
                "women_share": Decimal("33.3") if team else None,
                "average_age": Decimal("36.5") if team else None,
                "person_name": None if team else f"申报人{i}",
                "female": None if team else i % 4 == 0,
                "age": None if team else 25 + i % 35,
                "narrative": "",
                "honours": [],
                **fields,
            }
        )
    ids = insert_ids(Application, rows)
    get_session().execute(
        sa.insert(ApplicationVersion),
        [{"application_id": a, "number": 1, "submitted_at": now, "snapshot": {}} for a in ids],
    )
    kept.refresh(get_session(), ids)  # in bulk, past the ORM's unit of work
    balance_kept.refresh(get_session(), ids)  # the balance sums too
    queue_kept.refresh(get_session(), ids)  # and the review queues
    return ids


def open_campaign(world: World, n: int) -> None:
    """The open campaign's review pages: n packets at each of four places in the chain."""
    now = utcnow()
    campaign = make_campaign(
        year=2026,
        application_deadline=now - timedelta(days=1),
        recommendation_deadline=now + timedelta(days=1),
        review_deadline=now + timedelta(days=10),
    )
    for system, role in (
        (OrgSystem.UNION, "union reviewer"),
        (OrgSystem.QUALITY, "quality reviewer"),
    ):
        world.users[role] = make_user(Role.CHANNEL_REVIEWER, organization=channel(system)).email
    S = ApplicationState
    at_union = packets(campaign, S.SUBMITTED, [world.units[0]] * n)  # the enterprise's list
    at_quality = packets(campaign, S.SUBMITTED, world.units, stage_position=3)
    packets(campaign, S.CHANNEL_APPROVED, world.units, kind=CategoryKind.TEAM)
    packets(campaign, S.RECOMMENDED, world.units)
    session = get_session()
    version = dict(
        session.execute(sa.select(ApplicationVersion.application_id, ApplicationVersion.id)).all()
    )
    session.execute(
        sa.insert(NarrativeMatch),
        [
            {
                "application_id": a,
                "other_application_id": b,
                "version_id": version[a],
                "other_version_id": version[b],
                "campaign_id": campaign.id,
                "other_campaign_id": campaign.id,
                "similarity": Decimal("0.5") + Decimal(i % 50) / 100,
                "shared_shingles": 400 + i,
            }
            for i, (a, b) in enumerate(zip(at_quality, at_union, strict=True))
        ],
    )
    file_all(campaign)
    session.flush()
    world.ids["open campaign"] = campaign.id
    world.ids["open team"] = next(c.id for c in campaign.categories if c.kind is CategoryKind.TEAM)


def scored(campaign, ids: list[int], experts, spread: int) -> None:
    """A locked sheet of each expert for each packet, in bulk; totals vary with the packet."""
    panel = panel_for(campaign, industry())
    now = utcnow()
    pairs = [(a, e) for a in ids for e in experts]
    assignments = insert_ids(
        Assignment,
        [
            {
                "campaign_id": campaign.id,
                "panel_id": panel.id,
                "application_id": a,
                "expert_id": e.id,
                "status": AssignmentStatus.ACTIVE,
            }
            for a, e in pairs
        ],
    )
    get_session().execute(
        sa.insert(ScoreSheet),
        [
            {
                "assignment_id": assignment,
                "campaign_id": campaign.id,
                "application_id": a,
                "expert_id": e.id,
                "status": SheetStatus.LOCKED,
                "criteria_points": total,
                "total": total,
                "locked_at": now,
            }
            for assignment, (a, e) in zip(assignments, pairs, strict=True)
            for total in [Decimal(60 + (a * 7 + e.id * 3) % spread)]
        ],
    )
    kept.refresh(get_session(), ids)  # the sheets too


def noticed_campaign(world: World, n: int) -> None:
    """Last year's campaign: scored, the teams' list confirmed by the results service, the
    joint approval signed and the notice open, an objection to every candidate; the
    individuals' list still open (the page the office works on, with a move per row)."""
    session = get_session()
    campaign = make_campaign(year=2025)
    team, individual = (
        next(c for c in campaign.categories if c.kind is kind)
        for kind in (CategoryKind.TEAM, CategoryKind.INDIVIDUAL)
    )
    team.quota = n
    expert_user = make_user(Role.EXPERT)
    experts = [
        make_expert("专家甲", user=expert_user),
        make_expert("专家乙"),
        make_expert("专家丙"),
    ]
    world.users["expert"] = expert_user.email
    accept_pledge(session, expert_user, experts[0], campaign)
    S = ApplicationState
    teams = packets(campaign, S.ACCEPTED, world.units, kind=CategoryKind.TEAM)
    scored(campaign, teams, experts, spread=35)
    people = packets(campaign, S.ACCEPTED, world.units, kind=CategoryKind.INDIVIDUAL)
    scored(campaign, people, experts[1:], spread=40)
    office = _user(world, "office")
    results.confirm_list(session, team.id, office)
    notice = open_notice(campaign, opens_at=utcnow() - timedelta(hours=1), office=office)
    for i, packet in enumerate(
        session.scalars(sa.select(Application).where(Application.id.in_(teams)))
    ):
        objection(notice, packet, mobile=f"139{i:08d}")
    session.flush()
    world.ids["noticed campaign"] = campaign.id
    world.ids["noticed team"] = team.id
    world.ids["noticed individual"] = individual.id


def awarded_campaign(world: World, n: int) -> None:
    """The campaign before: its notice closed and its final list confirmed (n honours)."""
    campaign = make_campaign(year=2024)
    packets(campaign, ApplicationState.CANDIDATE, world.units)
    office = _user(world, "office")
    open_notice(campaign, opens_at=PAST_NOTICE_OPENS, office=office)
    honours.confirm_final_list(get_session(), campaign, office)


def _user(world: World, role: str) -> User:
    return get_session().scalar(sa.select(User).where(User.email == world.users[role]))


# --- the pages -----------------------------------------------------------------------------


def pages(world: World) -> list[tuple[str, str | None, str]]:
    """(page, role, address) of every list page, each as the role that works with it."""
    ids = world.ids
    return [
        ("public notice /notice", None, "/notice"),
        ("public honours", None, "/honours"),
        ("enterprise applications", "enterprise", "/applications/"),
        (
            "review queue (union stage)",
            "union reviewer",
            f"/review/?campaign={ids['open campaign']}",
        ),
        (
            "review queue (quality stage)",
            "quality reviewer",
            f"/review/?campaign={ids['open campaign']}",
        ),
        ("formal check", "office", f"/review/formal-check?campaign={ids['open campaign']}"),
        ("recommendations", "quality reviewer", "/recommendations/"),
        (
            "ranking",
            "quality reviewer",
            f"/recommendations/campaigns/{ids['open campaign']}/categories/{ids['open team']}",
        ),
        ("balance (citywide)", "office", "/balance/"),
        ("balance (channel)", "quality reviewer", "/balance/channel"),
        ("statistics", "office", f"/statistics/?campaign={ids['open campaign']}"),
        ("similarity", "office", f"/similarity/?campaign={ids['open campaign']}"),
        ("expert assignments", "expert", "/scoring/"),
        (
            "scoring results (open list)",
            "office",
            f"/scoring/results/categories/{ids['noticed individual']}",
        ),
        (
            "scoring results (confirmed list)",
            "office",
            f"/scoring/results/categories/{ids['noticed team']}",
        ),
        ("notice candidates", "office", f"/notice/manage/{ids['noticed campaign']}"),
        ("notice objections", "office", "/notice/manage/objections"),
        ("honours management", "office", "/honours/manage"),
        ("users", "admin", "/office/users/"),
        ("organizations", "office", "/office/organizations/"),
        ("audit trail", "admin", "/office/audit"),
    ]


# A page number past the end reads the last page; the bench then asks for that page by its
# number (one before the number its previous-page link gives), the paged lists' deepest page.
LAST_PAGE = 9999
PREVIOUS = re.compile(
    r'page=(\d+)"[^>]*rel="prev"|name="turn" value="(\d+)"[^>]*data-testid="previous-page"'
)


def last_page(client, path: str) -> str:
    """The address of the list's last page, by its number."""
    found = PREVIOUS.search(client.get(path).get_data(as_text=True))
    if found is None:
        return path  # one page only
    last = int(found.group(1) or found.group(2)) + 1
    return path.replace(f"page={LAST_PAGE}", f"page={last}")


def last_pages(world: World) -> list[tuple[str, str | None, str]]:
    """The last page of the paged lists whose first page is in pages()."""
    paged = (
        "public notice /notice",
        "enterprise applications",
        "review queue (union stage)",
        "formal check",
        "ranking",
        "expert assignments",
        "scoring results (open list)",
        "notice candidates",
    )
    return [
        (f"{name}, last page", role, f"{path}{'&' if '?' in path else '?'}page={LAST_PAGE}")
        for name, role, path in pages(world)
        if name in paged
    ]


@dataclass
class Page:
    size: int | None  # None for the floor
    name: str
    get: Callable[[], bytes]
    statements: int = 0
    rows: int = 0
    kb: float = 0.0
    cpu: list[float] = field(default_factory=list)


def portal_pages(app, world: World, size: int, only: str) -> list[Page]:
    engine = app.extensions["portal.db"]["engine"]
    clients = {}
    found = []
    for name, role, path in pages(world) + last_pages(world):
        if only and only not in name:
            continue
        if role not in clients:
            client = app.test_client()
            if role is not None:
                response = client.post(
                    "/login", data={"email": world.users[role], "password": PASSWORD}
                )
                assert response.status_code == 302, (role, response.status_code)
            clients[role] = client
        if f"page={LAST_PAGE}" in path:
            path = last_page(clients[role], path)

        def get(client=clients[role], path=path, name=name) -> bytes:
            response = client.get(path)
            if response.status_code != 200:
                raise SystemExit(f"{name} ({path}): {response.status_code}")
            return response.get_data()

        page = Page(size, name, get)
        sent: list[str] = []

        def count(_conn, _cursor, statement, *_args, sent=sent):
            sent.append(statement)

        get()  # warm: templates compiled, caches filled
        sa.event.listen(engine, "before_cursor_execute", count)
        body = get()
        sa.event.remove(engine, "before_cursor_execute", count)
        page.statements = len(sent)
        page.kb = len(body) / 1024
        page.rows = sum(m.count("<tr") for m in TBODY.findall(body.decode()))
        found.append(page)
    return found


def floor_page() -> Page:
    client = floor_app().test_client()

    def get() -> bytes:
        return client.get("/").get_data()

    body = get()
    page = Page(None, "floor: bare Flask + Jinja, 200 rows from SQLite", get, statements=1)
    page.kb = len(body) / 1024
    page.rows = FLOOR_ROWS
    return page


def measure(all_pages: list[Page], rounds: int, repeat: int, seed: int = 17) -> None:
    """Each round visits every page in a new random order, `repeat` requests each."""
    rng = random.Random(seed)
    order = list(all_pages)
    for _ in range(rounds):
        rng.shuffle(order)
        for page in order:
            for _ in range(repeat):
                start = time.process_time()
                page.get()
                page.cpu.append(time.process_time() - start)


def report(all_pages: list[Page]) -> None:
    """A Markdown table, as bench/README.md keeps it."""
    floor = next(p for p in all_pages if p.size is None)
    floor_ms = statistics.median(floor.cpu) * 1000
    print("\n| page | packets | rows | KB | SQL | CPU ms | x floor |")
    print("|---|---|---|---|---|---|---|")
    for page in all_pages:
        ms = statistics.median(page.cpu) * 1000
        size = "-" if page.size is None else f"{page.size:,}"
        print(
            f"| {page.name} | {size} | {page.rows} | {page.kb:.0f} | {page.statements} "
            f"| {ms:.1f} | {ms / floor_ms:.2f} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", default="200,5000", help="packets per list, comma-separated")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=3, help="requests per page and round")
    parser.add_argument("--only", default="", help="only the pages whose name has this text")
    args = parser.parse_args()
    sizes = [int(s) for s in args.rows.split(",")]
    all_pages = [floor_page()]
    with tempfile.TemporaryDirectory(prefix="pages-bench-") as tmp:
        apps = []
        for size in sizes:
            start = time.perf_counter()
            app = portal_app(Path(tmp) / f"pages-{size}.sqlite3")
            world = build(app, size)
            print(f"built {size} packets per list in {time.perf_counter() - start:.1f} s")
            apps.append(app)
            all_pages += portal_pages(app, world, size, args.only)
        measure(all_pages, args.rounds, args.repeat)
        for app in apps:
            app.extensions["portal.db"]["engine"].dispose()
    report(all_pages)


if __name__ == "__main__":
    main()
