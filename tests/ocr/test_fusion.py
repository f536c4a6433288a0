"""Engine "auto": which engine and packs read a page, from the languages or the script."""

# ruff: noqa: RUF001 (sample text in other scripts has letters that look Latin)
from __future__ import annotations

import logging
from collections.abc import Sequence

import pytest
from PIL import Image

from masthead.ocr import fusion, script
from masthead.ocr.document import BBox, Word
from masthead.ocr.engines.fake import FakeEngine
from masthead.ocr.errors import EngineCrashedError, NoSupportedScriptError
from tests.ocr.drawing import text_image

PAGE = Image.new("RGB", (800, 400), "white")


def line(texts: list[str], y: int = 40, confidence: float = 0.95) -> list[Word]:
    words, x = [], 20
    for text in texts:
        words.append(Word(text, BBox(x, y, x + 20 * len(text), y + 30), confidence))
        x += 20 * len(text) + 15
    return words


class Packs:
    """A Tesseract stand-in: installed packs, an OSD answer, a reading per first pack."""

    name = "fallback"

    def __init__(
        self, installed: set[str], *, osd: str = "", reads: dict[str, list[Word]] | None = None
    ) -> None:
        self.installed = frozenset(installed)
        self.osd, self.reads = osd, reads or {}
        self.calls: list[tuple[str, ...]] = []

    def recognise(self, image: Image.Image, *, languages: Sequence[str]) -> list[Word]:
        self.calls.append(tuple(languages))
        first = languages[0] if languages else "eng"
        if first == "crash":
            raise EngineCrashedError("fallback", "boom")
        return list(self.reads.get(first, []))

    def detect_script(self, image: Image.Image) -> str:
        return self.osd


def test_a_language_the_primary_cannot_read_goes_to_the_fallback_with_english() -> None:
    primary = FakeEngine(line(["latin"]))
    fallback = Packs({"eng", "rus"}, reads={"rus": line(["Итого"])})
    auto = fusion.AutoEngine(primary, fallback)
    assert [w.text for w in auto.recognise(PAGE, languages=("rus",))] == ["Итого"]
    assert primary.calls == [] and fallback.calls == [("rus", "eng")]
    assert [w.text for w in auto.recognise(PAGE, languages=("eng",))] == ["latin"]


def test_korean_is_handed_to_tesseract_without_english() -> None:
    fallback = Packs({"eng", "kor"})
    reader, packs = fusion.AutoEngine(FakeEngine(), fallback).reader(("kor",))
    assert reader is fallback and packs == ("kor",)


def test_confident_latin_stays_with_the_primary_and_asks_nothing() -> None:
    fallback = Packs({"eng", "rus"}, osd="Cyrl")
    auto = fusion.AutoEngine(FakeEngine(), fallback)
    assert auto.reroute(PAGE, line(["Total", "12.50", "cash"]), ()) is None
    assert fallback.calls == []


def test_letters_of_another_script_route_by_text_alone() -> None:
    fallback = Packs({"eng", "ell"}, osd="Latn")
    auto = fusion.AutoEngine(FakeEngine(), fallback)
    route = auto.reroute(PAGE, line(["Το", "μουσείο", "είναι"]), ())
    assert route == (fallback, ("ell", "eng"))


def test_vietnamese_letters_go_to_the_vietnamese_pack() -> None:
    fallback = Packs({"eng", "vie"})
    auto = fusion.AutoEngine(FakeEngine(), fallback)
    assert auto.reroute(PAGE, line(["Thư", "viện", "mở", "cửa", "đến", "thứ"]), ()) == (
        fallback,
        ("vie",),
    )


def test_one_vietnamese_letter_is_a_hint_the_vietnamese_pack_confirms() -> None:
    # the primary dropped the stacked letters: "Chuyn xe cui cùng khi hành" keeps only đ
    kept = line(["Nhà", "ga", "có", "đ", "ăn", "Chuyn", "xe", "cui", "cùng"])
    fallback = Packs({"eng", "vie"}, reads={"vie": line(["Chuyến", "xe", "cuối", "đồ", "ăn"])})
    auto = fusion.AutoEngine(FakeEngine(), fallback)
    assert auto.reroute(PAGE, kept, ()) == (fallback, ("vie",))  # a Latin pack: no "eng"
    assert fallback.calls == [("vie",)]


