"""Gli enti di un ambito: quelli che comunicano al suo piano, quelli che un
utente vede, le ALER di un territorio e il collegamento di un ente all'ambito."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q, QuerySet

from ambiti.models import Ambito, Comune
from ambiti.permessi import ambiti_visibili
from patrimonio.models import EnteDellAmbito, EnteProprietario


def enti_dell_ambito(ambito: Ambito | int) -> QuerySet[EnteProprietario]:
    """Gli enti che comunicano al piano dell'ambito: quelli collegati (ALER, altri
    enti, comuni), i comuni dell'ambito anche se aggiunti dopo la creazione e chi
    ha già scritto a un suo piano (un ente non sparisce da un anno all'altro)."""
    ambito_id = ambito.pk if isinstance(ambito, Ambito) else ambito
    return (
        EnteProprietario.objects.filter(
            Q(ambiti_collegati__ambito_id=ambito_id)
            | Q(comune__appartenenze__ambito_id=ambito_id)
            | Q(comunicazioni__piano__ambito_id=ambito_id)
        )
        .distinct()
        .order_by("denominazione")
    )


def enti_visibili(user) -> QuerySet[EnteProprietario]:
    """Gli enti degli ambiti che l'utente vede (tutti per un amministratore)."""
    if getattr(user, "is_superuser", False):
        return EnteProprietario.objects.all()
    ambiti = ambiti_visibili(user)
    return EnteProprietario.objects.filter(
        Q(ambiti_collegati__ambito__in=ambiti)
        | Q(comune__appartenenze__ambito__in=ambiti)
    ).distinct()


def aler_del_territorio(comuni: Iterable[Comune]) -> list[EnteProprietario]:
    """Le ALER che servono almeno una delle province dei comuni."""
    sigle = {c.sigla_provincia for c in comuni}
    return [
        ente
        for ente in EnteProprietario.objects.filter(tipo=EnteProprietario.Tipo.ALER)
        if sigle & {s for s in ente.sigle_province.split(",") if s}
    ]


def ente_collega(
    *, ambito: Ambito, ente: EnteProprietario, comune: Comune | None = None
) -> EnteDellAmbito:
    """Collega un ente all'ambito (idempotente); il comune di sede, se indicato,
    deve essere dell'ambito."""
    link = EnteDellAmbito.objects.filter(ambito=ambito, ente=ente).first()
    if link is None:
        link = EnteDellAmbito(ambito=ambito, ente=ente, comune=comune)
        link.full_clean()
        link.save()
    return link
