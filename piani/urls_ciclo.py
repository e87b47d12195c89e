"""The plan's life (staff, under piani/<pk>/…) and the public pages (pubblico/…).
Included at the site root."""

from django.urls import path

from .views import ciclo as v

app_name = "ciclo"
urlpatterns = [
    path("piani/<int:pk>/ciclo/", v.piano_ciclo, name="piano_ciclo"),
    path(
        "piani/<int:pk>/ciclo/apri-raccolta/",
        v.piano_apri_raccolta,
        name="piano_apri_raccolta",
    ),
    path(
        "piani/<int:pk>/ciclo/chiudi-raccolta/",
        v.piano_chiudi_raccolta,
        name="piano_chiudi_raccolta",
    ),
    path("piani/<int:pk>/ciclo/approva/", v.piano_approva, name="piano_approva"),
    path("piani/<int:pk>/ciclo/pubblica/", v.piano_pubblica, name="piano_pubblica"),
    path("piani/<int:pk>/ciclo/riapri/", v.piano_riapri, name="piano_riapri"),
    path(
        "piani/<int:pk>/ciclo/successivo/",
        v.piano_crea_successivo,
        name="piano_crea_successivo",
    ),
    path(
        "piani/<int:pk>/versioni/<int:revisione>.pdf",
        v.versione_pdf,
        name="versione_pdf",
    ),
    path(
        "piani/<int:pk>/versioni/<int:revisione>.json",
        v.versione_istantanea,
        name="versione_istantanea",
    ),
    path("piani/<int:pk>/confronto/", v.piano_confronto, name="piano_confronto"),
    path("pubblico/<slug:slug>/", v.pubblico_ambito, name="pubblico_ambito"),
    path(
        "pubblico/<slug:slug>/<int:anno>/rev<int:revisione>.pdf",
        v.pubblico_pdf,
        name="pubblico_pdf",
    ),
]
