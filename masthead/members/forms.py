"""Forms for the account page. allauth's own forms handle sign-in and email changes."""

from __future__ import annotations

import unicodedata

from django import forms
from django.core.exceptions import ValidationError


def reject_control_characters(value: str) -> None:
    """Names end up in email headers and pages: CR, LF and other controls are refused."""
    if any(unicodedata.category(char) in {"Cc", "Cf", "Zl", "Zp"} for char in value):
        raise ValidationError("Use letters, digits, spaces and punctuation only.", "control")


class ProfileForm(forms.Form):
    display_name = forms.CharField(
        label="Display name",
        max_length=80,
        required=False,
        strip=False,
        validators=[reject_control_characters],
        help_text="Shown next to your comments and posts.",
    )
    avatar = forms.FileField(label="Picture", required=False)

    def clean_display_name(self) -> str:
        return str(self.cleaned_data["display_name"]).strip(" ")


class AccountDeleteForm(forms.Form):
    confirm = forms.CharField(
        label="Type DELETE to confirm",
        max_length=10,
        help_text="This removes your account and everything stored with it.",
    )

    def clean_confirm(self) -> str:
        value = str(self.cleaned_data["confirm"]).strip()
        if value != "DELETE":
            raise ValidationError("Type DELETE, in capitals, to confirm.", "mismatch")
        return value
