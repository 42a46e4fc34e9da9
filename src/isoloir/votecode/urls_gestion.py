from django.urls import path

from isoloir.votecode import vues_gestion

app_name = "gestion_notices"

urlpatterns = [
    path("", vues_gestion.tableau, name="tableau"),
    path("lancer/", vues_gestion.lancer, name="lancer"),
    path("progression/", vues_gestion.progression, name="progression"),
    path("lots/<int:pk>/telecharger/", vues_gestion.telecharger, name="telecharger"),
    path("lots/<int:pk>/detruire/", vues_gestion.detruire, name="detruire"),
    path("remises/", vues_gestion.tableau_des_remises, name="remises"),
    path("remises/importer/", vues_gestion.importer, name="importer"),
    path("remises/etablissement/", vues_gestion.etablissement, name="etablissement"),
    path("remises/electeurs/<int:pk>/", vues_gestion.modifier_remise, name="modifier_remise"),
]
