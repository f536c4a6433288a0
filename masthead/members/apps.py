from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "masthead.members"
    label = "members"
    verbose_name = "Members"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_migrate

        from masthead.members import logs, middleware, roles

        post_migrate.connect(roles.groups_sync_after_migrate, sender=self)
        logs.connect()
        user_logged_in.connect(middleware.login_time_mark, dispatch_uid="members_login_time")
