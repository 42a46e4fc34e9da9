"""The ``isoloir`` command: Django's management commands, under one name.

``isoloir demo`` loads the demo campaign and serves it; ``isoloir serve`` runs the web
server and the task worker; every other word is a management command (``migrate``,
``import_electeurs``, ``createsuperuser``…).
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "isoloir.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["isoloir", *sys.argv[1:]])


if __name__ == "__main__":
    main()
