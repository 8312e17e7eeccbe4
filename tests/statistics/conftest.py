"""Statistics tests compare labels and messages with their English msgids, so they run in
English; Chinese by default is tested in tests/test_i18n.py and the browser tier."""

import pytest


@pytest.fixture
def app_config(app_config):
    return app_config | {"BABEL_DEFAULT_LOCALE": "en"}
