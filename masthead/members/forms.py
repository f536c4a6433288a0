"""Forms for the account page, and allauth's sign-up form made enumeration-safe.

allauth's own forms handle sign-in and email changes.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from masthead.members import sections


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
        help_text="Shown with your name on the site instead of your email address.",
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


class SignupForm(AllauthSignupForm):  # type: ignore[misc]
    """allauth's sign-up, with the same password work whether or not the address is taken.

    For a new address allauth hashes the submitted password (Argon2, the slow step); for an
    address that already has an account it only mails the owner, so the response came back
    hundreds of milliseconds sooner and told who has an account (A05). Here the submitted
    password is hashed and thrown away in that branch, exactly as ``set_password`` would
    (no password: ``make_password(None)``, no hashing, in both branches).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for offer in sections.signup_offers():  # consent boxes, never pre-ticked
            self.fields[f"offer_{offer.key}"] = forms.BooleanField(
                label=offer.label, help_text=offer.help_text, required=False, initial=False
            )

    @property
    def consent_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith("offer_")]

    def custom_signup(self, request: HttpRequest, user: Any) -> None:
        """Runs once the new account exists (not for an address that already has one)."""
        super().custom_signup(request, user)
        ticked = {name[len("offer_") :] for name in self.fields if name.startswith("offer_")}
        ticked = {key for key in ticked if self.cleaned_data.get(f"offer_{key}")}
        sections.signup_offers_accept(request=request, user=user, keys=ticked)

    def try_save(self, request: HttpRequest) -> Any:
        if self.account_already_exists:
            make_password(self.cleaned_data.get("password1") or None)
        return super().try_save(request)
