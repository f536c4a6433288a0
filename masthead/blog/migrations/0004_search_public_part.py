"""Visitors search an index of what a visitor may read (docs/decisions/0103).

A members-only body is text a visitor cannot read, so a visitor's search must not match
it, rank by it, or (on PostgreSQL, whose vectors keep word positions) reveal its word
order. Each engine gets a second index without those bodies:

- SQLite: the FTS5 table ``blog_post_fts_public(title, excerpt, body)``, whose ``body`` is
  empty for members-only posts, filled here from ``blog_post_fts``. A trigger empties or
  refills it when a post's visibility changes, however it is changed.
- PostgreSQL: the generated vector ``search_vector_public`` (title A, excerpt B, and the
  body C only of public posts), with its own GIN index.
"""

from django.db import migrations

TOKENIZE = "tokenize = 'porter unicode61 remove_diacritics 2'"

TRIGGER = """
CREATE TRIGGER blog_post_fts_public_visibility AFTER UPDATE OF visibility ON blog_post
WHEN OLD.visibility IS NOT NEW.visibility
BEGIN
    UPDATE blog_post_fts_public SET body = CASE WHEN NEW.visibility = 'public'
        THEN coalesce((SELECT body FROM blog_post_fts WHERE rowid = NEW.id), '') ELSE '' END
    WHERE rowid = NEW.id;
END
"""

PUBLIC_VECTOR = (
    "setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A') || "
    "setweight(to_tsvector('english'::regconfig, coalesce(excerpt, '')), 'B') || "
    "setweight(to_tsvector('english'::regconfig, "
    "CASE WHEN visibility = 'public' THEN coalesce(body, '') ELSE '' END), 'C')"
)


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(
            f"CREATE VIRTUAL TABLE blog_post_fts_public USING fts5(title, excerpt, body, {TOKENIZE})"
        )
        schema_editor.execute(
            "INSERT INTO blog_post_fts_public (rowid, title, excerpt, body) "
            "SELECT f.rowid, f.title, f.excerpt, "
            "CASE WHEN p.visibility = 'public' THEN f.body ELSE '' END "
            "FROM blog_post_fts f JOIN blog_post p ON p.id = f.rowid"
        )
        schema_editor.execute(TRIGGER)
    elif schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE blog_post ADD COLUMN search_vector_public tsvector "
            f"GENERATED ALWAYS AS ({PUBLIC_VECTOR}) STORED"
        )
        schema_editor.execute(
            "CREATE INDEX blog_post_search_vector_public ON blog_post "
            "USING gin (search_vector_public) WITH (fastupdate = off)"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS blog_post_fts_public_visibility")
        schema_editor.execute("DROP TABLE IF EXISTS blog_post_fts_public")
    elif schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE blog_post DROP COLUMN IF EXISTS search_vector_public")


class Migration(migrations.Migration):
    dependencies = [("blog", "0003_search_vector_postgres")]

    operations = [migrations.RunPython(forwards, backwards)]
