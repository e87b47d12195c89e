"""The admin in Italian, with names (never bare IDs) in its popups, and choices
scoped to the user's ambiti everywhere: admin selects and autocompletes, the
alloggi filter, the ente↔ambito link."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.urls import reverse

from ambiti.models import Ambito, Comune, Incarico
from patrimonio.models import EnteDellAmbito, EnteProprietario

APP_DEL_PROGETTO = {"ambiti", "patrimonio", "piani", "misure"}


def _modelli_registrati():
    return [m for m in admin.site._registry if m._meta.app_label in APP_DEL_PROGETTO]


def test_every_registered_model_and_field_has_an_explicit_italian_name():
    senza_nome = []
    for modello in _modelli_registrati():
        if "verbose_name" not in modello._meta.original_attrs:
            senza_nome.append(modello._meta.label)
        for campo in modello._meta.get_fields():
            if not campo.concrete or campo.auto_created:
                continue
            # Django keeps the verbose_name as written (None when it was derived
            # from the attribute name).
            if campo._verbose_name is None:
                senza_nome.append(f"{modello._meta.label}.{campo.name}")
    assert senza_nome == []
    assert len(_modelli_registrati()) >= 25


def test_every_app_has_an_italian_verbose_name():
    for etichetta in APP_DEL_PROGETTO:
        config = apps.get_app_config(etichetta)
        assert config.verbose_name != etichetta.capitalize()


@pytest.mark.django_db
def test_no_admin_shows_a_bare_id_for_a_related_object():
    for modello, modello_admin in admin.site._registry.items():
        if modello._meta.app_label in APP_DEL_PROGETTO:
            assert not modello_admin.raw_id_fields, modello._meta.label
    assert str(Comune.objects.get(nome="Clusone")) == "Clusone"


@pytest.mark.django_db
def test_the_admin_speaks_italian(client, admin_user):
    client.force_login(admin_user)
    testo = client.get("/admin/").content.decode()
    assert "pianocasa – amministrazione" in testo
    assert "Ambiti territoriali e comuni" in testo
    testo = client.get(reverse("admin:patrimonio_entedellambito_add")).content.decode()
    assert "Ente dell&#x27;ambito" in testo or "ente dell&#x27;ambito" in testo
    assert "Comune di sede" in testo


@pytest.mark.django_db
def test_ambito_is_never_printed_twice(ambito_a):
    assert str(ambito_a) == "Ambito 9 – Valle Seriana Superiore e Valle di Scalve"
    assert str(Ambito(numero=3, nome="Ambito Oglio Po")) == "Ambito 3 – Oglio Po"


@pytest.fixture
def operatore_a(ambito_a):
    """Staff of ambito A allowed into the admin for the registry, not a superuser."""
    utente = get_user_model().objects.create_user(
        "t.operatore.a", password="pw-test-123", is_staff=True
    )
    utente.user_permissions.set(
        [
            *Permission.objects.filter(
                content_type__app_label="patrimonio",
                content_type__model__in=["alloggio", "entedellambito"],
            ),
            Permission.objects.get(codename="view_comune"),
        ]
    )
    Incarico.objects.create(utente=utente, ambito=ambito_a, ruolo="ufficio")
    return utente


@pytest.mark.django_db
def test_admin_selects_offer_only_the_users_ambito(client, operatore_a, admin_user):
    client.force_login(operatore_a)
    risposta = client.get(reverse("admin:patrimonio_entedellambito_add"))
    assert risposta.status_code == 200
    modulo = risposta.context["adminform"].form
    enti = set(modulo.fields["ente"].queryset.values_list("denominazione", flat=True))
    assert "Comune di Clusone" in enti
    assert "ALER Bergamo - Lecco - Sondrio" in enti
    assert "Comune di Albino" not in enti  # ambito B
    assert "ALER Milano" not in enti  # not of this territory
    comuni = set(modulo.fields["comune"].queryset.values_list("nome", flat=True))
    assert "Clusone" in comuni and "Albino" not in comuni and len(comuni) == 24
    assert list(modulo.fields["ambito"].queryset.values_list("slug", flat=True)) == [
        "valle-seriana-superiore"
    ]

    client.force_login(admin_user)
    modulo = (
        client.get(reverse("admin:patrimonio_entedellambito_add"))
        .context["adminform"]
        .form
    )
    assert modulo.fields["ente"].queryset.filter(denominazione="ALER Milano").exists()


@pytest.mark.django_db
def test_admin_autocomplete_offers_only_the_users_comuni(client, operatore_a):
    client.force_login(operatore_a)
    risposta = client.get(
        "/admin/autocomplete/",
        {
            "app_label": "patrimonio",
            "model_name": "alloggio",
            "field_name": "comune",
            "term": "Al",
        },
    )
    assert risposta.status_code == 200
    nomi = {r["text"] for r in risposta.json()["results"]}
    assert "Albino" not in nomi and "Alzano Lombardo" not in nomi  # ambito B
    assert "Valbondione" in nomi and "Valgoglio" in nomi  # ambito A
    assert "Almenno San Bartolomeo" not in nomi  # no ambito


@pytest.mark.django_db
def test_an_ente_linked_with_a_comune_outside_the_ambito_is_an_error(ambito_a):
    ente = EnteProprietario.objects.create(
        tipo=EnteProprietario.Tipo.ALTRO, denominazione="Fondazione di prova"
    )
    link = EnteDellAmbito(
        ambito=ambito_a, ente=ente, comune=Comune.objects.get(nome="Albino")
    )
    with pytest.raises(ValidationError) as errore:
        link.full_clean()
    assert "Il comune Albino non fa parte dell'ambito" in str(errore.value)
    link.comune = Comune.objects.get(nome="Clusone")
    link.full_clean()


@pytest.mark.django_db
def test_alloggi_filter_offers_only_the_users_enti(client_staff_a):
    risposta = client_staff_a.get(reverse("patrimonio:alloggio_list"))
    assert risposta.status_code == 200
    pagina = risposta.content.decode()
    # Suggested in the ente box's datalist, never another ambito's.
    elenco = pagina[pagina.index('id="id_ente-suggerimenti"') :]
    elenco = elenco[: elenco.index("</datalist>")]
    assert '<option value="Comune di Clusone">' in elenco
    assert "Comune di Albino" not in elenco
    assert 'list="id_ente-suggerimenti"' in pagina


@pytest.mark.django_db
def test_alloggi_filter_by_name_keeps_to_the_users_ambiti(client_staff_a, client):
    from patrimonio.models import Alloggio

    for nome in ("Clusone", "Albino"):
        comune = Comune.objects.get(nome=nome)
        ente = EnteProprietario.objects.get(denominazione=f"Comune di {nome}")
        Alloggio.objects.bulk_create(
            Alloggio(
                codice=f"{nome[:3]}-{n:03d}",
                ente=ente,
                comune=comune,
                servizio="SAP",
                stato="occupato",
            )
            for n in range(30)
        )
    risposta = client_staff_a.get(
        reverse("patrimonio:alloggio_list"), {"comune": "Clus"}
    )
    codici = {riga.record.codice for riga in risposta.context["table"].page.object_list}
    attesi = set(
        Alloggio.objects.filter(comune__nome="Clusone")
        .order_by("codice")
        .values_list("codice", flat=True)[:25]
    )
    assert codici == attesi and codici
    # Albino is another ambito's: no row, even when asked for by name.
    risposta = client_staff_a.get(
        reverse("patrimonio:alloggio_list"), {"comune": "Albino"}
    )
    assert risposta.context["table"].paginator.count == 0


@pytest.mark.django_db
def test_a_comune_ente_linked_to_another_comune_is_an_error():
    ente = EnteProprietario(
        tipo=EnteProprietario.Tipo.COMUNE,
        denominazione="Comune di Mortara",
        comune=Comune.objects.get(nome="Gambolò"),
    )
    with pytest.raises(ValidationError) as errore:
        ente.full_clean()
    assert "«Comune di Mortara» non corrisponde al comune scelto (Gambolò)" in str(
        errore.value
    )
    ente.comune = Comune.objects.get(nome="Mortara")
    ente.full_clean()
