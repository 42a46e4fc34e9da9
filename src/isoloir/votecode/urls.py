from django.urls import path

from isoloir.votecode import views

app_name = "votecode"

urlpatterns = [
    path("vote/code/", views.saisie_code, name="saisie_code"),
    path("vote/espace/fermer/", views.fermer_espace, name="fermer_espace"),
    path("reassort/", views.choix_reassort, name="choix_reassort"),
    path("reassort/question/", views.demande_reassort, name="reassort_question"),
    path("reassort/code-vote", views.reassort_code_vote, name="reassort_code_vote"),
    path("reassort/termine/", views.reassort_termine, name="reassort_termine"),
]
