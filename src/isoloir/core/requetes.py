"""What the services need to know about the HTTP request, read in one place."""

from django.conf import settings
from django.http import HttpRequest


def adresse_du_client(request: HttpRequest) -> str:
    """The client's address as seen by the outermost trusted proxy, else REMOTE_ADDR.

    Each proxy appends the address it received the request from, so only the last
    ``ISOLOIR_TRUSTED_PROXIES`` entries of the header were written by our own proxies;
    anything to their left was written by the client, who could pick the address that
    throttling counts against.
    """
    header, proxies = settings.ISOLOIR_CLIENT_IP_HEADER, settings.ISOLOIR_TRUSTED_PROXIES
    remote = request.META.get("REMOTE_ADDR", "") or "inconnue"
    if not header or proxies < 1:
        return remote
    chaine = [a.strip() for a in request.META.get(header, "").split(",") if a.strip()]
    if len(chaine) < proxies:
        return remote
    return chaine[-proxies]
