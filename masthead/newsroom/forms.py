"""Newsroom forms for people and publication settings. They validate; services write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

from masthead.core import brand_images, publication
from masthead.errors import MastheadError
from masthead.members import roles

MAX_LINKS = 12
LINK_HELP = (
    "One link a line: label | address. Addresses are paths on this site (/blog/) or https:// links."
)


def _link(line: str, number: int) -> dict[str, str]:
    label, sep, url = (part.strip() for part in line.partition("|"))
    if not sep or not label or not url:
        raise ValidationError(f"Line {number}: write it as “label | address”.")
    if len(label) > 40:
        raise ValidationError(f"Line {number}: the label is longer than 40 characters.")
    local = url.startswith("/") and not url.startswith(("//", "/\\"))
    if not (local or url.startswith(("https://", "http://"))) or any(c.isspace() for c in url):
        raise ValidationError(
            f"Line {number}: “{url}” is not a path on this site (/blog/) or an http(s):// link."
        )
    if len(url) > 300:
        raise ValidationError(f"Line {number}: the address is longer than 300 characters.")
    return {"label": label, "url": url}


def links_from_text(text: str) -> list[dict[str, str]]:
    lines = [line for line in text.splitlines() if line.strip()]
    if len(lines) > MAX_LINKS:
        raise ValidationError(f"At most {MAX_LINKS} links; this has {len(lines)}.")
    return [_link(line, number) for number, line in enumerate(lines, start=1)]


def links_to_text(links: Any) -> str:
    return "\n".join(f"{link.label} | {link.url}" for link in links)


class LinksField(forms.CharField):
    widget = forms.Textarea(attrs={"rows": 5, "class": "nr-mono"})

    def clean(self, value: Any) -> list[dict[str, str]]:
        return links_from_text(super().clean(value) or "")


class AccentField(forms.CharField):
    """A ``#rrggbb`` colour readable on the light theme (the dark variant is derived)."""

    def clean(self, value: Any) -> str:
        text = (super().clean(value) or "").strip().lower()
        try:
            rgb = publication.parse_hex(text)
        except ValueError:
            raise ValidationError(
                f"“{text}” is not a colour: use the form #3a2fd1.", code="bad_colour"
            ) from None
        colour = publication.to_hex(rgb)
        ratio = publication.light_contrast(colour)
        if ratio < publication.MIN_CONTRAST:
            raise ValidationError(
                f"{colour} is too light to read on the light background: contrast {ratio:.1f}:1, "
                f"at least {publication.MIN_CONTRAST}:1 is needed. Choose a darker shade.",
                code="low_contrast",
            )
        return colour


def _zone_choices() -> list[tuple[str, str]]:
    return [(zone, zone.replace("_", " ")) for zone in sorted(publication.available_zones())]


class PublicationForm(forms.Form):
    name = forms.CharField(max_length=80, help_text="Shown in the header, page titles and feeds.")
    description = forms.CharField(
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="One or two sentences: the tagline under the name and in search results.",
    )
    accent_color = AccentField(
        label="Accent colour",
        max_length=7,
        widget=forms.TextInput(attrs={"type": "color"}),
        help_text="Links and buttons. Dark mode gets a lighter shade of it automatically.",
    )
    navigation = LinksField(label="Navigation links", required=False, help_text=LINK_HELP)
    footer_links = LinksField(label="Footer links", required=False, help_text=LINK_HELP)
    time_zone = forms.ChoiceField(
        label="Time zone",
        choices=_zone_choices,
        help_text="Scheduled posts and the dashboard use this zone.",
    )
    logo = forms.FileField(required=False, help_text="PNG, JPEG, WebP or GIF; up to 800 px wide.")
    remove_logo = forms.BooleanField(required=False, label="Remove the logo")
    icon = forms.FileField(required=False, help_text="Square; browsers show it in tabs.")
    remove_icon = forms.BooleanField(required=False, label="Remove the icon")
    social_image = forms.FileField(
        label="Default social image",
        required=False,
        help_text="For shared pages without a picture of their own (1200 by 630 works well).",
    )
    remove_social_image = forms.BooleanField(required=False, label="Remove the social image")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        images: dict[str, bytes | None] = {}
        for name in publication.IMAGE_FIELDS:
            upload: UploadedFile[bytes] | None = data.get(name)
            if upload is not None:
                try:
                    images[name] = brand_images.reencode(_read(upload), kind=name)
                except MastheadError as error:
                    self.status = max(getattr(self, "status", 400), error.status)
                    self.add_error(name, ValidationError(error.message, code=error.code))
            elif data.get(f"remove_{name}"):
                images[name] = None
        data["images"] = images
        return data

    def values(self) -> dict[str, Any]:
        fields = ("name", "description", "accent_color", "navigation", "footer_links", "time_zone")
        return {name: self.cleaned_data[name] for name in fields}


def _read(upload: UploadedFile[bytes]) -> bytes:
    from django.conf import settings

    limit = settings.MASTHEAD_BRAND_IMAGE_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        raise MastheadError(
            "file_too_large",
            f"This file is {upload.size:,} bytes; the limit is {limit:,}.",
            status=413,
        )
    data: bytes = upload.read(limit + 1)
    return data


def initial_from(look: publication.Look) -> dict[str, Any]:
    return {
        "name": look.name,
        "description": look.description,
        "accent_color": look.accent,
        "navigation": links_to_text(look.navigation),
        "footer_links": links_to_text(look.footer_links),
        "time_zone": look.time_zone,
    }


class InviteForm(forms.Form):
    email = forms.EmailField(label="Email address")
    role = forms.ChoiceField(choices=())

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        role = self.fields["role"]
        assert isinstance(role, forms.ChoiceField)
        role.choices = [(r, r.title()) for r in roles.grantable_roles(actor)]


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=[(r, r.title()) for r in roles.ROLES])


class JoinForm(forms.Form):
    """Everything an invited person gives, in one page: name, password, first TOTP code."""

    display_name = forms.CharField(
        label="Your name", max_length=80, help_text="Shown on what you write, e.g. Ada Lovelace."
    )
    password = forms.CharField(
        label="Choose a password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 12 characters; a few unrelated words work well.",
    )
    code = forms.CharField(
        label="Code from your authenticator app",
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9 ]*"}
        ),
    )

    def __init__(self, *args: Any, email: str, secret: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.email, self.secret = email, secret

    def clean_password(self) -> str:
        from django.contrib.auth import get_user_model
        from django.contrib.auth.password_validation import validate_password

        password: str = self.cleaned_data["password"]
        validate_password(password, user=get_user_model()(email=self.email, username=self.email))
        return password

    def clean_code(self) -> str:
        from allauth.mfa.totp.internal.auth import validate_totp_code

        code = "".join(self.cleaned_data["code"].split())
        if not validate_totp_code(self.secret, code):
            raise ValidationError(
                "That code does not match. Check that the app shows this site's entry and type "
                "the code it shows now.",
                code="bad_code",
            )
        return code
