"""View pieces shared by every app: the page title and the history page."""

from django.http import JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _g

from pianocasa.parole import tipo_storia

PER_PAGINA = 25


class PaginaMixin:
    """The page title for base.html (the menu comes from pianocasa.menu.menu)."""

    titolo = ""

    def get_titolo(self) -> str:
        return str(self.titolo)

    def get_context_data(self, **kwargs):
        contesto = super().get_context_data(**kwargs)
        contesto.setdefault("titolo", self.get_titolo())
        return contesto


class StoriaMixin:
    """Who changed what and when (django-simple-history), newest first. For a
    DetailView whose queryset is already scoped (``ambiti.viste.StoriaView``)."""

    template_name = "generic/object_history.html"
    torna_a = ""  # URL name of the record's page

    def get_titolo(self) -> str:
        return _g("Storia delle modifiche: %(oggetto)s") % {"oggetto": self.object}

    def get_context_data(self, **kwargs):
        contesto = super().get_context_data(**kwargs)
        contesto["voci"] = voci_storia(self.object)
        contesto["url_oggetto"] = (
            reverse(self.torna_a, args=[self.object.pk]) if self.torna_a else ""
        )
        return contesto


def voci_storia(oggetto) -> list[dict]:
    """The history rows with their differences from the previous one; two queries."""
    record = list(
        oggetto.history.select_related("history_user").order_by(
            "history_date", "history_id"
        )
    )
    nomi = {f.attname: f for f in type(oggetto)._meta.concrete_fields}
    voci = []
    precedente = None
    for riga in record:
        modifiche = []
        if precedente is not None:
            for nome, campo in nomi.items():
                if nome == "versione":
                    continue
                prima, dopo = getattr(precedente, nome, None), getattr(riga, nome, None)
                if prima != dopo:
                    modifiche.append(
                        {"campo": campo.verbose_name, "prima": prima, "dopo": dopo}
                    )
        voci.append(
            {
                "data": riga.history_date,
                "utente": riga.history_user,
                "tipo": tipo_storia(riga.history_type),
                "modifiche": modifiche,
            }
        )
        precedente = riga
    voci.reverse()
    return voci


def avanzamento_json(lavoro, **altro) -> JsonResponse:
    """The state of background work for the progress bar
    (templates/includes/avanzamento_js.html): stato, its label, progresso, fase,
    conclusa. It lives in the database, so it survives a reload."""
    return JsonResponse(
        {
            "stato": lavoro.stato,
            "stato_testo": str(lavoro.get_stato_display()),
            "progresso": lavoro.progresso,
            "fase": lavoro.fase,
            "conclusa": lavoro.conclusa,
            **altro,
        }
    )
