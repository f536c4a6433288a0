"""Script detection and routing: rendered pages in 18 languages, read with no ``--lang``.

Usage: python bench/ocr_scripts.py [--engine auto] [--lang]
[--group dev,mixed,minority,latin,check,styles]
[--only kor,rus] [--write]

Each page is drawn here at run time with the Noto fonts (``fonts-noto-core``,
``fonts-noto-cjk``) from a few sentences written for this benchmark; the Tesseract packs
of docs/README's table must be installed. Scores CER (bench/metrics: NFKC, case-folded,
whitespace collapsed, so a space inserted between CJK characters counts as an error) per
page, plus the page's detected ``script`` and ``language``. The groups:

* ``dev``: three sentences per language at 40 px, the pages the routing rules (ADR 0039)
  and the Korean word spacing were developed against;
* ``mixed``: an English heading and line around two lines in another script (the dev
  sentences), for pages that mix scripts; also a development set;
* ``minority``: four English lines around one line in another script (a dev sentence) at
  36 px, for a script that is a small part of the page (ADR 0049's update); a development
  set;
* ``latin``: two-line pages at 32 px in Vietnamese (nine, other sentences than dev's),
  where the bundled models drop most stacked letters, and in four other languages that
  write đ or other marks (Croatian, Serbian in Latin letters, Czech, Romanian), which
  must not be read as Vietnamese (ADR 0049's update of 2026-12-06); a development set;
* ``check``: other sentences at 32 px, single-script and mixed, written before any rule
  was tuned and never tuned on: the figure to trust;
* ``styles``: the check group's 23 pages drawn four other ways: at 16 px, in
  the Noto serif faces at 32 px, at 20 px as a photo (grey paper, a slight blur, JPEG at
  quality 70) and at 60 px. Added 2026-12-07 after the changes it first found (ADR 0049,
  update of that day), so it is a development group from then on.

Mixed pages also get a CER per script (the letters of that script only, in order), so a
page that loses its English or its other script shows it even when the total looks fine.
``--write`` puts each group's figures in BENCHMARKS.md (section ``ocr-scripts``).
"""

# ruff: noqa: RUF001 (sample text in other scripts has letters that look Latin)
from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PIL import Image, ImageDraw, ImageFilter, ImageFont

NOTO = Path("/usr/share/fonts/truetype/noto")
CJK = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")

