"""Chapter 3 counts of the plan document.

The counts of applications are read here and only here. Today they are the
figures stored on historical bandi and their funding sources; when applications
and graduatorie are recorded (misure), these two functions compute them from
those records and the document follows.
"""

from __future__ import annotations

from dataclasses import dataclass

from misure.models import Bando, FonteFinanziamento


@dataclass(frozen=True)
class ConteggiBando:
    pervenute: int | None
    accolte: int | None
    finanziate: int | None


@dataclass(frozen=True)
class ConteggiFonte:
    pervenute: int | None
    finanziate: int | None
    parziali: int | None


def conteggi_bando(bando: Bando) -> ConteggiBando:
    """Applications received, admitted and funded under a bando."""
    return ConteggiBando(
        pervenute=bando.n_pervenute,
        accolte=bando.n_accolte,
        finanziate=bando.n_finanziate,
    )


def conteggi_fonte(fonte: FonteFinanziamento) -> ConteggiFonte:
    """For one funding source of a bando: applications received by the bando,
    those the source paid in full and those it paid in part."""
    return ConteggiFonte(
        pervenute=conteggi_bando(fonte.bando).pervenute,
        finanziate=fonte.n_finanziate,
        parziali=fonte.n_parziali,
    )
