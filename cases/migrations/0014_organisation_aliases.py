from django.db import migrations, models


def seed_aliases(apps, schema_editor):
    from cases.demo.aliases import apply_aliases

    apply_aliases(apps.get_model("cases", "Organisation"))


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0013_contribution_upload_stored_size"),
    ]

    operations = [
        migrations.AddField(
            model_name="organisation",
            name="aliases",
            field=models.TextField(
                blank=True,
                help_text=(
                    "Other names people search for, one a line: abbreviations and short names "
                    "(GMP, the Met, Met Police). Search finds the organisation's cases by them."
                ),
            ),
        ),
        migrations.RunPython(seed_aliases, migrations.RunPython.noop),
    ]
