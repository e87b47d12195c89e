from django.urls import path

from . import views

app_name = "ambiti"
urlpatterns = [
    path("", views.AmbitoListView.as_view(), name="ambito_list"),
    path("<slug:slug>/", views.AmbitoDetailView.as_view(), name="ambito_detail"),
    path(
        "<slug:slug>/modifica/", views.AmbitoUpdateView.as_view(), name="ambito_update"
    ),
    path(
        "<slug:slug>/storia/", views.AmbitoStoriaView.as_view(), name="ambito_history"
    ),
    path(
        "<slug:slug>/sub-ambiti/nuovo/",
        views.SubAmbitoCreateView.as_view(),
        name="subambito_create",
    ),
    path(
        "<slug:slug>/sub-ambiti/<int:pk>/modifica/",
        views.SubAmbitoUpdateView.as_view(),
        name="subambito_update",
    ),
    path("<slug:slug>/comuni/", views.ComuneListView.as_view(), name="comune_list"),
    path(
        "<slug:slug>/incarichi/",
        views.IncaricoListView.as_view(),
        name="incarico_list",
    ),
    path(
        "<slug:slug>/incarichi/<int:pk>/revoca/",
        views.IncaricoRevocaView.as_view(),
        name="incarico_delete",
    ),
    path(
        "<slug:slug>/comuni/nuovo/",
        views.AppartenenzaCreateView.as_view(),
        name="appartenenza_create",
    ),
    path(
        "<slug:slug>/serie/nuovo/", views.SerieCreateView.as_view(), name="serie_create"
    ),
    path(
        "<slug:slug>/serie/<int:pk>/modifica/",
        views.SerieUpdateView.as_view(),
        name="serie_update",
    ),
    path(
        "<slug:slug>/serie/<int:pk>/storia/",
        views.SerieStoriaView.as_view(),
        name="serie_history",
    ),
    path(
        "<slug:slug>/comuni/<int:pk>/modifica/",
        views.AppartenenzaUpdateView.as_view(),
        name="appartenenza_update",
    ),
    path(
        "<slug:slug>/comuni/<int:pk>/storia/",
        views.AppartenenzaStoriaView.as_view(),
        name="appartenenza_history",
    ),
    path(
        "<slug:slug>/popolazione/",
        views.PopolazioneListView.as_view(),
        name="popolazione_list",
    ),
    path(
        "<slug:slug>/popolazione/nuovo/",
        views.PopolazioneCreateView.as_view(),
        name="popolazione_create",
    ),
    path(
        "<slug:slug>/popolazione/<int:pk>/modifica/",
        views.PopolazioneUpdateView.as_view(),
        name="popolazione_update",
    ),
    path(
        "<slug:slug>/popolazione/<int:pk>/storia/",
        views.PopolazioneStoriaView.as_view(),
        name="popolazione_history",
    ),
]
