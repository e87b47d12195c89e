"""Anomalie by the dozen: grouped by check with counts, filterable, acknowledged
in bulk with one reason, all or nothing; another ambito's staff cannot."""

from django.urls import reverse

from piani.anomalie import anomalie_aperte
from piani.models import RiscontroAnomalia

MOTIVO = "Dati confermati dagli enti con nota del 30/10/2025."


def _chiavi(piano):
    return [f"{a.codice}::{a.oggetto}" for a in anomalie_aperte(piano)]


def test_the_dashboard_groups_them_by_check_with_counts(client_staff_a, piano_a):
    aperte = anomalie_aperte(piano_a)
    risposta = client_staff_a.get(reverse("piani:piano_detail", args=[piano_a.pk]))
    gruppi = risposta.context["gruppi_aperti"]
    assert sum(g.quante for g in gruppi) == len(aperte)
    assert [g.quante for g in gruppi] == sorted(
        (g.quante for g in gruppi), reverse=True
    )
    codice = gruppi[-1].codice
    filtrata = client_staff_a.get(
        reverse("piani:piano_detail", args=[piano_a.pk]), {"verifica": codice}
    )
    assert [g.codice for g in filtrata.context["gruppi_aperti"]] == [codice]
    # Words, not codes: the check's label, never its code, heads the group.
    assert f"<strong>{gruppi[0].titolo}</strong>" in risposta.content.decode()


def test_bulk_acknowledgement_with_one_reason(client_staff_a, piano_a, staff_a):
    chiavi = _chiavi(piano_a)
    assert len(chiavi) > 1
    url = reverse("piani:anomalie_riscontra", args=[piano_a.pk])
    risposta = client_staff_a.post(
        url, {"anomalia": chiavi, "motivazione": MOTIVO}, follow=True
    )
    assert f"Presa d'atto registrata per {len(chiavi)} anomalie." in (
        risposta.content.decode().replace("&#x27;", "'")
    )
    riscontri = RiscontroAnomalia.objects.filter(piano=piano_a)
    assert riscontri.count() == len(chiavi)
    assert {r.motivazione for r in riscontri} == {MOTIVO}
    assert {r.utente for r in riscontri} == {staff_a}
    assert anomalie_aperte(piano_a) == []


def test_without_reason_or_with_a_stale_one_nothing_is_saved(client_staff_a, piano_a):
    url = reverse("piani:anomalie_riscontra", args=[piano_a.pk])
    chiavi = _chiavi(piano_a)
    client_staff_a.post(url, {"anomalia": chiavi, "motivazione": "  "})
    assert not RiscontroAnomalia.objects.filter(piano=piano_a).exists()
    risposta = client_staff_a.post(
        url,
        {
            "anomalia": [*chiavi, "totale_assegnabili::Ente inesistente"],
            "motivazione": MOTIVO,
        },
        follow=True,
    )
    assert "non sono più aperte" in risposta.content.decode()
    assert not RiscontroAnomalia.objects.filter(piano=piano_a).exists()


def test_other_ambiti_and_reviewers_cannot(client, staff_b, sindaco_a, piano_a):
    url = reverse("piani:anomalie_riscontra", args=[piano_a.pk])
    dati = {"anomalia": _chiavi(piano_a), "motivazione": MOTIVO}
    client.force_login(staff_b)
    assert client.post(url, dati).status_code == 404
    client.force_login(sindaco_a)
    assert client.post(url, dati).status_code == 403
    assert not RiscontroAnomalia.objects.filter(piano=piano_a).exists()
