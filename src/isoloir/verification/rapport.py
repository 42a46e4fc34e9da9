"""What the verification of an archive found: one finding per check, in French."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Constat:
    """One check: which part of the election (``controle``), whether it holds, and what
    exactly was found (file, scrutin, element, holder or ballot tracker)."""

    controle: str
    ok: bool
    message: str


@dataclass
class Rapport:
    chemin: str
    constats: list[Constat] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Everything holds; an empty report (nothing checked) is not a success."""
        return bool(self.constats) and all(c.ok for c in self.constats)

    @property
    def echecs(self) -> list[Constat]:
        return [c for c in self.constats if not c.ok]

    def messages(self, *, echecs_seulement: bool = False) -> list[str]:
        return [c.message for c in self.constats if not (echecs_seulement and c.ok)]

    def resume(self) -> str:
        reussis = sum(c.ok for c in self.constats)
        if self.ok:
            return (
                f"Archive vérifiée : les {reussis} contrôles sont satisfaits. "
                "Le résultat publié est celui que donnent les données publiques."
            )
        return (
            f"Archive NON conforme : {len(self.echecs)} contrôle(s) en échec, {reussis} "
            "satisfait(s)."
        )
