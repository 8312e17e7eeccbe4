"""Every share is written one way: one decimal, rounded half up, with the per cent sign."""

from __future__ import annotations

from decimal import Decimal

import pytest

from portal.percent import one_decimal, percent_text


@pytest.mark.parametrize(
    "value, text",
    [
        (Decimal(58.3), "58.3%"),  # 58.29999999999999715782905696 from a float
        (Decimal("62.5"), "62.5%"),
        (Decimal("62.45"), "62.5%"),
        (50, "50.0%"),
        (Decimal("100"), "100.0%"),
        ("33.333", "33.3%"),
        ("74.6%", "74.6%"),
        (0, "0.0%"),
    ],
)
def test_a_share_is_written_with_one_decimal(value, text):
    assert percent_text(value) == text


@pytest.mark.parametrize("value", [None, "", "  ", "n/a", "NaN"])
def test_no_share_is_written_as_the_empty_text_given(value):
    assert percent_text(value) == ""
    assert percent_text(value, "—") == "—"
    assert one_decimal(value) is None


def test_without_the_sign_for_a_column_headed_per_cent():
    assert percent_text(Decimal("40"), sign=False) == "40.0"


def test_the_page_filter_is_the_same_helper(app):
    render = app.jinja_env.from_string(
        "{{ a|percent }} {{ b|percent('—') }} {{ c|percent(sign=False) }}"
    )
    assert render.render(a=Decimal(58.3), b=None, c=50) == "58.3% — 50.0"
