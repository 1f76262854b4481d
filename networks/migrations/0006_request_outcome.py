"""Requests record how they closed: answered, lapsed, or closed by a withdrawal.

Before, a closed request only had ``answered_at`` and ``answer``, and a
withdrawal's reason was stored as the request's answer. ``answered_at``
becomes ``closed_at``; existing rows get their outcome from what closed them.
"""

from django.db import migrations, models
from django.db.models import Q

SUSPENDING = ("integration_requested", "rejection_notice")


def record_outcomes(apps, schema_editor):
    ProcedureRequest = apps.get_model("networks", "ProcedureRequest")
    AuditEvent = apps.get_model("networks", "AuditEvent")
    withdrawn_in_suspension = set(
        AuditEvent.objects.filter(action="withdraw", from_status__in=SUSPENDING).values_list(
            "application_id", flat=True
        )
    )
    closed = ProcedureRequest.objects.filter(closed_at__isnull=False).order_by(
        "application_id", "-created_at"
    )
    seen = set()
    for request in closed:
        last_of_application = request.application_id not in seen
        seen.add(request.application_id)
        if last_of_application and request.application_id in withdrawn_in_suspension:
            request.outcome, request.answer = "withdrawn", ""
        elif request.kind == "rejection_notice" and not request.answer:
            request.outcome = "lapsed"
        else:
            request.outcome = "answered"
        request.save(update_fields=["outcome", "answer"])


class Migration(migrations.Migration):

    dependencies = [
        ("networks", "0005_document_request"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="procedurerequest", name="one_open_request"),
        migrations.RenameField(
            model_name="procedurerequest", old_name="answered_at", new_name="closed_at"
        ),
        migrations.AlterField(
            model_name="procedurerequest",
            name="closed_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="chiusa il"),
        ),
        migrations.AddField(
            model_name="procedurerequest",
            name="outcome",
            field=models.CharField(
                blank=True,
                choices=[
                    ("answered", "Risposta del richiedente"),
                    ("lapsed", "Chiusa senza risposta"),
                    ("withdrawn", "Chiusa dal ritiro della domanda"),
                ],
                help_text="Vuoto finché la richiesta è aperta.",
                max_length=20,
                verbose_name="esito",
            ),
        ),
        migrations.AlterField(
            model_name="procedurerequest",
            name="answer",
            field=models.TextField(
                blank=True,
                help_text="Le osservazioni o la nota del richiedente.",
                verbose_name="risposta",
            ),
        ),
        migrations.RunPython(record_outcomes, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="procedurerequest",
            constraint=models.UniqueConstraint(
                condition=Q(closed_at__isnull=True),
                fields=("application",),
                name="one_open_request",
            ),
        ),
        migrations.AddConstraint(
            model_name="procedurerequest",
            constraint=models.CheckConstraint(
                condition=Q(closed_at__isnull=True, outcome="")
                | (Q(closed_at__isnull=False) & ~Q(outcome="")),
                name="request_outcome_when_closed",
            ),
        ),
    ]
