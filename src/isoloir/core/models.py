from django.db import models


class Compteur(models.Model):
    """An attempt counter of :mod:`isoloir.core.throttle` when the cache is the database.

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
