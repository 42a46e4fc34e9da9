from django.urls import path

from isoloir.votecode import views_gestion

app_name = "gestion_notices"

urlpatterns = [
    path("", views_gestion.tableau, name="tableau"),
    path("lancer/", views_gestion.lancer, name="lancer"),
    path("progression/", views_gestion.progression, name="progression"),
    path("lots/<int:pk>/telecharger/", views_gestion.telecharger, name="telecharger"),
    path("lots/<int:pk>/detruire/", views_gestion.detruire, name="detruire"),
    path("remises/", views_gestion.tableau_des_remises, name="remises"),
    path("remises/importer/", views_gestion.importer, name="importer"),
    path("remises/etablissement/", views_gestion.etablissement, name="etablissement"),
    path("remises/electeurs/<int:pk>/", views_gestion.modifier_remise, name="modifier_remise"),
]
