"""Trigram indexes for partial search of stores by name, business number and phone.

PostgreSQL only: `icontains` compares UPPER(trade_name), so the name index is on that expression.
"""

from django.db import migrations

INDEXES = {
    "registry_store_name_trgm": 'UPPER("trade_name") gin_trgm_ops',
    "registry_store_brn_trgm": '"business_number" gin_trgm_ops',
    "registry_store_phone_trgm": '"phone" gin_trgm_ops',
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, expression in INDEXES.items():
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "registry_store" USING gin ({expression})'
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