def test_a_croatian_d_with_stroke_is_not_vietnamese() -> None:
    kept = line(["Đurđevac", "je", "grad", "između", "Drave"])
    fallback = Packs({"eng", "vie"}, reads={"vie": line(["Đurđevac", "je", "grad", "između"])})
    assert fusion.AutoEngine(FakeEngine(), fallback).reroute(PAGE, kept, ()) is None
    assert fallback.calls == [("vie",)]


def test_noise_asks_the_pixels_and_the_probe_corrects_osd() -> None:
    hebrew = line(["הספרייה", "פתוחה", "מתשע"], confidence=0.92)
    thai_noise = line(["แดลณแบ", "ถมฟ"], confidence=0.6)
    fallback = Packs({"eng", "heb", "tha"}, osd="Thai", reads={"heb": hebrew, "tha": thai_noise})
    auto = fusion.AutoEngine(FakeEngine(), fallback)
    route = auto.reroute(PAGE, line([".", ",", "."]), ())
    assert route is not None and route[1] == ("heb", "eng")
    assert isinstance(route[0], fusion.Unmixed) and route[0].fallback is fallback
    assert fallback.calls[0] == ("tha",)  # OSD's guess is tried first


def test_a_script_no_pack_reads_is_no_supported_script() -> None:
    fallback = Packs({"eng", "rus"}, osd="Ethi")
    auto = fusion.AutoEngine(FakeEngine(), fallback)
    with pytest.raises(NoSupportedScriptError) as caught:
        auto.reroute(PAGE, line(["?", "."], confidence=0.3), ())
    assert "No supported script found" in caught.value.message
    assert "Ethiopic" in caught.value.message and caught.value.code == "script_unsupported"


def test_a_blank_page_stays_blank() -> None:
    fallback = Packs({"eng", "rus"})
    assert fusion.AutoEngine(FakeEngine(), fallback).reroute(PAGE, [], ()) is None
    assert fallback.calls == []


def test_a_failing_probe_is_logged_and_the_reading_stands(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fusion, "PROBE_ORDER", ("Cyrl",))
    monkeypatch.setattr(fusion, "script_packs", lambda target, installed: ("crash",))
    fallback = Packs({"eng", "crash"}, osd="Cyrl")
    with caplog.at_level(logging.WARNING, logger="masthead.ocr.fusion"):
        route = fusion.AutoEngine(FakeEngine(), fallback).reroute(PAGE, line(["."]), ())
    assert route is None
    assert "script probe Cyrl failed: engine_crashed" in caplog.text


def test_requested_languages_are_never_rerouted() -> None:
    fallback = Packs({"eng", "rus"}, osd="Cyrl")
    auto = fusion.AutoEngine(FakeEngine(), fallback)
    assert auto.reroute(PAGE, line(["."]), ("eng",)) is None


@pytest.mark.parametrize(
    ("letter", "vietnamese"),
    [
        ("đ", False),  # d with stroke: Croatian and Serbian too
        ("ư", True),  # horn
        ("ạ", True),  # dot below
        ("ả", True),  # hook above: no other Latin-script language has it
        ("ĩ", True),  # tilde on i (Portuguese has it on a and o only)
        ("ế", True),  # tone mark stacked on a circumflex
        ("ã", False),  # Portuguese
        ("õ", False),
        ("é", False),  # French, Spanish...
        ("ê", False),
        ("ñ", False),
    ],
)
def test_letters_only_vietnamese_writes(letter: str, vietnamese: bool) -> None:
    assert script.vietnamese_letter(letter) is vietnamese
    assert script.vietnamese_letter(letter.upper()) is vietnamese


def test_a_line_partly_read_in_a_script_the_primary_lacks_goes_to_its_pack() -> None:
    english = line(["Visitor", "information", "for", "the", "museum"]) + line(
        ["Tickets", "are", "sold", "here", "today"], y=200
    )
    partly = line(["Τ", "ουσε", "εναι", "ανοιχτ"], y=120)  # accented letters dropped
    greek = line(["Το", "μουσείο", "είναι", "ανοιχτό"], y=30)
    fallback = Rows({"eng", "ell", "rus"}, [greek, line(["Visitor", "information"])])
    auto = fusion.AutoEngine(FakeEngine(), fallback)
    route = auto.reroute(PAGE, [*english, *partly], ())
    assert route is not None
    patched, packs = route
    assert isinstance(patched, fusion.Patched) and packs == ("ell", "eng")
    assert patched.region.y0 == 120 and patched.region.y1 == 150  # the Greek row only
    assert [w.text for w in patched.kept] == [w.text for w in english]
    # the probe, then the English rows above and below it, read as Latin: not joined
    assert len(fallback.calls) == 3


