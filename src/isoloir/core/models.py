from django.db import models


class Compteur(models.Model):
    """An attempt counter of :mod:`isoloir.core.limites` when the cache is the database.

    Django's database cache counts with a read then a write: 40 simultaneous wrong
    passwords on one account were checked 12 times where the limit was 5. Here one SQL
    statement counts (``INSERT … ON CONFLICT … RETURNING``), atomic on SQLite and
    PostgreSQL alike. The key is a hash: no address or IP in clear.
    """

    cle = models.CharField("clé", max_length=100, primary_key=True)
    valeur = models.PositiveIntegerField("tentatives")
    expire_le = models.DateTimeField("expire le", db_index=True)

    class Meta:
        verbose_name = "compteur de tentatives"
        verbose_name_plural = "compteurs de tentatives"

    def __str__(self) -> str:
        return f"{self.valeur} tentative(s)"


class PresentationDuPortail(models.Model):
    """How the portal presents itself, one row for the whole portal (``pk`` 1).

    The bloc-marque names the administration that runs the elections, and one portal
    serves one administration: it is the portal's, stored here, so that every process
    (``isoloir serve``, the workers, a process started tomorrow) shows the same one,
    whatever its environment. ``ISOLOIR_MARQUE`` is the default while nothing is stored.
    Read and written through :mod:`isoloir.core.presentation`, which caches it.
    """

    marque = models.TextField(
        "bloc-marque", help_text="Les lignes du bloc-marque de l'en-tête, une par ligne."
    )
    modifiee_le = models.DateTimeField("modifiée le", auto_now=True)

    class Meta:
        verbose_name = "présentation du portail"
        verbose_name_plural = "présentation du portail"
        constraints = [
            models.CheckConstraint(condition=models.Q(pk=1), name="presentation_du_portail_unique")
        ]

    def __str__(self) -> str:
        return " ".join(self.marque.splitlines())
