from django.db import migrations, models
from django.db.models import F


def rendered_when_adopted(apps, schema_editor):
    """Date the decrees already rendered by their adoption, the only time known for them."""
    Decree = apps.get_model("networks", "Decree")
    Decree.objects.filter(render_status="rendered").update(rendered_at=F("adopted_at"))


class Migration(migrations.Migration):
    dependencies = [("networks", "0011_decree_recognition_school_years")]

    operations = [
        migrations.AddField(
            model_name="call",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, verbose_name="ultima modifica"),
        ),
        migrations.AddField(
            model_name="economicarea",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, verbose_name="ultima modifica"),
        ),
        migrations.AddField(
            model_name="decree",
            name="rendered_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="generato il"),
        ),
        migrations.RunPython(rendered_when_adopted, migrations.RunPython.noop),
        migrations.RemoveIndex(model_name="decree", name="decree_register_version"),
        migrations.AddIndex(
            model_name="decree",
            index=models.Index(
                condition=models.Q(("kind", "approval"), ("render_status", "rendered")),
                fields=["rendered_at"],
                name="decree_register_version",
            ),
        ),
        migrations.AddConstraint(
            model_name="decree",
            constraint=models.CheckConstraint(
                condition=models.Q(rendered_at__isnull=False) | ~models.Q(render_status="rendered"),
                name="decree_rendered_at_when_rendered",
            ),
        ),
    ]
