"""Sent Create/Update activities of calls carried ``endTime`` as a bare date ("2027-01-06");
ActivityStreams defines it as an xsd:dateTime, and strict parsers (Fedify) reject the whole
object, so the outbox pages and activity URLs that serve these stored documents could not
be read. Rewrite each to the end of that day in the site's time zone, as the serialiser now
writes it (docs/federation.md, "Dates and times")."""

import re
from datetime import date, datetime, time

from django.db import migrations
from django.utils import timezone

BARE_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def end_of_day(value: str) -> str:
    day = date.fromisoformat(value)
    return datetime.combine(day, time(23, 59, 59), tzinfo=timezone.get_default_timezone()).isoformat()


def rewrite_end_times(apps, schema_editor):
    OutboxActivity = apps.get_model("interlink_federation", "OutboxActivity")
    changed = []
    activities = OutboxActivity.objects.filter(activity_type__in=["Create", "Update"])
    for activity in activities.only("pk", "document").iterator(chunk_size=500):
        obj = activity.document.get("object") if isinstance(activity.document, dict) else None
        end_time = obj.get("endTime") if isinstance(obj, dict) else None
        if isinstance(end_time, str) and BARE_DATE.match(end_time):
            try:
                obj["endTime"] = end_of_day(end_time)
            except ValueError:
                del obj["endTime"]  # not a day at all: better absent than unparseable
            changed.append(activity)
        if len(changed) >= 500:
            OutboxActivity.objects.bulk_update(changed, ["document"])
            changed = []
    OutboxActivity.objects.bulk_update(changed, ["document"])


class Migration(migrations.Migration):
    dependencies = [("interlink_federation", "0003_hosthealth_last_error_delivery_cancelled")]

    operations = [migrations.RunPython(rewrite_end_times, migrations.RunPython.noop)]
