"""The retry schedule shared by the email and webhook senders."""

from __future__ import annotations

from datetime import timedelta


def backoff(attempts: int, base_seconds: float, max_seconds: float) -> timedelta:
    """Exponential backoff after `attempts` tries: base, 2 x base, 4 x base ... capped."""
    seconds = base_seconds * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, max_seconds))
