from django.urls import path

from isoloir.reclamations import views_gestion

app_name = "gestion_reclamations"

urlpatterns = [
    path("", views_gestion.liste, name="liste"),
    path("<int:pk>/", views_gestion.detail, name="detail"),
    path("<int:pk>/prise-en-charge/", views_gestion.prendre_en_charge, name="prendre_en_charge"),
    path("<int:pk>/acceptation/", views_gestion.accepter, name="accepter"),
    path("<int:pk>/rejet/", views_gestion.rejeter, name="rejeter"),
    path("<int:pk>/pieces/<int:piece_id>/", views_gestion.piece_jointe, name="piece_jointe"),
]
