from django.urls import path

from patrimonio import views

app_name = "patrimonio"
urlpatterns = [
    path("ambiti/nuovo/", views.AmbitoNuovoView.as_view(), name="ambito_create"),
    path("alloggi/", views.AlloggioListView.as_view(), name="alloggio_list"),
    path(
        "importazioni/", views.ImportazioneListView.as_view(), name="importazione_list"
    ),
    path(
        "importazioni/nuova/",
        views.ImportazioneCreateView.as_view(),
        name="importazione_create",
    ),
    path(
        "importazioni/<int:pk>/",
        views.ImportazioneDetailView.as_view(),
        name="importazione_detail",
    ),
    path(
        "importazioni/<int:pk>/mappa/",
        views.ImportazioneMappaView.as_view(),
        name="importazione_mappa",
    ),
    path(
        "importazioni/<int:pk>/conferma/",
        views.ImportazioneConfermaView.as_view(),
        name="importazione_conferma",
    ),
    path(
        "importazioni/<int:pk>/stato/",
        views.ImportazioneStatoView.as_view(),
        name="importazione_stato",
    ),
    path(
        "importazioni/modello-anagrafe.xlsx",
        views.ModelloAlloggiView.as_view(),
        name="modello_alloggi",
    ),
]
