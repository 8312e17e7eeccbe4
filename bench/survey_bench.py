"""Customer survey answers under a rush: the portal behind the shipped nginx, on PostgreSQL.

Run by hand (not a test):
    PORTAL_BENCH_DATABASE_URL=postgresql+psycopg://user@host:port/db python bench/survey_bench.py

The database is emptied and rebuilt. A campaign with its online survey and one packet whose
survey is open are seeded; gunicorn (deploy/gunicorn.conf.py) and nginx (deploy/nginx.conf,
only paths and ports changed, see deploy/localize.py; a self-signed certificate) are started.
Then, as a customer's phone does, each of --devices devices opens the survey page (its own
session, CSRF token and signed device cookie; straight from gunicorn, to save time), and wrk
posts their answers through nginx over https
with --connections connections: every request is a different device answering once, with
real CSRF, the database's rate-limit counters and the integrity flags. The per-address limit
is raised for the run (every client here is 127.0.0.1), so every request is meant to be
counted; the limits are still counted on every answer.

Afterwards the database is read: answers stored, distinct devices, against the 2xx answers
wrk saw. Lost = acknowledged but not stored; doubled = one device stored twice. Target: at
least 200 answers/s, zero errors, zero lost, zero doubled. Needs nginx, wrk and openssl.
"""

from __future__ import annotations

import argparse
import html
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench"), str(ROOT / "deploy")]

from localize import localize, self_signed_certificate  # noqa: E402
from notice_bench import UNITS, UNVERIFIED, free_port, stop, wait_for  # noqa: E402

SECRET = "bench-" + "y" * 40
ITEMS = ("attitude", "manners", "efficiency", "skill", "promises", "complaints", "environment")

WRK_SCRIPT = r"""
local devices, n = {}, 0  -- `id` is the global setup() gives each thread
statuses = ""
local counter, threads = 0, {}
function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  threads[#threads + 1] = thread
end
function done(summary, latency, requests)
  for _, thread in ipairs(threads) do print("statuses " .. (thread:get("statuses") or "")) end
end
function init(args)
  local threads = tonumber(args[2])
  local i = 0
  for line in io.lines(args[1]) do
    if i % threads == id then
      local tab = line:find("\t")
      devices[#devices + 1] = {line:sub(1, tab - 1), line:sub(tab + 1)}
    end
    i = i + 1
  end
end
local tally = {}
response = function(status, headers, body)
  tally[status] = (tally[status] or 0) + 1
  statuses = ""
  for code, count in pairs(tally) do statuses = statuses .. code .. "=" .. count .. " " end
end
request = function()
  n = n + 1
  local d = devices[(n - 1) % #devices + 1]
  return wrk.format("POST", args_path, {
    ["Cookie"] = d[1],
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Referer"] = args_referer,
  }, d[2])
end
"""


def seed() -> None:
    """An open campaign with its survey, one packet whose survey is open; prints the token."""
    from datetime import timedelta

    import portal.models  # noqa: F401
    from portal import create_app
    from portal.accounts.models import Role
    from portal.applications.models import ApplicationState
    from portal.clock import utcnow
    from portal.db import Base, get_engine, get_session
    from portal.reference import seed_reference
    from portal.survey import service
    from tests.factories import make_application, make_campaign, make_user

    app = create_app()
    with app.app_context(), app.test_request_context():
        Base.metadata.drop_all(get_engine())
        Base.metadata.create_all(get_engine())
        session = get_session()
        seed_reference(session)
        deadline = utcnow() + timedelta(days=30)
        campaign = make_campaign(
            year=2026,
            application_deadline=deadline,
            recommendation_deadline=deadline + timedelta(days=5),
            review_deadline=deadline + timedelta(days=10),
        )
        packet = make_application(ApplicationState.DRAFT, campaign=campaign)
        settings = service.new_settings(campaign)
        settings.address_limit_per_hour = settings.survey_limit_per_minute = 10**9
        session.add(settings)
        owner = make_user(Role.ENTERPRISE, packet.organization)
        survey = service.open_survey(session, packet, owner, opens_minute=0, closes_minute=1440)
        session.commit()
        print(survey.token, flush=True)


