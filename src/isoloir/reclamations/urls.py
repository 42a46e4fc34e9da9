from django.urls import URLPattern

app_name = "reclamations"

urlpatterns: list[URLPattern] = []
