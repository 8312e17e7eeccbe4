"""Upload benchmark: a large file through the portal's upload path, to local disk and to S3.

Run by hand (not a test):  python bench/upload_bench.py [--size-mb 500] [--backend local s3]

For each backend a child process serves create_app() with a temporary SQLite database and
one extra PUT route that does what an upload view does: store_upload() fed by
stream_request_body(). The benchmark streams the file to it over loopback HTTP, and reads
the server's peak RSS (VmHWM in /proc/<pid>/status). Beside it, the same file goes to the
same place directly: boto3 upload_file to the same moto server, or a plain file copy for
local disk. Targets: server peak RSS under 100 MB; portal throughput at least 0.8x direct.
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import json
import logging
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
MB = 1024 * 1024
BUCKET = "bench"
AWS_ENV = {
    "AWS_ACCESS_KEY_ID": "bench",
    "AWS_SECRET_ACCESS_KEY": "bench",
    "AWS_DEFAULT_REGION": "us-east-1",
}


def proc_status(pid: int | str, field: str) -> int:
    """A memory figure from /proc/<pid>/status, in bytes."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    raise KeyError(field)


def proc_cpu(pid: int | str) -> float:
    """User + system CPU seconds a process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, process: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{process.args[0]} exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"nothing answered at {url}")


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def make_file(path: Path, size: int) -> str:
    """Random bytes behind a PDF header (so the sniffer accepts it); returns its SHA-256."""
    digest = hashlib.sha256()
    with open(path, "wb") as out:
        written = 0
        while written < size:
            block = os.urandom(min(8 * MB, size - written))
            if written == 0:
                block = b"%PDF-1.7\n%" + block[10:]
            if written + len(block) == size:  # a PDF ends with %%EOF, or it is refused as cut off
                block = block[:-7] + b"\n%%EOF\n"
            digest.update(block)
            out.write(block)
            written += len(block)
    return digest.hexdigest()


# --- child: the portal serving the upload path ----------------------------------------------


def serve(args) -> None:
    sys.path.insert(0, str(ROOT))
    from flask import jsonify
    from werkzeug.serving import make_server

    import portal.models  # noqa: F401
    from portal import create_app
    from portal.db import Base, get_engine, get_session
    from portal.extensions import csrf
    from portal.files.service import request_upload_filename, store_upload, stream_request_body

    config = {
        "ENV": "development",
        "INSTANCE_PATH": args.instance,
        "DATABASE_URL": f"sqlite:///{args.instance}/bench.sqlite3",
        "STORAGE_BACKEND": args.backend[0],
        "S3_BUCKET": BUCKET,
        "S3_PREFIX": "portal",
        "S3_ENDPOINT_URL": args.endpoint,
        "S3_REGION": "us-east-1",
    }
    app = create_app(config)
    with app.app_context():
        Base.metadata.create_all(get_engine())

    def upload():
        session = get_session()
        stored = store_upload(
            session,
            stream_request_body(),
            filename=request_upload_filename(),
            allowed_kinds={"pdf"},
            max_bytes=2048 * MB,
        )
        session.commit()
        return jsonify(key=stored.key, size=stored.size, sha256=stored.sha256)

    # A browser view would send the X-CSRFToken header; the bench has no session to hold one.
    csrf.exempt(upload)
    app.add_url_rule("/bench/upload", "bench_upload", upload, methods=["PUT"])
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = make_server("127.0.0.1", args.port, app, threaded=False)
    print("ready", flush=True)
    server.serve_forever()


def portal_upload(port: int, path: Path, size: int) -> tuple[float, dict]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600, blocksize=MB)
    started = time.perf_counter()
    with open(path, "rb") as body:
        conn.request(
            "PUT",
            "/bench/upload",
            body=body,
            headers={
                "Content-Type": "application/octet-stream",
                "Content-Length": str(size),
                "X-Filename": quote("基准测试.pdf"),
            },
        )
        response = conn.getresponse()
        payload = response.read()
    elapsed = time.perf_counter() - started
    conn.close()
    if response.status != 200:
        raise SystemExit(f"upload failed: {response.status} {payload[:500]!r}")
    return elapsed, json.loads(payload)


def run_portal(
    backend: str, path: Path, size: int, sha256: str, endpoint: str, work: Path, s3_pid=None
):
    port = free_port()
    instance = work / f"instance-{backend}"
    instance.mkdir()
    child = subprocess.Popen(
        [sys.executable, __file__, "--serve", "--backend", backend, "--port", str(port),
         "--instance", str(instance), "--endpoint", endpoint],
        stdout=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    try:
        assert child.stdout.readline().strip() == "ready"
        wait_for(f"http://127.0.0.1:{port}/", child)
        idle_rss = proc_status(child.pid, "VmRSS")
        cpu = proc_cpu(child.pid), proc_cpu(s3_pid) if s3_pid else 0.0
        elapsed, result = portal_upload(port, path, size)
        peak = proc_status(child.pid, "VmHWM")
        cpu = proc_cpu(child.pid) - cpu[0], (proc_cpu(s3_pid) - cpu[1]) if s3_pid else None
    finally:
        stop(child)
    if result["sha256"] != sha256 or result["size"] != size:
        raise SystemExit(f"stored file differs: {result}")
    return elapsed, idle_rss, peak, result["key"], cpu


# --- child: where the server's memory goes -----------------------------------------------------


def footprint(args) -> None:
    """Resident memory after each layer the S3 upload path needs, in a fresh process."""
    steps = [("python", proc_status("self", "VmRSS"))]
    import flask  # noqa: F401
    import flask_babel  # noqa: F401
    import flask_login  # noqa: F401
    import flask_wtf  # noqa: F401
    import sqlalchemy.orm  # noqa: F401

    steps.append(("Flask, SQLAlchemy, WTForms, Babel imported", proc_status("self", "VmRSS")))
    sys.path.insert(0, str(ROOT))
    import portal.models  # noqa: F401
    from portal import create_app

    app = create_app(
        {
            "ENV": "development",
            "DATABASE_URL": "sqlite://",
            "INSTANCE_PATH": args.instance,
            "STORAGE_BACKEND": "s3",
            "S3_BUCKET": BUCKET,
            "S3_ENDPOINT_URL": "http://127.0.0.1:9",
            "S3_REGION": "us-east-1",
        }
    )
    steps.append(("portal app created", proc_status("self", "VmRSS")))
    import boto3  # noqa: F401

    steps.append(("boto3 imported", proc_status("self", "VmRSS")))
    from portal.storage import get_storage

    get_storage(app)
    steps.append(("S3 client built", proc_status("self", "VmRSS")))
    print(json.dumps(steps), flush=True)


def run_footprint(work: Path) -> list:
    out = subprocess.run(
        [sys.executable, __file__, "--footprint", "--instance", str(work)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


# --- child: boto3 directly -------------------------------------------------------------------


def direct_s3(args) -> None:
    """boto3 upload_file: with its default settings, or ("same") with the portal's client
    settings, part size and number of parts in flight."""
    import boto3
    from boto3.s3.transfer import TransferConfig

    sys.path.insert(0, str(ROOT))
    from portal.storage import S3_MAX_CONCURRENCY, S3_PART_SIZE, s3_client_config

    client_config = s3_client_config() if args.direct == "same" else None
    client = boto3.client(
        "s3", endpoint_url=args.endpoint, region_name="us-east-1", config=client_config
    )
    config = None
    if args.direct == "same":
        config = TransferConfig(
            multipart_threshold=S3_PART_SIZE,
            multipart_chunksize=S3_PART_SIZE,
            max_concurrency=S3_MAX_CONCURRENCY,
        )
    cpu = proc_cpu("self")
    started = time.perf_counter()
    client.upload_file(args.file, BUCKET, "direct/bench", Config=config)
    elapsed = time.perf_counter() - started
    result = {"seconds": elapsed, "peak": proc_status("self", "VmHWM")}
    print(json.dumps({**result, "cpu": proc_cpu("self") - cpu}), flush=True)


def run_direct_s3(path: Path, endpoint: str, how: str, s3_pid: int) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--direct", how, "--file", str(path), "--endpoint", endpoint],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def run_direct_local(path: Path, work: Path) -> float:
    target = work / "direct-copy"
    started = time.perf_counter()
    with open(path, "rb") as src, open(target, "wb") as dst:
        shutil.copyfileobj(src, dst, MB)
        dst.flush()
        os.fsync(dst.fileno())
    elapsed = time.perf_counter() - started
    target.unlink()
    return elapsed


def start_s3(server: str, work: Path) -> tuple[subprocess.Popen, str]:
    """moto's standalone server (objects in memory, Python), or s3rver (on disk, Node)."""
    port = free_port()
    if server == "moto":
        exe = shutil.which("moto_server")
        command = [exe] if exe else [sys.executable, "-m", "moto.server"]
        command += ["-H", "127.0.0.1", "-p", str(port)]
    else:
        exe = os.environ.get("S3RVER") or shutil.which("s3rver")
        if not exe:
            raise SystemExit("s3rver not found: npm install s3rver, then set S3RVER=<its bin>")
        data = work / "s3rver"
        data.mkdir(exist_ok=True)
        command = [exe, "-d", str(data), "-a", "127.0.0.1", "-p", str(port), "--silent",
                   "--no-vhost-buckets"]  # fmt: skip
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    endpoint = f"http://127.0.0.1:{port}"
    wait_for(endpoint + "/", process)
    import boto3

    boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1").create_bucket(Bucket=BUCKET)
    return process, endpoint


