from django.urls import path

from isoloir.counting import views

app_name = "counting"

urlpatterns = [
    path("resultats/<slug:campagne>/<slug:scrutin>/", views.resultats, name="resultats"),
    path(
        "resultats/<slug:campagne>/<slug:scrutin>/proces-verbal.pdf",
        views.proces_verbal,
        name="proces_verbal",
    ),
]
