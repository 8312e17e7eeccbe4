"""An S3-compatible server (moto's standalone server) on loopback for the s3 tier."""

from __future__ import annotations

import importlib.util
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass

import pytest

from tests.conftest import require_or_skip

S3_TEST_ENV = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
}


@dataclass(frozen=True)
class S3Server:
    endpoint_url: str
    bucket: str
    region: str = "us-east-1"

    def client(self):
        import boto3

        return boto3.client("s3", endpoint_url=self.endpoint_url, region_name=self.region)

    def portal_settings(self, prefix: str = "portal-test/") -> dict:
        """The portal's configuration for storing uploads in this server's bucket."""
        return {
            "STORAGE_BACKEND": "s3",
            "S3_BUCKET": self.bucket,
            "S3_PREFIX": prefix,
            "S3_ENDPOINT_URL": self.endpoint_url,
            "S3_REGION": self.region,
        }


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _moto_command(port: int) -> list[str] | None:
    if importlib.util.find_spec("moto") is None or importlib.util.find_spec("flask_cors") is None:
        return None
    exe = shutil.which("moto_server")
    base = [exe] if exe else [sys.executable, "-m", "moto.server"]
    return [*base, "-H", "127.0.0.1", "-p", str(port)]


def _wait_until_up(url: str, process: subprocess.Popen, seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"moto_server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except urllib.error.HTTPError:
            return  # it answered
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"moto_server did not answer at {url} within {seconds} s")


@pytest.fixture(scope="session")
def s3_server():
    """moto_server on a free loopback port, test credentials in the environment, one bucket."""
    port = _free_port()
    command = _moto_command(port)
    if command is None:
        require_or_skip("moto[server] and flask-cors are not installed")
    with pytest.MonkeyPatch.context() as mp:
        for name, value in S3_TEST_ENV.items():
            mp.setenv(name, value)
        for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL"):
            mp.delenv(name, raising=False)
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            endpoint = f"http://127.0.0.1:{port}"
            _wait_until_up(endpoint + "/", process)
            server = S3Server(endpoint_url=endpoint, bucket="portal-test")
            server.client().create_bucket(Bucket=server.bucket)
            yield server
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
