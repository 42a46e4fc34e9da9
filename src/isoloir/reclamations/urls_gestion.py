from django.urls import path

from isoloir.reclamations import vues_gestion

app_name = "gestion_reclamations"

urlpatterns = [
    path("", vues_gestion.liste, name="liste"),
    path("<int:pk>/", vues_gestion.detail, name="detail"),
    path("<int:pk>/prise-en-charge/", vues_gestion.prendre_en_charge, name="prendre_en_charge"),
    path("<int:pk>/acceptation/", vues_gestion.accepter, name="accepter"),
    path("<int:pk>/rejet/", vues_gestion.rejeter, name="rejeter"),
    path("<int:pk>/pieces/<int:piece_id>/", vues_gestion.piece_jointe, name="piece_jointe"),
]
