"""Every worker process pays for what the app imports at start; python-docx and lxml cost
about 6 MB and are needed only while a Word document is built or read."""

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PROBE = textwrap.dedent(
    """
    import sys

    import portal.models
    from portal import create_app
    from portal.db import Base, get_engine

    app = create_app({"ENV": "development", "DATABASE_URL": "sqlite://",
                      "INSTANCE_PATH": sys.argv[1]})
    with app.app_context():
        Base.metadata.create_all(get_engine())
    client = app.test_client()
    for path in ("/", "/notice", "/honours", "/login"):
        assert client.get(path).status_code == 200, path
    print(sorted(name for name in ("docx", "lxml") if name in sys.modules))
    """
)


def test_serving_pages_does_not_load_the_word_libraries(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", PROBE, str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"
