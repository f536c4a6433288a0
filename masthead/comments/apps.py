from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "masthead.comments"
    label = "comments"
    verbose_name = "Comments"

    def ready(self) -> None:
        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_delete, pre_delete

        from masthead.comments import services
        from masthead.members import sections

        user = get_user_model()
        pre_delete.connect(services.member_leaving, sender=user, dispatch_uid="comments_leaving")
        post_delete.connect(services.member_left, sender=user, dispatch_uid="comments_left")

        sections.register_section(
            sections.AccountSection(
                key="comments",
                title="Comments",
                template="comments/_account_section.html",
                order=60,
            )
        )
        sections.register_exporter("comments", services.comments_export)
