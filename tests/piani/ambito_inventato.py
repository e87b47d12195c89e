"""An ambito that is in no seed plan, for trying a new plan end to end: five comuni
on the Lario (ISTAT codes of the reference list), their population, the comuni as
enti and one invented housing company. Its name starts with «Ambito» on purpose."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model

from ambiti.models import Ambito, AmbitoComune, Comune, Incarico, PopolazioneComune
from patrimonio.models import Alloggio, EnteProprietario, Servizio, StatoAlloggio
from patrimonio.territorio import ente_collega

SLUG = "lario-orientale-prova"
COMUNI = {  # ISTAT → population
    "097008": 3100,
    "097030": 2650,
    "097035": 740,
    "097067": 910,
    "097084": 760,
}
ALTRO_ENTE = "Agenzia Casa Lario Prova"


def ambito_inventato_crea(*, utente_ufficio=None) -> Ambito:
    comuni = list(Comune.objects.filter(codice_istat__in=COMUNI))
    capofila = next(c for c in comuni if c.codice_istat == "097008")
    ambito = Ambito.objects.create(
        numero=7,
        nome="Ambito Lario Orientale",
        slug=SLUG,
        provincia="Lecco",
        comune_capofila=capofila,
    )
    for comune in comuni:
        AmbitoComune.objects.create(ambito=ambito, comune=comune)
        PopolazioneComune.objects.create(
            comune=comune,
            data=date(2025, 1, 1),
            popolazione=COMUNI[comune.codice_istat],
        )
        EnteProprietario.objects.create(
            tipo=EnteProprietario.Tipo.COMUNE,
            denominazione=f"Comune di {comune.nome}",
            comune=comune,
        )
    altro = EnteProprietario.objects.create(
        tipo=EnteProprietario.Tipo.ALER, denominazione=ALTRO_ENTE
    )
    # The housing company is one of the ambito's enti and owns units there.
    ente_collega(ambito=ambito, ente=altro)
    Alloggio.objects.create(
        codice="PROVA-LARIO-1",
        ente=altro,
        comune=capofila,
        servizio=Servizio.SAP,
        stato=StatoAlloggio.values[0],
    )
    if utente_ufficio is not None:
        Incarico.objects.create(
            utente=utente_ufficio, ambito=ambito, ruolo=Incarico.Ruolo.UFFICIO
        )
    ambito.altro_ente = altro
    return ambito


@pytest.fixture
def ambito_nuovo(db) -> Ambito:
    return ambito_inventato_crea()


@pytest.fixture
def staff_nuovo(ambito_nuovo):
    user = get_user_model().objects.create_user(
        username="t.ufficio.lario", password="pw-test-123"
    )
    Incarico.objects.create(
        utente=user, ambito=ambito_nuovo, ruolo=Incarico.Ruolo.UFFICIO
    )
    return user


@pytest.fixture
def client_staff_nuovo(client, staff_nuovo):
    client.force_login(staff_nuovo)
    return client
