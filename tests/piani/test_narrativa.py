"""The plan's own narrative: staff add, retitle, reorder and delete sections and
strategy paragraphs; the document prints exactly those; frozen plans refuse."""

import pytest
from django.urls import reverse

from ambiti.models import Ambito
from misure.models import Bando
from piani import services
from piani.documento import documento_html
from piani.models import PianoAnnuale, PianoCongelato, Sezione, SottosezioneStrategie
from tests.piani.test_documento_cifre import leggi_html


def _congela(piano: PianoAnnuale) -> None:
    PianoAnnuale.objects.filter(pk=piano.pk).update(stato=PianoAnnuale.Stato.APPROVATO)


# --- services and the document ------------------------------------------------------


def test_an_added_section_prints_after_the_one_before_it(piano_a, staff_a):
    nuova = services.sezione_crea(
        piano=piano_a,
        titolo="Il tavolo casa dei sindaci",
        testo="Il tavolo si è riunito tre volte nell'anno.",
        utente=staff_a,
    )
    # At the end: it follows the last section (alloggi temporanei).
    testo = leggi_html(documento_html(piano_a))
    assert testo.index("Il tavolo si è riunito tre volte") > testo.index(
        "4. Piano Annuale 2026 alloggi temporanei"
    )

    # Moved up until it follows the premessa.
    for _ in range(piano_a.sezioni.count() - 2):
        services.sezione_sposta(sezione=nuova, su=True, utente=staff_a)
    pagina = documento_html(piano_a)
    corpo = pagina[pagina.index('<main class="corpo">') :]
    posizione = corpo.index(f'id="sezione-{nuova.pk}"')
    assert corpo.index('id="premessa"') < posizione < corpo.index('id="contesto"')
    # The sommario lists it, linked to its heading.
    assert f'href="#sezione-{nuova.pk}"' in pagina
    assert f'id="sezione-{nuova.pk}"' in pagina


def test_a_retitled_section_prints_its_new_title(piano_a, staff_a):
    sezione = Sezione.objects.get(piano=piano_a, chiave="strategie")
    services.sezione_aggiorna(
        sezione=sezione,
        dati={"titolo": "3. Misure per la casa", "testo": sezione.testo},
        versione=sezione.versione,
        utente=staff_a,
    )

    testo = leggi_html(documento_html(piano_a))

    assert "3. Misure per la casa" in testo
    assert "3. Strategie a sostegno dell'emergenza abitativa" not in testo


def test_a_deleted_section_is_not_printed(piano_b, staff_b):
    sezione = Sezione.objects.get(piano=piano_b, chiave="piano_di_zona")
    frase = sezione.testo.split(".")[0]
    assert frase in documento_html(piano_b)

    services.sezione_elimina(sezione=sezione, utente=staff_b)

    assert frase not in documento_html(piano_b)


def test_sections_of_a_frozen_plan_cannot_change(piano_a, staff_a):
    sezione = Sezione.objects.get(piano=piano_a, chiave="premessa")
    _congela(piano_a)

    with pytest.raises(PianoCongelato):
        services.sezione_crea(piano=piano_a, titolo="Altro", testo="", utente=staff_a)
    with pytest.raises(PianoCongelato):
        services.sezione_elimina(sezione=sezione, utente=staff_a)
    with pytest.raises(PianoCongelato):
        services.sezione_sposta(sezione=sezione, su=False, utente=staff_a)
    assert Sezione.objects.filter(pk=sezione.pk).exists()


def test_an_added_key_never_takes_a_placed_sections_place(piano_a, staff_a):
    Sezione.objects.filter(piano=piano_a, chiave="premessa").delete()

    nuova = services.sezione_crea(
        piano=piano_a, titolo="Premessa", testo="Nuovo testo.", utente=staff_a
    )

    assert nuova.chiave != "premessa"


def test_strategy_paragraphs_are_added_moved_and_deleted(piano_a, staff_a):
    bando = Bando.objects.filter(ambito=piano_a.ambito).first()
    nuovo = services.sottosezione_crea(
        piano=piano_a,
        dati={"titolo": "3.4 Fondo di garanzia", "bando": None, "testo": "Avviato."},
        utente=staff_a,
    )
    testo = leggi_html(documento_html(piano_a))
    assert testo.index("3.4 Fondo di garanzia") > testo.index("3.3 DGR XII/1001")

    services.sottosezione_sposta(sottosezione=nuovo, su=True, utente=staff_a)
    testo = leggi_html(documento_html(piano_a))
    assert testo.index("3.4 Fondo di garanzia") < testo.index("3.3 DGR XII/1001")

    services.sottosezione_aggiorna(
        sottosezione=nuovo,
        dati={"titolo": "3.4 Garanzia", "bando": bando, "testo": "Avviato."},
        utente=staff_a,
    )
    assert SottosezioneStrategie.objects.get(pk=nuovo.pk).bando == bando

    services.sottosezione_elimina(sottosezione=nuovo, utente=staff_a)
    assert "3.4 Garanzia" not in leggi_html(documento_html(piano_a))


