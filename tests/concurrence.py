"""Running a function in several threads at once, as simultaneous requests would."""

import threading
from collections.abc import Callable, Sequence
from typing import Any

from django.db import connection


def en_meme_temps(fonction: Callable[[Any], object], arguments: Sequence[Any]) -> list[object]:
    """Call ``fonction(argument)`` for each argument, all released at the same instant, each
    thread on its own database connection. Returns, in order, what each call returned or
    the exception it raised."""
    depart = threading.Barrier(len(arguments))
    resultats: list[object] = [None] * len(arguments)

    def executer(rang: int) -> None:
        try:
            depart.wait()
            resultats[rang] = fonction(arguments[rang])
        except Exception as erreur:
            resultats[rang] = erreur
        finally:
            connection.close()

    fils = [threading.Thread(target=executer, args=(rang,)) for rang in range(len(arguments))]
    for f in fils:
        f.start()
    for f in fils:
        f.join()
    return resultats