def count_answers() -> None:
    """Print the answers stored and their distinct devices."""
    import sqlalchemy as sa

    import portal.models  # noqa: F401
    from portal import create_app
    from portal.db import get_session
    from portal.survey.models import SurveyAnswer

    app = create_app()
    with app.app_context():
        total, devices = (
            get_session()
            .execute(sa.select(sa.func.count(), sa.func.count(sa.distinct(SurveyAnswer.device))))
            .one()
        )
        print(total, devices, flush=True)


def child(function: str, env: dict) -> list[str]:
    code = f"import survey_bench; survey_bench.{function}()"
    out = subprocess.run([sys.executable, "-c", code], env=env, check=True, capture_output=True)
    return out.stdout.decode().split()


def open_page(url: str) -> str:
    """One device opens the survey: its cookies and the answer it will send, as one line."""
    with urllib.request.urlopen(url, timeout=30, context=UNVERIFIED) as response:
        page = response.read().decode()
        cookies = [c.split(";", 1)[0] for c in response.headers.get_all("Set-Cookie") or []]
    hidden = dict(re.findall(r'name="(csrf_token|started)"[^>]*value="([^"]*)"', page))
    rng = random.Random()
    form = {f"q_{item}": str(rng.choice((5, 5, 5, 4, 4, 3))) for item in ITEMS}
    form |= {"q_overall": str(rng.choice((5, 5, 4))), "recommend": "yes"}
    form |= {name: html.unescape(value) for name, value in hidden.items()}
    return "; ".join(cookies) + "\t" + urllib.parse.urlencode(form)


def referer(url: str) -> str:
    """The Referer a browser sends on port 443: nginx passes the host without its port, and
    the CSRF check compares the two (this run listens on another port)."""
    return re.sub(r":\d+/", "/", url, count=1)


def answer_once(url: str, line: str) -> None:
    """Send one prepared answer as a browser does, and stop the run if it is not taken."""
    cookies, body = line.split("\t")
    request = urllib.request.Request(
        url, data=body.encode(), headers={"Cookie": cookies, "Referer": referer(url)}, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=30, context=UNVERIFIED) as response:
            if b"survey-thanks" in response.read():
                return
    except urllib.error.HTTPError as error:
        text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", error.read().decode()))
        refused = f"a prepared answer was refused: {error.code} {text[-400:]}"
        raise SystemExit(refused) from None
    raise SystemExit("a prepared answer was not thanked for")


def cpu_seconds(root: int) -> float:
    """User and system CPU seconds of a process and its descendants, from /proc."""
    stats = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            stats[int(entry.name)] = (int(fields[1]), int(fields[11]) + int(fields[12]))
    family, ticks = {root}, 0
    for _ in range(4):  # gunicorn: master, workers; nginx: master, workers
        family |= {pid for pid, (parent, _t) in stats.items() if parent in family}
    ticks = sum(stats[pid][1] for pid in family if pid in stats)
    return ticks / os.sysconf("SC_CLK_TCK")


