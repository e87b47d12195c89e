"""The plan's registry comparison: consistenza and SAP state computed from the unit
registry (patrimonio) beside what the enti communicated."""

from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView

from ambiti.permessi import AmbitoScopedMixin
from patrimonio.services import CAMPI_REGISTRO, registro_calcola

from ..importazioni import registro_confronta
from ..models import Comunicazione, PianoAnnuale


class RegistroPianoView(AmbitoScopedMixin, DetailView):
    """Consistenza e stato SAP calcolati dall'anagrafe per gli enti e i comuni
    dell'ambito di un piano, con le differenze rispetto alle comunicazioni."""

    template_name = "piani/registro_piano.html"
    context_object_name = "piano"

    def get_queryset(self):
        # Il filtro sugli ambiti dell'utente lo aggiunge AmbitoScopedMixin.
        self.queryset = PianoAnnuale.objects.select_related("ambito")
        return super().get_queryset()

    def get_context_data(self, **kwargs):
        contesto = super().get_context_data(**kwargs)
        etichette = {
            f.name: f.verbose_name
            for f in Comunicazione._meta.get_fields()
            if f.name in CAMPI_REGISTRO
        }
        contesto.update(
            titolo=_("Anagrafe del patrimonio e dati comunicati"),
            colonne=[etichette[c] for c in CAMPI_REGISTRO],
            tabella=registro_calcola(piano=self.object),
            differenze=registro_confronta(piano=self.object),
        )
        return contesto