# language -> (ISO 15924 script, font file, CJK collection index or -1, lines)
PAGES: dict[str, tuple[str, str, int, list[str]]] = {
    "fra": ("Latn", "NotoSans-Regular.ttf", -1, [
        "Le marché ouvre à neuf heures chaque matin.",
        "Les légumes frais coûtent moins cher en été.",
        "Où est la boulangerie près de la gare ?",
    ]),
    "deu": ("Latn", "NotoSans-Regular.ttf", -1, [
        "Die Straßenbahn fährt alle zehn Minuten.",
        "Für Kinder unter sechs Jahren ist sie kostenlos.",
        "Bitte die Türen nicht während der Fahrt öffnen.",
    ]),
    "spa": ("Latn", "NotoSans-Regular.ttf", -1, [
        "La biblioteca está cerrada los domingos.",
        "Los niños pequeños pueden entrar con sus padres.",
        "¿Dónde puedo comprar un billete de tren?",
    ]),
    "por": ("Latn", "NotoSans-Regular.ttf", -1, [
        "O autocarro chega à praça às três horas.",
        "As crianças não pagam bilhete ao fim de semana.",
        "Ligue para a receção se precisar de ajuda.",
    ]),
    "ita": ("Latn", "NotoSans-Regular.ttf", -1, [
        "Il museo è aperto dal martedì alla domenica.",
        "Le visite guidate partono ogni ora dal cortile.",
        "Più tardi andremo a mangiare una pizza.",
    ]),
    "pol": ("Latn", "NotoSans-Regular.ttf", -1, [
        "Pociąg do Krakowa odjeżdża z peronu drugiego.",
        "Bilety można kupić w automacie przy wejściu.",
        "Życzymy państwu przyjemnej podróży.",
    ]),
    "tur": ("Latn", "NotoSans-Regular.ttf", -1, [
        "Kütüphane hafta içi sabah dokuzda açılır.",
        "Öğrenciler kimlik kartlarını göstermelidir.",
        "Çay ve kahve ikinci katta satılıyor.",
    ]),
    "vie": ("Latn", "NotoSans-Regular.ttf", -1, [
        "Thư viện mở cửa từ thứ hai đến thứ bảy.",
        "Học sinh được mượn sách miễn phí.",
        "Xin vui lòng giữ trật tự trong phòng đọc.",
    ]),
    "rus": ("Cyrl", "NotoSans-Regular.ttf", -1, [
        "Библиотека открыта с девяти утра до восьми вечера.",
        "Читатели могут брать домой не больше пяти книг.",
        "Пожалуйста, соблюдайте тишину в читальном зале.",
    ]),
    "ukr": ("Cyrl", "NotoSans-Regular.ttf", -1, [
        "Поїзд до Львова відправляється о шостій годині.",
        "Квитки можна придбати в касі на першому поверсі.",
        "Бажаємо вам приємної подорожі.",
    ]),
    "ell": ("Grek", "NotoSans-Regular.ttf", -1, [
        "Το μουσείο είναι ανοιχτό κάθε μέρα εκτός Δευτέρας.",
        "Η είσοδος για τους φοιτητές είναι δωρεάν.",
        "Παρακαλούμε μην αγγίζετε τα εκθέματα.",
    ]),
    "ara": ("Arab", "NotoSansArabic-Regular.ttf", -1, [
        "تفتح المكتبة أبوابها في الساعة التاسعة صباحا",
        "يمكن للطلاب استعارة الكتب مجانا",
        "نرجو منكم الحفاظ على الهدوء في قاعة القراءة",
    ]),
    "heb": ("Hebr", "NotoSansHebrew-Regular.ttf", -1, [
        "הספרייה פתוחה מתשע בבוקר עד שמונה בערב",
        "סטודנטים יכולים לשאול ספרים בחינם",
        "נא לשמור על שקט באולם הקריאה",
    ]),
    "hin": ("Deva", "NotoSansDevanagari-Regular.ttf", -1, [
        "पुस्तकालय सुबह नौ बजे खुलता है",
        "छात्र मुफ्त में किताबें ले सकते हैं",
        "कृपया पढ़ने के कमरे में शांति रखें",
    ]),
    "tha": ("Thai", "NotoSansThai-Regular.ttf", -1, [
        "ห้องสมุดเปิดเวลาเก้าโมงเช้า",
        "นักเรียนยืมหนังสือได้ฟรี",
        "กรุณารักษาความเงียบในห้องอ่านหนังสือ",
    ]),
    "chi_sim": ("Hani", "cjk", 2, [
        "图书馆每天早上九点开门",
        "学生可以免费借书",
        "请在阅览室内保持安静",
    ]),
    "jpn": ("Jpan", "cjk", 0, [
        "図書館は毎朝九時に開きます",
        "学生は無料で本を借りられます",
        "閲覧室では静かにしてください",
    ]),
    "kor": ("Hang", "cjk", 1, [
        "도서관은 매일 아침 아홉 시에 엽니다",
        "학생들은 무료로 책을 빌릴 수 있습니다",
        "열람실에서는 조용히 해 주십시오",
    ]),
}  # fmt: skip


