from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "masthead.comments"
    label = "comments"
    verbose_name = "Comments"

    def ready(self) -> None:
        from masthead.comments import services
        from masthead.members import sections

        sections.register_section(
            sections.AccountSection(
                key="comments",
                title="Comments",
                template="comments/_account_section.html",
                order=60,
            )
        )
        sections.register_exporter("comments", services.comments_export)
