"""The per-process memos stop growing at their bound and still answer past it."""

from __future__ import annotations

from portal.memo import remember


def test_a_memo_keeps_answers_until_full_and_then_only_returns_them():
    memo: dict[str, int] = {}
    assert remember(memo, "a", 1, 2) == 1 and remember(memo, "b", 2, 2) == 2
    assert remember(memo, "c", 3, 2) == 3  # past the bound: answered, not kept
    assert memo == {"a": 1, "b": 2}
