"""Test environment, loaded as a plugin (``-p tests.environnement`` in pyproject) so that
it is in place before pytest-django reads the settings.

Each run gets its own data folder; the cache is process memory unless the run names a
shared one (the PostgreSQL pass uses Redis), since the default database cache would need
the database in tests that have none.
"""

import os
import tempfile

os.environ.setdefault("ISOLOIR_DATA_DIR", tempfile.mkdtemp(prefix="isoloir-tests-"))
os.environ.setdefault("ISOLOIR_TESTING", "1")
os.environ.setdefault("CACHE_URL", "locmemcache://")
# The CAPTCHA accepts the fixed answer PASSED (django-simple-captcha reads this at import);
# tests of the CAPTCHA itself switch it off.
os.environ.setdefault("ISOLOIR_CAPTCHA_TEST_MODE", "1")
