"""Anomalie by the dozen: grouped by check with their counts, filterable, and
acknowledged in bulk with one reason (all or nothing)."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .anomalie import Codice, anomalie_calcola
from .models import PianoAnnuale, RiscontroAnomalia
from .services import piano_verifica_modificabile


@dataclass
class GruppoAnomalie:
    codice: str
    titolo: str
    righe: list[dict]  # {anomalia, url, riscontro} as the dashboard lists them

    @property
    def quante(self) -> int:
        return len(self.righe)


def anomalie_raggruppa(righe: list[dict]) -> list[GruppoAnomalie]:
    """The rows grouped by check, largest group first."""
    gruppi: dict[str, GruppoAnomalie] = {}
    for riga in righe:
        anomalia = riga["anomalia"]
        gruppo = gruppi.get(anomalia.codice)
        if gruppo is None:
            gruppo = gruppi[anomalia.codice] = GruppoAnomalie(
                anomalia.codice, anomalia.titolo, []
            )
        gruppo.righe.append(riga)
    return sorted(gruppi.values(), key=lambda g: (-g.quante, g.titolo))


def anomalie_riscontra(
    *, piano: PianoAnnuale, chiavi: list[tuple[str, str]], motivazione: str, utente
) -> int:
    """Acknowledge many open anomalie with one written reason: every one gets
    the same reason, user and time; if one is no longer open, none is saved."""
    motivazione = (motivazione or "").strip()
    if not motivazione:
        raise ValidationError({"motivazione": _("Serve una motivazione scritta.")})
    if not chiavi:
        raise ValidationError(_("Selezionare almeno un'anomalia."))
    with transaction.atomic():
        piano_verifica_modificabile(piano=piano)
        aperte = {
            (a.codice, str(a.oggetto)) for a in anomalie_calcola(piano) if a.aperta
        }
        assenti = [
            f"{Codice(c).label if c in Codice.values else c}: {o}"
            for c, o in chiavi
            if (c, o) not in aperte
        ]
        if assenti:
            raise ValidationError(
                _(
                    "Queste anomalie non sono più aperte (ricarica la pagina del "
                    "piano): %(elenco)s. Nessuna presa d'atto è stata registrata."
                )
                % {"elenco": "; ".join(assenti)}
            )
        righe = [
            RiscontroAnomalia(
                piano=piano,
                codice=codice,
                oggetto=oggetto,
                motivazione=motivazione,
                utente=utente,
            )
            for codice, oggetto in dict.fromkeys(chiavi)
        ]
        for riga in righe:
            riga.full_clean()
            riga.save()
    return len(righe)
