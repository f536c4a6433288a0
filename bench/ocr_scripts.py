"""Script detection and routing: rendered pages in 18 languages, read with no ``--lang``.

Usage: python bench/ocr_scripts.py [--engine auto] [--lang] [--write]

Each page is drawn here at run time with the Noto fonts (``fonts-noto-core``,
``fonts-noto-cjk``) from a few sentences written for this benchmark, so no page was ever
tuned on before it was drawn; the Tesseract packs of docs/README's table must be installed.
Scores CER (bench/metrics: NFKC, case-folded, whitespace collapsed, so a space inserted
between CJK characters counts as an error) per language, plus the page's detected
``script`` and ``language``.
"""

# ruff: noqa: RUF001 (sample text in other scripts has letters that look Latin)
from __future__ import annotations

import argparse
import io
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PIL import Image, ImageDraw, ImageFont

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

RTL = {"Arab", "Hebr"}


def font_for(language: str, size: int) -> ImageFont.FreeTypeFont:
    _, name, index, _ = PAGES[language]
    if name == "cjk":
        return ImageFont.truetype(str(CJK), size, index=index)
    return ImageFont.truetype(str(NOTO / name), size)


def render(language: str, *, extra: list[str] | None = None, size: int = 40) -> Image.Image:
    """A white page with the language's lines (then ``extra`` English lines) in black."""
    script, _, _, lines = PAGES[language]
    image = Image.new(
        "RGB", (1600, 120 + int(size * 1.8) * (len(lines) + len(extra or []))), "white"
    )
    draw = ImageDraw.Draw(image)
    y = 60
    english = ImageFont.truetype(str(NOTO / "NotoSans-Regular.ttf"), size)
    for line in lines:
        face = font_for(language, size)
        if script in RTL:
            width = draw.textlength(line, font=face, direction="rtl")
            draw.text((1540 - width, y), line, fill="black", font=face, direction="rtl")
        else:
            draw.text((60, y), line, fill="black", font=face)
        y += int(size * 1.8)
    for line in extra or []:
        draw.text((60, y), line, fill="black", font=english)
        y += int(size * 1.8)
    return image


def png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def main(argv: list[str] | None = None) -> int:
    from bench.metrics import score
    from masthead.ocr import pipeline
    from masthead.ocr.options import OcrOptions

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", default="auto")
    parser.add_argument("--lang", action="store_true", help="pass each page's language")
    parser.add_argument("--only", default="", help="comma-separated languages")
    args = parser.parse_args(argv)
    wanted = [code for code in args.only.split(",") if code] or list(PAGES)
    cers = []
    for language in wanted:
        script, _, _, lines = PAGES[language]
        options = OcrOptions(engine=args.engine, languages=(language,) if args.lang else ())
        start = time.perf_counter()
        doc = pipeline.run(png(render(language)), options)
        took = time.perf_counter() - start
        page = doc.pages[0]
        result = score(doc.text, "\n".join(lines))
        cers.append(result.cer)
        print(
            f"{language:8} {script}  CER {result.cer:.3f}  script={page.script or '-':5} "
            f"language={page.language or '-':8} engine={page.engine:10} {took:5.1f}s  "
            f"{doc.text[:60]!r}"
        )
    print(
        f"mean CER {sum(cers) / len(cers):.3f}; "
        f"<= 0.05: {sum(c <= 0.05 for c in cers)} of {len(cers)}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