class Rows(Packs):
    """A stand-in whose readings come in turn, the last one repeated (the probe first,
    then each row it is asked about)."""

    def __init__(self, installed: set[str], readings: list[list[Word]]) -> None:
        super().__init__(installed, osd="Grek")
        self.readings = readings

    def recognise(self, image: Image.Image, *, languages: Sequence[str]) -> list[Word]:
        self.calls.append(tuple(languages))
        return list(self.readings[min(len(self.calls), len(self.readings)) - 1])


def test_a_row_read_as_noise_next_to_the_script_s_rows_joins_them() -> None:
    english = line(["Visitor", "information", "for", "the", "museum"], y=300)
    partly = line(["Τ", "ουσε", "εναι", "ανοιχτ"], y=120)
    noise = line(["D'", "D90", "7107"], y=170)  # the next line, read as confident noise
    greek = line(["Το", "μουσείο", "είναι", "ανοιχτό"], y=30)
    fallback = Rows({"eng", "ell"}, [greek, greek, line(["Visitor", "information"])])
    route = fusion.AutoEngine(FakeEngine(), fallback).reroute(PAGE, [*partly, *noise, *english], ())
    assert route is not None and isinstance(route[0], fusion.Patched)
    assert (route[0].region.y0, route[0].region.y1) == (120, 200)
    assert [w.text for w in route[0].kept] == [w.text for w in english]


def test_a_stray_letter_of_another_script_sends_nothing_to_a_pack() -> None:
    fallback = Packs({"eng", "ell"}, osd="Grek")
    auto = fusion.AutoEngine(FakeEngine(), fallback)
    words = line(["Total", "12.50", "θ", "cash", "thank", "you"])
    assert auto.reroute(PAGE, words, ()) is None
    assert fallback.calls == []


def test_noise_straying_into_a_script_the_primary_lacks_is_probed() -> None:
    # a Thai line read as noise: two Greek letters, one inside a Latin-looking word
    english = line(["Visitor", "information"], y=20) + line(["Guided", "tours"], y=220)
    noise = line(["vιb", "ι"], y=120)
    thai = line(["ห้องสมุดเปิดเวลา", "เก้าโมงเช้า"])
    fallback = Rows({"eng", "ell", "tha"}, [[], thai, line(["Guided", "tours"])])
    route = fusion.AutoEngine(FakeEngine(), fallback).reroute(PAGE, [*english, *noise], ())
    assert route is not None and isinstance(route[0], fusion.Patched)
    assert route[1] == ("tha", "eng")
    assert (route[0].region.y0, route[0].region.y1) == (120, 150)
    assert fallback.calls[:2] == [("ell",), ("tha",)]  # its letters' script first


class ByPacks(Packs):
    """A Tesseract stand-in whose reading depends on the whole list of packs."""

    def __init__(self, reads: dict[tuple[str, ...], list[Word]]) -> None:
        super().__init__({"eng", "ara", "heb"})
        self.by_packs = reads

    def recognise(self, image: Image.Image, *, languages: Sequence[str]) -> list[Word]:
        self.calls.append(tuple(languages))
        return list(self.by_packs.get(tuple(languages), []))


ARABIC = ["يغادر", "القطار", "إلى", "القاهرة"]


def test_an_unsure_latin_word_in_an_arabic_row_is_read_again_without_english() -> None:
    # Tesseract with English loaded read the first Arabic word of a photo as "ole"
    mixed = line(["ole", *ARABIC[1:]], confidence=0.93)
    mixed[0] = Word("ole", mixed[0].bbox, 0.55)
    alone = [Word(w.text, w.bbox, 0.63 if i == 0 else 0.93) for i, w in enumerate(line(ARABIC))]
    fallback = ByPacks({("ara", "eng"): mixed, ("ara",): alone})
    reader = fusion.AutoEngine(FakeEngine(), fallback).reader(("ara",))[0]
    assert [w.text for w in reader.recognise(PAGE, languages=("ara", "eng"))] == ARABIC
    assert fallback.calls == [("ara", "eng"), ("ara",)]