# Sentences for the check group: other words, other sizes; never used to tune a rule.
CHECK: dict[str, list[str]] = {
    "fra": ["Le train pour Lyon part du quai numéro trois.",
            "Merci de composter votre billet avant le départ."],
    "deu": ["Der Zug nach Berlin hat zwanzig Minuten Verspätung.",
            "Bitte beachten Sie die Durchsagen am Gleis."],
    "spa": ["El tren hacia Sevilla sale del andén cuatro.",
            "Por favor, valide su billete antes de subir."],
    "por": ["O comboio para o Porto parte da linha dois.",
            "Por favor, guarde o bilhete até à saída."],
    "ita": ["Il treno per Firenze parte dal binario cinque.",
            "Si prega di convalidare il biglietto prima di salire."],
    "pol": ["Sklep jest czynny od poniedziałku do soboty.",
            "W niedzielę zapraszamy na kiermasz książek."],
    "tur": ["Otobüs her gün saat yedide şehir merkezinden kalkar.",
            "Lütfen biletinizi şoföre gösteriniz."],
    "vie": ["Chuyến tàu đi Hà Nội khởi hành lúc bảy giờ sáng.",
            "Hành khách vui lòng xuất trình vé khi lên tàu."],
    "rus": ["Поезд в Москву отправляется с третьего пути.",
            "Пассажиров просят занять свои места в вагонах."],
    "ukr": ["Магазин працює щодня з восьмої ранку.",
            "У неділю ми зачиняємося о шостій вечора."],
    "ell": ["Το τρένο για την Αθήνα αναχωρεί από την πλατφόρμα δύο.",
            "Παρακαλούμε κρατήστε το εισιτήριό σας."],
    "ara": ["يغادر القطار إلى القاهرة من الرصيف الثالث",
            "يرجى الاحتفاظ بالتذكرة حتى نهاية الرحلة"],
    "heb": ["הרכבת לירושלים יוצאת מרציף מספר שלוש",
            "נא לשמור את הכרטיס עד סוף הנסיעה"],
    "hin": ["दिल्ली जाने वाली ट्रेन प्लेटफॉर्म तीन से चलेगी",
            "कृपया यात्रा के अंत तक टिकट संभाल कर रखें"],
    "tha": ["รถไฟไปเชียงใหม่ออกจากชานชาลาที่สาม",
            "กรุณาเก็บตั๋วไว้จนถึงปลายทาง"],
    "chi_sim": ["开往上海的火车从三号站台出发",
                "请保管好您的车票直到旅程结束"],
    "jpn": ["大阪行きの電車は三番線から発車します",
            "降りるまで切符をお持ちください"],
    "kor": ["부산행 기차는 삼번 승강장에서 출발합니다",
            "도착할 때까지 표를 잘 보관해 주세요",
            "오늘 저녁에는 비가 조금 내리겠습니다"],
}  # fmt: skip

# Mixed pages: (English line before, English line after) around a language's lines.
MIXED_ENGLISH = ("Library opening hours", "Questions? Call 555 0199 or ask at the desk.")
MIXED = ("rus", "ara", "kor", "chi_sim", "hin", "ell", "heb", "tha")
CHECK_ENGLISH = ("Station notice for travellers", "Trains run every 20 minutes today.")
LATIN: dict[str, list[str]] = {
    "vie-1": ["Giá vé tàu hỏa tăng nhẹ trong dịp lễ.", "Hành lý quá cước phải trả thêm phí."],
    "vie-2": [
        "Nhà ga có phòng chờ và quầy bán đồ ăn.",
        "Chuyến xe cuối cùng khởi hành lúc mười giờ tối.",
    ],
    "vie-3": [
        "Khách sạn nằm cạnh bờ hồ, gần chợ đêm.",
        "Bữa sáng được phục vụ từ sáu giờ đến chín giờ.",
    ],
    "vie-4": [
        "Cửa hàng mở cửa lúc tám giờ sáng mỗi ngày.",
        "Xin quý khách giữ hóa đơn để đổi hàng.",
    ],
    "vie-5": [
        "Bảo tàng đóng cửa vào thứ hai hằng tuần.",
        "Vé vào cửa dành cho trẻ em được giảm giá.",
    ],
    "vie-6": [
        "Trời hôm nay nắng đẹp, gió nhẹ từ phía biển.",
        "Buổi chiều có thể có mưa rào ở vài nơi.",
    ],
    "vie-7": [
        "Chúng tôi sẽ gửi thư xác nhận trong vòng ba ngày.",
        "Mọi thắc mắc xin liên hệ bộ phận chăm sóc.",
    ],
    "vie-8": [
        "Bệnh viện tiếp nhận bệnh nhân suốt hai mươi bốn giờ.",
        "Người nhà vui lòng chờ ở sảnh tầng một.",
    ],
    "vie-9": [
        "Học kỳ mới bắt đầu vào đầu tháng chín.",
        "Sinh viên cần nộp học phí trước ngày mười lăm.",
    ],
    "hrv": [
        "Đurđevac je grad u sjevernoj Hrvatskoj, između Drave i Bilogore.",
        "Međunarodni festival održava se svake godine u lipnju.",
    ],
    "srp-latn": [
        "Đorđe i Anđela šetali su pored reke sa prijateljima.",
        "Sutra ćemo posetiti muzej i pozorište u centru grada.",
    ],
    "ces": [
        "Vlak do Brna odjíždí z druhé koleje ve čtvrt na šest.",
        "Jízdenky si můžete koupit v automatu nebo u pokladny.",
    ],
    "ron": [
        "Magazinul este închis duminica și în zilele de sărbătoare.",
        "Vă rugăm să păstrați bonul fiscal pentru retur.",
    ],
}
"""The ``latin`` group's pages by name; a name starting "vie" is Vietnamese, the others
are drawn in the same font."""