def run_wrk(url: str, path: str, devices: Path, args) -> dict:
    script = devices.parent / "answer.lua"
    script.write_text(
        WRK_SCRIPT.replace("args_path", f'"{path}"').replace("args_referer", f'"{referer(url)}"')
    )
    out = subprocess.run(
        ["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{args.seconds}s", "--latency",
         "--timeout", "10s", "-s", str(script), url, "--", str(devices), str(args.threads)],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s|m)\b", out)
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    )
    requests = int(re.search(r"(\d+) requests in ([\d.]+)(ms|s|m)", out).group(1))
    return {
        "statuses": " ".join(re.findall(r"^statuses (.*)$", out, re.M)),
        "requests": requests,
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p99_ms": float(p99.group(1)) * UNITS[p99.group(2)],
        "non2xx": int(non2xx.group(1)) if non2xx else 0,
        "socket_errors": sum(map(int, sockets.groups())) if sockets else 0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--direct", action="store_true", help="post to gunicorn, not nginx")
    parser.add_argument("--devices", type=int, default=3000, help="devices prepared (>= answers)")
    args = parser.parse_args()
    database = os.environ.get("PORTAL_BENCH_DATABASE_URL", "")
    if not database.startswith("postgresql"):
        raise SystemExit("set PORTAL_BENCH_DATABASE_URL to a PostgreSQL database (it is emptied)")
    for tool in ("nginx", "wrk", "openssl"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is not installed: apt-get install -y nginx wrk openssl")

    with tempfile.TemporaryDirectory(prefix="survey-bench-") as tmp:
        work = Path(tmp)
        work.chmod(0o755)  # nginx's workers run as www-data
        instance = work / "instance"
        instance.mkdir()
        env = {
            **os.environ,
            "PORTAL_ENV": "production",
            "PORTAL_SECRET_KEY": SECRET,
            "PORTAL_INSTANCE_PATH": str(instance),
            "PORTAL_DATABASE_URL": database,
            "PORTAL_PROXY_COUNT": "1",
            "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "bench"), str(ROOT / "deploy")]),
        }
        [token] = child("seed", env)
        static_root = work / "static"
        shutil.copytree(ROOT / "portal" / "static", static_root)
        app_port, http_port, https_port = free_port(), free_port(), free_port()
        cert, key = self_signed_certificate(work)
        conf = work / "nginx.conf"
        conf.write_text(
            localize(
                work / "nginx", app_port=app_port, http_port=http_port, https_port=https_port,
                static_root=static_root, cert=cert, key=key,
            )
        )  # fmt: skip
        gunicorn = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "deploy" / "gunicorn.conf.py"),
             "--bind", f"127.0.0.1:{app_port}", "--no-control-socket", "--log-level", "warning",
             "portal:create_app()"],
            env=env, cwd=work,
        )  # fmt: skip
        nginx = subprocess.Popen(
            ["nginx", "-p", str(work / "nginx"), "-c", str(conf), "-e", str(work / "error.log"),
             "-g", "daemon off;"],
        )  # fmt: skip
        try:
            path = f"/s/{token}"
            url = f"https://127.0.0.1:{https_port}{path}"
            wait_for(f"http://127.0.0.1:{app_port}{path}", gunicorn)
            wait_for(url, nginx)
            started = time.monotonic()
            # Straight from gunicorn: the cookies and token are the same, the TLS is spared.
            direct = f"http://127.0.0.1:{app_port}{path}"
            with ThreadPoolExecutor(max_workers=16) as pool:
                lines = list(pool.map(open_page, [direct] * args.devices))
            prepared = time.monotonic() - started
            answer_once(url, lines.pop())
            devices = work / "devices.txt"
            devices.write_text("\n".join(lines) + "\n")
            target = direct if args.direct else url
            cpu_before = cpu_seconds(gunicorn.pid), cpu_seconds(nginx.pid)
            result = run_wrk(target, path, devices, args)
            cpu_after = cpu_seconds(gunicorn.pid), cpu_seconds(nginx.pid)
            time.sleep(1)  # requests wrk left in flight at its end finish
            stored, distinct = map(int, child("count_answers", env))
        finally:
            stop(nginx, 15)
            stop(gunicorn)

    acknowledged = result["requests"] - result["non2xx"] + 1  # and the one sent before wrk
    print(f"{args.devices} devices opened the survey page in {prepared:.1f} s")
    print(
        f"wrk -t{args.threads} -c{args.connections} -d{args.seconds}s, POST {path} through nginx "
        f"(https), {os.cpu_count()} cores, PostgreSQL, "
        f"GUNICORN_WORKERS={os.environ.get('GUNICORN_WORKERS', 'default')}"
    )
    print(f"answers/s (2xx): {acknowledged / args.seconds:.0f}   requests/s: {result['rps']:.0f}")
    print(f"p99: {result['p99_ms']:.1f} ms")
    handled = max(1, stored - 1)  # the answer sent before wrk was not timed
    app_ms, proxy_ms = (
        (a - b) * 1000 / handled for a, b in zip(cpu_after, cpu_before, strict=True)
    )
    print(
        f"CPU per answer: gunicorn {app_ms:.1f} ms, nginx {proxy_ms:.1f} ms "
        f"(load average at the end {os.getloadavg()[0]:.1f})"
    )
    print(f"errors: non-2xx {result['non2xx']}, socket {result['socket_errors']}")
    print(f"statuses seen: {result['statuses']}")
    print(f"stored {stored}, distinct devices {distinct}, acknowledged {acknowledged}")
    print(f"lost: {max(0, acknowledged - stored)}   doubled: {stored - distinct}")
    print(f"stored but not seen by wrk (in flight at its end): {max(0, stored - acknowledged)}")
    if result["requests"] > args.devices:
        print("warning: more requests than devices; raise --devices")


if __name__ == "__main__":
    main()
