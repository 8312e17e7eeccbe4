"""Recycled-narrative check at archive scale: index N narratives of ~3,000 characters through
portal.similarity.service.index_version (the call submit_application makes), on SQLite in a
temporary instance, and report time, growth and recall/precision on the planted pairs.

    .venv/bin/python bench/narrative_bench.py [--sizes 1000,2000,5000] [--share 0.1]

A tenth of the narratives (by default) are recycled copies of an earlier one, with unit, team
and person names and all figures changed and 2-6 sentences rewritten; the rest are written
independently from the same vocabulary of service phrases. A third of the packets belong to
the previous year's campaign, so pairs across campaigns are part of the test.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa  # noqa: E402

import portal.models  # noqa: E402,F401
from portal import create_app  # noqa: E402
from portal.applications.models import Application, ApplicationState, ApplicationVersion  # noqa: E402
from portal.campaigns import defaults  # noqa: E402
from portal.campaigns.models import Campaign, CampaignStatus  # noqa: E402
from portal.campaigns.service import beijing  # noqa: E402
from portal.db import Base, get_engine, get_session, utcnow  # noqa: E402
from portal.organizations.models import Organization, OrgKind  # noqa: E402
from portal.similarity import service  # noqa: E402
from portal.similarity.corpus import corpus  # noqa: E402
from portal.similarity.models import NarrativeMatch  # noqa: E402


def _campaign(session, year: int) -> Campaign:
    campaign = Campaign(
        year=year,
        theme=defaults.THEME,
        status=CampaignStatus.CLOSED,
        application_deadline=beijing(year, 11, 10),
        recommendation_deadline=beijing(year, 11, 15),
        review_deadline=beijing(year, 11, 25),
        reference_date=date(year, 11, 10),
    )
    campaign.categories = defaults.default_categories()
    session.add(campaign)
    return campaign


def _load(session, texts: list[str]) -> list[ApplicationVersion]:
    """Packets and frozen versions carrying the narratives (not timed)."""
    earlier, current = _campaign(session, 2025), _campaign(session, 2026)
    unit = Organization(
        name="基准测试单位", kind=OrgKind.ENTERPRISE, credit_code="91310000BENCH0001X"
    )
    session.add(unit)
    session.flush()
    versions = []
    now = utcnow()
    for index, text in enumerate(texts):
        campaign = earlier if index < len(texts) // 3 else current
        app = Application(
            campaign=campaign,
            category=campaign.categories[0],
            organization=unit,
            state=ApplicationState.SUBMITTED,
            submitted_at=now,
            team_name=f"班组{index}",
            narrative=text,
        )
        version = ApplicationVersion(
            application=app, number=1, submitted_at=now, snapshot={"narrative": text}
        )
        session.add_all([app, version])
        versions.append(version)
    session.flush()
    session.commit()
    return versions


def run(size: int, share: float) -> dict:
    texts, planted = corpus(size, recycled_share=share, seed=size)
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(
            {
                "TESTING": True,
                "SECRET_KEY": "bench",
                "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3",
                "INSTANCE_PATH": tmp,
            }
        )
        with app.app_context():
            Base.metadata.create_all(get_engine())
            session = get_session()
            versions = _load(session, texts)
            ids = {v.application_id: i for i, v in enumerate(versions)}
            started, cpu_started = time.perf_counter(), time.process_time()
            for version in versions:
                service.index_version(session, version)
            session.commit()
            elapsed = time.perf_counter() - started
            cpu = time.process_time() - cpu_started
            found = {
                tuple(sorted((ids[a], ids[b])))
                for a, b in session.execute(
                    sa.select(NarrativeMatch.application_id, NarrativeMatch.other_application_id)
                )
            }
            session.close()
            get_engine().dispose()
    hits = len(found & planted)
    return {
        "size": size,
        "seconds": elapsed,
        "cpu": cpu,
        "planted": len(planted),
        "flagged": len(found),
        "recall": hits / len(planted) if planted else 1.0,
        "precision": hits / len(found) if found else 1.0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,2000,5000")
    parser.add_argument("--share", type=float, default=0.1)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"{'narratives':>10} {'seconds':>8} {'cpu s':>8} {'ms each':>8} {'planted':>8} "
          f"{'flagged':>8} {'recall':>7} {'precision':>9}")  # fmt: skip
    results = []
    for size in sizes:
        r = run(size, args.share)
        results.append(r)
        print(
            f"{r['size']:>10} {r['seconds']:>8.2f} {r['cpu']:>8.2f} "
            f"{1000 * r['seconds'] / size:>8.2f} "
            f"{r['planted']:>8} {r['flagged']:>8} {r['recall']:>7.3f} {r['precision']:>9.3f}",
            flush=True,
        )
    first, last = results[0], results[-1]
    if last["size"] != first["size"]:
        n_ratio = last["size"] / first["size"]
        t_ratio = last["seconds"] / first["seconds"]
        c_ratio = last["cpu"] / first["cpu"]
        print(
            f"growth {first['size']} -> {last['size']}: time x{t_ratio:.2f} (cpu x{c_ratio:.2f}) "
            f"for x{n_ratio:.0f} "
            f"narratives (linear x{n_ratio:.0f}, quadratic x{n_ratio**2:.0f})"
        )


if __name__ == "__main__":
    main()