MINORITY_ENGLISH = (
    "Visitor information for the museum",
    "Tickets are sold at the main entrance.",
    "Guided tours start every hour on weekdays.",
    "Please keep your bags in the lockers.",
)
CHECK_MIXED = ("ell", "heb", "tha", "jpn", "kor")

RTL = {"Arab", "Hebr"}

Line = tuple[str, str]
"""(language whose font draws it, text); "eng" is drawn with Noto Sans."""


SERIF = {
    "Latn": "NotoSerif-Regular.ttf",
    "Cyrl": "NotoSerif-Regular.ttf",
    "Grek": "NotoSerif-Regular.ttf",
    "Arab": "NotoNaskhArabic-Regular.ttf",
    "Hebr": "NotoSerifHebrew-Regular.ttf",
    "Deva": "NotoSerifDevanagari-Regular.ttf",
    "Thai": "NotoSerifThai-Regular.ttf",
}
"""The ``styles`` group's serif face per script (CJK: Noto Serif CJK, same index)."""
SERIF_CJK = Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc")


def font_for(language: str, size: int, style: str = "") -> ImageFont.FreeTypeFont:
    name, index = ("NotoSans-Regular.ttf", -1) if language == "eng" else PAGES[language][1:3]
    if style == "serif":
        if name == "cjk":
            return ImageFont.truetype(str(SERIF_CJK), size, index=index)
        script = "Latn" if language == "eng" else PAGES[language][0]
        return ImageFont.truetype(str(NOTO / SERIF[script]), size)
    if name == "cjk":
        return ImageFont.truetype(str(CJK), size, index=index)
    return ImageFont.truetype(str(NOTO / name), size)


def draw_page(lines: list[Line], *, size: int = 40, style: str = "") -> Image.Image:
    """A white page with ``lines`` in black; right-to-left lines are right-aligned.

    ``style`` "serif" draws them in the serif faces; "photo" on grey paper, blurred a
    little (a phone's picture of a print), to be saved as JPEG (``encoded``).
    """
    faces = [font_for(language, size, style) for language, _ in lines]
    measure = ImageDraw.Draw(Image.new("RGB", (1, 1)))
    widest = max(
        measure.textlength(text, font=face, direction=_direction(language))
        for (language, text), face in zip(lines, faces, strict=True)
    )
    width = max(1600, int(widest) + 120)
    paper = (228, 224, 214) if style == "photo" else (255, 255, 255)
    image = Image.new("RGB", (width, 120 + int(size * 1.8) * len(lines)), paper)
    draw = ImageDraw.Draw(image)
    y = 60
    for (language, text), face in zip(lines, faces, strict=True):
        direction = _direction(language)
        if direction == "rtl":
            span = draw.textlength(text, font=face, direction="rtl")
            draw.text((width - 60 - span, y), text, fill="black", font=face, direction="rtl")
        else:
            draw.text((60, y), text, fill="black", font=face)
        y += int(size * 1.8)
    return image.filter(ImageFilter.GaussianBlur(0.8)) if style == "photo" else image


def _direction(language: str) -> str | None:
    return "rtl" if language != "eng" and PAGES[language][0] in RTL else None


