"""Uno o più ambiti da un file regionale, una riga per comune (comando
``crea_ambito``): tutto o niente, ogni riga errata con il suo numero."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _g

from ambiti.corrispondenze import Abbinatore, Corrispondenza, normalizza
from ambiti.models import Ambito, Ats, Comune
from ambiti.services import comuni_gia_assegnati
from patrimonio.lettori import (
    ErroreImport,
    Tabella,
    normalizza_intestazione,
    tabella_leggi,
    testo_cella,
)

from .enti import aler_del_territorio
from .nuovo import ambito_con_enti_crea, comuni_abbinatore

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


@dataclass
class _Contenuto:
    """Ciò che il file descrive: gli ambiti per slug, dove sta ogni comune (slug e
    riga, per i doppioni) e ogni riga errata."""

    ambiti: dict[str, _AmbitoNelFile] = field(default_factory=dict)
    dove: dict[int, tuple[str, int]] = field(default_factory=dict)
    errori: list[str] = field(default_factory=list)


def ambiti_da_file_crea(
    *, percorso: str | Path, nome_file: str | None = None
) -> list[Ambito]:
    """Uno o più ambiti da un CSV o XLSX regionale, una riga per comune (colonne
    ambito, slug, capofila, comune; facoltative sub_ambito, ats).

    Tutto o niente: ogni riga errata è segnalata con il suo numero e, per un nome
    che non corrisponde a un comune, i più simili; con un solo errore non si scrive
    nulla (``ErroreImport``)."""
    tabella, indice = _tabella_leggi(percorso, nome_file)
    abbinatore = comuni_abbinatore()
    contenuto = _righe_leggi(tabella, indice, abbinatore)
    _comuni_gia_assegnati(contenuto)
    capofila_e_ats = _ambiti_controlla(contenuto, abbinatore)
    if not contenuto.ambiti and not contenuto.errori:
        contenuto.errori.append(_g("Il file non contiene righe."))
    if contenuto.errori:
        raise ErroreImport(contenuto.errori)
    return _ambiti_salva(contenuto.ambiti, capofila_e_ats)


def _tabella_leggi(
    percorso: str | Path, nome_file: str | None
) -> tuple[Tabella, dict[str, int]]:
    """La tabella e l'indice di ogni colonna attesa; senza le obbligatorie,
    ``ErroreImport``."""
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
    return tabella, indice


def _righe_leggi(
    tabella: Tabella, indice: dict[str, int], abbinatore: Abbinatore
) -> _Contenuto:
    contenuto = _Contenuto()

    def cella(riga: list, nome: str) -> str:
        if nome not in indice or indice[nome] >= len(riga):
            return ""
        return testo_cella(riga[indice[nome]]).strip()

    for i, riga in enumerate(tabella.righe):
        numero = tabella.numero_riga(i)
        valori = {nome: cella(riga, nome) for nome in indice}
        if not any(valori.values()):
            continue
        errore = _riga_aggiungi(numero, valori, contenuto, abbinatore)
        if errore:
            contenuto.errori.append(errore)
    return contenuto


def _riga_aggiungi(
    numero: int, valori: dict[str, str], contenuto: _Contenuto, abbinatore: Abbinatore
) -> str | None:
    """Mette il comune della riga nel suo ambito; se la riga è errata, il messaggio
    (uno per riga: il primo problema trovato)."""
    errore = _riga_controlla(numero, valori)
    if errore:
        return errore
    slug = valori["slug"]
    ambito = contenuto.ambiti.get(slug)
    if ambito is None:
        ambito = contenuto.ambiti[slug] = _AmbitoNelFile(
            valori["ambito"],
            slug,
            valori["capofila"],
            numero,
            valori.get("ats", ""),
        )
    elif ambito.nome != valori["ambito"] or ambito.capofila != valori["capofila"]:
        return _g(
            "Riga %(riga)s: l'ambito «%(slug)s» ha nome o capofila diversi "
            "da quelli della riga %(prima)s."
        ) % {"riga": numero, "slug": slug, "prima": ambito.riga}
    corrispondenza = abbinatore.trova(valori["comune"])
    # Never guessed: a near-miss the importers would accept with a warning is
    # an error here, because a wrong comune would end up in the wrong ambito.
    if not corrispondenza.esatta:
        return _g("Riga %(riga)s, colonna comune: %(messaggio)s") % {
            "riga": numero,
            "messaggio": _suggerimenti(corrispondenza),
        }
    comune = corrispondenza.oggetto
    if comune.pk in contenuto.dove:
        altro_slug, altra_riga = contenuto.dove[comune.pk]
        return _g(
            "Riga %(riga)s, colonna comune: %(comune)s è già alla riga "
            "%(altra)s (ambito «%(slug)s»)."
        ) % {
            "riga": numero,
            "comune": comune.nome,
            "altra": altra_riga,
            "slug": altro_slug,
        }
    contenuto.dove[comune.pk] = (slug, numero)
    ambito.comuni.append(comune)
    if valori.get("sub_ambito"):
        ambito.sub_ambiti[comune.pk] = valori["sub_ambito"]
    return None


def _riga_controlla(numero: int, valori: dict[str, str]) -> str | None:
    """Valori obbligatori presenti e slug valido."""
    vuote = [c for c in COLONNE_OBBLIGATORIE if not valori.get(c)]
    if vuote:
        return _g("Riga %(riga)s, colonna %(colonna)s: valore mancante.") % {
            "riga": numero,
            "colonna": vuote[0],
        }
    slug = valori["slug"]
    if slugify(slug) != slug:
        return _g(
            "Riga %(riga)s, colonna slug: «%(slug)s» non è un identificativo "
            "valido (solo minuscole, cifre e trattini, es. «%(esempio)s»)."
        ) % {"riga": numero, "slug": slug, "esempio": slugify(slug)}
    return None


def _comuni_gia_assegnati(contenuto: _Contenuto) -> None:
    """Comuni already in an ambito of the database, named with that ambito."""
    tutti = [c for a in contenuto.ambiti.values() for c in a.comuni]
    for comune_pk, altro in comuni_gia_assegnati(tutti).items():
        _slug, numero = contenuto.dove[comune_pk]
        comune = next(c for c in tutti if c.pk == comune_pk)
        contenuto.errori.append(
            _g(
                "Riga %(riga)s, colonna comune: %(comune)s appartiene già "
                "all'ambito «%(ambito)s»."
            )
            % {"riga": numero, "comune": comune.nome, "ambito": altro}
        )


def _ambiti_controlla(
    contenuto: _Contenuto, abbinatore: Abbinatore
) -> dict[str, tuple[Comune, Ats | None]]:
    """Per ogni ambito nuovo del file, il capofila (uno dei suoi comuni) e l'ATS."""
    esistenti = set(
        Ambito.objects.filter(slug__in=list(contenuto.ambiti)).values_list(
            "slug", flat=True
        )
    )
    tutte_ats = list(Ats.objects.all())
    capofila_e_ats: dict[str, tuple[Comune, Ats | None]] = {}
    for slug, ambito in contenuto.ambiti.items():
        if slug in esistenti:
            contenuto.errori.append(
                _g("Riga %(riga)s, colonna slug: esiste già un ambito «%(slug)s».")
                % {"riga": ambito.riga, "slug": slug}
            )
            continue
        trovati = _capofila_e_ats(ambito, abbinatore, tutte_ats)
        if isinstance(trovati, str):
            contenuto.errori.append(trovati)
        else:
            capofila_e_ats[slug] = trovati
    return capofila_e_ats


