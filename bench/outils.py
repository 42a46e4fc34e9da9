"""What every bench script needs: a throwaway data folder, Django set up, a timer."""

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path


def preparer_django() -> None:
    """Settings for a measure: its own SQLite files, the cache in memory, then setup()."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    os.environ.setdefault("ISOLOIR_DATA_DIR", tempfile.mkdtemp(prefix="isoloir-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "isoloir.settings")
    os.environ.setdefault("CACHE_URL", "locmemcache://")
    os.environ.setdefault("ISOLOIR_CAPTCHA_TEST_MODE", "1")
    import django

    django.setup()


def mediane(action: Callable[[], object], repetitions: int) -> float:
    """Median seconds per call over ``repetitions`` calls, after two warm-up calls."""
    action()
    action()
    durees = []
    for _ in range(repetitions):
        debut = time.perf_counter()
        action()
        durees.append(time.perf_counter() - debut)
    return statistics.median(durees)
