"""The regulation versions as reference data: a deployment without the seed plans
can create its first plan (before this, only the seed loader created them)."""

from django.db import migrations


def carica(apps, schema_editor):
    from piani.impaginazioni import versioni_normative_carica

    versioni_normative_carica(modello=apps.get_model("piani", "VersioneNormativa"))


class Migration(migrations.Migration):
    dependencies = [
        ("piani", "0005_nomi_italiani"),
    ]

    operations = [migrations.RunPython(carica, migrations.RunPython.noop)]
