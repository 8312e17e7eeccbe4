import io
import os

import pytest

from portal.storage import LocalStorage, content_disposition, get_storage


def test_local_storage_round_trip_leaves_no_temporary_files(tmp_path):
    storage = LocalStorage(tmp_path / "files")
    data = os.urandom(3 * 1024 * 1024 + 17)

    storage.save_stream("uploads/2026/abc", io.BytesIO(data))

    assert storage.exists("uploads/2026/abc")
    with storage.open("uploads/2026/abc") as fh:
        assert fh.read() == data
    assert os.listdir(tmp_path / "files" / "uploads" / "2026") == ["abc"]
    assert storage.spool_dir == (tmp_path / "files" / ".spool").resolve()
    assert storage.url_for_download("uploads/2026/abc", "a.pdf", "application/pdf") is None
    storage.delete("uploads/2026/abc")
    assert not storage.exists("uploads/2026/abc")
    storage.delete("uploads/2026/abc")  # deleting twice is not an error


def test_local_storage_replaces_atomically_and_keeps_old_bytes_on_failure(tmp_path):
    storage = LocalStorage(tmp_path)
    storage.save_stream("k", io.BytesIO(b"first"))

    class Broken(io.RawIOBase):
        def __init__(self):
            self.calls = 0

        def readable(self):
            return True

        def read(self, n=-1):
            self.calls += 1
            if self.calls > 1:
                raise ConnectionResetError("client went away")
            return b"partial"

    with pytest.raises(ConnectionResetError):
        storage.save_stream("k", Broken())

    with storage.open("k") as fh:
        assert fh.read() == b"first"
    assert sorted(os.listdir(tmp_path)) == ["k"]


@pytest.mark.parametrize(
    "key",
    [
        "../outside",
        "a/../../outside",
        "/etc/passwd",
        "a\\..\\b",
        "",
        "a//b",
        "./a",
        "a/..",
        ".spool/x",
        "a\x00b",
    ],
)
def test_local_storage_refuses_keys_that_escape_or_are_malformed(tmp_path, key):
    storage = LocalStorage(tmp_path / "root")
    with pytest.raises(ValueError):
        storage.save_stream(key, io.BytesIO(b"x"))
    assert not (tmp_path / "outside").exists()


def test_local_storage_refuses_a_symlink_that_leads_outside(tmp_path):
    (tmp_path / "root").mkdir()
    (tmp_path / "elsewhere").mkdir()
    os.symlink(tmp_path / "elsewhere", tmp_path / "root" / "link")
    storage = LocalStorage(tmp_path / "root")

    with pytest.raises(ValueError, match="escapes the storage root"):
        storage.save_stream("link/file", io.BytesIO(b"x"))
    assert os.listdir(tmp_path / "elsewhere") == []


def test_get_storage_is_built_once_per_app_from_config(app, tmp_path):
    storage = get_storage(app)
    assert isinstance(storage, LocalStorage)
    assert storage.root == (tmp_path / "instance" / "files").resolve()
    assert get_storage() is storage


def test_content_disposition_keeps_ascii_names_and_encodes_chinese_ones():
    assert content_disposition("report.pdf") == 'attachment; filename="report.pdf"'
    assert content_disposition("report.pdf", as_attachment=False) == (
        'inline; filename="report.pdf"'
    )
    assert content_disposition("申报表.pdf") == (
        "attachment; filename=\"download.pdf\"; filename*=UTF-8''%E7%94%B3%E6%8A%A5%E8%A1%A8.pdf"
    )
    assert content_disposition('a"b; c.docx') == (
        "attachment; filename=\"ab c.docx\"; filename*=UTF-8''a%22b%3B%20c.docx"
    )


def test_a_spooled_file_on_the_same_disk_is_linked_into_place(tmp_path):
    storage = LocalStorage(tmp_path / "files")
    storage.spool_dir.mkdir(parents=True)
    spooled = storage.spool_dir / "upload"
    spooled.write_bytes(b"%PDF-1.7 spooled")

    with open(spooled, "rb") as stream:
        storage.save_stream("uploads/2026/linked", stream)

    stored = storage.path_for("uploads/2026/linked")
    assert stored.read_bytes() == b"%PDF-1.7 spooled"
    assert os.stat(stored).st_ino == os.stat(spooled).st_ino
    assert os.listdir(stored.parent) == ["linked"]
