"""Enum labels: members of different enumerations that share a value keep their own label."""

from __future__ import annotations

import enum

import pytest
from flask_babel import force_locale

from portal.applications.models import ApplicationState
from portal.campaigns.models import CampaignStatus
from portal.labels import declare, label
from portal.statistics.models import StatisticsState


def test_equal_values_of_different_enums_keep_their_own_labels(app):
    with app.test_request_context(), force_locale("en"):
        assert label(CampaignStatus.DRAFT) == "Draft"
        assert label(StatisticsState.DRAFT) == "Being filled in"
        assert label(StatisticsState.SUBMITTED) == "Submitted"
        assert label(ApplicationState.RETURNED) == "Returned for revision"
        assert label(None) == ""


def test_an_enum_declares_a_label_for_each_of_its_members_and_no_other():
    class Colour(enum.StrEnum):
        RED = "red"
        BLUE = "blue"

    with pytest.raises(TypeError):
        declare(Colour, {Colour.RED: "Red"})
    with pytest.raises(TypeError):
        declare(Colour, {CampaignStatus.DRAFT: "Draft", Colour.RED: "Red"})
    declare(Colour, {Colour.RED: "Red", Colour.BLUE: "Blue"})
    assert label(Colour.BLUE) == "Blue"


def test_a_label_asked_again_in_one_request_follows_the_language_of_the_moment(app):
    """Labels are translated once per request and language, never served in another one."""
    with app.test_request_context():
        with force_locale("zh_Hans_CN"):
            chinese = label(ApplicationState.RETURNED)
        with force_locale("en"):
            assert label(ApplicationState.RETURNED) == "Returned for revision"
        with force_locale("zh_Hans_CN"):
            assert label(ApplicationState.RETURNED) == chinese != "Returned for revision"
