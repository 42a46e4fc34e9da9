"""The public download of an election's archive, once its results are computed."""

from django.http import FileResponse, Http404, HttpRequest
from django.shortcuts import get_object_or_404

from isoloir.counting.archive import ArchiveImpossible, archive_publiee
from isoloir.elections.models import Campagne


def archive(request: HttpRequest, campagne: str) -> FileResponse:
    """Everything public about the election in one ZIP, for ``isoloir verify``
    (docs/verification.md)."""
    objet = get_object_or_404(Campagne, slug=campagne)
    try:
        chemin = archive_publiee(objet)
    except ArchiveImpossible as erreur:
        raise Http404(erreur.message) from None
    return FileResponse(
        chemin.open("rb"),
        as_attachment=True,
        filename=f"archive-{objet.slug}.zip",
        content_type="application/zip",
    )
