from django.apps import AppConfig


class NewsletterConfig(AppConfig):
    name = "masthead.newsletter"
    label = "newsletter"
    verbose_name = "Newsletter"

    def ready(self) -> None:
        from allauth.account.signals import email_confirmed

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
        sections.register_signup_offer(
            sections.SignupOffer(
                key="newsletter",
                label="Send me the weekly email",
                help_text="The week's best posts, once a week. Unsubscribe in one click.",
                accept=_signup_opt_in,
            )
        )
        email_confirmed.connect(_email_confirmed, dispatch_uid="newsletter-email-confirmed")


def _signup_opt_in(*, request: object, user: object) -> None:
    from masthead.newsletter import services

    services.subscriber_signup_opt_in(user=user)


def _email_confirmed(sender: object, request: object, email_address: object, **_: object) -> None:
    from masthead.newsletter import services

    user = getattr(email_address, "user", None)
    if user is not None:
        services.member_email_verified(user=user, email=str(getattr(email_address, "email", "")))
