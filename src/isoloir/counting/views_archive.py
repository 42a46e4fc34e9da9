"""The public downloads of an election's archives: the whole campaign's once every result
is computed, each bureau de vote's once its own scrutins' results are."""

from django.http import FileResponse, Http404, HttpRequest
from django.shortcuts import get_object_or_404

from isoloir.counting.archive import (
    ArchiveImpossible,
    ArchivePubliee,
    archive_publiee,
    archive_publiee_du_bureau,
)
from isoloir.counting.models import BureauDeVote
from isoloir.elections.models import Campagne


def _zip(archive: ArchivePubliee, nom: str) -> FileResponse:
    return FileResponse(
        archive.chemin.open("rb"),
        as_attachment=True,
        filename=nom,
        content_type="application/zip",
    )


def archive(request: HttpRequest, campagne: str) -> FileResponse:
    """Everything public about the election in one ZIP, for ``isoloir verify``
    (docs/verification.md)."""
    objet = get_object_or_404(Campagne, slug=campagne)
    try:
        publiee = archive_publiee(objet)
    except ArchiveImpossible as erreur:
        raise Http404(erreur.message) from None
    return _zip(publiee, f"archive-{objet.slug}.zip")


def archive_du_bureau(request: HttpRequest, campagne: str, bureau_id: int) -> FileResponse:
    """One bureau's archive: the scrutins it counted, its ceremony and its seal."""
    bureau = get_object_or_404(
        BureauDeVote.objects.select_related("campagne"), pk=bureau_id, campagne__slug=campagne
    )
    try:
        publiee = archive_publiee_du_bureau(bureau)
    except ArchiveImpossible as erreur:
        raise Http404(erreur.message) from None
    return _zip(publiee, f"archive-{campagne}-bureau-{bureau.pk}.zip")
