"""Trigram indexes for partial search of stores by name, business number and phone.

`icontains` compares UPPER(trade_name), so the name index is on that expression. The Store model
declares the same indexes; migration 0004 records them in the migration state.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEXES = {
    "registry_store_name_trgm": 'UPPER("trade_name") gin_trgm_ops',
    "registry_store_brn_trgm": '"business_number" gin_trgm_ops',
    "registry_store_phone_trgm": '"phone" gin_trgm_ops',
}


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]

    operations = [
        TrigramExtension(),
        migrations.RunSQL(
            [
                f'CREATE INDEX IF NOT EXISTS "{name}" ON "registry_store" USING gin ({expression})'
                for name, expression in INDEXES.items()
            ],
            reverse_sql=[f'DROP INDEX IF EXISTS "{name}"' for name in INDEXES],
        ),
    ]
