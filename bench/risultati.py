"""docs/benchmarks.md: one section per benchmark; each script replaces its own."""

from pathlib import Path

FILE_RISULTATI = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"
INTESTAZIONE = (
    "# Benchmark\n\n"
    "Una sezione per misura; ogni script in `bench/` aggiorna la sua e lascia le "
    "altre. Tutte insieme: `bench/run`.\n\n"
)


def sezione_scrivi(titolo: str, sezione: str, *, file: Path = FILE_RISULTATI) -> None:
    """Replace (or add) the section whose heading line is ``titolo`` (e.g.
    "## PDF del piano"); ``sezione`` starts with that heading."""
    testo = file.read_text(encoding="utf-8") if file.exists() else INTESTAZIONE
    righe = testo.splitlines(keepends=True)
    inizio = next((i for i, r in enumerate(righe) if r.strip() == titolo), None)
    sezione = sezione.rstrip("\n") + "\n"
    if inizio is None:
        testo = testo.rstrip("\n") + "\n\n" + sezione
    else:
        fine = next(
            (j for j in range(inizio + 1, len(righe)) if righe[j].startswith("## ")),
            len(righe),
        )
        dopo = "".join(righe[fine:])
        testo = "".join(righe[:inizio]) + sezione + ("\n" + dopo if dopo else "")
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text(testo, encoding="utf-8")