def encoded(image: Image.Image, style: str = "") -> bytes:
    """The page as a file: PNG, or a JPEG at quality 70 for the "photo" style."""
    buffer = io.BytesIO()
    if style == "photo":
        image.save(buffer, format="JPEG", quality=70)
    else:
        image.save(buffer, format="PNG")
    return buffer.getvalue()


def render(language: str, *, extra: list[str] | None = None, size: int = 40) -> Image.Image:
    """A dev page: the language's lines (then ``extra`` English lines)."""
    lines = [(language, text) for text in PAGES[language][3]]
    return draw_page(lines + [("eng", text) for text in extra or []], size=size)


Sample = tuple[str, str, list[Line], int, str]
"""(name, language, lines, size, style) of one page."""

STYLES = (("@16", 16, ""), ("-serif", 32, "serif"), ("-photo", 20, "photo"), ("@60", 60, ""))
"""The ``styles`` group: each check page drawn small, in serif faces, as a photo, large."""


def samples(group: str, wanted: list[str]) -> list[Sample]:
    """Each page of ``group`` for the ``wanted`` languages."""
    if group == "styles":
        return [
            (name + suffix, code, lines, size, style)
            for name, code, lines, _ in _plain_samples("check", wanted)
            for suffix, size, style in STYLES
        ]
    return [(*page, "") for page in _plain_samples(group, wanted)]


def _plain_samples(group: str, wanted: list[str]) -> list[tuple[str, str, list[Line], int]]:
    out: list[tuple[str, str, list[Line], int]] = []
    if group == "dev":
        for code in wanted:
            out.append((code, code, [(code, text) for text in PAGES[code][3]], 40))
    elif group == "mixed":
        first, last = MIXED_ENGLISH
        for code in (c for c in MIXED if c in wanted):
            body = [(code, text) for text in PAGES[code][3][:2]]
            out.append((f"eng+{code}", code, [("eng", first), *body, ("eng", last)], 40))
    elif group == "minority":
        top, upper, lower, bottom = MINORITY_ENGLISH
        for code in (c for c in MIXED if c in wanted):
            other: Line = (code, PAGES[code][3][0])
            lines: list[Line] = [("eng", top), ("eng", upper), other]
            lines += [("eng", lower), ("eng", bottom)]
            out.append((f"eng4+{code}", code, lines, 36))
    elif group == "latin":
        for name, texts in LATIN.items():
            code = "vie" if name.startswith("vie") else "fra"  # the font and script of fra
            if code in wanted or name in wanted:
                out.append((name, code, [(code, text) for text in texts], 32))
    elif group == "check":
        for code in (c for c in CHECK if c in wanted):
            out.append((code, code, [(code, text) for text in CHECK[code]], 32))
        first, last = CHECK_ENGLISH
        for code in (c for c in CHECK_MIXED if c in wanted):
            body = [(code, text) for text in CHECK[code][:2]]
            out.append((f"eng+{code}", code, [("eng", first), *body, ("eng", last)], 32))
    return out


def script_cer(hypothesis: str, reference: str, target: str) -> float:
    """CER over only the letters of ``target`` script, in order (spaces and marks dropped)."""
    from bench.metrics import score
    from masthead.ocr.script import script_of

    def letters(text: str) -> str:
        return "".join(ch for ch in text if script_of(ch) == target)

    return score(letters(hypothesis), letters(reference)).cer


Result = tuple[str, str, float, str, str, float]
"""(group, page name, CER, detected script, the script it is written in, seconds to read
it) of one page."""


