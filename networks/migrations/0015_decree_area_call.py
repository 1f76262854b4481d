from django.db import migrations, models


def names_of_adopted_decrees(apps, schema_editor):
    """Give each decree the area's name and the call's title of today, the only ones known."""
    Decree = apps.get_model("networks", "Decree")
    for decree in Decree.objects.select_related("application__area", "application__call"):
        area = decree.application.area
        decree.area_name = area.name if area else ""
        decree.call_title = decree.application.call.title
        decree.save(update_fields=["area_name", "call_title"])


class Migration(migrations.Migration):
    dependencies = [("networks", "0014_proposal_withdrawn")]

    operations = [
        migrations.AddField(
            model_name="decree",
            name="area_name",
            field=models.CharField(
                blank=True, max_length=120, verbose_name="area economico-professionale"
            ),
        ),
        migrations.AddField(
            model_name="decree",
            name="call_title",
            field=models.CharField(blank=True, max_length=255, verbose_name="avviso"),
        ),
        migrations.RunPython(names_of_adopted_decrees, migrations.RunPython.noop),
    ]
