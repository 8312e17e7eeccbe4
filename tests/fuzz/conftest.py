"""Fuzz tier: generated input against every API operation, HTML form and public query parameter.

The portal runs on a database of its own (a new SQLite file, or `<test database>_fuzz` on the
test PostgreSQL server) loaded once with the demo seed, so generated ids can hit real rows and
every role has something to act on. Requests commit for real, as in production. The bar is
zero 5xx; `cases` counts the requests each sub-tier sent, printed in the closing summary.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from portal import create_app
from portal.accounts.models import Role, User
from portal.accounts.service import create_api_token, make_reset_token
from portal.db import get_session
from portal.demo import DEMO_PASSWORD, seed_demo
from tests.conftest import make_test_config, reset_schema, side_database

# Requests sent per sub-tier, for the closing summary.
cases: Counter[str] = Counter()


def pytest_collection_modifyitems(items):
    # The inputs the fuzzers once broke the portal with are plain, quick tests of the core tier.
    for item in items:
        if "tests/fuzz/" in item.nodeid and "test_regressions.py" not in item.nodeid:
            item.add_marker(pytest.mark.fuzz)


def pytest_terminal_summary(terminalreporter):
    if cases:
        figures = ", ".join(f"{tier} {n}" for tier, n in sorted(cases.items()))
        terminalreporter.write_line(f"fuzz cases sent: {figures} (total {sum(cases.values())})")


@pytest.fixture(scope="session")
def fuzz_database_url(tmp_path_factory) -> Iterator[str]:
    with side_database(tmp_path_factory, "fuzz") as url:
        yield url


@dataclass
class World:
    """The seeded portal: one user and one API token per role, and real ids per kind of row."""

    app: Flask
    emails: dict[Role, str] = field(default_factory=dict)
    tokens: dict[Role, str] = field(default_factory=dict)
    ids: dict[str, list[int]] = field(default_factory=dict)
    clients: dict[Role | str, FlaskClient] = field(default_factory=dict)
    # A user and an organization no role above depends on, for the forms that edit them.
    spare_user: int = 0
    spare_organization: int = 0
    reset_token: str = ""
    draft_application: int = 0
    open_objection: int = 0

    def client(self, who: Role | str | None) -> FlaskClient:
        """A client logged in as the role's demo user or this demo email, or anonymous.

        Logged-in clients are kept for the session, so each logs in once.
        """
        if who is None:
            return self.app.test_client()
        if who not in self.clients:
            client = self.app.test_client()
            email = self.emails[who] if isinstance(who, Role) else who
            response = client.post("/login", data={"email": email, "password": DEMO_PASSWORD})
            assert response.status_code == 302, response.get_data(as_text=True)
            self.clients[who] = client
        return self.clients[who]


def _ids(session, model, limit: int = 6) -> list[int]:
    return list(session.scalars(sa.select(model.id).order_by(model.id).limit(limit)))


def _real_ids(session) -> dict[str, list[int]]:
    from portal import models as m

    kinds = {
        "application": m.Application,
        "campaign": m.Campaign,
        "category": m.CampaignCategory,
        "honour": m.Honour,
        "objection": m.Objection,
        "organization": m.Organization,
        "user": m.User,
        "assignment": m.Assignment,
        "sheet": m.ScoreSheet,
        "panel": m.Panel,
        "expert": m.Expert,
        "file": m.StoredFile,
        "recommendation": m.Recommendation,
        "statistics": m.ActivityStatistics,
        "match": m.NarrativeMatch,
        "proposal": m.RevocationProposal,
    }
    return {kind: _ids(session, model) or [1] for kind, model in kinds.items()}


def _add_spares(session, world: World) -> None:
    from portal.organizations.models import Organization

    spare = session.scalar(
        sa.select(User).where(User.email.not_in(world.emails.values())).order_by(User.id)
    )
    world.spare_user = spare.id
    world.reset_token = make_reset_token(spare)
    world.spare_organization = session.scalar(
        sa.select(Organization.id)
        .where(~sa.exists().where(User.organization_id == Organization.id))
        .order_by(Organization.id.desc())
        .limit(1)
    )


def _keep_notice_open(session) -> None:
    """The demo's notice closed in 2025; reopen its window so the objection form takes input."""
    from portal.db import utcnow
    from portal.notice.models import PublicNotice

    for notice in session.scalars(sa.select(PublicNotice)):
        notice.closes_at = utcnow() + timedelta(days=30)


def _draft_of(session, email: str) -> int:
    """A packet the enterprise may still edit: the demo's own, or a new draft in the open year."""
    from portal.applications.models import Application, ApplicationState
    from portal.campaigns.models import Campaign, CampaignStatus
    from tests.factories import make_application

    org = session.scalar(sa.select(User).where(User.email == email)).organization
    editable = session.scalar(
        sa.select(Application.id)
        .where(Application.organization_id == org.id)
        .where(Application.state.in_([ApplicationState.DRAFT, ApplicationState.RETURNED]))
        .order_by(Application.id)
        .limit(1)
    )
    if editable is not None:
        return editable
    campaign = session.scalar(sa.select(Campaign).where(Campaign.status == CampaignStatus.OPEN))
    return make_application(ApplicationState.DRAFT, campaign=campaign, organization=org).id


def _open_objection(session) -> int:
    """An objection still to be handled, so the office's case page shows its forms.

    The demo's candidates are winners by now; one is a candidate again for the moment the
    objection is raised, as it was during the notice.
    """
    from portal.applications.models import ApplicationState
    from portal.notice import objections, public

    notice = public.visible_notice(session)
    app = objections.objectable(session, notice, public.public_rows(session, notice)[0].id)
    state, app.state = app.state, ApplicationState.CANDIDATE
    case = objections.submit_objection(
        session,
        notice,
        app,
        name="赵六",
        mobile="13900001111",
        email=None,
        reason="窗口服务时间与申报材料所述不符，多次前往均无人值守，请核实。",
        filled_seconds=120,
        ip="192.0.2.9",
    )
    app.state = state
    return case.id


@pytest.fixture(scope="session")
def world(fuzz_database_url, tmp_path_factory) -> Iterator[World]:
    app = create_app(make_test_config(fuzz_database_url, tmp_path_factory.mktemp("fuzz-inst")))
    engine = app.extensions["portal.db"]["engine"]
    reset_schema(engine)
    world = World(app)
    with app.app_context():
        session = get_session()
        seed_demo()  # deadlines from today on: the open campaign takes applications
        for role in Role:
            user = session.scalar(sa.select(User).where(User.role == role).order_by(User.id))
            world.emails[role] = user.email
            world.tokens[role] = create_api_token(session, user, "fuzz")[1]
        world.ids = _real_ids(session)
        _add_spares(session, world)
        _keep_notice_open(session)
        world.draft_application = _draft_of(session, world.emails[Role.ENTERPRISE])
        world.open_objection = _open_objection(session)
        session.commit()
    yield world
    engine.dispose()
