from django.apps import AppConfig


class ToolsConfig(AppConfig):
    name = "masthead.tools"
    label = "tools"
    verbose_name = "Tools"

    def ready(self) -> None:
        """Plug the OCR history and API keys into the account page and the data export."""
        from django.db.models.signals import post_delete

        from masthead.members.sections import AccountSection, register_exporter, register_section
        from masthead.tools import selectors, signals
        from masthead.tools.models import OcrJob

        post_delete.connect(signals.searchable_pdf_delete, sender=OcrJob)

        register_section(
            AccountSection("ocr-history", "OCR history", "tools/account_ocr_history.html", order=50)
        )
        register_section(
            AccountSection("api-keys", "API keys", "tools/account_api_keys.html", order=60)
        )
        register_exporter("ocr", selectors.ocr_history_export)
