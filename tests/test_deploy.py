"""The shipped deployment: the language choice that keeps public pages cacheable, and
deploy/nginx.conf itself (checked with `nginx -t` and run in front of the portal).

The nginx tests are the `nginx` tier: `.ci/run` installs nginx and openssl, and elsewhere they
skip (fail under PORTAL_REQUIRE_ALL_TIERS=1) when the two programs are missing.
"""

from __future__ import annotations

import http.client
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from portal import create_app
from portal.accounts.models import Role
from portal.security import SECURITY_HEADERS
from tests.conftest import make_test_config, require_or_skip
from tests.factories import make_user

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "deploy"))

from localize import localize, self_signed_certificate  # noqa: E402

# --- the language switch: a cookie of its own, no session ---------------------------------------


def test_language_switch_sets_a_lang_cookie_and_no_session_cookie(client):
    response = client.get("/lang/en?next=/login")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login"
    cookies = response.headers.getlist("Set-Cookie")
    assert len(cookies) == 1
    assert cookies[0].startswith("lang=en;")
    assert "Max-Age=31536000" in cookies[0]


def test_anonymous_visitor_who_chose_english_gets_english_pages_without_a_session(client):
    client.get("/lang/en")
    response = client.get("/")
    assert '<html lang="en">' in response.get_data(as_text=True)
    assert "Set-Cookie" not in response.headers  # so the page cache may keep it


def test_unknown_language_sets_no_cookie(client):
    response = client.get("/lang/fr")
    assert "Set-Cookie" not in response.headers
    assert '<html lang="zh-CN">' in client.get("/").get_data(as_text=True)


def test_language_switch_wins_over_the_users_saved_language(client, login):
    user = make_user(Role.ENTERPRISE, locale="en")
    login(user)
    assert '<html lang="en">' in client.get("/").get_data(as_text=True)
    client.get("/lang/zh_Hans_CN")
    assert '<html lang="zh-CN">' in client.get("/").get_data(as_text=True)


# --- deploy/nginx.conf ---------------------------------------------------------------------------

UNVERIFIED = ssl._create_unverified_context()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _localized_conf(tmp: Path, app_port: int) -> tuple[Path, int]:
    tmp.chmod(0o755)  # nginx's workers run as www-data
    static_root = tmp / "static"
    shutil.copytree(ROOT / "portal" / "static", static_root)
    cert, key = self_signed_certificate(tmp)
    https_port = _free_port()
    conf = tmp / "nginx.conf"
    conf.write_text(
        localize(
            tmp / "nginx",
            app_port=app_port,
            http_port=_free_port(),
            https_port=https_port,
            static_root=static_root,
            cert=cert,
            key=key,
        )
    )
    return conf, https_port


class _Proxy:
    def __init__(self, port: int) -> None:
        self.port = port

    def declare_body(self, method: str, path: str, length: int) -> tuple[int, dict, str]:
        """A request announcing a body of `length` bytes, answered before any is sent."""
        connection = http.client.HTTPSConnection("127.0.0.1", self.port, context=UNVERIFIED)
        try:
            connection.putrequest(method, path)
            connection.putheader("Content-Length", str(length))
            connection.putheader("Content-Type", "application/octet-stream")
            connection.endheaders()
            response = connection.getresponse()
            return response.status, response.headers, response.read().decode()
        finally:
            connection.close()

    def get(self, path: str, **headers) -> tuple[int, dict, str]:
        request = urllib.request.Request(f"https://127.0.0.1:{self.port}{path}", headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=10, context=UNVERIFIED) as response:
                return response.status, response.headers, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read().decode()


