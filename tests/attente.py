"""Waiting in tests: for the event itself, never for a guessed time.

A test that waits for a peer to start, a server to answer, a mail to arrive or a process
to end polls for that very event, and gives up only past a ceiling generous enough for a
machine busy with two suites at once (issue 19): a correct test may be slow, never red.
A wait that reaches its ceiling is a failure that says what it was waiting for.
"""

import time
from collections.abc import Callable

# Seconds. An event that takes this long is a defect, not a slow machine.
PLAFOND = 300.0
# Playwright counts in milliseconds: its actions and assertions wait for the page itself.
PLAFOND_NAVIGATEUR_MS = 120_000


def attendre[T](
    condition: Callable[[], T | None],
    *,
    quoi: str,
    plafond: float = PLAFOND,
    abandon: Callable[[], str | None] = lambda: None,
    pas: float = 0.05,
) -> T:
    """Poll ``condition`` until it returns something true, and return that. ``abandon``
    says why waiting longer is pointless (the process died: its log), and the wait fails
    at once with it."""
    fin = time.monotonic() + plafond
    while True:
        resultat = condition()
        if resultat:
            return resultat
        raison = abandon()
        if raison is not None:
            raise AssertionError(f"{quoi} : abandon — {raison}")
        if time.monotonic() >= fin:
            raise AssertionError(f"{quoi} : toujours pas au bout de {plafond:.0f} s")
        time.sleep(pas)
