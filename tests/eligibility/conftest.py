"""The eligibility tests compare messages with their English msgids."""

from __future__ import annotations

import pytest

from tests.conftest import make_test_config


@pytest.fixture
def app_config(database_url, tmp_path) -> dict:
    config = make_test_config(database_url, tmp_path / "instance")
    config["BABEL_DEFAULT_LOCALE"] = "en"
    return config
