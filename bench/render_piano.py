"""Benchmark: the PDF of seed 000's plan (Ambito 9, 2026).

Measures, on a fresh SQLite database loaded with ``carica_esempi``:
- in-process: ``documento_pdf(piano)`` after one warm-up render, N runs (median);
  also the context + template alone (``documento_html``), to show WeasyPrint's share;
- whole command: ``python manage.py piano_pdf valle-seriana-superiore 2026`` in a new
  process, M runs (median), i.e. interpreter start, Django, WeasyPrint import, render;
- cached download: ``documento_pdf_pronto`` when nothing changed (fingerprint of the
  data snapshot, templates and code, then the stored file read back);
- Chromium printing the same HTML (``chromium --headless --print-to-pdf``), M runs,
  for comparison (a new browser process each time, like the whole command).

Writes the results into docs/benchmarks.md, section "## PDF del piano" (the other
sections of the file are left as they are).

    .venv/bin/python bench/render_piano.py [--ripetizioni 5] [--comandi 3] [--no-scrivi]
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RADICE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(RADICE))

from bench.risultati import FILE_RISULTATI, sezione_scrivi  # noqa: E402

TITOLO_SEZIONE = "## PDF del piano"
SLUG, ANNO = "valle-seriana-superiore", 2026
OBIETTIVO_S = 1.0


def _secondi(valore: float) -> str:
    return f"{valore:.2f}".replace(".", ",") + " s"


def _carico() -> str:
    try:
        return " / ".join(f"{x:.2f}".replace(".", ",") for x in os.getloadavg())
    except OSError:  # pragma: no cover - not on Linux
        return "n/d"


def _prepara_ambiente(cartella: Path) -> dict[str, str]:
    """A private SQLite database, so the benchmark never touches real data."""
    ambiente = dict(os.environ)
    ambiente.update(
        {
            "DJANGO_SETTINGS_MODULE": "pianocasa.settings",
            "DJANGO_DEBUG": ambiente.get("DJANGO_DEBUG", "1"),
            "PIANOCASA_VAR_DIR": str(cartella),
            "DATABASE_URL": f"sqlite:///{cartella / 'bench.sqlite3'}",
        }
    )
    return ambiente


def _misura_in_processo(ripetizioni: int) -> dict:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("carica_esempi", verbosity=0)

    from pypdf import PdfReader

    from piani.documento import documento_html, documento_pdf
    from piani.models import PianoAnnuale

    piano = PianoAnnuale.objects.get(ambito__slug=SLUG, anno=ANNO)

    inizio = time.perf_counter()
    pdf = documento_pdf(piano)  # warm-up: imports WeasyPrint, loads the fonts
    primo = time.perf_counter() - inizio

    tempi_pdf, cpu_pdf = [], []
    for _ in range(ripetizioni):
        inizio, inizio_cpu = time.perf_counter(), time.process_time()
        pdf = documento_pdf(piano)
        tempi_pdf.append(time.perf_counter() - inizio)
        cpu_pdf.append(time.process_time() - inizio_cpu)

    tempi_html = []
    for _ in range(ripetizioni):
        inizio = time.perf_counter()
        documento_html(piano)
        tempi_html.append(time.perf_counter() - inizio)

    # The cached download: the first call stores the PDF, the next ones only
    # compute the fingerprint and read the file back.
    from piani.documento import _render
    from piani.documento_cache import documento_pdf_pronto

    # MEDIA_ROOT is under the private PIANOCASA_VAR_DIR.
    documento_pdf_pronto(piano=piano)
    tempi_cache = []
    for _ in range(ripetizioni):
        inizio = time.perf_counter()
        assert documento_pdf_pronto(piano=piano).startswith(b"%PDF")
        tempi_cache.append(time.perf_counter() - inizio)
    html_stampa = _render(piano, "pdf")

    import io

    import weasyprint

    return {
        "cache": tempi_cache,
        "html_stampa": html_stampa,
        "primo": primo,
        "pdf": tempi_pdf,
        "cpu": cpu_pdf,
        "html": tempi_html,
        "pagine": len(PdfReader(io.BytesIO(pdf)).pages),
        "byte": len(pdf),
        "weasyprint": weasyprint.__version__,
        "django": django.get_version(),
    }


def _misura_comando(ambiente: dict[str, str], cartella: Path, ripetizioni: int) -> list:
    uscita = cartella / "piano.pdf"
    comando = [
        sys.executable,
        str(RADICE / "manage.py"),
        "piano_pdf",
        SLUG,
        str(ANNO),
        "--output",
        str(uscita),
        "--verbosity",
        "0",
    ]
    tempi = []
    for _ in range(ripetizioni):
        inizio = time.perf_counter()
        subprocess.run(comando, env=ambiente, check=True, cwd=RADICE)
        tempi.append(time.perf_counter() - inizio)
    return tempi


def _misura_chromium(html: str, cartella: Path, ripetizioni: int) -> list[float]:
    """Chromium printing the same HTML the PDF is made of (new process each run)."""
    import shutil

    eseguibile = shutil.which("chromium") or shutil.which("chromium-browser")
    if not eseguibile:
        return []
    pagina = cartella / "piano.html"
    pagina.write_text(html, encoding="utf-8")
    uscita = cartella / "chromium.pdf"
    comando = [
        eseguibile,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-pdf-header-footer",
        f"--print-to-pdf={uscita}",
        pagina.as_uri(),
    ]
    tempi = []
    for _ in range(ripetizioni):
        inizio = time.perf_counter()
        subprocess.run(comando, check=True, capture_output=True, timeout=120)
        tempi.append(time.perf_counter() - inizio)
    return tempi


def _riga(misura: str, tempi: list[float], grassetto: bool = False) -> str:
    if not tempi:
        return f"| {misura} | n/d | | | 0 |"
    mediana = _secondi(statistics.median(tempi))
    if grassetto:
        mediana = f"**{mediana}**"
    return (
        f"| {misura} | {mediana} | {_secondi(min(tempi))} | {_secondi(max(tempi))} "
        f"| {len(tempi)} |"
    )


def _sezione(
    risultati: dict,
    comando: list[float],
    carico: tuple[str, str],
    chromium: list[float] | None = None,
) -> str:
    pdf = risultati["pdf"]
    mediana = statistics.median(pdf)
    esito = "raggiunto" if mediana <= OBIETTIVO_S else "non raggiunto"
    oggi = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    righe = [
        TITOLO_SEZIONE,
        "",
        f"Seed 000 (Ambito 9, piano {ANNO}): {risultati['pagine']} pagine A4, "
        f"{round(risultati['byte'] / 1024)} kB, PDF con tag. Misurato il {oggi} con "
        f"`bench/render_piano.py` su {os.cpu_count()} core, Python "
        f"{platform.python_version()}, Django {risultati['django']}, WeasyPrint "
        f"{risultati['weasyprint']}, SQLite. Le righe sono misurate nella stessa "
        "esecuzione, una dopo l'altra: confrontarle tra loro.",
        "",
        "| misura | mediana | min | max | esecuzioni |",
        "|---|---|---|---|---|",
        f"| `documento_pdf` in processo (dopo un riscaldamento) | "
        f"**{_secondi(mediana)}** | {_secondi(min(pdf))} | {_secondi(max(pdf))} | "
        f"{len(pdf)} |",
        f"| stesso, tempo di CPU del processo (meno sensibile al carico) | "
        f"{_secondi(statistics.median(risultati['cpu']))} | "
        f"{_secondi(min(risultati['cpu']))} | {_secondi(max(risultati['cpu']))} | "
        f"{len(risultati['cpu'])} |",
        f"| di cui contesto + template (`documento_html`) | "
        f"{_secondi(statistics.median(risultati['html']))} | "
        f"{_secondi(min(risultati['html']))} | {_secondi(max(risultati['html']))} | "
        f"{len(risultati['html'])} |",
        f"| primo `documento_pdf` del processo (import di WeasyPrint, font) | "
        f"{_secondi(risultati['primo'])} | | | 1 |",
        f"| comando intero `manage.py piano_pdf {SLUG} {ANNO}` | "
        f"**{_secondi(statistics.median(comando))}** | {_secondi(min(comando))} | "
        f"{_secondi(max(comando))} | {len(comando)} |",
        _riga(
            "download con il PDF già pronto (`documento_pdf_pronto`, dati invariati)",
            risultati.get("cache", []),
            grassetto=True,
        ),
        _riga(
            "Chromium che stampa lo stesso HTML (`chromium --headless "
            "--print-to-pdf`, processo nuovo)",
            chromium or [],
        ),
        "",
        f"Obiettivo ≤ {_secondi(OBIETTIVO_S)} in processo: **{esito}**.",
        "",
        f"La macchina è condivisa e rumorosa (fino a ~1,5× tra serie; "
        f"carico medio 1/5/15 min: {carico[0]} all'inizio, {carico[1]} alla fine): "
        "confrontare solo cifre misurate nella stessa esecuzione e citare le mediane. "
        "Tempi singoli in processo: "
        + ", ".join(_secondi(t) for t in pdf)
        + "; comando: "
        + ", ".join(_secondi(t) for t in comando)
        + ".",
        "",
    ]
    return "\n".join(righe)


def _scrivi(sezione: str) -> None:
    sezione_scrivi(TITOLO_SEZIONE, sezione)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--ripetizioni", type=int, default=5, help="render in processo (≥ 5)"
    )
    parser.add_argument(
        "--comandi", type=int, default=3, help="esecuzioni del comando (≥ 3)"
    )
    parser.add_argument(
        "--no-scrivi", action="store_true", help="non aggiornare il file"
    )
    argomenti = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-piano-") as temporanea:
        cartella = Path(temporanea)
        ambiente = _prepara_ambiente(cartella)
        os.environ.update(ambiente)
        carico_iniziale = _carico()
        risultati = _misura_in_processo(max(5, argomenti.ripetizioni))
        comando = _misura_comando(ambiente, cartella, max(3, argomenti.comandi))
        chromium = _misura_chromium(
            risultati["html_stampa"], cartella, max(3, argomenti.comandi)
        )
        sezione = _sezione(risultati, comando, (carico_iniziale, _carico()), chromium)

    print(sezione)
    if not argomenti.no_scrivi:
        _scrivi(sezione)
        print(f"Scritto in {FILE_RISULTATI.relative_to(RADICE)}")


if __name__ == "__main__":
    main()
