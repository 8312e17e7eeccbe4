"""Dates on pages: the numeric patterns are written without Babel, exactly as Babel writes them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask_babel import force_locale, format_datetime

from portal.clock import SHANGHAI_FORMATS, shanghai_text


@pytest.mark.parametrize("pattern", sorted(SHANGHAI_FORMATS))
@pytest.mark.parametrize("locale", ["zh_Hans_CN", "en"])
def test_numeric_patterns_match_babel_in_beijing_time(app, pattern, locale):
    start = datetime(2026, 12, 31, 15, 59, 59, tzinfo=UTC)  # 23:59:59 in Beijing, New Year's Eve
    with app.test_request_context(), force_locale(locale):
        for step in range(300):
            instant = start + timedelta(minutes=97 * step, seconds=step)
            assert shanghai_text(instant, pattern) == format_datetime(instant, pattern)
            naive = instant.replace(tzinfo=None)  # stored UTC without its zone
            assert shanghai_text(naive, pattern) == format_datetime(naive, pattern)
    assert shanghai_text(start, "yyyy-MM-dd") == "2026-12-31"
    assert shanghai_text(start + timedelta(seconds=1), "yyyy-MM-dd HH:mm") == "2027-01-01 00:00"


def test_another_pattern_is_left_to_babel():
    assert shanghai_text(datetime(2026, 1, 1, tzinfo=UTC), "d MMMM y") is None
