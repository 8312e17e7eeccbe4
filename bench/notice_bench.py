"""Public notice page under load: the portal behind the shipped nginx, against static nginx.

Run by hand (not a test):  python bench/notice_bench.py [--seconds 10] [--connections 50]

Builds a temporary instance (SQLite, or PostgreSQL when PORTAL_BENCH_DATABASE_URL is set)
with a campaign whose list of 200 candidates is on public notice, starts gunicorn with
deploy/gunicorn.conf.py and nginx with deploy/nginx.conf (only paths and ports changed,
see deploy/localize.py; a self-signed certificate), then runs wrk against

  (a) the notice page through nginx (https, the microcache),
  (b) nginx serving the same HTML saved as a static file (https, /static/),
  (c) gunicorn alone, without nginx (plain http), for reference,

checks that every response was 2xx with no socket errors, changes the list (one candidate
is disqualified, in the database) and polls the page through nginx until the change shows,
printing the delay. Needs nginx, wrk and openssl (see bench/README.md). Target: (a) at
least half of (b), no errors, a change visible within 1 s.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "deploy"))

from localize import localize, self_signed_certificate  # noqa: E402

CANDIDATES = 200
PAGE = "/notice"
SECRET = "bench-" + "x" * 40
UNVERIFIED = ssl._create_unverified_context()


# --- the app gunicorn serves ------------------------------------------------------------------


def bench_app():
    """create_app(); while the portal has no /notice page yet, a stand-in listing the
    candidates the way a notice would (only in this benchmark, never in the portal)."""
    from portal import create_app

    app = create_app()
    if not any(rule.rule == PAGE for rule in app.url_map.iter_rules()):
        _add_stand_in_notice(app)
    return app


STAND_IN = """{% extends "base.html" %}{% block content %}
<h1>{{ _('Public notice') }}</h1>
<table><thead><tr><th>#</th><th>Category</th><th>Name</th><th>Organization</th>
<th>District</th></tr></thead><tbody>
{% for a in rows %}<tr><td>{{ loop.index }}</td><td>{{ localized_name(a.category) }}</td>
<td>{{ a.team_name or a.person_name }}</td><td>{{ a.organization.name }}</td>
<td>{{ localized_name(a.organization.district) if a.organization.district }}</td></tr>
{% endfor %}</tbody></table>{% endblock %}"""


def _add_stand_in_notice(app) -> None:
    import sqlalchemy as sa
    from flask import render_template_string
    from sqlalchemy.orm import selectinload

    from portal.applications.models import Application, ApplicationState
    from portal.db import get_session
    from portal.organizations.models import Organization

    def notice():
        rows = get_session().scalars(
            sa.select(Application)
            .where(Application.state == ApplicationState.CANDIDATE)
            .options(
                selectinload(Application.category),
                selectinload(Application.organization).selectinload(Organization.district),
            )
            .order_by(Application.id)
        )
        response = app.make_response(render_template_string(STAND_IN, rows=list(rows)))
        response.cache_control.public = True
        response.cache_control.max_age = 1
        return response

    app.add_url_rule(PAGE, "bench_notice", notice)


# --- data ---------------------------------------------------------------------------------------


def build_instance(env: dict) -> None:
    """Schema and a campaign with 200 candidates on public notice (in a child process)."""
    code = f"""
