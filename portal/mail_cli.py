"""`flask outbox deliver`: the mail worker that delivers the outbox after commit, with retries."""

from __future__ import annotations

import signal
import threading

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import with_appcontext

from portal.mail import deliver_due


@click.group("outbox")
def outbox_cli():
    """Outgoing mail kept in the outbox."""


@outbox_cli.command("deliver")
@click.option("--loop", is_flag=True, help="Keep polling for due mail until SIGTERM or Ctrl-C.")
@click.option(
    "--interval",
    type=click.FloatRange(min=0.1, max=3600),
    default=5.0,
    show_default=True,
    help="Seconds to sleep between polls with --loop.",
)
@with_appcontext
def deliver(loop: bool, interval: float):
    """Deliver every due message now (retries included), or keep doing so with --loop.

    Safe to run as several processes on PostgreSQL: each message is claimed with
    FOR UPDATE SKIP LOCKED. On SQLite the claims take turns, so one worker is enough.
    """
    if not current_app.config.get("MAIL_SMTP_HOST"):
        raise click.ClickException(
            "no SMTP server configured: set PORTAL_MAIL_SMTP_HOST (and _PORT); "
            "until then mail waits in the outbox"
        )
    if not loop:
        click.echo(_summary(_deliver_once()))
        return
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    click.echo(f"delivering the outbox every {interval:g} s; SIGTERM stops")
    while not stop.is_set():
        try:
            counts = _deliver_once(stop)
        except click.ClickException as exc:  # the database is away: try again next round
            click.echo(exc.format_message(), err=True)
        else:
            if counts.taken:
                click.echo(_summary(counts))
        stop.wait(interval)
    click.echo("stopped")


def _deliver_once(stop: threading.Event | None = None):
    try:
        return deliver_due(stop=stop)
    except sa.exc.DBAPIError as exc:
        raise click.ClickException(
            f"database error, nothing more delivered ({type(exc.orig).__name__}: "
            f"{str(exc.orig).strip().splitlines()[0] if str(exc.orig).strip() else ''}); "
            "is the database reachable and upgraded (flask db upgrade)?"
        ) from None


def _summary(counts) -> str:
    return f"{counts.sent} sent, {counts.retrying} to retry, {counts.failed} failed"