# --- the pages ----------------------------------------------------------------------


def test_the_narrative_page_lists_sections_in_order(
    client_staff_a, piano_a, django_assert_num_queries
):
    url = reverse("piani:narrativa", args=[piano_a.pk])
    with django_assert_num_queries(7):
        risposta = client_staff_a.get(url)

    pagina = risposta.content.decode()
    assert risposta.status_code == 200
    assert pagina.index("Premessa") < pagina.index("1.1 Servizi di accesso alla casa")
    assert "3.2 DGR XI/6491" in pagina
    assert reverse("piani:sezione_create", args=[piano_a.pk]) in pagina


def test_the_narrative_page_costs_the_same_with_more_sections(
    client_staff_a, piano_a, staff_a, django_assert_num_queries
):
    url = reverse("piani:narrativa", args=[piano_a.pk])
    for n in range(5):
        services.sezione_crea(
            piano=piano_a, titolo=f"Extra {n}", testo="", utente=staff_a
        )
    with django_assert_num_queries(7):
        client_staff_a.get(url)


def test_the_sindaco_reads_the_narrative_page_without_actions(
    client_sindaco_a, piano_a
):
    risposta = client_sindaco_a.get(reverse("piani:narrativa", args=[piano_a.pk]))

    assert risposta.status_code == 200
    assert reverse("piani:sezione_create", args=[piano_a.pk]) not in (
        risposta.content.decode()
    )


def test_staff_add_a_section_from_the_page(client_staff_a, piano_a):
    risposta = client_staff_a.post(
        reverse("piani:sezione_create", args=[piano_a.pk]),
        {"titolo": "Osservatorio abitativo", "testo": "Dati dell'osservatorio."},
    )

    assert risposta.status_code == 302
    assert piano_a.sezioni.filter(titolo="Osservatorio abitativo").exists()
    assert "Dati dell&#x27;osservatorio." in documento_html(piano_a) or (
        "Dati dell'osservatorio." in documento_html(piano_a)
    )


def test_a_section_needs_a_title(client_staff_a, piano_a):
    risposta = client_staff_a.post(
        reverse("piani:sezione_create", args=[piano_a.pk]),
        {"titolo": " ", "testo": "Senza titolo."},
    )

    assert risposta.status_code == 200
    assert "Il titolo della nuova sezione è obbligatorio." in (
        risposta.content.decode()
    )


def test_staff_move_and_delete_from_the_page(client_staff_a, piano_a):
    ultima, penultima = list(piano_a.sezioni.order_by("-ordine", "-pk"))[:2]

    client_staff_a.post(
        reverse("piani:sezione_sposta", args=[ultima.pk]), {"direzione": "su"}
    )
    ordine = list(piano_a.sezioni.order_by("ordine", "pk"))
    assert ordine[-1] == penultima
    assert ordine[-2] == ultima

    risposta = client_staff_a.post(reverse("piani:sezione_delete", args=[ultima.pk]))
    assert risposta.status_code == 302
    assert not Sezione.objects.filter(pk=ultima.pk).exists()


def test_staff_edit_a_strategy_paragraph_from_the_page(client_staff_a, piano_a):
    paragrafo = piano_a.sottosezioni_strategie.order_by("ordine").first()
    url = reverse("piani:sottosezione_update", args=[paragrafo.pk])
    assert client_staff_a.get(url).status_code == 200

    risposta = client_staff_a.post(
        url,
        {"titolo": "3.1 Contributi 2021", "bando": paragrafo.bando_id, "testo": ""},
    )

    assert risposta.status_code == 302
    paragrafo.refresh_from_db()
    assert paragrafo.titolo == "3.1 Contributi 2021"


def test_a_paragraph_takes_only_the_ambitos_bandi(client_staff_a, piano_a, piano_b):
    altro = Bando.objects.filter(ambito=piano_b.ambito).first()
    risposta = client_staff_a.post(
        reverse("piani:sottosezione_create", args=[piano_a.pk]),
        {"titolo": "3.9 Prova", "bando": altro.pk, "testo": ""},
    )

    assert risposta.status_code == 200
    assert not piano_a.sottosezioni_strategie.filter(titolo="3.9 Prova").exists()