@pytest.fixture(scope="module")
def proxy(database_url, db_engine):
    """The portal (threaded werkzeug) behind the shipped nginx.conf on loopback ports."""
    if not (shutil.which("nginx") and shutil.which("openssl")):
        require_or_skip("nginx and openssl are not installed (Debian: apt-get install nginx)")
    # Not under pytest's private temporary folder: nginx's workers (www-data) must reach it.
    tmp = Path(tempfile.mkdtemp(prefix="portal-nginx-"))
    app = create_app(make_test_config(database_url, tmp / "instance", SERVER_NAME=None))

    # Pages of the kinds the cache must refuse, under the cached /notice prefix.
    def sets_cookie():
        response = app.make_response("a cookie for this visitor")
        response.set_cookie("visitor", str(time.monotonic_ns()))
        return response

    def private():
        response = app.make_response(f"private {time.monotonic_ns()}")
        response.cache_control.private = True
        return response

    app.add_url_rule("/notice/test-sets-cookie", "test_sets_cookie", sets_cookie)
    app.add_url_rule("/notice/test-private", "test_private", private)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with _nginx(tmp, server.server_port) as proxy:
            yield proxy
    finally:
        server.shutdown()
        app.extensions["portal.db"]["engine"].dispose()
        shutil.rmtree(tmp, ignore_errors=True)


@contextmanager
def _nginx(tmp: Path, app_port: int) -> Iterator[_Proxy]:
    """The shipped nginx.conf running in front of whatever listens on `app_port`."""
    conf, https_port = _localized_conf(tmp, app_port)
    nginx = subprocess.Popen(
        ["nginx", "-p", str(tmp / "nginx"), "-c", str(conf), "-e", str(tmp / "error.log"),
         "-g", "daemon off;"],
    )  # fmt: skip
    proxy = _Proxy(https_port)
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                proxy.get("/static/portal.css")
                break
            except OSError:
                if time.monotonic() > deadline or nginx.poll() is not None:
                    raise
                time.sleep(0.05)
        yield proxy
    finally:
        nginx.send_signal(signal.SIGQUIT)
        nginx.wait(timeout=20)


