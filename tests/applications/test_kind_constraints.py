"""The database holds a packet to its kind: a team packet carries no individual's fields, an
individual's packet no team's, and a packet's kind is its category's."""

from __future__ import annotations

from dataclasses import replace

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from portal.accounts.models import Role
from portal.applications.fields import FIELDS, INDIVIDUAL, TEAM
from portal.applications.models import INDIVIDUAL_COLUMNS, TEAM_COLUMNS, Application
from portal.campaigns.models import CampaignStatus, CategoryKind
from portal.campaigns.service import CampaignInvalid
from portal.campaigns.structure import CategoryRow, update_categories
from tests.factories import make_application, make_campaign, make_user

S = Application.__table__.c


def _refused(session, app: Application, **values) -> bool:
    """Whether the database refuses to write the values on the packet's row."""
    try:
        with session.begin_nested():
            session.execute(sa.update(Application.__table__).where(S.id == app.id).values(values))
    except IntegrityError:
        return True
    return False


@pytest.mark.parametrize(
    "values",
    [{"person_name": "张三"}, {"id_number": "11010519491231002X"}, {"age": 40}, {"female": True}],
)
def test_a_team_packet_cannot_carry_an_individuals_field(session, values):
    assert _refused(session, make_application(kind=CategoryKind.TEAM), **values)


@pytest.mark.parametrize(
    "values",
    [{"team_name": "服务班组"}, {"leader_mobile": "13812345678"}, {"member_count": 3}],
)
def test_an_individuals_packet_cannot_carry_a_teams_field(session, values):
    assert _refused(session, make_application(kind=CategoryKind.INDIVIDUAL), **values)


def test_each_packet_may_carry_its_own_forms_fields_and_leave_them_empty(session):
    team = make_application(kind=CategoryKind.TEAM)
    person = make_application(kind=CategoryKind.INDIVIDUAL)
    assert not _refused(session, team, team_name="新班组", leader_name=None)
    assert not _refused(session, person, person_name="李四", mobile=None)


def test_a_packets_kind_is_its_categorys(session):
    app = make_application(kind=CategoryKind.TEAM)
    assert app.kind is CategoryKind.TEAM
    assert _refused(session, app, kind=CategoryKind.INDIVIDUAL.value, team_name=None)


def test_the_constraint_names_exactly_the_columns_each_form_keeps_to_itself():
    team_fields = {f.name for f in FIELDS if f.categories == TEAM}
    individual_fields = {f.name for f in FIELDS if f.categories == INDIVIDUAL}
    assert team_fields <= set(TEAM_COLUMNS)
    assert individual_fields <= set(INDIVIDUAL_COLUMNS)
    derived = {"member_count", "average_age", "women_count", "women_share"}
    assert set(TEAM_COLUMNS) - team_fields == derived
    derived = {"birth_date", "female", "age", "years_in_post"}
    assert set(INDIVIDUAL_COLUMNS) - individual_fields == derived


def _rows(campaign) -> list[CategoryRow]:
    return [
        CategoryRow(
            id=c.id,
            code=c.code,
            kind=c.kind,
            name_zh=c.name_zh,
            name_en=c.name_en,
            quota=c.quota,
            narrative_min_chars=c.narrative_min_chars,
            narrative_max_chars=c.narrative_max_chars,
            min_surveys=c.min_surveys,
        )
        for c in campaign.categories
    ]


def test_the_office_cannot_turn_a_category_with_packets_into_the_other_kind(session):
    office = make_user(Role.OFFICE)
    campaign = make_campaign(year=2403, status=CampaignStatus.DRAFT)
    make_application(kind=CategoryKind.TEAM, campaign=campaign)
    team, individual = _rows(campaign)
    with pytest.raises(CampaignInvalid) as refused:
        update_categories(
            session, office, campaign, [replace(team, kind=CategoryKind.INDIVIDUAL), individual]
        )
    assert str(refused.value.problems["kind"]) == (
        "team cannot change between team and individual: packets already use it."
    )
    update_categories(
        session, office, campaign, [team, replace(individual, kind=CategoryKind.TEAM)]
    )
    assert [c.kind for c in campaign.categories] == [CategoryKind.TEAM, CategoryKind.TEAM]
