"""Il resoconto comune a ogni importazione e i messaggi per riga."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

Progresso = Callable[[int, str], None]
MAX_ESEMPI = 50


@dataclass
class Esito:
    """Il resoconto di un'importazione, uguale per anteprima e scrittura."""

    tipo: str
    righe: int = 0
    creati: int = 0
    modificati: int = 0
    invariati: int = 0
    mancanti: int = 0
    righe_errate: int = 0
    errori: list[str] = field(default_factory=list)
    avvisi: list[str] = field(default_factory=list)
    colonne_sconosciute: list[str] = field(default_factory=list)
    mappatura: dict[str, str] = field(default_factory=dict)
    esempi: dict[str, list[str]] = field(default_factory=dict)
    scritto: bool = False

    @property
    def valido(self) -> bool:
        return not self.errori

    def resoconto(self) -> str:
        """Testo per la riga di comando."""
        righe = [
            _("Righe lette: %s") % self.righe,
            _(
                "Nuovi: %(c)s · modificati: %(m)s · invariati: %(i)s · mancanti nel "
                "file: "
                "%(x)s"
            )
            % {
                "c": self.creati,
                "m": self.modificati,
                "i": self.invariati,
                "x": self.mancanti,
            },
        ]
        if self.colonne_sconosciute:
            righe.append(
                _("Colonne non riconosciute (ignorate): %s")
                % ", ".join(self.colonne_sconosciute)
            )
        righe += [_("Avviso: %s") % a for a in self.avvisi]
        righe += self.errori
        if self.errori:
            righe.append(_("Importazione rifiutata: nessun dato è stato scritto."))
        elif self.scritto:
            righe.append(_("Importazione completata."))
        else:
            righe.append(_("Anteprima: nessun dato è stato scritto."))
        return "\n".join(righe)


def _messaggio_riga(numero: int, problemi: list[tuple[str, str]]) -> str:
    """Una riga errata = un messaggio, anche con più celle sbagliate."""
    parti = [
        _("colonna %(colonna)s: %(messaggio)s") % {"colonna": c, "messaggio": m}
        for c, m in problemi
    ]
    return _("Riga %(riga)s, %(dettaglio)s") % {
        "riga": numero,
        "dettaglio": "; ".join(parti),
    }


_RIGA = re.compile(r"^Riga (\d+),")


def _numero_riga(messaggio: str) -> int:
    trovato = _RIGA.match(messaggio)
    return int(trovato.group(1)) if trovato else 0


def _nulla(percentuale: int, fase: str) -> None:
    return None
