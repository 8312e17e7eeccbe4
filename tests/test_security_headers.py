"""Every answer forbids framing, carries the content security policy, no sniffing and a
referrer policy: pages, the API, error pages, static files and downloads."""

from __future__ import annotations

import pytest

from portal.accounts.models import Role
from tests.api.helpers import auth_headers
from tests.factories import make_user

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
EXPECTED = {
    "Content-Security-Policy": CSP,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def assert_protected(response) -> None:
    for name, value in EXPECTED.items():
        assert response.headers.getlist(name) == [value], (name, response.request.path)


@pytest.mark.parametrize("path", ["/", "/login", "/notice", "/honours", "/register"])
def test_public_pages(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert_protected(response)


def test_logged_in_office_home_cannot_be_framed(client, login):
    login(make_user(Role.OFFICE))
    response = client.get("/home")
    assert response.status_code == 200
    assert_protected(response)


def test_redirects_and_form_posts(client):
    assert_protected(client.get("/home"))  # to the login page
    assert_protected(client.post("/login", data={"email": "x@example.com", "password": "x"}))


def test_api_answers_and_api_errors(client):
    user = make_user(Role.ENTERPRISE)
    assert_protected(client.get("/api/v1/me", headers=auth_headers(user)))
    assert_protected(client.get("/api/v1/openapi.json"))
    assert_protected(client.get("/api/v1/me"))  # 401
    assert_protected(client.get("/api/v1/no-such-thing"))  # 404


@pytest.mark.own_app  # adds a route
def test_error_pages(app, client):
    app.config["PROPAGATE_EXCEPTIONS"] = False

    def boom():
        raise RuntimeError("broken on purpose")

    app.add_url_rule("/test-boom", "test_boom", boom)
    app.add_url_rule("/api/v1/test-boom", "test_api_boom", boom)
    assert_protected(client.get("/no-such-page"))
    for path in ("/test-boom", "/api/v1/test-boom"):
        response = client.get(path)
        assert response.status_code == 500
        assert_protected(response)


@pytest.mark.parametrize("name", ["portal.css", "portal.js", "applications.js"])
def test_static_files(client, name):
    response = client.get(f"/static/{name}")
    assert response.status_code == 200
    assert_protected(response)
    response.close()


def test_file_downloads_carry_each_header_once(client):
    from portal.applications.models import FileCategory
    from tests.applications.helpers import attach, make_draft

    draft = make_draft()
    link = attach(draft, FileCategory.EVIDENCE)
    response = client.get(
        f"/api/v1/applications/{draft.id}/files/{link.stored_file_id}",
        headers=auth_headers(draft.created_by),
    )
    assert response.status_code == 200
    assert_protected(response)
    response.close()
