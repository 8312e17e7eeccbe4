"""Run deploy/nginx.conf unprivileged-style on loopback: used by the benchmark and the tests.

Only paths and ports change: pid, logs, temporary and cache directories go into one
directory, the upstream and listen ports are given, the certificate is a given (self-signed)
one, and static files come from a given directory. The IPv6 `listen` lines are dropped (a
sandbox may have no IPv6). Every replaced text must be found, so the shipped file cannot
drift from what is tested.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

HERE = Path(__file__).resolve().parent
NGINX_CONF = HERE / "nginx.conf"


def localize(
    root: Path,
    *,
    app_port: int,
    http_port: int,
    https_port: int,
    static_root: Path,
    cert: Path,
    key: Path,
    text: str | None = None,
) -> str:
    """The shipped configuration with its paths under `root` and its ports replaced."""
    text = NGINX_CONF.read_text() if text is None else text
    for sub in ("logs", "tmp", "cache"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    replacements = [
        ("pid /run/nginx.pid;", f"pid {root}/nginx.pid;"),
        ("/run/nginx-portal-origin.sock", f"{root}/origin.sock"),
        ("/var/log/nginx/", f"{root}/logs/"),
        ("/var/lib/nginx/", f"{root}/tmp/"),
        ("/var/cache/nginx/portal", f"{root}/cache"),
        ("server 127.0.0.1:8000;", f"server 127.0.0.1:{app_port};"),
        ("listen [::]:80;\n", ""),
        ("listen [::]:443 ssl http2;\n", ""),
        ("listen 80;", f"listen 127.0.0.1:{http_port};"),
        ("listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;"),
        ("/etc/ssl/portal/fullchain.pem", str(cert)),
        ("/etc/ssl/portal/privkey.pem", str(key)),
        ("/srv/portal/portal/static/", f"{static_root}/"),
    ]
    for old, new in replacements:
        if old not in text:
            raise ValueError(f"deploy/nginx.conf no longer contains {old!r}")
        text = text.replace(old, new)
    return text


def self_signed_certificate(directory: Path) -> tuple[Path, Path]:
    """A throwaway certificate for 127.0.0.1 made with the openssl command."""
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key
