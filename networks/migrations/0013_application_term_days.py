import django.core.validators
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def terms_of_filed_applications(apps, schema_editor):
    """Give each filed application the term its call has: the one value it had so far."""
    Application = apps.get_model("networks", "Application")
    Call = apps.get_model("networks", "Call")
    Application.objects.exclude(status="draft").update(
        term_days=Subquery(Call.objects.filter(pk=OuterRef("call_id")).values("term_days")[:1])
    )


class Migration(migrations.Migration):
    dependencies = [("networks", "0012_register_version_stamps")]

    operations = [
        migrations.AlterField(
            model_name="call",
            name="term_days",
            field=models.PositiveSmallIntegerField(
                default=30,
                help_text="Giorni entro cui concludere il procedimento (art. 2 L. 241/1990): 30 se l'avviso non dice altro, al più 180. Ogni domanda registra il termine del giorno in cui è presentata: una modifica vale per le domande presentate dopo.",
                validators=[
                    django.core.validators.MinValueValidator(
                        1, "Il termine del procedimento è di almeno 1 giorno."
                    ),
                    django.core.validators.MaxValueValidator(
                        180,
                        "Il termine del procedimento non può superare %(limit_value)s giorni (art. 2, comma 4, L. 241/1990).",
                    ),
                ],
                verbose_name="termine del procedimento (giorni)",
            ),
        ),
        migrations.AddField(
            model_name="application",
            name="term_days",
            field=models.PositiveSmallIntegerField(
                blank=True, null=True, verbose_name="termine del procedimento (giorni)"
            ),
        ),
        migrations.RunPython(terms_of_filed_applications, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="application",
            constraint=models.CheckConstraint(
                condition=models.Q(("status", "draft")) | models.Q(("term_days__isnull", False)),
                name="application_term_when_filed",
            ),
        ),
    ]
