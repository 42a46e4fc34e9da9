"""Reads of the codes de vote and of their notices' generation that pages need."""

from isoloir.accounts.models import Electeur
from isoloir.core.progression import Barre, Progression
from isoloir.votecode.models import CodeDeVote, EtatGeneration, GenerationDeNotices


def code_de_vote_de(electeur: Electeur) -> CodeDeVote | None:
    """The metadata of the voter's current code (number, origin, date), never the code."""
    return (
        CodeDeVote.objects.filter(electeur=electeur)
        .only("generation", "origine", "emis_le", "electeur_id")
        .first()
    )


def _notices(n: int) -> str:
    """« 0 notice », « 1 notice », « 2 notices »: French puts 0 and 1 in the singular."""
    return f"{n} notice{'s' if n > 1 else ''}"


def _sur(cle: str, faits: int, total: int) -> Barre:
    return Barre(cle, faits, total, texte=f"{faits} sur {total}")


def progression_de_la_generation(generation: GenerationDeNotices | None) -> Progression:
    """The notices page's progress (core/progression.py): establishments and notices done,
    and an announcement at each change of state, the end saying what came of it."""
    if generation is None:
        return Progression(etat="aucune", libelle="Aucune génération", en_cours=False)
    annonces: dict[str, str] = {
        EtatGeneration.EN_COURS: "La génération des notices a commencé.",
        EtatGeneration.TERMINEE: f"Génération terminée : {_notices(generation.notices_faites)} "
        f"sur {generation.notices_total}. Les fichiers sont listés ci-dessous.",
        EtatGeneration.ECHOUEE: "La génération s'est interrompue sur une erreur. Vous pouvez "
        "la relancer : elle reprendra où elle s'était arrêtée.",
    }
    return Progression(
        etat=generation.etat,
        libelle=generation.get_etat_display(),
        en_cours=generation.active,
        barres=(
            _sur(
                "etablissements",
                generation.etablissements_faits,
                generation.etablissements_total,
            ),
            _sur("notices", generation.notices_faites, generation.notices_total),
        ),
        annonce=annonces.get(generation.etat, ""),
    )
