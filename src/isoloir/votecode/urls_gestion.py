from django.urls import URLPattern

app_name = "gestion_notices"

urlpatterns: list[URLPattern] = []
