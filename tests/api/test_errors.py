"""Every /api/ path answers errors as JSON, in the caller's language."""

from __future__ import annotations

import pytest

from portal.accounts.models import Role
from tests.api.helpers import api_get
from tests.factories import make_user

EN = {"Accept-Language": "en"}


def test_unknown_api_path_is_a_json_404(client):
    for path in ("/api/v1/nothing-here", "/api/v2/me", "/api/"):
        response = client.get(path, headers=EN)
        assert response.status_code == 404, path
        assert response.get_json() == {
            "error": {"code": "not_found", "message": "There is no such resource in the API."}
        }, path


def test_wrong_method_is_a_json_405_with_allow(client):
    response = client.post("/api/v1/me", headers=EN)
    assert response.status_code == 405
    assert response.get_json() == {
        "error": {
            "code": "method_not_allowed",
            "message": "This HTTP method is not allowed on this resource.",
        }
    }
    assert response.headers["Allow"] == "GET, HEAD, OPTIONS"


def test_web_pages_keep_their_html_error_pages(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert response.mimetype == "text/html"


@pytest.mark.own_app  # adds a route
def test_unexpected_failure_is_a_json_500(app, client):
    app.config["PROPAGATE_EXCEPTIONS"] = False

    def boom():
        raise RuntimeError("broken on purpose")

    app.add_url_rule("/api/v1/boom", "api_boom", boom)
    response = client.get("/api/v1/boom", headers=EN)
    assert response.status_code == 500
    assert response.get_json() == {
        "error": {
            "code": "server_error",
            "message": "Something went wrong on our side. Please try again later.",
        }
    }


def test_bad_query_parameters_name_the_parameter_and_the_rule(client):
    user = make_user(Role.OFFICE)
    cases = {
        "/api/v1/organizations?per_page=101": (
            "per_page",
            "The parameter per_page must be a whole number from 1 to 100.",
        ),
        "/api/v1/organizations?page=0": (
            "page",
            "The parameter page must be a whole number of at least 1.",
        ),
        "/api/v1/organizations?page=two": (
            "page",
            "The parameter page must be a whole number of at least 1.",
        ),
        "/api/v1/organizations?kind=bank": (
            "kind",
            "Unknown value 'bank' for kind; use one of: "
            "organizer, office, channel, enterprise, other.",
        ),
        "/api/v1/organizations?system=army": (
            "system",
            "Unknown value 'army' for system; use one of: union, youth, women, quality.",
        ),
        "/api/v1/organizations?district=atlantis": (
            "district",
            "There is no district with the code 'atlantis'.",
        ),
        "/api/v1/campaigns?status=live": (
            "status",
            "Unknown value 'live' for status; use one of: draft, open, closed, archived.",
        ),
        "/api/v1/organizations?per_page=-5": (
            "per_page",
            "The parameter per_page must be a whole number from 1 to 100.",
        ),
        "/api/v1/campaigns?year=26": (
            "year",
            "The parameter year must be a whole number from 1900 to 9999.",
        ),
    }
    for path, (parameter, message) in cases.items():
        response = api_get(client, path, user, headers=EN)
        assert response.status_code == 400, path
        assert response.get_json() == {
            "error": {"code": "invalid_parameter", "message": message, "parameter": parameter}
        }, path
