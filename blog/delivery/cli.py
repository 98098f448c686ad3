"""`flask notifications work [--once]`: the notification worker."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from blog.delivery import worker

notifications_group = AppGroup("notifications", help="Deliver notifications and emails.")


@notifications_group.command("work")
@click.option("--once", is_flag=True, help="Drain what is due now, then exit.")
def work_command(once: bool) -> None:
    """Expand outbox events into notifications and send emails (Ctrl-C stops)."""
    if once:
        stats = worker.run_once()
        click.echo(
            f"events {stats.events}, notifications {stats.notifications}, emails sent "
            f"{stats.sent}, retried {stats.retried}, failed {stats.failed}, "
            f"skipped {stats.skipped}; webhooks delivered {stats.webhooks_delivered}, "
            f"retried {stats.webhooks_retried}, failed {stats.webhooks_failed}"
        )
        return
    poll = current_app.config["NOTIFICATIONS_POLL_SECONDS"]
    click.echo(f"Notification worker running (polling every {poll}s); Ctrl-C stops it.")
    try:
        worker.run_forever(poll)
    except KeyboardInterrupt:
        click.echo("Notification worker stopped.")
