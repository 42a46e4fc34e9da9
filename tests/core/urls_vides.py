"""A URL configuration with nothing in it: the 500 page must render even then (the error
may come from the URLs themselves)."""

urlpatterns: list[object] = []
