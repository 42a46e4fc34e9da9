"""Keeps the urne in its own database and everything else out of it (A05).

The ``ballotbox`` app's models live only in the ``urne`` alias; no relation may cross
the two databases, so nothing in the urne can point back to a voter.
"""

from typing import Any

from django.db.models import Model

URNE = "urne"
URNE_APPS = {"ballotbox"}


def _alias(model: type[Model]) -> str:
    return URNE if model._meta.app_label in URNE_APPS else "default"


class UrneRouter:
    def db_for_read(self, model: type[Model], **hints: Any) -> str:
        return _alias(model)

    def db_for_write(self, model: type[Model], **hints: Any) -> str:
        return _alias(model)

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool:
        return _alias(obj1.__class__) == _alias(obj2.__class__)

    def allow_migrate(
        self, db: str, app_label: str, model_name: str | None = None, **hints: Any
    ) -> bool:
        return (db == URNE) == (app_label in URNE_APPS)
