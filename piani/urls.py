from django.urls import path

from . import views

app_name = "piani"
urlpatterns = [
    path("", views.PianoListView.as_view(), name="piano_list"),
]
