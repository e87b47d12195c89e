"""The three document layouts as data, and each existing plan given the layout of
its regulation version's templates (what it printed until now)."""

from django.db import migrations


def carica(apps, schema_editor):
    from piani.impaginazioni import modelli_documento_carica

    ModelloDocumento = apps.get_model("piani", "ModelloDocumento")
    PianoAnnuale = apps.get_model("piani", "PianoAnnuale")
    modelli_documento_carica(modello=ModelloDocumento)
    for modello in ModelloDocumento.objects.order_by("ordine"):
        PianoAnnuale.objects.filter(
            modello__isnull=True, normativa__cartella_template=modello.cartella_template
        ).update(modello=modello)


class Migration(migrations.Migration):
    dependencies = [
        ("piani", "0002_modello_documento_e_via_testi_predefiniti"),
    ]

    operations = [migrations.RunPython(carica, migrations.RunPython.noop)]