import sys; sys.path[:0] = [{str(ROOT)!r}, {str(ROOT / "bench")!r}]
import notice_bench; notice_bench.seed()
"""
    subprocess.run([sys.executable, "-c", code], env=env, check=True)


def seed() -> None:
    import portal.models  # noqa: F401
    from portal import create_app
    from portal.accounts.models import Role
    from portal.applications.models import ApplicationState
    from portal.campaigns.models import CampaignStatus, CategoryKind
    from portal.db import Base, get_engine, get_session
    from portal.notice import service
    from portal.organizations.models import OrgKind, OrgSystem
    from tests.factories import make_application, make_campaign, make_org, make_user

    app = create_app()
    with app.app_context():
        Base.metadata.create_all(get_engine())
        session = get_session()
        campaign = make_campaign(year=2026, status=CampaignStatus.OPEN)
        for n in range(CANDIDATES):
            make_application(
                ApplicationState.CANDIDATE,
                campaign=campaign,
                kind=CategoryKind.TEAM if n % 3 else CategoryKind.INDIVIDUAL,
            )
        office = make_user(Role.OFFICE)
        # The joint approval of the four organizers, then the notice opens now.
        round_ = service.request_approval(session, campaign, office)
        for system in (OrgSystem.QUALITY, OrgSystem.UNION, OrgSystem.YOUTH, OrgSystem.WOMEN):
            organizer = make_user(Role.ORGANIZER, make_org(OrgKind.ORGANIZER, system=system))
            service.sign_list(session, campaign, organizer, round_.list_digest)
        service.open_notice(session, campaign, office)
        session.commit()


def disqualify_one(env: dict) -> tuple[float, subprocess.Popen]:
    """Change the list: the last candidate is disqualified. Returns the time of the commit
    (as soon as the child reports it) and the child, still exiting."""
    code = f"""
import sys; sys.path[:0] = [{str(ROOT)!r}, {str(ROOT / "bench")!r}]
import notice_bench; notice_bench.disqualify()
"""
    child = subprocess.Popen([sys.executable, "-c", code], env=env, stdout=subprocess.PIPE)
    line = child.stdout.readline()
    if not line:
        raise SystemExit(f"the change failed ({child.wait()})")
    return float(line), child


def disqualify() -> None:
    """What an upheld objection does: the workflow's move, then the list is republished."""
    import sqlalchemy as sa

    import portal.models  # noqa: F401
    from portal import create_app
    from portal.accounts.models import Role, User
    from portal.applications.models import Application, ApplicationState
    from portal.applications.workflow import fire
    from portal.db import get_session
    from portal.notice import service

    app = create_app()
    with app.app_context():
        session = get_session()
        candidate = session.scalars(
            sa.select(Application)
            .where(Application.state == ApplicationState.CANDIDATE)
            .order_by(Application.id.desc())
        ).first()
        office = session.scalars(sa.select(User).where(User.role == Role.OFFICE)).first()
        fire(session, candidate, ApplicationState.DISQUALIFIED, office, reason="benchmark")
        service.republish(session, service.get_notice(session, candidate.campaign))
        session.commit()
        print(time.time(), flush=True)


# --- servers --------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url)
    try:
        with urllib.request.urlopen(request, timeout=10, context=UNVERIFIED) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def wait_for(url: str, process: subprocess.Popen, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{process.args[0]} exited with {process.returncode}")
        try:
            fetch(url)
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"nothing answered at {url}")


def stop(process: subprocess.Popen, sig: int = signal.SIGTERM) -> None:
    if process.poll() is None:
        process.send_signal(sig)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


# --- wrk ----------------------------------------------------------------------------------------

UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3}


def wrk(url: str, connections: int, seconds: int, threads: int) -> dict:
    out = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", url],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s|m)\b", out)
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    )
    return {
        "rps": rps,
        "p99_ms": float(p99.group(1)) * UNITS[p99.group(2)],
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
        "non2xx": int(non2xx.group(1)) if non2xx else 0,
        "socket_errors": sum(map(int, sockets.groups())) if sockets else 0,
    }


