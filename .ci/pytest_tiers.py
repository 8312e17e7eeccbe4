"""Counts test outcomes and time per tier (browser, s3, nginx, concurrency, fuzz, the rest) for
the closing summary of `./dev test`, so a tier that was skipped, or slow, is visible there.

A tier's time is the sum of its tests' setup, call and teardown; session fixtures count
toward the test that first needs them. The time of the whole pass includes collection.

As a pytest plugin (`-p pytest_tiers`, with .ci on the path) it writes the counts of one pass to
the JSON file named by PORTAL_TIER_REPORT. As a script it reads those files back:
`describe FILE` prints one pass, `total FILE...` prints the closing line over all passes.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

TIER_MARKERS = ("browser", "s3", "nginx", "concurrency", "fuzz")
OUTCOMES = ("passed", "failed", "skipped")
RANK = {"passed": 0, "skipped": 1, "failed": 2}


def _tier(item) -> str:
    for marker in TIER_MARKERS:
        if item.get_closest_marker(marker) is not None:
            return marker
    return "core"


class TierCounter:
    def __init__(self, path: str) -> None:
        self.path = path
        self.tiers: dict[str, str] = {}
        self.outcomes: dict[str, str] = {}
        self.seconds: defaultdict[str, float] = defaultdict(float)
        self.collection_errors = 0
        self.started = time.monotonic()
        self.collected = self.started

    def pytest_collection_finish(self, session) -> None:
        # After every conftest has added its markers (tests/concurrency, tests/fuzz).
        self.tiers = {item.nodeid: _tier(item) for item in session.items}
        self.collected = time.monotonic()

    def pytest_collectreport(self, report) -> None:
        if report.failed:
            self.collection_errors += 1

    def pytest_runtest_logreport(self, report) -> None:
        self.seconds[self.tiers.get(report.nodeid, "core")] += report.duration
        # One outcome per test: a failure in any phase wins, then a skip, then the call's pass.
        if report.failed:
            outcome = "failed"
        elif report.skipped:
            outcome = "skipped"
        elif report.when == "call":
            outcome = "passed"
        else:
            return
        current = self.outcomes.get(report.nodeid)
        if current is None or RANK[outcome] > RANK[current]:
            self.outcomes[report.nodeid] = outcome

    def pytest_sessionfinish(self, session, exitstatus) -> None:
        counts: defaultdict[str, Counter] = defaultdict(Counter)
        for nodeid, outcome in self.outcomes.items():
            counts[self.tiers.get(nodeid, "core")][outcome] += 1
        data = {
            "tiers": {tier: dict(c) for tier, c in sorted(counts.items())},
            "seconds": {tier: round(self.seconds[tier], 1) for tier in sorted(counts)},
            "collection_seconds": round(self.collected - self.started, 1),
            "total_seconds": round(time.monotonic() - self.started, 1),
            "collection_errors": self.collection_errors,
            "exitstatus": int(exitstatus),
        }
        Path(self.path).write_text(json.dumps(data, indent=2), encoding="utf-8")


def pytest_configure(config) -> None:
    path = os.environ.get("PORTAL_TIER_REPORT")
    if path:
        config.pluginmanager.register(TierCounter(path), "portal-tier-counter")


def _load(path: str) -> dict | None:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _phrase(counts: dict) -> str:
    return ", ".join(f"{counts.get(o, 0)} {o}" for o in OUTCOMES)


def _duration(seconds: float) -> str:
    minutes, seconds = divmod(round(seconds), 60)
    return f"{minutes}m{seconds:02d}s" if minutes else f"{seconds}s"


def describe(path: str) -> str:
    data = _load(path)
    if data is None:
        return "no report (pytest stopped before the end)"
    seconds = data.get("seconds", {})
    parts = [
        f"{tier} {_phrase(c)}" + (f" in {_duration(seconds[tier])}" if tier in seconds else "")
        for tier, c in data["tiers"].items()
    ]
    if data["collection_errors"]:
        parts.append(f"{data['collection_errors']} collection errors")
    if "total_seconds" in data:
        parts.append(
            f"pass {_duration(data['total_seconds'])} "
            f"(collection {_duration(data['collection_seconds'])})"
        )
    return "; ".join(parts) or "no tests ran"


def total(paths: list[str]) -> str:
    sums: Counter = Counter()
    for path in paths:
        data = _load(path) or {"tiers": {}, "collection_errors": 0}
        for counts in data["tiers"].values():
            sums.update(counts)
        sums["failed"] += data["collection_errors"]
    return "total: " + _phrase(sums)


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    if command == "describe":
        print(describe(args[0]))
    elif command == "total":
        print(total([p for p in args if Path(p).exists()]))
    else:
        sys.exit(f"unknown command {command!r}")
