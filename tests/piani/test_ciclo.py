"""The plan's life: transitions, roles, approval and the frozen document,
revisions (services in piani.ciclo)."""

import hashlib
import io
from datetime import date

import pytest
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.forms import model_to_dict, modelform_factory
from django.urls import reverse
from pypdf import PdfReader

from piani import ciclo
from piani.models import (
    Comunicazione,
    PianoAnnuale,
    PianoCongelato,
    RiscontroAnomalia,
    Sezione,
    Transizione,
    VersioneApprovata,
)

Stato = PianoAnnuale.Stato


# --- helpers shared by the other test_ciclo* modules -------------------------------


@pytest.fixture
def media_tmp(settings, tmp_path):
    """Approved documents go to a throwaway MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def pdf_finto(piano: PianoAnnuale) -> bytes:
    """A cheap renderer: distinct bytes per plan state and revision."""
    return (
        f"%PDF-1.4 finto {piano.ambito.slug} {piano.anno} "
        f"rev{piano.revisione} {piano.stato}\n%%EOF\n"
    ).encode()


def riscontra_tutte(piano: PianoAnnuale, utente) -> int:
    """Acknowledge every open anomalia with a written reason, as staff would."""
    from piani.anomalie import anomalie_aperte

    aperte = anomalie_aperte(piano)
    for a in aperte:
        RiscontroAnomalia.objects.create(
            piano=piano,
            codice=a.codice,
            oggetto=a.oggetto,
            motivazione="Verificato con l'ente: il dato è quello comunicato.",
            utente=utente,
        )
    return len(aperte)


def approva(piano, utente, renderer=pdf_finto, **extra) -> VersioneApprovata:
    return ciclo.piano_approva(
        piano=piano,
        utente=utente,
        organo=extra.get("organo", "Assemblea dei Sindaci"),
        data=extra.get("data", date(2025, 11, 20)),
        luogo=extra.get("luogo", "Clusone"),
        renderer=renderer,
    )


def sha(dati: bytes) -> str:
    return hashlib.sha256(dati).hexdigest()


def url_pdf(piano, revisione: int) -> str:
    return reverse("ciclo:versione_pdf", args=[piano.pk, revisione])


def contenuto(risposta) -> bytes:
    return b"".join(risposta.streaming_content)


# --- the graph ---------------------------------------------------------------------


def test_il_grafo_e_quello_del_piano():
    assert ciclo.GRAFO == {
        (Stato.BOZZA, Stato.RACCOLTA_APERTA),
        (Stato.RACCOLTA_APERTA, Stato.RACCOLTA_CHIUSA),
        (Stato.RACCOLTA_CHIUSA, Stato.APPROVATO),
        (Stato.APPROVATO, Stato.PUBBLICATO),
        (Stato.APPROVATO, Stato.RACCOLTA_CHIUSA),
        (Stato.PUBBLICATO, Stato.RACCOLTA_CHIUSA),
    }


def test_it_refuses_a_transition_outside_the_graph_in_italian(piano_a, staff_a):
    assert piano_a.stato == Stato.RACCOLTA_CHIUSA
    with pytest.raises(ciclo.TransizioneNonAmmessa) as errore:
        ciclo.piano_apri_raccolta(piano=piano_a, utente=staff_a)
    messaggio = " ".join(errore.value.messages)
    assert "«Raccolta chiusa»" in messaggio
    assert "«Raccolta aperta»" in messaggio
    assert "«Approvato»" in messaggio  # where it can go from here
    with pytest.raises(ciclo.TransizioneNonAmmessa):
        ciclo.piano_pubblica(piano=piano_a, utente=staff_a)
    with pytest.raises(ciclo.TransizioneNonAmmessa):
        ciclo.piano_riapri(piano=piano_a, utente=staff_a, motivo="errore")
    piano_a.refresh_from_db()
    assert piano_a.stato == Stato.RACCOLTA_CHIUSA
    assert not piano_a.transizioni.exists()


def test_read_only_users_and_other_ambiti_cannot_move_a_plan(
    piano_a, sindaco_a, staff_b, media_tmp
):
    for utente in (sindaco_a, staff_b):
        with pytest.raises(PermissionDenied):
            approva(piano_a, utente)
        assert not ciclo.puo_eseguire(utente, piano_a, "approva")
    piano_a.refresh_from_db()
    assert piano_a.stato == Stato.RACCOLTA_CHIUSA
    assert not Transizione.objects.filter(piano=piano_a).exists()


def test_the_whole_cycle_is_recorded(piano_a, staff_a, admin_user, media_tmp):
    nuovo = ciclo.piano_successivo(piano=piano_a, utente=staff_a)
    assert nuovo.stato == Stato.BOZZA
    ciclo.piano_apri_raccolta(piano=nuovo, utente=staff_a, nota="Procedimento 5001")
    arrivate = list(nuovo.comunicazioni.order_by("ente__denominazione")[:3])
    for c in arrivate:
        c.esito = Comunicazione.Esito.NON_DISPONIBILITA
        c.save()
    mancanti = ciclo.piano_chiudi_raccolta(piano=nuovo, utente=admin_user)
    attese = set(
        nuovo.comunicazioni.filter(esito="").values_list(
            "ente__denominazione", flat=True
        )
    )
    assert {e.denominazione for e in mancanti} == attese
    assert len(mancanti) == piano_a.comunicazioni.count() - 3
    riscontra_tutte(nuovo, staff_a)
    versione = approva(nuovo, staff_a)
    ciclo.piano_pubblica(piano=nuovo, utente=staff_a)

    passi = list(nuovo.transizioni.order_by("avvenuta_il", "pk"))
    assert [(t.da_stato, t.a_stato) for t in passi] == [
        (Stato.BOZZA, Stato.RACCOLTA_APERTA),
        (Stato.RACCOLTA_APERTA, Stato.RACCOLTA_CHIUSA),
        (Stato.RACCOLTA_CHIUSA, Stato.APPROVATO),
        (Stato.APPROVATO, Stato.PUBBLICATO),
    ]
    assert [t.utente for t in passi] == [staff_a, admin_user, staff_a, staff_a]
    assert passi[0].nota == "Procedimento 5001"
    assert f"Enti senza comunicazione ({len(mancanti)})" in passi[1].nota
    assert "Assemblea dei Sindaci, seduta del 20/11/2025, in Clusone" in passi[2].nota
    assert all(t.avvenuta_il for t in passi)
    nuovo.refresh_from_db()
    assert (nuovo.stato, nuovo.revisione) == (Stato.PUBBLICATO, 1)
    assert ciclo.revisioni_pubblicate(nuovo) == [versione]


def test_approval_needs_every_anomalia_resolved_or_acknowledged(
    piano_a, staff_a, media_tmp
):
    from piani.anomalie import anomalie_aperte

    assert anomalie_aperte(piano_a), "seed 000 has anomalie (g ≠ b+…+f)"
    with pytest.raises(ValidationError) as errore:
        approva(piano_a, staff_a)
    assert "anomalie" in " ".join(errore.value.messages)
    piano_a.refresh_from_db()
    assert (piano_a.stato, piano_a.revisione) == (Stato.RACCOLTA_CHIUSA, 0)
    assert not VersioneApprovata.objects.filter(piano=piano_a).exists()
    assert not default_storage.exists(f"piani/{piano_a.ambito.slug}")


def test_approval_needs_body_date_and_place(piano_a, staff_a):
    with pytest.raises(ValidationError) as errore:
        ciclo.piano_approva(
            piano=piano_a, utente=staff_a, organo=" ", data=None, luogo=""
        )
    assert set(errore.value.message_dict) == {"organo", "data", "luogo"}


def test_reopening_needs_a_reason(piano_a, staff_a, media_tmp):
    riscontra_tutte(piano_a, staff_a)
    approva(piano_a, staff_a)
    with pytest.raises(ValidationError) as errore:
        ciclo.piano_riapri(piano=piano_a, utente=staff_a, motivo="   ")
    assert "motivo" in errore.value.message_dict
    piano_a.refresh_from_db()
    assert piano_a.stato == Stato.APPROVATO


def test_a_failed_render_leaves_nothing_behind(piano_a, staff_a, media_tmp):
    riscontra_tutte(piano_a, staff_a)

    def guasto(piano):
        raise RuntimeError("renderer guasto")

    with pytest.raises(RuntimeError):
        approva(piano_a, staff_a, renderer=guasto)
    piano_a.refresh_from_db()
    assert (piano_a.stato, piano_a.revisione) == (Stato.RACCOLTA_CHIUSA, 0)
    assert not piano_a.transizioni.exists()
    assert not VersioneApprovata.objects.filter(piano=piano_a).exists()


def test_the_snapshot_is_canonical_and_holds_every_row(piano_a, staff_a):
    import json

    riscontra_tutte(piano_a, staff_a)
    primo = ciclo.piano_istantanea(piano_a)
    assert ciclo.piano_istantanea(piano_a) == primo  # deterministic
    dati = json.loads(primo)
    assert (
        json.dumps(dati, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        == primo.decode()
    )
    modelli = {}
    for riga in dati["righe"]:
        modelli[riga["model"]] = modelli.get(riga["model"], 0) + 1
    assert modelli["piani.comunicazione"] == piano_a.comunicazioni.count() == 25
    assert modelli.get("piani.decisionecomune", 0) == piano_a.decisioni.count()
    assert modelli["piani.sezione"] == piano_a.sezioni.count() > 0
    assert modelli["piani.finestraraccolta"] == piano_a.finestre.count()
    assert modelli["piani.riscontroanomalia"] == piano_a.riscontri.count() > 0
    assert modelli["piani.pianoannuale"] == 1
    assert modelli["patrimonio.enteproprietario"] == 25
    assert modelli["ambiti.popolazionecomune"] >= 24
    ardesio = next(
        r
        for r in dati["righe"]
        if r["model"] == "piani.comunicazione"
        and r["fields"]["ente"]
        == piano_a.comunicazioni.get(ente__denominazione__icontains="Ardesio").ente_id
    )
    c = piano_a.comunicazioni.get(ente__denominazione__icontains="Ardesio")
    assert ardesio["fields"]["assegnabili_totale"] == c.assegnabili_totale


# --- the frozen plan: every path refused, the document unchanged --------------------


def _csv_enti(tmp_path, ente: str, totali: int):
    percorso = tmp_path / "enti.csv"
    percorso.write_text(
        f"Ente Proprietario;Numero Alloggi complessivi\n{ente};{totali}\n",
        encoding="utf-8",
    )
    return percorso


@pytest.mark.django_db
def test_seed_000_approved_is_frozen_and_its_pdf_comes_back_byte_for_byte(
    piano_a, staff_a, admin_user, client, media_tmp, tmp_path, rf
):
    from piani.documento import documento_pdf

    assert riscontra_tutte(piano_a, staff_a) > 0
    generati: list[bytes] = []

    def renderer(piano):
        generati.append(documento_pdf(piano))
        return generati[-1]

    v1 = approva(
        piano_a,
        staff_a,
        renderer=renderer,
        organo="Assemblea dei Sindaci",
        data=date(2025, 11, 20),
        luogo="Clusone",
    )
    assert len(generati) == 1
    hash_v1 = sha(generati[0])
    assert v1.sha256_pdf == hash_v1
    assert v1.revisione == 1
    testo = "".join(
        p.extract_text() for p in PdfReader(io.BytesIO(generati[0])).pages[:2]
    )
    assert "Revisione n.\xa01" in testo  # "n. 1" kept on one line
    with default_storage.open(v1.istantanea.name, "rb") as f:
        assert sha(f.read()) == v1.sha256_istantanea

    c = piano_a.comunicazioni.select_related("ente").get(
        ente__denominazione__icontains="Ardesio"
    )
    prima = c.alloggi_totali

    # 1. a ModelForm
    Form = modelform_factory(Comunicazione, fields=["alloggi_totali", "note"])
    form = Form(data={"alloggi_totali": prima + 7, "note": "x"}, instance=c)
    assert form.is_valid(), form.errors
    with pytest.raises(PianoCongelato):
        form.save()

    # 2. the Django admin change view
    modelli_admin = admin.site._registry
    if Comunicazione not in modelli_admin:  # pragma: no cover - the lead registers it
        admin.site.register(Comunicazione)
    model_admin = admin.site._registry[Comunicazione]
    richiesta = rf.get("/")
    richiesta.user = admin_user
    campi = model_admin.get_form(richiesta, c).base_fields
    dati = {
        k: ("" if v is None else v)
        for k, v in model_to_dict(c, fields=list(campi)).items()
    }
    dati["alloggi_totali"] = prima + 7
    client.force_login(admin_user)
    url = reverse("admin:piani_comunicazione_change", args=[c.pk])
    risposta = client.post(url, dati, follow=True)
    assert risposta.redirect_chain == [(url, 302)]
    assert "approvato o pubblicato" in risposta.content.decode()

    # 3. the import of the per-ente table (patrimonio.services)
    from piani.importazioni import comunicazioni_importa

    percorso = _csv_enti(tmp_path, c.ente.denominazione, prima + 7)
    piano_fresco = PianoAnnuale.objects.get(pk=piano_a.pk)
    esito = comunicazioni_importa(piano=piano_fresco, percorso=percorso, scrivi=True)
    assert esito.errori and not esito.scritto
    # …and with a stale instance the service skips its own check: the models refuse.
    piano_vecchio = PianoAnnuale.objects.get(pk=piano_a.pk)
    piano_vecchio.stato = Stato.RACCOLTA_CHIUSA
    with pytest.raises(PianoCongelato):
        comunicazioni_importa(piano=piano_vecchio, percorso=percorso, scrivi=True)

    # 4. services
    from piani.services import comunicazione_aggiorna

    with pytest.raises(PianoCongelato):
        comunicazione_aggiorna(
            comunicazione=c,
            dati={"alloggi_totali": prima + 7},
            versione=c.versione,
            utente=staff_a,
        )
    with pytest.raises(PianoCongelato):
        Sezione.objects.create(piano=piano_a, chiave="nuova", testo="x")
    with pytest.raises(PianoCongelato):
        c.delete()
    with pytest.raises(PianoCongelato):
        piano_a.id_piattaforma = "999"
        piano_a.save()

    c.refresh_from_db()
    assert c.alloggi_totali == prima
    v1.refresh_from_db()
    client.force_login(staff_a)
    servito = contenuto(client.get(url_pdf(piano_a, 1)))
    assert sha(servito) == hash_v1

    # Reopening and a second approval: revision 1 is still served identical.
    piano_a.refresh_from_db()
    ciclo.piano_riapri(
        piano=piano_a, utente=staff_a, motivo="Correzione della consistenza di Ardesio"
    )
    c.refresh_from_db()
    c.alloggi_totali = prima + 1
    c.save()
    riscontra_tutte(piano_a, staff_a)
    v2 = approva(piano_a, staff_a, renderer=renderer, data=date(2025, 12, 15))
    assert v2.revisione == 2
    assert v2.motivo_revisione == "Correzione della consistenza di Ardesio"
    assert v2.sha256_pdf != hash_v1
    testo2 = "".join(
        p.extract_text() for p in PdfReader(io.BytesIO(generati[-1])).pages[:2]
    )
    assert "Revisione n.\xa02" in testo2
    servito1 = contenuto(
        client.get(reverse("ciclo:versione_pdf", args=[piano_a.pk, 1]))
    )
    servito2 = contenuto(
        client.get(reverse("ciclo:versione_pdf", args=[piano_a.pk, 2]))
    )
    assert sha(servito1) == hash_v1
    assert servito1 == generati[0]
    assert sha(servito2) == v2.sha256_pdf
    assert len(generati) == 2  # rendered once per approval, never when served
    assert all(e.ok for e in ciclo.versioni_verifica())


def test_the_current_version_is_the_latest_approved_while_frozen(
    piano_a, staff_a, media_tmp
):
    assert ciclo.versione_corrente(piano_a) is None
    riscontra_tutte(piano_a, staff_a)
    v1 = approva(piano_a, staff_a)
    piano_a.refresh_from_db()
    assert ciclo.versione_corrente(piano_a) == v1
    assert ciclo.versione_pdf(v1) == pdf_finto(piano_a)
    ciclo.piano_riapri(piano=piano_a, utente=staff_a, motivo="Correzione")
    piano_a.refresh_from_db()
    assert ciclo.versione_corrente(piano_a) is None  # open again: a draft
    v2 = approva(piano_a, staff_a)
    piano_a.refresh_from_db()
    assert ciclo.versione_corrente(piano_a) == v2
    assert ciclo.versione_pdf(v1) != ciclo.versione_pdf(v2)
