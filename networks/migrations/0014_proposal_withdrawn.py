from django.db import migrations, models


def close_proposals_of_withdrawn_applications(apps, schema_editor):
    """A proposal left pending by a withdrawal was never decided: say so."""
    Proposal = apps.get_model("networks", "Proposal")
    for proposal in Proposal.objects.filter(outcome="pending", application__status="withdrawn"):
        withdrawal = proposal.application.events.filter(action="withdraw").order_by("-at").first()
        proposal.outcome = "withdrawn"
        proposal.decided_at = withdrawal.at if withdrawal else None
        proposal.save(update_fields=["outcome", "decided_at"])


class Migration(migrations.Migration):
    dependencies = [
        ("networks", "0013_application_term_days"),
    ]

    operations = [
        migrations.AlterField(
            model_name="proposal",
            name="outcome",
            field=models.CharField(
                choices=[
                    ("pending", "In attesa del dirigente"),
                    ("adopted", "Adottata"),
                    ("returned", "Rinviata all'istruttore"),
                    ("withdrawn", "Non decisa: domanda ritirata"),
                ],
                default="pending",
                max_length=20,
                verbose_name="esito",
            ),
        ),
        migrations.RunPython(close_proposals_of_withdrawn_applications, migrations.RunPython.noop),
    ]