def change_delay(url: str, env: dict, limit: float = 10.0) -> float:
    """Seconds from a committed change of the list until nginx serves the changed page."""
    before = fetch(url)[2]
    committed, child = disqualify_one(env)
    while time.time() - committed < limit:
        status, _, body = fetch(url)
        if status == 200 and body != before:
            delay = time.time() - committed
            child.wait()
            return delay
        time.sleep(0.01)
    raise SystemExit(f"the change did not show within {limit} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--changes", type=int, default=5, help="list changes to time")
    args = parser.parse_args()
    for tool in ("nginx", "wrk", "openssl"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is not installed: apt-get install -y nginx wrk openssl")

    with tempfile.TemporaryDirectory(prefix="notice-bench-") as tmp:
        work = Path(tmp)
        work.chmod(0o755)  # nginx's workers run as www-data
        instance = work / "instance"
        instance.mkdir()
        database = os.environ.get("PORTAL_BENCH_DATABASE_URL") or (
            f"sqlite:///{instance}/bench.sqlite3"
        )
        env = {
            **os.environ,
            "PORTAL_ENV": "production",
            "PORTAL_SECRET_KEY": SECRET,
            "PORTAL_INSTANCE_PATH": str(instance),
            "PORTAL_DATABASE_URL": database,
            "PORTAL_PROXY_COUNT": "1",
            "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "bench")]),
        }
        build_instance(env)

        static_root = work / "static"
        shutil.copytree(ROOT / "portal" / "static", static_root)
        app_port, http_port, https_port = free_port(), free_port(), free_port()
        cert, key = self_signed_certificate(work)
        conf = work / "nginx.conf"
        conf.write_text(
            localize(
                work / "nginx",
                app_port=app_port,
                http_port=http_port,
                https_port=https_port,
                static_root=static_root,
                cert=cert,
                key=key,
            )
        )
        gunicorn = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "deploy" / "gunicorn.conf.py"),
             "--bind", f"127.0.0.1:{app_port}", "--no-control-socket", "--log-level", "warning",
             "notice_bench:bench_app()"],
            env=env,
            cwd=work,
        )  # fmt: skip
        nginx = subprocess.Popen(
            ["nginx", "-p", str(work / "nginx"), "-c", str(conf), "-e", str(work / "error.log"),
             "-g", "daemon off;"],
        )  # fmt: skip
        try:
            direct = f"http://127.0.0.1:{app_port}{PAGE}"
            proxied = f"https://127.0.0.1:{https_port}{PAGE}"
            static = f"https://127.0.0.1:{https_port}/static/notice.html"
            wait_for(direct, gunicorn)
            wait_for(proxied, nginx)
            status, headers, page = fetch(proxied)
            if status != 200:
                raise SystemExit(f"{proxied} answered {status}")
            (static_root / "notice.html").write_bytes(page)
            print(
                f"page {PAGE}: {len(page) / 1024:.1f} KB, {page.count(b'<tr') - 1} table rows, "
                f"Cache-Control: {headers.get('Cache-Control')}, "
                f"X-Cache {headers.get('X-Cache')} then {fetch(proxied)[1].get('X-Cache')}"
            )
            print(
                f"wrk -t{args.threads} -c{args.connections} -d{args.seconds}s, "
                f"{os.cpu_count()} cores, database {database.split(':')[0]}"
            )
            results = {}
            for name, url in (("portal via nginx", proxied), ("static nginx", static),
                              ("gunicorn alone", direct)):  # fmt: skip
                wrk(url, args.connections, 2, args.threads)  # warm up
                results[name] = wrk(url, args.connections, args.seconds, args.threads)
            delays = []
            for _ in range(args.changes):
                time.sleep(random.random())  # at any point of a second
                delays.append(change_delay(proxied, env))
        finally:
            stop(nginx, signal.SIGQUIT)
            stop(gunicorn)

    print()
    print(
        f"{'server':<18} {'req/s':>9} {'p99 ms':>8} {'requests':>9} {'non-2xx':>8} {'sock err':>8}"
    )
    for name, r in results.items():
        print(
            f"{name:<18} {r['rps']:>9.0f} {r['p99_ms']:>8.1f} {r['requests']:>9} "
            f"{r['non2xx']:>8} {r['socket_errors']:>8}"
        )
    ratio = results["portal via nginx"]["rps"] / results["static nginx"]["rps"]
    plain = results["gunicorn alone"]["rps"] / results["static nginx"]["rps"]
    proxied_errors = sum(
        results[name]["non2xx"] + results[name]["socket_errors"]
        for name in ("portal via nginx", "static nginx")
    )
    print(f"\nportal via nginx / static nginx: {ratio:.2f} (target >= 0.5)")
    print(f"gunicorn alone / static nginx: {plain:.3f}")
    print(f"errors through nginx (portal and static): {proxied_errors} (target 0)")
    shown = ", ".join(f"{d * 1000:.0f}" for d in delays)
    print(f"list change visible through nginx after (ms): {shown}; max {max(delays) * 1000:.0f}")


if __name__ == "__main__":
    main()