@pytest.mark.parametrize(
    ("stray", "confidence", "alone_confidence"),
    [("Google", 0.91, 0.95), ("ole", 0.55, 0.40)],
    ids=["an English word read surely", "a reading without English that is less sure"],
)
def test_latin_in_a_right_to_left_row_stays_unless_the_script_reads_it_surer(
    stray: str, confidence: float, alone_confidence: float
) -> None:
    mixed = line([*ARABIC[:2], stray, *ARABIC[2:]], confidence=0.93)
    mixed[2] = Word(stray, mixed[2].bbox, confidence)
    alone = line([*ARABIC[:2], "مممم", *ARABIC[2:]], confidence=alone_confidence)
    fallback = ByPacks({("ara", "eng"): mixed, ("ara",): alone})
    reader = fusion.AutoEngine(FakeEngine(), fallback).reader(("ara",))[0]
    assert [w.text for w in reader.recognise(PAGE, languages=("ara", "eng"))][2] == stray
    assert len(fallback.calls) == (1 if confidence >= fusion.STRAY_BELOW else 2)


def test_an_english_row_of_a_hebrew_page_is_not_read_again() -> None:
    english = line(["Opening", "hours"], y=40, confidence=0.6)
    hebrew = line(["הספרייה", "פתוחה"], y=120, confidence=0.92)
    fallback = ByPacks({("heb", "eng"): [*english, *hebrew]})
    reader = fusion.AutoEngine(FakeEngine(), fallback).reader(("heb",))[0]
    words = reader.recognise(PAGE, languages=("heb", "eng"))
    assert [w.text for w in words] == ["Opening", "hours", "הספרייה", "פתוחה"]
    assert fallback.calls == [("heb", "eng")]


def test_pages_in_other_scripts_are_read_by_the_fallback_itself() -> None:
    fallback = Packs({"eng", "ell", "ara"})
    auto = fusion.AutoEngine(FakeEngine(), fallback)
    assert auto.reader(("ell",))[0] is fallback
    assert isinstance(auto.reader(("ara",))[0], fusion.Unmixed)


def _page_with_an_unread_middle_row() -> tuple[Image.Image, list[Word]]:
    """Three rows of print; the primary read the first and the last."""
    image = text_image(["Reading room notice"] * 3, size=(1200, 300))
    read = [Word("Reading room notice", BBox(60, y, 480, y + 46), 0.95) for y in (60, 188)]
    return image, read


@pytest.mark.parametrize(
    ("latin", "routed"),
    [
        (line(["a", "v"], y=20, confidence=0.3), True),
        (line(["Reading", "room", "notice"], y=20, confidence=0.97), False),
    ],
    ids=["the English pack reads noise", "the English pack reads it better"],
)
def test_unread_ink_osd_calls_latin_is_probed_and_kept_from_english_if_it_reads_as_latin(
    latin: list[Word], routed: bool
) -> None:
    # OSD says Latin for small or blurred Thai and Hangul; ink the primary read nothing
    # from goes to another script's pack only if that pack reads it better than English
    image, read = _page_with_an_unread_middle_row()
    thai = line(["ห้องสมุดเปิดเวลา", "เก้าโมงเช้า"], y=20, confidence=0.9)
    fallback = Packs({"eng", "tha"}, osd="Latn", reads={"tha": thai, "eng": latin})
    route = fusion.AutoEngine(FakeEngine(), fallback).reroute(image, read, ())
    assert fallback.calls[:2] == [("tha",), ("eng",)]
    if routed:
        assert route is not None and isinstance(route[0], fusion.Patched)
        assert route[1] == ("tha", "eng")
    else:
        assert route is None


def test_unread_ink_osd_calls_chinese_stays_with_the_primary() -> None:
    image, read = _page_with_an_unread_middle_row()
    fallback = Packs({"eng", "tha"}, osd="Hani", reads={"tha": line(["ห้องสมุด"])})
    assert fusion.AutoEngine(FakeEngine(), fallback).reroute(image, read, ()) is None
    assert fallback.calls == []


def test_unread_ink_of_a_doubtful_page_osd_calls_latin_is_not_probed() -> None:
    # an upside-down page: read unsurely, with rows left unread; probing them cost 23 s
    image, read = _page_with_an_unread_middle_row()
    unsure = [Word(w.text, w.bbox, 0.5) for w in read]
    fallback = Packs({"eng", "tha"}, osd="Latn", reads={"tha": line(["ห้องสมุด"])})
    assert fusion.AutoEngine(FakeEngine(), fallback).reroute(image, unsure, ()) is None
    assert fallback.calls == []
