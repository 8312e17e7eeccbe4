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


def run_portal(backend: str, path: Path, size: int, sha256: str, endpoint: str, work: Path):
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
        elapsed, result = portal_upload(port, path, size)
        peak = proc_status(child.pid, "VmHWM")
    finally:
        stop(child)
    if result["sha256"] != sha256 or result["size"] != size:
        raise SystemExit(f"stored file differs: {result}")
    return elapsed, idle_rss, peak, result["key"]


# --- child: boto3 directly -------------------------------------------------------------------


def direct_s3(args) -> None:
    import boto3

    client = boto3.client("s3", endpoint_url=args.endpoint, region_name="us-east-1")
    started = time.perf_counter()
    client.upload_file(args.file, BUCKET, "direct/bench")
    elapsed = time.perf_counter() - started
    print(json.dumps({"seconds": elapsed, "peak": proc_status("self", "VmHWM")}), flush=True)


def run_direct_s3(path: Path, endpoint: str) -> tuple[float, int]:
    out = subprocess.run(
        [sys.executable, __file__, "--direct", "--file", str(path), "--endpoint", endpoint],
        check=True,
        capture_output=True,
        text=True,
    )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    return result["seconds"], result["peak"]


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


def start_moto() -> tuple[subprocess.Popen, str]:
    port = free_port()
    exe = shutil.which("moto_server")
    command = [exe] if exe else [sys.executable, "-m", "moto.server"]
    process = subprocess.Popen(
        [*command, "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
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
    parser.add_argument("--direct", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--instance", help=argparse.SUPPRESS)
    parser.add_argument("--endpoint", default="", help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    args = parser.parse_args()
    os.environ.update(AWS_ENV)
    if args.serve:
        return serve(args)
    if args.direct:
        return direct_s3(args)

    size = args.size_mb * MB
    with tempfile.TemporaryDirectory(prefix="upload-bench-") as tmp:
        work = Path(tmp)
        path = work / "bench.pdf"
        sha256 = make_file(path, size)
        print(f"file: {args.size_mb} MB, cores: {os.cpu_count()}, python {sys.version.split()[0]}")
        rows = []
        if "local" in args.backend:
            seconds, idle, peak, _ = run_portal("local", path, size, sha256, "", work)
            direct = run_direct_local(path, work)
            rows.append(("local", seconds, direct, "file copy", idle, peak, None))
        if "s3" in args.backend:
            moto, endpoint = start_moto()
            try:
                seconds, idle, peak, key = run_portal("s3", path, size, sha256, endpoint, work)
                delete_object(endpoint, "portal/" + key)
                direct, direct_peak = run_direct_s3(path, endpoint)
                delete_object(endpoint, "direct/bench")
            finally:
                stop(moto)
            rows.append(
                ("s3 (moto)", seconds, direct, "boto3 upload_file", idle, peak, direct_peak)
            )
        print()
        header = (
            f"{'backend':<10} {'portal MB/s':>11} {'direct MB/s':>11} {'ratio':>6}  "
            f"{'server idle RSS':>15} {'server peak RSS':>15}  direct"
        )
        print(header)
        for name, seconds, direct, label, idle, peak, direct_peak in rows:
            extra = f" (peak RSS {direct_peak / MB:.0f} MB)" if direct_peak else ""
            print(
                f"{name:<10} {args.size_mb / seconds:>11.0f} {args.size_mb / direct:>11.0f} "
                f"{direct / seconds:>6.2f}  {idle / MB:>12.0f} MB {peak / MB:>12.0f} MB  "
                f"{label}{extra}"
            )


if __name__ == "__main__":
    main()
