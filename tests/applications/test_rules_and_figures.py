"""Field checks, the Chinese-character count and the figures derived from the data."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from portal.applications import service
from portal.applications.fields import FIELDS_BY_NAME, ID_NUMBER_MESSAGES, parse_value
from portal.applications.rules import count_chinese_chars
from portal.campaigns.models import CategoryKind
from tests.applications.helpers import INDIVIDUAL_FIELDS, make_draft, make_id_number

GOOD_ID = "11010519491231002X"  # the standard's own example: a woman born 1949-12-31


def test_count_chinese_chars_counts_ideographs_only():
    assert count_chinese_chars("服务明星 Service 2026，满意！") == 6
    assert count_chinese_chars("㐀𠀀") == 2  # extension A and extension B
    assert count_chinese_chars("") == 0


@pytest.mark.parametrize(
    "number, problem",
    [
        ("11010519491231002", "length"),
        ("1101051949123100212", "length"),
        ("11010519491231002A", "characters"),
        ("1101051949A231002X", "characters"),
        ("110105194902300021", "date"),
        ("110105299912310021", "date"),
        ("110105194912310021", "check"),
    ],
)
def test_bad_id_numbers_get_the_message_for_their_problem(number, problem):
    value, message = parse_value(FIELDS_BY_NAME["id_number"], number)
    assert value is None
    assert message is ID_NUMBER_MESSAGES[problem]


def test_good_id_number_is_accepted_and_normalised():
    assert parse_value(FIELDS_BY_NAME["id_number"], GOOD_ID.lower()) == (GOOD_ID, None)


@pytest.mark.parametrize(
    "field, raw, ok",
    [
        ("unit_postcode", "200002", True),
        ("unit_postcode", "20000", False),
        ("leader_mobile", "13800138000", True),
        ("leader_mobile", "23800138000", False),
        ("satisfaction_rate", "100", True),
        ("satisfaction_rate", "100.01", False),
        ("satisfaction_rate", "abc", False),
        ("team_founded_on", "2015-02-29", False),
        ("team_founded_on", "2999-01-01", False),
        ("email", "a@b.cn", True),
        ("email", "a@b", False),
        ("unit_nature", "private", True),
        ("unit_nature", "secret", False),
    ],
)
def test_field_formats(field, raw, ok):
    _value, problem = parse_value(FIELDS_BY_NAME[field], raw, today=date(2026, 11, 23))
    assert (problem is None) is ok


def test_team_figures_are_computed_from_members(session):
    app = make_draft()
    service.update_application(
        session,
        app,
        app.created_by,
        fields={},
        members=[
            # ages at the reference date 2026-11-10: 40, 28 (birthday the next day), 26 (on it)
            {"name": "甲", "id_number": make_id_number(date(1986, 1, 20), female=True)},
            {"name": "乙", "sex": "male", "birth_date": "1997-11-11"},
            {"name": "丙", "sex": "女", "birth_date": "2000-11-10"},
            {},  # an empty row is ignored
        ],
    )
    assert app.member_count == 3
    assert app.women_count == 2
    assert app.women_share == Decimal("66.7")  # 2/3 = 66.67 %
    assert app.average_age == Decimal("31.3")  # (40 + 28 + 26) / 3 = 31.33
    first = app.members[0]
    assert (first.birth_date, first.female, first.id_number[:6]) == (
        date(1986, 1, 20),
        True,
        "310101",
    )


def test_member_problems_are_keyed_by_row_and_nothing_changes(session):
    app = make_draft()
    with pytest.raises(service.InvalidData) as err:
        service.update_application(
            session,
            app,
            app.created_by,
            fields={"team_name": "新名字"},
            members=[
                {"name": "甲", "id_number": "110105194912310021"},
                {"name": "", "sex": "", "birth_date": "1990-13-01"},
            ],
        )
    assert set(err.value.problems) == {
        "members-0-id_number",
        "members-1-name",
        "members-1-birth_date",
        "members-1-sex",
    }
    assert err.value.problems["members-0-id_number"] is ID_NUMBER_MESSAGES["check"]
    assert app.team_name is None
    assert app.members == []


def test_individual_figures_come_from_the_id_number(session):
    app = make_draft(kind=CategoryKind.INDIVIDUAL)
    service.update_application(session, app, app.created_by, fields=INDIVIDUAL_FIELDS)
    # born 1990-05-17, a woman; post since 2018-03-01; reference date 2026-11-10
    assert (app.birth_date, app.female, app.age, app.years_in_post) == (
        date(1990, 5, 17),
        True,
        36,
        8,
    )
    assert app.member_count is None


def test_team_fields_are_ignored_on_an_individual_form(session):
    app = make_draft(kind=CategoryKind.INDIVIDUAL)
    service.update_application(session, app, app.created_by, fields={"team_name": "班组"})
    assert app.team_name is None
