from django.urls import path

from isoloir.reclamations import views

app_name = "reclamations"

urlpatterns = [
    path("reclamations/", views.mes_reclamations, name="mes_reclamations"),
    path("reclamations/nouvelle/", views.deposer, name="deposer"),
    path("reclamations/sans-compte/", views.deposer_sans_compte, name="deposer_sans_compte"),
    path("reclamations/<int:pk>/", views.confirmation, name="confirmation"),
    path(
        "reclamations/<int:pk>/pieces/<int:piece_id>/",
        views.piece_jointe,
        name="piece_jointe",
    ),
]