def main(argv: list[str] | None = None) -> int:
    from bench.metrics import score
    from masthead.ocr import pipeline
    from masthead.ocr.options import OcrOptions

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", default="auto")
    parser.add_argument("--lang", action="store_true", help="pass each page's language")
    parser.add_argument("--only", default="", help="comma-separated languages")
    parser.add_argument(
        "--group", default="dev", help="comma-separated: dev, mixed, minority, latin, check, styles"
    )
    parser.add_argument("--write", action="store_true", help="write BENCHMARKS.md")
    args = parser.parse_args(argv)
    wanted = [code for code in args.only.split(",") if code] or list(PAGES)
    results: list[Result] = []
    for group in args.group.split(","):
        cers = []
        print(f"== {group}")
        for name, language, lines, size, style in samples(group, wanted):
            script = PAGES[language][0]
            asked = (language, "eng") if "eng" in {code for code, _ in lines} else (language,)
            options = OcrOptions(engine=args.engine, languages=asked if args.lang else ())
            start = time.perf_counter()
            doc = pipeline.run(encoded(draw_page(lines, size=size, style=style), style), options)
            took = time.perf_counter() - start
            page = doc.pages[0]
            truth = "\n".join(text for _, text in lines)
            result = score(doc.text, truth)
            cers.append(result.cer)
            results.append((group, name, result.cer, page.script or "", script, took))
            per_script = ""
            if name.startswith(("eng+", "eng4+")):
                latin, other = (script_cer(doc.text, truth, s) for s in ("Latn", script))
                per_script = f" (Latn {latin:.3f}, {script} {other:.3f})"
            print(
                f"{name:12} {script}  CER {result.cer:.3f}{per_script}  "
                f"script={page.script or '-':5} language={page.language or '-':8} "
                f"{took:5.1f}s  {doc.text[:60]!r}"
            )
        if cers:
            print(
                f"{group}: mean CER {sum(cers) / len(cers):.3f}; "
                f"<= 0.05: {sum(c <= 0.05 for c in cers)} of {len(cers)}"
            )
    if args.write:
        from bench import ocr_common as common

        command = "python bench/ocr_scripts.py" + "".join(
            f" --{flag} {value}"
            for flag, value in (("engine", args.engine), ("group", args.group), ("only", args.only))
            if value and (flag, value) != ("engine", "auto")
        )
        command += " --lang" if args.lang else ""
        section = report(results, common.machine_lines(common.machine(), command + " --write"))
        common.write_section("ocr-scripts", section)
    return 0


GOAL = 0.05
"""Issue 15's goal: CER at most this on each page, with no ``--lang``."""


def report(results: list[Result], header: list[str]) -> list[str]:
    """The ``ocr-scripts`` section: each group's summary, then every page over the goal
    and every single-script page whose detected script is not its own."""
    out = ["## OCR scripts without --lang (rendered pages)", "", *header, ""]
    out += [
        "Pages drawn by the script with the Noto fonts; CER as bench/metrics (NFKC, case-folded, "
        f"whitespace collapsed). Goal: every page <= {GOAL}. Seconds are wall time per page in "
        "one process, routing to a Tesseract pack and probing the page's turn included. "
        "Groups in the script's docstring; "
        "`check` was written before the routing rules and never tuned on, though the causes "
        "of its last two failures (vie, eng+ell) were known when ADR 0049's update of "
        "2026-12-06 was designed; `styles` (the check pages drawn four other ways) was added "
        "with the changes it found (ADR 0049, update of 2026-12-07) and is a development group.",
        "",
        "| group | pages | mean CER | pages <= 0.05 | worst page | script found | median s/page |",
        "|---|---|---|---|---|---|---|",
    ]
    misses: list[str] = []
    for group in dict.fromkeys(r[0] for r in results):
        rows = [r for r in results if r[0] == group]
        worst = max(rows, key=lambda r: r[2])
        single = [r for r in rows if "+" not in r[1]]
        right = [r for r in single if r[3] == r[4]]
        mean = sum(r[2] for r in rows) / len(rows)
        within = sum(r[2] <= GOAL for r in rows)
        out.append(
            f"| {group} | {len(rows)} | {mean:.3f} | {within} of {len(rows)} | "
            f"{worst[1]} {worst[2]:.3f} | "
            + (f"{len(right)} of {len(single)} single-script" if single else "(mixed pages)")
            + f" | {statistics.median(r[5] for r in rows):.2f} |"
        )
        misses += [f"- {group} {r[1]}: CER {r[2]:.3f}" for r in rows if r[2] > GOAL]
        misses += [
            f"- {group} {r[1]}: script {r[3] or '-'} (its own: {r[4]})"
            for r in single
            if r not in right
        ]
    out += ["", "Over the goal or detected wrong:", "", *(misses or ["- none"])]
    return out


if __name__ == "__main__":
    raise SystemExit(main())
