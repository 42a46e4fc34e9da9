"""The production task backend: mails queued in Redis and delivered by an RQ worker.

Runs real processes (migrate, enqueue, ``rqworker --burst``) against a SQLite file, a
Redis database of its own and the loopback SMTP server.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
import redis

from tests.attente import PLAFOND
from tests.smtp import ServeurSMTP, texte

pytestmark = pytest.mark.redis
REDIS = "redis://127.0.0.1:6379/5"


def _isoloir(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "isoloir.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=PLAFOND,
        check=True,
    )


def test_un_courriel_passe_par_redis_et_un_worker_rq(
    tmp_path: Path, serveur_smtp: ServeurSMTP
) -> None:
    try:
        redis.Redis.from_url(REDIS).flushdb()
    except redis.ConnectionError:
        pytest.fail("Redis doit répondre sur 127.0.0.1:6379 (lancez redis-server)")
    serveur_smtp.vider()
    env = {
        "PATH": os.environ["PATH"],
        "ISOLOIR_DATA_DIR": str(tmp_path),
        "ISOLOIR_TASKS_BACKEND": "redis",
        "ISOLOIR_TASKS_REDIS_URL": REDIS,
        "ISOLOIR_SMTP_URL": f"smtp://127.0.0.1:{serveur_smtp.port}",
        "CACHE_URL": "locmemcache://",
    }
    _isoloir(env, "migrate", "-v0")
    script = (
        "from django.db import transaction\n"
        "from isoloir.accounts.models import Compte\n"
        "from isoloir.notify import services\n"
        "compte = Compte.objects.create_user('rq@ac-lyon.fr', 'Phrase de passe RQ 2026')\n"
        "with transaction.atomic():\n"
        "    services.programmer(type_courriel='mot_de_passe', compte_id=compte.pk,"
        " destinataire=compte.email)\n"
    )
    _isoloir(env, "shell", "-c", script)
    assert redis.Redis.from_url(REDIS).llen("rq:queue:default") == 1

    _isoloir(env, "rqworker", "--burst", "--job-class", "django_tasks_rq.Job", "default")
    (message,) = serveur_smtp.attendre(1)
    assert message["To"] == "rq@ac-lyon.fr"
    assert "/portail/mot-de-passe/reinitialisation?token=" in texte(message)
    etat = _isoloir(
        env,
        "shell",
        "-c",
        "from isoloir.notify.models import Courriel; print(Courriel.objects.get().etat)",
    )
    assert etat.stdout.strip().splitlines()[-1] == "envoye"