def delete_object(endpoint: str, key: str) -> None:
    import boto3

    boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1").delete_object(
        Bucket=BUCKET, Key=key
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=int, default=500)
    parser.add_argument("--backend", nargs="+", default=["local", "s3"], choices=["local", "s3"])
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--s3-server", default="moto", choices=["moto", "s3rver"])
    parser.add_argument("--direct", choices=["same", "default"], help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--instance", help=argparse.SUPPRESS)
    parser.add_argument("--endpoint", default="", help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    parser.add_argument("--footprint", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if "AWS_ACCESS_KEY_ID" not in os.environ:  # (children inherit the parent's keys)
        os.environ.update(AWS_ENV)
    if args.s3_server == "s3rver":  # it knows one key pair (and checks it)
        os.environ.update(AWS_ACCESS_KEY_ID="S3RVER", AWS_SECRET_ACCESS_KEY="S3RVER")
    if args.serve:
        return serve(args)
    if args.direct:
        return direct_s3(args)
    if args.footprint:
        return footprint(args)

    size = args.size_mb * MB
    with tempfile.TemporaryDirectory(prefix="upload-bench-") as tmp:
        work = Path(tmp)
        path = work / "bench.pdf"
        sha256 = make_file(path, size)
        print(f"file: {args.size_mb} MB, cores: {os.cpu_count()}, python {sys.version.split()[0]}")
        rows = []
        if "local" in args.backend:
            seconds, idle, peak, _, cpu = run_portal("local", path, size, sha256, "", work)
            direct = run_direct_local(path, work)
            rows.append(("local", seconds, direct, "file copy", idle, peak, None, cpu, None))
        if "s3" in args.backend:
            s3, endpoint = start_s3(args.s3_server, work)
            try:
                seconds, idle, peak, key, cpu = run_portal(
                    "s3", path, size, sha256, endpoint, work, s3.pid
                )
                delete_object(endpoint, "portal/" + key)
                for how, label in (("same", "boto3 upload_file, portal settings"),
                                   ("default", "boto3 upload_file, defaults")):  # fmt: skip
                    server_cpu = proc_cpu(s3.pid)
                    direct = run_direct_s3(path, endpoint, how, s3.pid)
                    direct_cpu = direct["cpu"], proc_cpu(s3.pid) - server_cpu
                    delete_object(endpoint, "direct/bench")
                    rows.append(
                        (f"s3 ({args.s3_server})", seconds, direct["seconds"], label, idle, peak,
                         direct["peak"], cpu, direct_cpu)
                    )  # fmt: skip
            finally:
                stop(s3)
        print()
        print(
            f"{'backend':<12} {'portal MB/s':>11} {'direct MB/s':>11} {'ratio':>6}  "
            f"{'server idle/peak RSS':>20}  {'CPU s portal+S3':>15} {'direct+S3':>11}  direct"
        )
        for name, seconds, direct, label, idle, peak, direct_peak, cpu, dcpu in rows:
            extra = f" (peak RSS {direct_peak / MB:.0f} MB)" if direct_peak else ""
            cpus = (
                f"{cpu[0]:>6.1f}+{cpu[1]:<8.1f} "
                if cpu[1] is not None
                else f"{cpu[0]:>6.1f}{'':10}"
            )
            dcpus = f"{dcpu[0]:>5.1f}+{dcpu[1]:<5.1f}" if dcpu else f"{'':11}"
            print(
                f"{name:<12} {args.size_mb / seconds:>11.0f} {args.size_mb / direct:>11.0f} "
                f"{direct / seconds:>6.2f}  {idle / MB:>8.0f} / {peak / MB:>4.0f} MB  "
                f"{cpus} {dcpus}  {label}{extra}"
            )
        if "s3" in args.backend:
            print("\nserver memory before the first upload byte (RSS, fresh process):")
            for name, rss in run_footprint(work):
                print(f"  {rss / MB:>5.0f} MB  {name}")


if __name__ == "__main__":
    main()
