"""Hypothesis settings shared by the fuzz tier: bounded, reproducible, no example database."""

from __future__ import annotations

import os
from datetime import timedelta

from hypothesis import HealthCheck, settings

# PORTAL_FUZZ_SCALE scales every sub-tier at once (e.g. 5 for a deeper run before a release).
SCALE = float(os.environ.get("PORTAL_FUZZ_SCALE", "1"))


def fuzz_settings(max_examples: int) -> settings:
    """Fixed-seed settings: the same inputs on every run, so CI failures reproduce."""
    return settings(
        max_examples=max(1, int(max_examples * SCALE)),
        # Generous, for a loaded CI machine: it catches a request that hangs, not a slow one.
        deadline=timedelta(seconds=30),
        derandomize=True,
        database=None,
        print_blob=True,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.filter_too_much,
            HealthCheck.data_too_large,
        ],
    )