@pytest.mark.nginx
class TestBehindNginx:
    def test_shipped_config_passes_nginx_t(self, tmp_path):
        tmp = tmp_path / "t"
        tmp.mkdir()
        conf, _ = _localized_conf(tmp, _free_port())
        result = subprocess.run(
            ["nginx", "-t", "-p", str(tmp / "nginx"), "-c", str(conf),
             "-e", str(tmp / "error.log")],
            capture_output=True,
            text=True,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        assert "test is successful" in result.stderr

    def test_anonymous_public_page_is_served_from_the_cache_then_renewed_after_a_second(
        self, proxy
    ):
        proxy.get("/?fresh=1")
        status, headers, _ = proxy.get("/?fresh=1")
        assert (status, headers["X-Cache"]) in ((200, "HIT"), (200, "STALE"))
        time.sleep(1.1)
        assert proxy.get("/?fresh=1")[1]["X-Cache"] in ("EXPIRED", "STALE", "UPDATING")

    def test_session_cookie_or_api_token_bypasses_the_cache(self, proxy):
        proxy.get("/?who=1")
        assert proxy.get("/?who=1", Cookie="session=abc")[1]["X-Cache"] == "BYPASS"
        assert proxy.get("/?who=1", Authorization="Bearer x")[1]["X-Cache"] == "BYPASS"
        assert proxy.get("/?who=1", Cookie="remember_token=1")[1]["X-Cache"] == "BYPASS"

    def test_cached_pages_are_kept_apart_by_the_chosen_language(self, proxy):
        for _ in range(2):
            chinese = proxy.get("/?lang-test=1")
            english = proxy.get("/?lang-test=1", Cookie="lang=en")
        # (STALE: the copy expired at a second's end and is being renewed)
        assert chinese[1]["X-Cache"] in ("HIT", "STALE", "UPDATING")
        assert english[1]["X-Cache"] in ("HIT", "STALE", "UPDATING")
        assert '<html lang="zh-CN">' in chinese[2]
        assert '<html lang="en">' in english[2]

    def test_cookies_of_no_concern_to_the_portal_share_the_cached_copy(self, proxy):
        proxy.get("/?others=1")
        status, headers, page = proxy.get("/?others=1", Cookie="_site_stats=visitor-42")
        assert headers["X-Cache"] in ("HIT", "STALE", "UPDATING")
        assert '<html lang="zh-CN">' in page

    def test_each_page_of_the_public_notice_is_a_copy_of_its_own(self, proxy):
        """The notice is paged (?page=N): page 2 must never be served page 1's copy."""
        assert proxy.get("/notice?page=1")[0] == 200
        assert proxy.get("/notice?page=1")[1]["X-Cache"] in ("HIT", "STALE", "UPDATING")
        assert proxy.get("/notice?page=2")[1]["X-Cache"] == "MISS"

    def test_page_that_sets_a_cookie_is_never_stored(self, proxy):
        first = proxy.get("/notice/test-sets-cookie")
        second = proxy.get("/notice/test-sets-cookie")
        assert second[1]["X-Cache"] == "MISS"
        assert first[1]["Set-Cookie"] != second[1]["Set-Cookie"]

    def test_private_page_is_never_stored(self, proxy):
        first = proxy.get("/notice/test-private")
        second = proxy.get("/notice/test-private")
        assert second[1]["X-Cache"] == "MISS"
        assert first[2] != second[2]

    def test_pages_outside_the_public_ones_are_not_cached(self, proxy):
        status, headers, _ = proxy.get("/login")
        assert status == 200
        assert "X-Cache" not in headers

    def test_static_files_come_from_nginx_with_an_expiry(self, proxy):
        status, headers, body = proxy.get("/static/portal.css")
        assert status == 200
        assert body == (ROOT / "portal" / "static" / "portal.css").read_text()
        assert headers["Cache-Control"] == "max-age=86400"

    @pytest.mark.parametrize(
        "path", ["/static/portal.css", "/static/portal.js", "/", "/login", "/api/v1/me", "/nope"]
    )
    def test_security_headers_pass_through_once_and_static_files_get_the_same(self, proxy, path):
        for _ in range(2):  # the second answer of "/" may come from the page cache
            _status, headers, _body = proxy.get(path)
            for name, value in SECURITY_HEADERS:
                assert headers.get_all(name) == [value], (path, name)

    def test_cached_and_uncached_pages_carry_hsts(self, proxy):
        for path in ("/", "/login"):
            assert proxy.get(path)[1]["Strict-Transport-Security"] == "max-age=31536000"


def _is_nginx_error_page(headers, body: str, words: str) -> None:
    for name, value in SECURITY_HEADERS:
        assert headers.get_all(name) == [value], name
    assert headers["Strict-Transport-Security"] == "max-age=31536000"
    assert "Cache-Control" not in headers and "Expires" not in headers  # nothing keeps it
    assert words in body and '<html lang="zh-Hans">' in body


@pytest.mark.nginx
class TestNginxOwnAnswers:
    """What nginx answers without the portal carries the portal's headers and words."""

    @pytest.mark.parametrize(
        ("method", "path"),
        [("POST", "/applications/1/files"), ("PUT", "/api/v1/applications/1/files"),
         ("POST", "/login")],
    )  # fmt: skip
    def test_a_body_over_the_limit_gets_the_portals_413_page(self, proxy, method, path):
        status, headers, body = proxy.declare_body(method, path, 200 * 1024 * 1024)
        assert status == 413
        _is_nginx_error_page(headers, body, "上传的文件过大")

    def test_the_error_pages_are_no_addresses_of_their_own(self, proxy):
        for page in ("413.html", "unavailable.html"):
            assert proxy.get(f"/static/errors/{page}")[0] == 404

    def test_a_portal_that_does_not_answer_gets_the_portals_unavailable_page(self):
        if not (shutil.which("nginx") and shutil.which("openssl")):
            require_or_skip("nginx and openssl are not installed (Debian: apt-get install nginx)")
        tmp = Path(tempfile.mkdtemp(prefix="portal-nginx-"))
        try:
            with _nginx(tmp, _free_port()) as proxy:  # nothing listens on the portal's port
                for path in ("/login", "/notice"):
                    status, headers, body = proxy.get(path)
                    assert status == 502, path
                    _is_nginx_error_page(headers, body, "暂时无法访问")
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
