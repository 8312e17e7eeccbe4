"""Fixtures for the campaign tests."""

import pytest


@pytest.fixture
def english(app):
    """A request context in English, so that messages can be compared word for word."""
    with app.test_request_context("/?lang=en"):
        yield
