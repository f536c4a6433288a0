from django.apps import AppConfig


class NewsletterConfig(AppConfig):
    name = "masthead.newsletter"
    label = "newsletter"
    verbose_name = "Newsletter"

    def ready(self) -> None:
        from masthead.members import sections
        from masthead.newsletter import services

        sections.register_section(
            sections.AccountSection(
                key="newsletter",
                title="Newsletter",
                template="newsletter/_account_section.html",
                order=50,
            )
        )
        sections.register_exporter("newsletter", services.subscriber_export)
