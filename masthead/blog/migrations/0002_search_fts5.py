"""The SQLite full-text index for post search (FTS5). Nothing on PostgreSQL, which
searches the post columns with its own full-text functions."""

from django.db import migrations


def create_fts(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    schema_editor.execute(
        "CREATE VIRTUAL TABLE IF NOT EXISTS blog_post_fts USING fts5("
        "title, excerpt, body, tokenize = 'porter unicode61 remove_diacritics 2')"
    )


def drop_fts(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    schema_editor.execute("DROP TABLE IF EXISTS blog_post_fts")


class Migration(migrations.Migration):
    dependencies = [("blog", "0001_initial")]

    operations = [migrations.RunPython(create_fts, drop_fts)]
