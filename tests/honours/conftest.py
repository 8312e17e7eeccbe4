"""Honour tests compare messages with their English msgids, so they run in English."""

import pytest


@pytest.fixture
def app_config(app_config):
    return app_config | {"BABEL_DEFAULT_LOCALE": "en"}
