"""How the office reads the audit trail: one readable line per changed field, short values."""

from __future__ import annotations

import pytest

from portal.office.audit_view import VALUE_CAP, changes, render_value


@pytest.fixture(autouse=True)
def english(app):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        from flask_babel import force_locale

        with force_locale("en"):
            yield


def test_only_changed_fields_are_listed_each_with_before_and_after():
    result = changes(
        {"team_name": "A组", "lock_version": 1, "state": "draft"},
        {"team_name": "B组", "lock_version": 2, "state": "draft"},
    )
    assert [(c.field, c.before, c.after) for c in result] == [
        ("team_name", "A组", "B组"),
        ("lock_version", "1", "2"),
    ]


def test_a_new_record_lists_every_field_from_nothing():
    result = changes(None, {"name": "x", "note": ""})
    assert [(c.field, c.before, c.after) for c in result] == [("name", "—", "x")]


def test_a_removed_field_goes_to_nothing():
    result = changes({"name": "x"}, {})
    assert [(c.field, c.before, c.after) for c in result] == [("name", "x", "—")]


def test_member_lists_are_counted_in_rows():
    three = [{"name": f"m{i}"} for i in range(3)]
    result = changes({"members": three}, {"members": [*three, {"name": "m3"}]})
    assert [(c.field, c.before, c.after) for c in result] == [("members", "3 rows", "4 rows")]


def test_a_list_of_plain_values_is_joined_and_a_nested_object_compacted():
    assert render_value(["a", "b", 3]) == "a, b, 3"
    assert render_value({"kind": "team", "size": 4}) == "kind: team; size: 4"
    assert render_value(True) == "true"


def test_a_personal_value_shows_its_masked_form_and_never_its_hash():
    before = {"mobile": {"masked": "139****9000", "hmac": "a" * 32}}
    after = {"mobile": {"masked": "138****1234", "hmac": "b" * 32}}
    [change] = changes(before, after)
    assert (change.field, change.before, change.after) == ("mobile", "139****9000", "138****1234")
    nested = render_value({"members": [], "leader": {"id_number": before["mobile"]}})
    assert "a" * 32 not in nested
    assert "139****9000" in nested


def test_a_personal_value_with_the_same_hash_is_unchanged():
    value = {"masked": "139****9000", "hmac": "a" * 32}
    assert changes({"mobile": value}, {"mobile": dict(value)}) == []


def test_a_long_value_is_cut_with_an_ellipsis():
    shown = render_value("x" * 10_000)
    assert len(shown) == VALUE_CAP
    assert shown.endswith("…")
    assert render_value("y" * VALUE_CAP) == "y" * VALUE_CAP


def test_entries_without_snapshots_show_no_change():
    assert changes(None, None) == []
    assert [(c.field, c.after) for c in changes(None, "closed")] == [("", "closed")]


class _Id(int):
    """An id that notes each time it is written out."""

    written: list[int] = []

    def __str__(self) -> str:
        _Id.written.append(self)
        return super().__repr__()


def test_a_long_id_list_is_cut_after_reading_only_what_the_cap_shows():
    _Id.written.clear()
    ids = [_Id(100_000 + i) for i in range(5_000)]
    whole = ", ".join(str(i) for i in range(100_000, 105_000))
    _Id.written.clear()
    shown = render_value(ids)
    assert shown == whole[: VALUE_CAP - 1] + "…"
    # "100000, " is 8 characters: the cap is reached after the 21st id, not the 5,000th.
    assert len(_Id.written) == VALUE_CAP // 8 + 1
    _Id.written.clear()
    nested = render_value({"ids": ids, "note": "x"})
    assert nested == ("ids: " + whole)[: VALUE_CAP - 1] + "…"
    assert len(_Id.written) < 30
    # A list that fits under the cap is shown whole.
    assert render_value(ids[:3]) == "100000, 100001, 100002"
