from django.urls import path

from . import views

app_name = "misure"
urlpatterns = [
    path("", views.BandoListView.as_view(), name="bando_list"),
    path("bandi/nuovo/", views.BandoCreateView.as_view(), name="bando_create"),
    path("bandi/<int:pk>/", views.BandoDetailView.as_view(), name="bando_detail"),
    path(
        "bandi/<int:pk>/modifica/",
        views.BandoUpdateView.as_view(),
        name="bando_update",
    ),
    path(
        "bandi/<int:pk>/graduatoria/calcola/",
        views.graduatoria_calcola,
        name="graduatoria_calcola",
    ),
    path(
        "bandi/<int:pk>/scorrimento/",
        views.scorrimento_esegui,
        name="scorrimento_esegui",
    ),
    path(
        "bandi/<int:pk>/graduatoria/pubblicazione/",
        views.graduatoria_pubblicazione,
        name="graduatoria_pubblicazione",
    ),
    path(
        "bandi/<int:pk>/graduatoria.pdf", views.graduatoria_pdf, name="graduatoria_pdf"
    ),
    path(
        "bandi/<int:pk>/graduatoria.xlsx",
        views.graduatoria_xlsx,
        name="graduatoria_xlsx",
    ),
    path(
        "bandi/<int:pk>/elaborazioni/<int:elaborazione_pk>/",
        views.ElaborazioneDetailView.as_view(),
        name="elaborazione_detail",
    ),
    path(
        "bandi/<int:pk>/elaborazioni/<int:elaborazione_pk>/stato/",
        views.elaborazione_stato,
        name="elaborazione_stato",
    ),
    path(
        "bandi/<int:pk>/elaborazioni/<int:elaborazione_pk>/graduatoria.pdf",
        views.elaborazione_pdf,
        name="elaborazione_pdf",
    ),
    path(
        "bandi/<int:pk>/domande/", views.DomandaListView.as_view(), name="domanda_list"
    ),
    path(
        "bandi/<int:pk>/domande/nuova/",
        views.DomandaCreateView.as_view(),
        name="domanda_create",
    ),
    path(
        "bandi/<int:pk>/domande/importa/",
        views.DomandaImportView.as_view(),
        name="domanda_import",
    ),
    path(
        "bandi/<int:pk>/domande/modello.xlsx",
        views.domanda_modello,
        name="domanda_modello",
    ),
    path("domande/<int:pk>/", views.DomandaDetailView.as_view(), name="domanda_detail"),
    path(
        "domande/<int:pk>/modifica/",
        views.DomandaUpdateView.as_view(),
        name="domanda_update",
    ),
    path("registro-dgr/", views.AssegnazioneListView.as_view(), name="dgr_list"),
    path(
        "registro-dgr/<int:pk>/modifica/",
        views.AssegnazioneUpdateView.as_view(),
        name="assegnazionedgr_update",
    ),
    # public pages, no login: published graduatorie only
    path(
        "pubblico/<slug:slug>/",
        views.graduatorie_pubbliche,
        name="graduatorie_pubbliche",
    ),
    path(
        "pubblico/<slug:slug>/<int:pk>/",
        views.graduatoria_pubblica,
        name="graduatoria_pubblica",
    ),
    path(
        "pubblico/<slug:slug>/<int:pk>/graduatoria.pdf",
        views.graduatoria_pubblica_pdf,
        name="graduatoria_pubblica_pdf",
    ),
    path(
        "pubblico/<slug:slug>/<int:pk>/graduatoria.xlsx",
        views.graduatoria_pubblica_xlsx,
        name="graduatoria_pubblica_xlsx",
    ),
]
