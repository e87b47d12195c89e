from django.urls import path

from . import views
from .views import narrativa, osservazioni, registro

app_name = "piani"
urlpatterns = [
    path("", views.PianoListView.as_view(), name="piano_list"),
    path("<int:pk>/", views.PianoDetailView.as_view(), name="piano_detail"),
    path("ambiti/<slug:slug>/nuovo/", narrativa.piano_create, name="piano_create"),
    path("<int:pk>/testi/", narrativa.narrativa, name="narrativa"),
    path("<int:pk>/sezioni/nuova/", narrativa.sezione_create, name="sezione_create"),
    path("sezioni/<int:pk>/elimina/", narrativa.sezione_delete, name="sezione_delete"),
    path("sezioni/<int:pk>/sposta/", narrativa.sezione_sposta, name="sezione_sposta"),
    path(
        "<int:pk>/strategie/nuovo/",
        narrativa.sottosezione_create,
        name="sottosezione_create",
    ),
    path(
        "strategie/<int:pk>/modifica/",
        narrativa.sottosezione_update,
        name="sottosezione_update",
    ),
    path(
        "strategie/<int:pk>/elimina/",
        narrativa.sottosezione_delete,
        name="sottosezione_delete",
    ),
    path(
        "strategie/<int:pk>/sposta/",
        narrativa.sottosezione_sposta,
        name="sottosezione_sposta",
    ),
    path("<int:pk>/modifica/", views.PianoUpdateView.as_view(), name="piano_update"),
    path(
        "<int:pk>/anagrafe/",
        registro.RegistroPianoView.as_view(),
        name="registro_piano",
    ),
    path("<int:pk>/storia/", views.PianoStoriaView.as_view(), name="piano_history"),
    path("<int:pk>/osservazioni/", osservazioni.osservazioni, name="osservazioni"),
    path(
        "osservazioni/<int:pk>/risposta/",
        osservazioni.osservazione_risposta,
        name="osservazione_risposta",
    ),
    path(
        "osservazioni/<int:pk>/riapri/",
        osservazioni.osservazione_riapertura,
        name="osservazione_riapertura",
    ),
    path(
        "osservazioni/<int:pk>/storia/",
        osservazioni.OsservazioneStoriaView.as_view(),
        name="osservazione_history",
    ),
    path(
        "<int:pk>/documento/",
        views.DocumentoAnteprimaView.as_view(),
        name="piano_documento",
    ),
    path("<int:pk>/documento.pdf", views.DocumentoPdfView.as_view(), name="piano_pdf"),
    path(
        "<int:pk>/comunicazioni/",
        views.ComunicazioneListView.as_view(),
        name="comunicazione_list",
    ),
    path(
        "<int:pk>/dati-enti/", views.DatiEnteListView.as_view(), name="dati_ente_list"
    ),
    path(
        "<int:pk>/decisioni/", views.DecisioneListView.as_view(), name="decisione_list"
    ),
    path(
        "<int:pk>/decisioni/nuova/",
        views.DecisioneCreateView.as_view(),
        name="decisione_create",
    ),
    path("<int:pk>/sezioni/", views.SezioneListView.as_view(), name="sezione_list"),
    path(
        "<int:pk>/anomalie/presa-d-atto/",
        views.AnomaliaRiscontraView.as_view(),
        name="anomalia_riscontra",
    ),
    path(
        "<int:pk>/anomalie/prese-d-atto/",
        views.AnomalieRiscontraView.as_view(),
        name="anomalie_riscontra",
    ),
    path(
        "<int:pk>/totali-dichiarati/",
        views.TotaleDichiaratoView.as_view(),
        name="totale_dichiarato_imposta",
    ),
    path(
        "comunicazioni/<int:pk>/",
        views.ComunicazioneDetailView.as_view(),
        name="comunicazione_detail",
    ),
    path(
        "comunicazioni/<int:pk>/modifica/",
        views.ComunicazioneUpdateView.as_view(),
        name="comunicazione_update",
    ),
    path(
        "comunicazioni/<int:pk>/storia/",
        views.ComunicazioneStoriaView.as_view(),
        name="comunicazione_history",
    ),
    path(
        "decisioni/<int:pk>/modifica/",
        views.DecisioneUpdateView.as_view(),
        name="decisione_update",
    ),
    path(
        "decisioni/<int:pk>/storia/",
        views.DecisioneStoriaView.as_view(),
        name="decisione_history",
    ),
    path("sezioni/<int:pk>/", views.SezioneDetailView.as_view(), name="sezione_detail"),
    path(
        "sezioni/<int:pk>/modifica/",
        views.SezioneUpdateView.as_view(),
        name="sezione_update",
    ),
    path(
        "sezioni/<int:pk>/storia/",
        views.SezioneStoriaView.as_view(),
        name="sezione_history",
    ),
]
