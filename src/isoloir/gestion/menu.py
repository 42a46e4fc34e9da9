"""The back-office's menu: each entry shown only to the roles that may open it."""

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from isoloir.gestion.roles import RoleDeGestion, a_le_role

ADMINISTRATION = (RoleDeGestion.ADMINISTRATION,)
TOUS = (RoleDeGestion.ADMINISTRATION, RoleDeGestion.ASSISTANCE)


@dataclass(frozen=True)
class Entree:
    titre: str
    nom_url: str
    roles: tuple[RoleDeGestion, ...]
    rubrique: str
    tache: str = ""  # what the back-office's home says this entry is for


ENTREES = [
    Entree("Campagnes", "gestion:accueil", TOUS, "campagnes"),
    Entree(
        "Réclamations",
        "gestion_reclamations:liste",
        ADMINISTRATION,
        "reclamations",
        "Instruire les réclamations contre les listes électorales.",
    ),
    Entree(
        "Assistance",
        "gestion_assistance:demandes",
        TOUS,
        "assistance",
        "Répondre aux demandes d'assistance des électeurs.",
    ),
    Entree(
        "Électeurs",
        "gestion_assistance:electeurs",
        TOUS,
        "electeurs",
        "Retrouver un électeur : son compte, son code de vote, ses envois, "
        "et lever un blocage du réassort après vérification de son identité.",
    ),
    Entree(
        "Présentation du portail",
        "gestion:presentation",
        ADMINISTRATION,
        "portail",
        "Changer la marque affichée en tête de chaque page.",
    ),
    Entree(
        "Back-office technique",
        "admin:index",
        ADMINISTRATION,
        "technique",
        "Comptes, rôles et seconds facteurs, journal.",
    ),
]


def menu(request: HttpRequest, rubrique: str) -> list[dict[str, object]]:
    entrees = []
    for entree in ENTREES:
        if not a_le_role(request, *entree.roles):
            continue
        if entree.nom_url.startswith("admin:") and not request.user.is_staff:
            continue  # Django's admin lets in only accounts marked as staff
        try:
            url = reverse(entree.nom_url)
        except NoReverseMatch:  # a feature this deployment does not serve
            continue
        entrees.append(
            {
                "titre": entree.titre,
                "url": url,
                "actif": entree.rubrique == rubrique,
                "tache": entree.tache,
            }
        )
    return entrees


@dataclass(frozen=True)
class Operation:
    titre: str
    nom_url: str  # takes the campaign's slug
    detail: str


# A campaign's operations, in the order a campaign runs them.
OPERATIONS_DE_CAMPAGNE = [
    Operation(
        "Scrutins",
        "gestion:scrutins",
        "Créer ou mettre à jour les scrutins depuis un fichier CSV ; leurs listes de candidats.",
    ),
    Operation(
        "Liste électorale",
        "gestion_listes:importer",
        "Importer ou mettre à jour la liste électorale depuis un fichier CSV.",
    ),
    Operation(
        "Notices et codes de vote",
        "gestion_notices:tableau",
        "Émettre les codes initiaux, imprimer les notices, suivre leur remise.",
    ),
    Operation(
        "Courriels",
        "gestion_courriels:tableau",
        "Envoyer les activations et les relances, suivre les envois et les rejets.",
    ),
    Operation(
        "Réclamations",
        "gestion_reclamations:liste",
        "Instruire les réclamations des électeurs sur les listes électorales.",
    ),
]


def operations(slug: str) -> list[dict[str, str]]:
    resultat = []
    for operation in OPERATIONS_DE_CAMPAGNE:
        try:
            url = reverse(operation.nom_url, kwargs={"slug": slug})
        except NoReverseMatch:
            try:  # a back-office-wide page, filtered on the campaign
                url = f"{reverse(operation.nom_url)}?campagne={slug}"
            except NoReverseMatch:
                continue
        resultat.append({"titre": operation.titre, "url": url, "detail": operation.detail})
    return resultat
