"""The one clock of the product.

Every rule that depends on time (voting windows, link expiry, the 120 seconds of a new
code de vote) reads :func:`now`, so that tests can move time forward instead of sleeping.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

from django.utils import timezone

_offset = timedelta(0)
_frozen: datetime | None = None


def now() -> datetime:
    if _frozen is not None:
        return _frozen
    return timezone.now() + _offset


@contextmanager
def frozen_at(moment: datetime) -> Iterator[None]:
    """Stop the clock at ``moment`` (an aware datetime) for the duration of the block."""
    global _frozen
    previous, _frozen = _frozen, moment
    try:
        yield
    finally:
        _frozen = previous


@contextmanager
def shifted_by(delta: timedelta) -> Iterator[None]:
    """Let the clock run, ``delta`` ahead of the real time."""
    global _offset
    previous, _offset = _offset, _offset + delta
    try:
        yield
    finally:
        _offset = previous
