"""A bando's funding sources against its amount: the one rule, used by the bando
page, the plan's checks (an anomalia of the plan that tells the bando) and the
document.

Nothing to compare when the bando states no amount or has no sources. Otherwise
the sources do not add up when the known amounts differ from the amount, or when
a source has no amount (its share cannot be verified: the bando page says so and
the plan cannot be approved before someone writes the amount or acknowledges it).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from .models import Bando, FonteFinanziamento


@dataclass(frozen=True)
class ConfrontoFonti:
    importo: Decimal
    somma: Decimal  # of the sources with an amount
    senza_importo: int  # sources without one

    @property
    def quadra(self) -> bool:
        return self.senza_importo == 0 and self.somma == self.importo

    @property
    def differenza(self) -> Decimal:
        return self.somma - self.importo


def fonti_confronta(
    bando: Bando, fonti: Iterable[FonteFinanziamento] | None = None
) -> ConfrontoFonti | None:
    """The comparison, or None when there is nothing to compare. ``fonti`` are
    the bando's sources already read (no query), else they are read."""
    fonti = list(bando.fonti.all() if fonti is None else fonti)
    if bando.importo is None or not fonti:
        return None
    note = [f.importo for f in fonti if f.importo is not None]
    return ConfrontoFonti(
        importo=bando.importo,
        somma=sum(note, Decimal("0")),
        senza_importo=len(fonti) - len(note),
    )