def test_a_frozen_plan_refuses_from_the_page(client_staff_a, piano_a):
    sezione = piano_a.sezioni.first()
    _congela(piano_a)

    risposta = client_staff_a.post(
        reverse("piani:sezione_delete", args=[sezione.pk]), follow=True
    )

    assert Sezione.objects.filter(pk=sezione.pk).exists()
    assert "approvato o pubblicato" in risposta.content.decode()


def _url_scrittura(piano_a) -> list[tuple[str, dict]]:
    sezione = piano_a.sezioni.first()
    paragrafo = piano_a.sottosezioni_strategie.first()
    return [
        (reverse("piani:sezione_create", args=[piano_a.pk]), {"titolo": "X"}),
        (reverse("piani:sezione_delete", args=[sezione.pk]), {}),
        (reverse("piani:sezione_sposta", args=[sezione.pk]), {"direzione": "giu"}),
        (reverse("piani:sottosezione_create", args=[piano_a.pk]), {"titolo": "X"}),
        (reverse("piani:sottosezione_update", args=[paragrafo.pk]), {"titolo": "X"}),
        (reverse("piani:sottosezione_delete", args=[paragrafo.pk]), {}),
        (reverse("piani:sottosezione_sposta", args=[paragrafo.pk]), {}),
    ]


def test_the_sindaco_gets_403_on_every_write(client_sindaco_a, piano_a):
    prima = piano_a.sezioni.count(), piano_a.sottosezioni_strategie.count()
    for url, dati in _url_scrittura(piano_a):
        assert client_sindaco_a.post(url, dati).status_code == 403, url
    assert (piano_a.sezioni.count(), piano_a.sottosezioni_strategie.count()) == prima


def test_another_ambitos_staff_get_404(client_staff_b, piano_a):
    assert (
        client_staff_b.get(reverse("piani:narrativa", args=[piano_a.pk])).status_code
        == 404
    )
    for url, dati in _url_scrittura(piano_a):
        assert client_staff_b.post(url, dati).status_code == 404, url


def test_anonymous_users_are_sent_to_login(client, piano_a):
    for url in [reverse("piani:narrativa", args=[piano_a.pk])] + [
        u for u, _ in _url_scrittura(piano_a)
    ]:
        risposta = client.post(url) if "narrativa" not in url else client.get(url)
        assert risposta.status_code == 302, url
        assert reverse("login") in risposta["Location"]


# --- «Ambito» never twice, years without a thousands separator ----------------------


def test_an_ambito_named_ambito_is_not_printed_twice(db):
    ambito = Ambito(numero=7, nome="Ambito Lario Orientale", slug="x", provincia="LC")
    assert str(ambito) == "Ambito 7 – Lario Orientale"
    assert ambito.nome_con_ambito == "Ambito Lario Orientale"
    assert Ambito(nome="Valle Seriana").nome_con_ambito == "Ambito Valle Seriana"
    assert (
        str(Ambito(numero=9, nome="Valle Seriana Superiore"))
        == "Ambito 9 – Valle Seriana Superiore"
    )
    assert str(Ambito(numero=3, nome="Ambito territoriale n. 3 Brembo")) == (
        "Ambito 3 – Brembo"
    )


def test_the_new_ambitos_documents_never_say_ambito_twice(ambito_nuovo):
    from tests.piani.test_piano_nuovo import _crea

    for anno, normativa, modello in (
        (2026, "rr-2-2025", "rr-2-2025"),
        (2023, "rr-4-2017", "comunicato-45-2019"),
        (2022, "rr-4-2017", "art-4-c-3"),
    ):
        pagina = documento_html(_crea(ambito_nuovo, anno, normativa, modello))
        assert "Ambito Ambito" not in pagina
        assert "Ambito Lario Orientale" in pagina


def test_years_print_without_a_thousands_separator(client_staff_a, piano_a):
    pagine = [
        client_staff_a.get(reverse("piani:piano_list")),
        client_staff_a.get(reverse("ambiti:ambito_detail", args=[piano_a.ambito.slug])),
        client_staff_a.get(reverse("piani:narrativa", args=[piano_a.pk])),
    ]
    for risposta in pagine:
        pagina = risposta.content.decode()
        assert risposta.status_code == 200
        assert "2026" in pagina, risposta.request["PATH_INFO"]
        assert "2.026" not in pagina


def test_the_registry_table_prints_the_year_of_construction_plainly(rf, ambito_nuovo):
    from patrimonio.models import Alloggio
    from patrimonio.tables import AlloggioTable

    alloggio = Alloggio.objects.get(codice="PROVA-LARIO-1")
    alloggio.anno_costruzione = 1975
    alloggio.save()

    html = AlloggioTable([alloggio]).as_html(rf.get("/"))

    assert ">1975<" in html
    assert "1.975" not in html
