"""Keep, with each submitted version, what the live application held when it was filed.

The last version of every application gets it from the live records, which
match it in every status but one: members whose key the version lists, and the
documents the version lists, by kind, name and SHA-256, uploaded before it. An
application waiting for integrations may have changed its members, lead, roles
and documents since: its version is left without it (a set-back then restores
the texts only), as is one whose members the version lists are not all there.
"""

from collections import Counter

from django.db import migrations, models


def backfill(apps, schema_editor):
    ApplicationVersion = apps.get_model("networks", "ApplicationVersion")
    ApplicationMember = apps.get_model("networks", "ApplicationMember")
    Document = apps.get_model("networks", "Document")
    latest = {}
    for version in (
        ApplicationVersion.objects.select_related("application")
        .order_by("application_id", "number")
        .iterator()
    ):
        latest[version.application_id] = version
    for version in latest.values():
        if version.application.status == "integration_requested":
            continue
        keys = [member.get("key") for member in version.network.get("members", [])]
        members = {
            member.key: member
            for member in ApplicationMember.objects.filter(application_id=version.application_id)
        }
        if not keys or any(key not in members for key in keys):
            continue
        # The version lists each current document by kind, name and SHA-256; two may be
        # alike (the same declaration for two companies): take as many of the latest uploads.
        listed = Counter(
            (item.get("kind"), item.get("name"), item.get("sha256")) for item in version.documents
        )
        uploads = {}
        for document in Document.objects.filter(
            application_id=version.application_id,
            uploaded_at__lte=version.submitted_at,
            request__isnull=True,
        ).select_related("member"):
            triple = (document.kind, document.original_name, document.sha256)
            uploads.setdefault(triple, []).append(document)
        documents = [
            document
            for triple, count in listed.items()
            for document in sorted(
                uploads.get(triple, []), key=lambda d: (d.uploaded_at, d.pk), reverse=True
            )[:count]
        ]
        version.filed_state = {
            "members": [
                {
                    "organisation": members[key].organisation_id,
                    "key": key,
                    "is_lead": members[key].is_lead,
                    "role": members[key].role,
                    "commitment_signed": members[key].commitment_signed,
                    "position": members[key].position,
                }
                for key in keys
            ],
            "documents": [
                {
                    "document": document.pk,
                    "organisation": document.member.organisation_id if document.member else None,
                }
                for document in sorted(documents, key=lambda document: (document.kind, document.pk))
            ],
        }
        version.save(update_fields=["filed_state"])


class Migration(migrations.Migration):
    dependencies = [
        ("networks", "0023_ateco_mapping_message"),
    ]

    operations = [
        migrations.AddField(
            model_name="applicationversion",
            name="filed_state",
            field=models.JSONField(
                blank=True, default=dict, verbose_name="stato della domanda all'invio"
            ),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
