"""Per-process memos that stop growing at a bound, for answers a page asks for again and again.

The templates' words, the navigation's HTML and its fixed links depend only on the code, the
language and the address the portal is served under, so each process keeps them once made. Their
keys are bounded by the templates and the roles; the bound guards against a caller that ever
passes keys without end (a variable in `_()`), so that a memo cannot grow with the requests.

A memo is a plain dict, looked up with its own get(), the cheapest lookup there is, on paths
that ask a hundred times a page (a dict subclass or a wrapper costs each lookup 10 to 20 ns more).
"""

from __future__ import annotations

from typing import TypeVar

K = TypeVar("K")
V = TypeVar("V")


def remember(memo: dict[K, V], key: K, value: V, bound: int) -> V:
    """Keep `value` for `key` while the memo holds fewer than `bound` answers; give it back
    either way (once full, an answer is returned without being kept)."""
    if len(memo) < bound:
        memo[key] = value
    return value
