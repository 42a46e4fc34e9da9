"""Every action taken in the back-office goes to the chained journal (D11).

The services journal what they do in the domain's words (a claim accepted, a lock lifted);
this middleware adds one line per form sent to the back-office, whatever the screen, so
that an action nobody thought of journaling still leaves a trace: who, from where, which
address, and the outcome. Never the form's content: it may carry personal data.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from isoloir.audit.services import journaliser
from isoloir.core.requetes import adresse_du_client

PREFIXES = ("/back-office/", "/gestion/")
METHODES_QUI_ECRIVENT = {"POST", "PUT", "PATCH", "DELETE"}


class JournalDeGestion:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        reponse = self.get_response(request)
        if (
            request.method in METHODES_QUI_ECRIVENT
            and request.path.startswith(PREFIXES)
            and request.user.is_authenticated
        ):
            journaliser(
                "gestion.action",
                compte_id=request.user.pk,
                ip=adresse_du_client(request),
                chemin=request.path,
                methode=request.method,
                statut=reponse.status_code,
            )
        return reponse
