"""Servizi dell'app ambiti: dati di riferimento (comuni, ATS) e nuovi ambiti."""

import csv
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _g

from ambiti.models import Ambito, AmbitoComune, Ats, Comune, Incarico, SubAmbito

COMUNI_CSV = Path(settings.BASE_DIR) / "fixtures" / "comuni_lombardia.csv"
_CAMPI_AGGIORNATI = [
    "nome",
    "provincia",
    "sigla_provincia",
    "regione",
    "superficie_kmq",
]


def _comune_da_riga(riga: dict[str, str]) -> Comune:
    superficie = (riga.get("superficie_kmq") or "").strip()
    return Comune(
        codice_istat=riga["codice_istat"].strip().zfill(6),
        nome=riga["nome"].strip(),
        provincia=riga["provincia"].strip(),
        sigla_provincia=riga["sigla_provincia"].strip(),
        regione=riga.get("regione", "").strip() or "Lombardia",
        superficie_kmq=Decimal(superficie) if superficie else None,
    )


def comuni_carica(*, percorso: str | Path | None = None) -> int:
    """Carica (o aggiorna) i comuni dall'elenco ISTAT in CSV, per codice ISTAT.

    Idempotente: una seconda esecuzione non crea nulla e lascia i valori uguali.
    Restituisce il numero di comuni presenti nel file.
    """
    with open(percorso or COMUNI_CSV, encoding="utf-8", newline="") as handle:
        comuni = [_comune_da_riga(riga) for riga in csv.DictReader(handle)]
    with transaction.atomic():
        # Un solo upsert in blocco: 1.502 righe in una manciata di query.
        Comune.objects.bulk_create(
            comuni,
            batch_size=500,
            update_conflicts=True,
            unique_fields=["codice_istat"],
            update_fields=_CAMPI_AGGIORNATI,
        )
    return len(comuni)


# --- ATS e nuovi ambiti ------------------------------------------------------------

ATS_CSV = Path(settings.BASE_DIR) / "fixtures" / "ats_lombardia.csv"


def ats_carica(*, percorso: str | Path | None = None) -> int:
    """Carica (o aggiorna) le ATS lombarde, per codice; idempotente."""
    with open(percorso or ATS_CSV, encoding="utf-8", newline="") as handle:
        righe = list(csv.DictReader(handle))
    with transaction.atomic():
        for riga in righe:
            valori = {
                "nome": riga["nome"].strip(),
                "sigle_province": riga["sigle_province"].replace(" ", ""),
                "territorio": riga.get("territorio", "").strip(),
            }
            ats = Ats.objects.filter(codice=riga["codice"].strip()).first()
            if ats is None:
                Ats.objects.create(codice=riga["codice"].strip(), **valori)
            elif any(getattr(ats, k) != v for k, v in valori.items()):
                Ats.objects.filter(pk=ats.pk).update(**valori)
    return len(righe)


def comuni_gia_assegnati(comuni: Iterable[Comune]) -> dict[int, Ambito]:
    """Per ogni comune già in un ambito, quell'ambito (pk del comune → ambito)."""
    appartenenze = AmbitoComune.objects.filter(comune__in=list(comuni)).select_related(
        "ambito"
    )
    return {a.comune_id: a.ambito for a in appartenenze}


_PREFISSO_AMBITO = re.compile(
    r"^\s*(?i:ambito)\s+(?:(?i:territoriale)\s+)?(?=[A-ZÀ-Ý])"
)


def nome_ambito_pulito(nome: str) -> str:
    """«Ambito Valle Brembana» → «Valle Brembana»: pages and the plan already say
    «Ambito», which would otherwise be printed twice. «Ambito di Treviglio» stays."""
    return _PREFISSO_AMBITO.sub("", nome.strip(), count=1)


def ambito_crea(
    *,
    nome: str,
    slug: str,
    comune_capofila: Comune,
    comuni: Sequence[Comune],
    ats: Ats | None = None,
    numero: int | None = None,
    sub_ambiti: dict[int, str] | None = None,
) -> Ambito:
    """Un nuovo ambito con i suoi comuni (e i sub-ambiti, per pk del comune).

    Un comune appartiene a un solo ambito: se è già altrove l'ambito non si crea e
    il messaggio nomina l'ambito che lo contiene."""
    sub_ambiti = sub_ambiti or {}
    errori: list[str] = []
    if not comuni:
        errori.append(_g("Indicare almeno un comune."))
    if len({c.pk for c in comuni}) != len(comuni):
        doppi = sorted(
            {c.nome for c in comuni if sum(x.pk == c.pk for x in comuni) > 1}
        )
        errori.append(
            _g("Comuni indicati più volte: %(elenco)s.") % {"elenco": ", ".join(doppi)}
        )
    for comune_pk, altro in comuni_gia_assegnati(comuni).items():
        comune = next(c for c in comuni if c.pk == comune_pk)
        errori.append(
            _g("Il comune %(comune)s appartiene già all'ambito «%(ambito)s».")
            % {"comune": comune.nome, "ambito": altro}
        )
    if comuni and comune_capofila.pk not in {c.pk for c in comuni}:
        errori.append(
            _g("Il comune capofila %(comune)s non è fra i comuni dell'ambito.")
            % {"comune": comune_capofila.nome}
        )
    if errori:
        raise ValidationError(errori)
    with transaction.atomic():
        ambito = Ambito(
            nome=nome_ambito_pulito(nome),
            slug=slug.strip(),
            numero=numero,
            provincia=comune_capofila.provincia,
            comune_capofila=comune_capofila,
            ats=ats,
        )
        ambito.full_clean()
        ambito.save()
        per_nome: dict[str, SubAmbito] = {}
        for comune in comuni:
            nome_sub = (sub_ambiti.get(comune.pk) or "").strip()
            if nome_sub and nome_sub not in per_nome:
                per_nome[nome_sub] = SubAmbito.objects.create(
                    ambito=ambito, nome=nome_sub, ordine=len(per_nome) + 1
                )
        AmbitoComune.objects.bulk_create(
            AmbitoComune(
                ambito=ambito,
                comune=comune,
                sub_ambito=per_nome.get((sub_ambiti.get(comune.pk) or "").strip()),
            )
            for comune in comuni
        )
    return ambito


def incarico_assegna(
    *,
    ambito: Ambito,
    username: str,
    ruolo: str,
    email: str = "",
    password: str = "",
) -> tuple[Incarico, bool]:
    """Dà a un utente (esistente, o nuovo se si indica la password) un ruolo
    nell'ambito; un incarico già presente cambia solo ruolo. Restituisce
    l'incarico e se l'utente è stato creato."""
    Utente = get_user_model()
    with transaction.atomic():
        utente = Utente.objects.filter(username=username).first()
        creato = utente is None
        if creato:
            if not password:
                raise ValidationError(
                    {
                        "password": _g(
                            "L'utente «%(username)s» non esiste: per crearlo "
                            "indicare una password iniziale."
                        )
                        % {"username": username}
                    }
                )
            utente = Utente(username=username, email=email)
            utente.full_clean(exclude=["password"])
            utente.set_password(password)
            utente.save()
        incarico = Incarico.objects.filter(utente=utente, ambito=ambito).first()
        if incarico is None:
            incarico = Incarico(utente=utente, ambito=ambito, ruolo=ruolo)
        incarico.ruolo = ruolo
        incarico.full_clean()
        incarico.save()
    return incarico, creato


def incarico_revoca(*, incarico: Incarico) -> None:
    """Toglie all'utente il ruolo nell'ambito (l'utente resta)."""
    incarico.delete()
