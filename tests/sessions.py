"""A test client's session on whichever engine the settings chose: the database on
SQLite, the Redis cache in the PostgreSQL pass. Reading the ``Session`` table sees nothing
of a session kept in Redis."""

from django.test import Client


def contenu_de_session(client: Client) -> str:
    """Everything the client's session holds, as text to search for a secret."""
    return str(dict(client.session.items()))


def expirer_la_session(client: Client) -> None:
    """The session is gone, as after thirty minutes without a request; the browser keeps
    sending its cookie."""
    client.session.delete()
