"""What the services need to know about the HTTP request, read in one place."""

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The client's address: the configured proxy header when set, else REMOTE_ADDR.

    The header is trusted only when configured: otherwise anyone could pick the address
    that throttling counts against.
    """
    header = settings.ISOLOIR_CLIENT_IP_HEADER
    if header:
        forwarded = request.META.get(header, "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "") or "inconnue"
