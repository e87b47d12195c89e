"""Il territorio di un ambito: i dati di riferimento (comuni, ATS, ALER), gli enti
che comunicano al suo piano e la creazione di un nuovo ambito con i suoi enti, dal
browser (`ambito_con_enti_crea`) o da un file regionale (`ambiti_da_file_crea`).

Sta in `patrimonio` perché crea enti proprietari; l'ambito in sé lo crea
`ambiti.services.ambito_crea`.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.text import slugify
from django.utils.translation import gettext as _g
from simple_history.utils import bulk_create_with_history

from ambiti.corrispondenze import Abbinatore, Corrispondenza, normalizza
from ambiti.models import Ambito, Ats, Comune
from ambiti.permessi import ambiti_visibili
from ambiti.services import ambito_crea, ats_carica, comuni_carica, comuni_gia_assegnati
from patrimonio.lettori import (
    ErroreImport,
    normalizza_intestazione,
    tabella_leggi,
    testo_cella,
)
from patrimonio.models import EnteDellAmbito, EnteProprietario

ALER_CSV = Path(settings.BASE_DIR) / "fixtures" / "aler_lombardia.csv"

__all__ = [
    "AltroEnte",
    "aler_carica",
    "aler_del_territorio",
    "ambiti_da_file_crea",
    "ambito_con_enti_crea",
    "comuni_abbinatore",
    "enti_dell_ambito",
    "enti_visibili",
    "ente_collega",
    "nomi_dal_testo",
    "nomi_e_sub_ambiti",
    "riferimenti_carica",
]


# --- dati di riferimento -----------------------------------------------------------


def aler_carica(*, percorso: str | Path | None = None) -> int:
    """Le cinque ALER lombarde con le province servite, per denominazione (la
    stessa dei piani d'esempio: nessun doppione); idempotente."""
    with open(percorso or ALER_CSV, encoding="utf-8", newline="") as handle:
        righe = list(csv.DictReader(handle))
    with transaction.atomic():
        for riga in righe:
            valori = {
                "tipo": EnteProprietario.Tipo.ALER,
                "denominazione_breve": riga["denominazione_breve"].strip(),
                "sigle_province": riga["sigle_province"].replace(" ", ""),
            }
            ente = EnteProprietario.objects.filter(
                denominazione=riga["denominazione"].strip()
            ).first()
            if ente is None:
                EnteProprietario.objects.create(
                    denominazione=riga["denominazione"].strip(), **valori
                )
            elif any(getattr(ente, k) != v for k, v in valori.items()):
                for k, v in valori.items():
                    setattr(ente, k, v)
                ente.save(update_fields=list(valori))
    return len(righe)


def riferimenti_carica() -> dict[str, int]:
    """Comuni ISTAT, ATS e ALER: tutto ciò che serve a creare un ambito."""
    with transaction.atomic():
        return {
            "comuni": comuni_carica(),
            "ats": ats_carica(),
            "aler": aler_carica(),
        }


# --- gli enti di un ambito -----------------------------------------------------------


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


# --- un nuovo ambito -----------------------------------------------------------------


@dataclass(frozen=True)
class AltroEnte:
    """Un ente che non è un comune né un'ALER (ASP, fondazione, cooperativa)."""

    denominazione: str
    comune: Comune


def ambito_con_enti_crea(
    *,
    nome: str,
    slug: str,
    comune_capofila: Comune,
    comuni: Sequence[Comune],
    ats: Ats | None = None,
    numero: int | None = None,
    sub_ambiti: dict[int, str] | None = None,
    aler: Sequence[EnteProprietario] = (),
    altri_enti: Sequence[AltroEnte] = (),
) -> Ambito:
    """L'ambito, un ente «Comune di …» per comune (nome ISTAT), le ALER scelte e gli
    altri enti, tutto in una transazione."""
    with transaction.atomic():
        ambito = ambito_crea(
            nome=nome,
            slug=slug,
            comune_capofila=comune_capofila,
            comuni=comuni,
            ats=ats,
            numero=numero,
            sub_ambiti=sub_ambiti,
        )
        esistenti = {
            e.comune_id: e
            for e in EnteProprietario.objects.filter(comune__in=list(comuni))
        }
        nuovi = [
            EnteProprietario(
                tipo=EnteProprietario.Tipo.COMUNE,
                denominazione=f"Comune di {comune.nome}",
                comune=comune,
            )
            for comune in comuni
            if comune.pk not in esistenti
        ]
        # In bulk (a regional file creates 1.500 of them): uniqueness is checked
        # once for all, the other rules row by row without queries.
        occupati = set(
            EnteProprietario.objects.filter(
                denominazione__in=[e.denominazione for e in nuovi]
            ).values_list("denominazione", flat=True)
        )
        if occupati:
            raise ValidationError(
                [
                    _g("Esiste già un ente «%(nome)s» legato a un altro comune.")
                    % {"nome": nome}
                    for nome in sorted(occupati)
                ]
            )
        for ente in nuovi:
            ente.full_clean(validate_unique=False, validate_constraints=False)
        bulk_create_with_history(nuovi, EnteProprietario)
        creati = {
            e.comune_id: e
            for e in EnteProprietario.objects.filter(comune__in=list(comuni))
        }
        # The ambito is new: no link exists yet, and comuni/ALER need no sede.
        collegati = [creati[c.pk] for c in comuni] + list(aler)
        EnteDellAmbito.objects.bulk_create(
            EnteDellAmbito(ambito=ambito, ente=ente)
            for ente in dict.fromkeys(collegati)
        )
        for altro in altri_enti:
            ente = EnteProprietario.objects.filter(
                denominazione=altro.denominazione.strip()
            ).first()
            if ente is None:
                ente = EnteProprietario(
                    tipo=EnteProprietario.Tipo.ALTRO,
                    denominazione=altro.denominazione.strip(),
                )
                ente.full_clean()
                ente.save()
            ente_collega(ambito=ambito, ente=ente, comune=altro.comune)
    return ambito


# --- nomi di comuni incollati --------------------------------------------------------

_SEPARATORI_ELENCO = re.compile(r"[\n;,\t]+")


def nomi_dal_testo(testo: str) -> list[str]:
    """Un elenco incollato (a capo, punto e virgola, virgola o tabulazione) →
    i nomi o codici ISTAT, senza vuoti (e senza l'eventuale «Sub-ambito:»)."""
    return [nome for nome, _sub in nomi_e_sub_ambiti(testo)]


def nomi_e_sub_ambiti(testo: str) -> list[tuple[str, str]]:
    """Come `nomi_dal_testo`, con il sub-ambito di ogni nome: una riga
    «Alto Serio: Ardesio, Gromo» mette i suoi comuni nel sub-ambito «Alto Serio»."""
    risultato: list[tuple[str, str]] = []
    for riga in (testo or "").splitlines():
        sub_ambito, due_punti, resto = riga.partition(":")
        if not due_punti:
            sub_ambito, resto = "", riga
        for nome in _SEPARATORI_ELENCO.split(resto):
            if nome.strip():
                risultato.append((nome.strip(), sub_ambito.strip()))
    return risultato


def comuni_abbinatore() -> Abbinatore:
    """Lo stesso riconoscimento dei nomi delle importazioni, su tutti i comuni."""
    return Abbinatore.per_comuni(
        Comune.objects.only("codice_istat", "nome", "sigla_provincia", "provincia")
    )


# --- il file regionale (comando crea_ambito) -----------------------------------------

COLONNE_OBBLIGATORIE = ["ambito", "slug", "capofila", "comune"]
COLONNE_FACOLTATIVE = ["sub_ambito", "ats"]


@dataclass
class _AmbitoNelFile:
    nome: str
    slug: str
    capofila: str
    riga: int
    ats: str = ""
    comuni: list[Comune] = field(default_factory=list)
    sub_ambiti: dict[int, str] = field(default_factory=dict)


def _suggerimenti(corrispondenza: Corrispondenza) -> str:
    if corrispondenza.messaggio:
        return corrispondenza.messaggio
    return ""


def _ats_trova(testo: str, tutte: list[Ats]) -> Ats | None:
    forma = normalizza(testo)
    for ats in tutte:
        if testo.strip() == ats.codice or normalizza(ats.nome) == forma:
            return ats
    # «Bergamo» per «ATS di Bergamo».
    candidate = [a for a in tutte if forma and forma in normalizza(a.nome)]
    return candidate[0] if len(candidate) == 1 else None


def ambiti_da_file_crea(
    *, percorso: str | Path, nome_file: str | None = None
) -> list[Ambito]:
    """Uno o più ambiti da un CSV o XLSX regionale, una riga per comune (colonne
    ambito, slug, capofila, comune; facoltative sub_ambito, ats).

    Tutto o niente: ogni riga errata è segnalata con il suo numero e, per un nome
    che non corrisponde a un comune, i più simili; con un solo errore non si scrive
    nulla (``ErroreImport``)."""
    attese = set(COLONNE_OBBLIGATORIE + COLONNE_FACOLTATIVE)
    tabella = tabella_leggi(
        percorso,
        nome_file=nome_file,
        riconosci=lambda intestazione: intestazione.replace(" ", "_") in attese,
    )
    intestazioni = [
        normalizza_intestazione(h).replace(" ", "_") for h in tabella.intestazioni
    ]
    mancanti = [c for c in COLONNE_OBBLIGATORIE if c not in intestazioni]
    if mancanti:
        raise ErroreImport(
            _g("Colonne mancanti: %(elenco)s (attese: %(attese)s).")
            % {
                "elenco": ", ".join(mancanti),
                "attese": ";".join(COLONNE_OBBLIGATORIE + COLONNE_FACOLTATIVE),
            }
        )
    indice = {nome: intestazioni.index(nome) for nome in attese if nome in intestazioni}
    abbinatore = comuni_abbinatore()
    tutte_ats = list(Ats.objects.all())
    errori: list[str] = []
    ambiti: dict[str, _AmbitoNelFile] = {}
    dove: dict[int, tuple[str, int]] = {}  # comune → (slug, riga) già nel file

    def cella(riga: list, nome: str) -> str:
        if nome not in indice or indice[nome] >= len(riga):
            return ""
        return testo_cella(riga[indice[nome]]).strip()

    for i, riga in enumerate(tabella.righe):
        numero = tabella.numero_riga(i)
        valori = {nome: cella(riga, nome) for nome in indice}
        if not any(valori.values()):
            continue
        vuote = [c for c in COLONNE_OBBLIGATORIE if not valori.get(c)]
        if vuote:
            errori.append(
                _g("Riga %(riga)s, colonna %(colonna)s: valore mancante.")
                % {"riga": numero, "colonna": vuote[0]}
            )
            continue
        slug = valori["slug"]
        if slugify(slug) != slug:
            errori.append(
                _g(
                    "Riga %(riga)s, colonna slug: «%(slug)s» non è un identificativo "
                    "valido (solo minuscole, cifre e trattini, es. «%(esempio)s»)."
                )
                % {"riga": numero, "slug": slug, "esempio": slugify(slug)}
            )
            continue
        ambito = ambiti.get(slug)
        if ambito is None:
            ambito = ambiti[slug] = _AmbitoNelFile(
                valori["ambito"],
                slug,
                valori["capofila"],
                numero,
                valori.get("ats", ""),
            )
        elif ambito.nome != valori["ambito"] or ambito.capofila != valori["capofila"]:
            errori.append(
                _g(
                    "Riga %(riga)s: l'ambito «%(slug)s» ha nome o capofila diversi "
                    "da quelli della riga %(prima)s."
                )
                % {"riga": numero, "slug": slug, "prima": ambito.riga}
            )
            continue
        corrispondenza = abbinatore.trova(valori["comune"])
        # Never guessed: a near-miss the importers would accept with a warning is
        # an error here, because a wrong comune would end up in the wrong ambito.
        if not corrispondenza.esatta:
            errori.append(
                _g("Riga %(riga)s, colonna comune: %(messaggio)s")
                % {"riga": numero, "messaggio": _suggerimenti(corrispondenza)}
            )
            continue
        comune = corrispondenza.oggetto
        if comune.pk in dove:
            altro_slug, altra_riga = dove[comune.pk]
            errori.append(
                _g(
                    "Riga %(riga)s, colonna comune: %(comune)s è già alla riga "
                    "%(altra)s (ambito «%(slug)s»)."
                )
                % {
                    "riga": numero,
                    "comune": comune.nome,
                    "altra": altra_riga,
                    "slug": altro_slug,
                }
            )
            continue
        dove[comune.pk] = (slug, numero)
        ambito.comuni.append(comune)
        if valori.get("sub_ambito"):
            ambito.sub_ambiti[comune.pk] = valori["sub_ambito"]

    # Comuni already in an ambito of the database, named with that ambito.
    tutti = [c for a in ambiti.values() for c in a.comuni]
    for comune_pk, altro in comuni_gia_assegnati(tutti).items():
        slug, numero = dove[comune_pk]
        comune = next(c for c in tutti if c.pk == comune_pk)
        errori.append(
            _g(
                "Riga %(riga)s, colonna comune: %(comune)s appartiene già "
                "all'ambito «%(ambito)s»."
            )
            % {"riga": numero, "comune": comune.nome, "ambito": altro}
        )
    esistenti = set(
        Ambito.objects.filter(slug__in=list(ambiti)).values_list("slug", flat=True)
    )
    capofila_e_ats: dict[str, tuple[Comune, Ats | None]] = {}
    for slug, ambito in ambiti.items():
        if slug in esistenti:
            errori.append(
                _g("Riga %(riga)s, colonna slug: esiste già un ambito «%(slug)s».")
                % {"riga": ambito.riga, "slug": slug}
            )
            continue
        capofila = abbinatore.trova(ambito.capofila)
        if not capofila.esatta or capofila.oggetto not in ambito.comuni:
            errori.append(
                _g(
                    "Riga %(riga)s, colonna capofila: «%(capofila)s» non è uno dei "
                    "comuni dell'ambito «%(slug)s» nel file."
                )
                % {"riga": ambito.riga, "capofila": ambito.capofila, "slug": slug}
            )
            continue
        ats = None
        if ambito.ats:
            ats = _ats_trova(ambito.ats, tutte_ats)
            if ats is None:
                errori.append(
                    _g(
                        "Riga %(riga)s, colonna ats: «%(ats)s» non corrisponde a "
                        "nessuna ATS (%(elenco)s)."
                    )
                    % {
                        "riga": ambito.riga,
                        "ats": ambito.ats,
                        "elenco": ", ".join(a.nome for a in tutte_ats),
                    }
                )
                continue
        capofila_e_ats[slug] = (capofila.oggetto, ats)
    if not ambiti and not errori:
        errori.append(_g("Il file non contiene righe."))
    if errori:
        raise ErroreImport(errori)
    creati = []
    try:
        with transaction.atomic():
            for slug, ambito in ambiti.items():
                capofila, ats = capofila_e_ats[slug]
                creati.append(
                    ambito_con_enti_crea(
                        nome=ambito.nome,
                        slug=slug,
                        comune_capofila=capofila,
                        comuni=ambito.comuni,
                        ats=ats,
                        sub_ambiti=ambito.sub_ambiti,
                        aler=aler_del_territorio(ambito.comuni),
                    )
                )
    except ValidationError as exc:
        raise ErroreImport(
            [f"{_g('Ambito')} «{slug}»: {m}" for m in exc.messages]
        ) from exc
    return creati
