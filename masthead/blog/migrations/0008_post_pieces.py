"""Post.pieces_version and PostPiece: a post page's pieces kept beside the post (ADR 0025)."""

import importlib

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models

# Adding a column rebuilds the table on SQLite and drops its triggers; the visitors' search
# trigger (0004) is created again right after, as in 0005 to 0007.
_PREVIOUS = importlib.import_module(
    "masthead.blog.migrations.0005_post_version_revisions_preview_links_body_images"
)


class Migration(migrations.Migration):
    dependencies = [
        ("blog", "0007_post_related_ids"),
    ]

    operations = [
        migrations.AddField(
            model_name="post",
            name="pieces_version",
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
        migrations.RunPython(_PREVIOUS.restore_visibility_trigger, migrations.RunPython.noop),
        migrations.CreateModel(
            name="PostPiece",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=100)),
                ("stamp", models.CharField(max_length=64)),
                ("html", models.TextField()),
                ("built_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "post",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="blog.post",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("post", "name"), name="blog_postpiece_one_per_name"
                    )
                ],
            },
        ),
    ]
