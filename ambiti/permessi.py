"""Scoping to the user's ambiti: the one place that decides who sees and changes what.

Administrators (superusers) see every ambito. Everyone else sees the ambiti of their
``Incarico`` rows; only ``Ruolo.UFFICIO`` may change data. Views answer 404 for
another ambito's objects (they do not exist for that user) and 403 for a read-only
user who tries to change something of their own ambito.
"""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404

from .models import Ambito, Incarico


def ambiti_visibili(user) -> QuerySet[Ambito]:
    if not user.is_authenticated:
        return Ambito.objects.none()
    if user.is_superuser:
        return Ambito.objects.all()
    return Ambito.objects.filter(incarichi__utente=user).distinct()


def ambiti_modificabili(user) -> QuerySet[Ambito]:
    if not user.is_authenticated:
        return Ambito.objects.none()
    if user.is_superuser:
        return Ambito.objects.all()
    return Ambito.objects.filter(
        incarichi__utente=user, incarichi__ruolo=Incarico.Ruolo.UFFICIO
    ).distinct()


def puo_vedere(user, ambito: Ambito) -> bool:
    return ambiti_visibili(user).filter(pk=ambito.pk).exists()


def puo_modificare(user, ambito: Ambito) -> bool:
    return ambiti_modificabili(user).filter(pk=ambito.pk).exists()


def get_object_for_user(
    user,
    queryset: QuerySet,
    ambito_lookup: str = "ambito",
    *,
    scrittura: bool = False,
    **filtri,
) -> Model:
    """The object if the user's ambiti include it (else 404); with ``scrittura`` a
    read-only user gets 403."""
    oggetto = queryset.filter(
        **{f"{ambito_lookup}__in": ambiti_visibili(user)}, **filtri
    ).first()
    if oggetto is None:
        raise Http404
    if scrittura:
        ambito = _ambito_di(oggetto, ambito_lookup)
        if not puo_modificare(user, ambito):
            raise PermissionDenied
    return oggetto


def _ambito_di(oggetto: Model, ambito_lookup: str) -> Ambito:
    valore = oggetto
    for parte in ambito_lookup.split("__"):
        valore = getattr(valore, parte)
    return valore


class AmbitoScopedMixin(LoginRequiredMixin):
    """For class-based views: the queryset holds only the user's ambiti.

    ``ambito_lookup`` is the path from the model to its Ambito (e.g. ``piano__ambito``);
    ``scrittura = True`` on views that change data makes read-only users get 403.
    """

    ambito_lookup = "ambito"
    scrittura = False

    def get_queryset(self):
        qs = super().get_queryset()
        visibili = ambiti_visibili(self.request.user)
        return qs.filter(**{f"{self.ambito_lookup}__in": visibili})

    def get_object(self, queryset=None):
        oggetto = super().get_object(queryset)
        if self.scrittura and not puo_modificare(
            self.request.user, _ambito_di(oggetto, self.ambito_lookup)
        ):
            raise PermissionDenied
        return oggetto
