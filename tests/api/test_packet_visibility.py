"""Who sees a packet: for every role and relation, the packets a user opens one by one (API
detail, the packet's web page) are exactly those the API list returns, and both are exactly
the expected ones."""

from __future__ import annotations

import pytest

from portal.accounts.models import Role
from portal.applications.models import ApplicationState
from portal.db import get_session
from portal.organizations.models import OrgSystem
from portal.scoring import assignment as assigning
from portal.scoring import sheets
from portal.scoring.models import WithdrawalKind
from tests.api.helpers import auth_headers
from tests.factories import PASSWORD, district, industry, make_application, make_org, make_user
from tests.notice.helpers import four_organizers
from tests.review.helpers import SYSTEMS, make_world
from tests.scoring.helpers import make_expert, make_panel

S = ApplicationState
STAGE_OF = {system: position for position, system in enumerate(SYSTEMS)}


def _world():
    """Packets of every kind of relation, and a user of every role and relation."""
    world = make_world()
    campaign = world.campaign
    own = make_org(district=district("huangpu"), industry=industry("finance"))
    rival = make_org(district=district("huangpu"), industry=industry("finance"))
    packets = {"own_draft": make_application(S.DRAFT, campaign=campaign, organization=own)}
    for system, position in STAGE_OF.items():
        packets[f"at_{system.value}"] = make_application(
            campaign=campaign, organization=own, stage_position=position
        )
    packets["returned"] = make_application(
        S.RETURNED, campaign=campaign, organization=own, stage_position=1
    )
    packets["channel_approved"] = make_application(
        S.CHANNEL_APPROVED, campaign=campaign, organization=own
    )
    packets["rival_submitted"] = make_application(
        campaign=campaign, organization=rival, stage_position=0
    )
    packets["rival_draft"] = make_application(S.DRAFT, campaign=campaign, organization=rival)
    packets["xuhui"] = make_application(
        campaign=campaign, organization=make_org(district=district("xuhui")), stage_position=3
    )
    scored = make_application(S.ACCEPTED, campaign=campaign, organization=own)
    packets["scored"] = scored

    session = get_session()
    experts = {name: make_expert() for name in ("active", "reserve", "withdrawn", "no_pledge")}
    panel = make_panel(campaign, list(experts.values()))
    for name, expert in experts.items():
        made = assigning.assign_expert(
            session, None, panel, scored, expert, reserve=name == "reserve"
        )
        if name != "no_pledge":
            sheets.accept_pledge(session, None, expert, campaign)
        if name == "withdrawn":
            assigning.withdraw(
                session, expert.user, expert, made, WithdrawalKind.CONFLICT, "本单位曾与其合作。"
            )
    session.flush()

    users = {
        "owner": make_user(Role.ENTERPRISE, organization=own),
        "rival": make_user(Role.ENTERPRISE, organization=rival),
        "office": world.office,
        "admin": make_user(Role.ADMIN),
        **{f"reviewer_{s.value}": world.reviewer(s) for s in SYSTEMS},
        **{f"organizer_{s.value}": u for s, u in four_organizers().items()},
        **{f"expert_{name}": e.user for name, e in experts.items()},
    }
    return packets, users


def _expected(packets) -> dict[str, set[str]]:
    handed_in = {name for name in packets if not name.endswith("draft")}
    own = {name for name in packets if not name.startswith(("rival", "xuhui"))}
    expected = {
        "owner": own,
        "rival": {"rival_submitted", "rival_draft"},
        "office": handed_in,
        "admin": set(),
        "expert_active": {"scored"},
        "expert_reserve": set(),
        "expert_withdrawn": set(),
        "expert_no_pledge": set(),
    }
    for system in OrgSystem:
        expected[f"organizer_{system.value}"] = set()
    for system, position in STAGE_OF.items():
        # A channel reads its district's packets from its own stage on, and every packet
        # that has left the chain.
        expected[f"reviewer_{system.value}"] = (
            {f"at_{s.value}" for s, p in STAGE_OF.items() if p >= position}
            | {"channel_approved", "scored"}
            | ({"returned"} if position <= 1 else set())
        )
    expected["reviewer_union"] |= {"rival_submitted"}
    return expected


@pytest.fixture
def visibility_world(session):
    return _world()


def test_detail_list_and_page_agree_for_every_role_and_relation(app, client, visibility_world):
    packets, users = visibility_world
    names = {p.id: name for name, p in packets.items()}
    expected = _expected(packets)
    assert set(expected) == set(users)
    for who, user in users.items():
        headers = auth_headers(user)
        listed = client.get("/api/v1/applications?per_page=100", headers=headers).get_json()
        in_list = {names[row["id"]] for row in listed["data"] if row["id"] in names}
        assert listed["meta"]["total"] == len(in_list), who
        by_detail = {
            name
            for name, packet in packets.items()
            if _status(client.get(f"/api/v1/applications/{packet.id}", headers=headers), who)
        }
        web = app.test_client()
        assert web.post("/login", data={"email": user.email, "password": PASSWORD}).status_code
        by_page = {
            name
            for name, packet in packets.items()
            if _status(web.get(f"/applications/{packet.id}", follow_redirects=True), who)
        }
        assert by_detail == in_list == by_page == expected[who], who


def _status(response, who) -> bool:
    assert response.status_code in (200, 404), (who, response.status_code)
    return response.status_code == 200
