"""The HTML upload form (the no-JavaScript path; ocr.js posts to the API instead)."""

from __future__ import annotations

from django import forms

from masthead import ocr

ACCEPT = "image/png,image/jpeg,image/webp,image/gif,image/bmp,image/tiff,image/heic,application/pdf"


class OcrUploadForm(forms.Form):
    file = forms.FileField(
        label="Image or PDF",
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        error_messages={"required": "Choose an image or a PDF to read."},
    )
    languages = forms.RegexField(
        regex=r"^([a-z]{3}(,[a-z]{3}){0,7})?$",
        required=False,
        max_length=64,
        error_messages={"invalid": "Use three-letter language codes such as eng,deu."},
    )

    def languages_list(self) -> list[str]:
        return [code for code in self.cleaned_data.get("languages", "").split(",") if code]


class ApiKeyForm(forms.Form):
    name = forms.CharField(max_length=80, required=False)


FORMAT_LABELS = {
    "text": "Text",
    "markdown": "Markdown",
    "json": "JSON",
    "hocr": "hOCR",
    "pdf": "Searchable PDF",
    "docx": "Word",
    "xlsx": "Excel",
    "csv": "CSV",
}
DOWNLOAD_ORDER = ("text", "docx", "pdf", "xlsx", "csv", "markdown", "json", "hocr")


def download_formats() -> list[tuple[str, str]]:
    """Every export format, labelled for the download buttons, most used first."""
    names = sorted(
        ocr.FORMATS, key=lambda n: DOWNLOAD_ORDER.index(n) if n in DOWNLOAD_ORDER else 99
    )
    return [(name, FORMAT_LABELS.get(name, name)) for name in names]
