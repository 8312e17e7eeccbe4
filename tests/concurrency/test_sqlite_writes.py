"""Parallel writes on the embedded default: requests wait their turn instead of failing.

On SQLite a transaction that read and then writes after another writer committed cannot
wait for the lock; these requests must all succeed all the same. The same tests run on
PostgreSQL, where they must pass unchanged.
"""

from __future__ import annotations

import io
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import sqlalchemy as sa

from portal.accounts.models import Role, User
from portal.accounts.service import create_api_token
from portal.applications.models import ApplicationFile
from portal.db import get_session
from portal.files.models import StoredFile
from tests.applications.helpers import PDF, make_draft, open_campaign
from tests.concurrency.conftest import client_for, race, seeded
from tests.factories import PASSWORD, make_user


def test_twenty_parallel_logins_all_succeed(racing_app):
    with seeded(racing_app):
        emails = [make_user(Role.ENTERPRISE).email for _ in range(20)]
    clients = [racing_app.test_client() for _ in emails]

    def log_in(i: int) -> tuple[int, str]:
        response = clients[i].post("/login", data={"email": emails[i], "password": PASSWORD})
        return response.status_code, response.headers.get("Location", "")

    assert race(20, log_in) == [(302, "/home")] * 20
    with seeded(racing_app) as session:
        logged_in = session.scalar(
            sa.select(sa.func.count()).where(
                User.email.in_(emails), User.last_login_at.is_not(None)
            )
        )
    assert logged_in == 20


def test_thirty_parallel_api_uploads_all_succeed(racing_app):
    with seeded(racing_app) as session:
        draft = make_draft(campaign=open_campaign(max_files=40))
        _token, secret = create_api_token(session, draft.created_by, "race")
        draft_id = draft.id
    client = client_for(racing_app)
    headers = {"Authorization": f"Bearer {secret}", "Content-Type": "application/octet-stream"}

    def upload(i: int) -> int:
        response = client.put(
            f"/api/v1/applications/{draft_id}/files?category=evidence&filename=scan{i}.pdf",
            data=PDF,
            headers=headers,
        )
        assert response.mimetype == "application/json", response.get_data(as_text=True)
        return response.status_code

    assert race(30, upload) == [201] * 30
    with racing_app.app_context():
        names = get_session().scalars(
            sa.select(StoredFile.filename)
            .join(ApplicationFile, ApplicationFile.stored_file_id == StoredFile.id)
            .where(ApplicationFile.application_id == draft_id)
        )
        assert sorted(names) == sorted(f"scan{i}.pdf" for i in range(30))


def test_api_route_that_fails_in_the_database_answers_json_500(racing_app):
    """The error answer needs no query: here the failed flush has left the session unusable."""
    from portal.api.auth import authenticate

    racing_app.config["PROPAGATE_EXCEPTIONS"] = False

    def broken_write():
        authenticate()
        get_session().add(User(email=None, name="", role=Role.ENTERPRISE))
        get_session().flush()

    racing_app.add_url_rule("/api/v1/test-broken-write", "test_broken_write", broken_write)
    with seeded(racing_app) as session:
        user = make_user(Role.ENTERPRISE, locale="en")
        _token, secret = create_api_token(session, user, "broken")
    response = client_for(racing_app).get(
        "/api/v1/test-broken-write", headers={"Authorization": f"Bearer {secret}"}
    )
    assert response.status_code == 500
    assert response.get_json() == {
        "error": {
            "code": "server_error",
            "message": "Something went wrong on our side. Please try again later.",
        }
    }


class _SlowBody(io.RawIOBase):
    """A request body whose second half arrives only once `release` is set."""

    def __init__(self, data: bytes, release: threading.Event) -> None:
        self.data, self.release, self.sent = data, release, 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self.sent, io.SEEK_END: len(self.data)}[whence]
        self.sent = base + offset
        return self.sent

    def readinto(self, buffer) -> int:
        if self.sent >= len(self.data) // 2:
            self.release.wait(timeout=30)
        chunk = self.data[self.sent : self.sent + min(len(buffer), len(self.data) // 2)]
        buffer[: len(chunk)] = chunk
        self.sent += len(chunk)
        return len(chunk)


def test_a_slow_upload_keeps_no_one_else_waiting(racing_app):
    with seeded(racing_app) as session:
        draft = make_draft()
        _token, secret = create_api_token(session, draft.created_by, "slow")
        draft_id, email = draft.id, make_user(Role.OFFICE).email
    body, release = PDF[:9] + b"%" * 4096 + b"\n" + PDF[9:], threading.Event()
    upload = ThreadPoolExecutor(1).submit(
        client_for(racing_app).put,
        f"/api/v1/applications/{draft_id}/files?category=evidence&filename=slow.pdf",
        input_stream=_SlowBody(body, release),
        content_length=len(body),
        headers={"Authorization": f"Bearer {secret}", "Content-Type": "application/octet-stream"},
    )
    try:
        time.sleep(0.5)  # the upload has begun and waits for the rest of its body
        started = time.monotonic()
        login = client_for(racing_app).post("/login", data={"email": email, "password": PASSWORD})
        waited = time.monotonic() - started
    finally:
        release.set()
    assert (login.status_code, upload.done()) == (302, False)
    assert waited < 5
    assert upload.result(timeout=30).status_code == 201
