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

    def lignes(self, *, echecs_seulement: bool = False) -> list[str]:
        """The report as ``isoloir verify`` and ``python -m isoloir.verification`` print
        it, before the summary: each check's name after an empty line, then its findings
        marked ✓ or ✗ (the failures only with ``echecs_seulement``), then an empty line."""
        lignes = []
        controle = None
        for constat in self.constats:
            if echecs_seulement and constat.ok:
                continue
            if constat.controle != controle:
                controle = constat.controle
                lignes += ["", controle]
            marque = "✓" if constat.ok else "✗"
            lignes.append(f"  {marque} {constat.message}")
        lignes.append("")
        return lignes

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
