"""What every model of the plan shares: percentage validators, the frozen states
and ``DatoDelPiano``, the base of every row that belongs to a plan."""

from contextlib import nullcontext
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import connection, models, transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pianocasa.versioni import versione_avanza

PERCENTUALE = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]


def _percentuale_valida(campo: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{campo}__isnull": True})
        | Q(**{f"{campo}__gte": 0, f"{campo}__lte": 100}),
        name=f"%(class)s_{campo}_0_100",
        violation_error_message=_("Una percentuale è compresa tra 0 e 100."),
    )


STATI_CONGELATI = ("approvato", "pubblicato")
# What a lifecycle service may still write on a frozen plan.
CAMPI_DEL_CICLO = frozenset({"stato", "revisione", "versione"})


class PianoCongelato(PermissionDenied):
    """Raised on any change to the data of an approved or published plan: the
    approved document must come back byte for byte; corrections need a revision."""

    def __init__(self, piano_id: int | None = None):
        super().__init__(
            _(
                "Il piano è approvato o pubblicato: i suoi dati non si possono "
                "modificare. Per correggerli va riaperto con una revisione motivata."
            )
        )
        self.piano_id = piano_id


def piano_congelato(piano_id: int | None) -> bool:
    """Read from the database, not from a cached instance that may be stale."""
    if piano_id is None:
        return False
    from .piano import PianoAnnuale  # piano.py builds on this module

    return PianoAnnuale.objects.filter(pk=piano_id, stato__in=STATI_CONGELATI).exists()


def piano_blocca_e_verifica(piano_id: int | None) -> None:
    """Take the plan's row lock (held until the transaction ends) and refuse a
    frozen plan: approval takes the same lock, so an edit and an approval run one
    after the other and the state read here stays true until the write commits.
    Call inside ``transaction.atomic()``."""
    if piano_id is None:
        return
    from .piano import PianoAnnuale

    stato = (
        PianoAnnuale.objects.select_for_update()
        .filter(pk=piano_id)
        .values_list("stato", flat=True)
        .first()
    )
    if stato in STATI_CONGELATI:
        raise PianoCongelato(piano_id)


def in_transazione():
    """A transaction for a single write; none inside an outer one (which already
    holds the lock until its end, and a savepoint per row would cost queries)."""
    return nullcontext() if connection.in_atomic_block else transaction.atomic()


def documento_dopo_modifica(piano_id: int | None) -> None:
    """The plan's PDF is rendered again in background after a change."""
    from ..documento_cache import documento_dopo_modifica as richiedi

    richiedi(piano_id)


class DatoDelPiano(models.Model):
    """Base of every model holding a plan's data: refuses writes while the plan is
    frozen, whatever the path (form, admin, import, service)."""

    percorso_piano = "piano_id"

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        with in_transazione():
            self._verifica_modificabile()
            if hasattr(self, "versione"):
                # An import or the admin moves the version on: a form opened
                # before is refused (optimistic locking on every path).
                versione_avanza(self, kwargs)
            super().save(*args, **kwargs)
        documento_dopo_modifica(self._piano_id())

    def delete(self, *args, **kwargs):
        piano_id = self._piano_id()
        with in_transazione():
            self._verifica_modificabile()
            risultato = super().delete(*args, **kwargs)
        documento_dopo_modifica(piano_id)
        return risultato

    def _piano_id(self) -> int | None:
        valore = self
        for parte in self.percorso_piano.split("."):
            valore = getattr(valore, parte, None)
            if valore is None:
                return None
        return valore

    def _verifica_modificabile(self) -> None:
        piano_blocca_e_verifica(self._piano_id())