def _capofila_e_ats(
    ambito: _AmbitoNelFile, abbinatore: Abbinatore, tutte_ats: list[Ats]
) -> tuple[Comune, Ats | None] | str:
    """Il capofila e l'ATS dell'ambito, oppure il messaggio d'errore."""
    capofila = abbinatore.trova(ambito.capofila)
    if not capofila.esatta or capofila.oggetto not in ambito.comuni:
        return _g(
            "Riga %(riga)s, colonna capofila: «%(capofila)s» non è uno dei "
            "comuni dell'ambito «%(slug)s» nel file."
        ) % {"riga": ambito.riga, "capofila": ambito.capofila, "slug": ambito.slug}
    ats = None
    if ambito.ats:
        ats = _ats_trova(ambito.ats, tutte_ats)
        if ats is None:
            return _g(
                "Riga %(riga)s, colonna ats: «%(ats)s» non corrisponde a "
                "nessuna ATS (%(elenco)s)."
            ) % {
                "riga": ambito.riga,
                "ats": ambito.ats,
                "elenco": ", ".join(a.nome for a in tutte_ats),
            }
    return capofila.oggetto, ats


def _ambiti_salva(
    ambiti: dict[str, _AmbitoNelFile],
    capofila_e_ats: dict[str, tuple[Comune, Ats | None]],
) -> list[Ambito]:
    """Tutti gli ambiti in una transazione; un errore di validazione li annulla."""
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
