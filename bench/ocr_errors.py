"""What the remaining character errors on dev receipts are, by kind.

Usage: python bench/ocr_errors.py [--first N] [--cache DIR] [--cached-only] [--examples K]
    [--check-total] [--write]

Each dev receipt's page text (the layout of the words ``bench/ocr_layout.py`` caches, or of
words read afresh into ``--cache DIR`` by the code checked out now) is aligned with its
transcript (both normalised as bench/metrics does, so case never counts). Neighbouring
edits are joined into one span, and each span is put in the first kind that fits:

* ``space``: only spaces differ (words run together or split);
* ``punctuation``: only punctuation and spaces differ (a dropped ':', ',' for '.');
* ``look-alike``: equal once look-alike characters are folded (O/0, I/1/L, S/5, B/8...);
* ``order``: a run of 4+ characters missing here and present as extra text elsewhere;
* ``missed words`` / ``missed part``: transcript text absent from the output, whole
  words or part of one;
* ``extra``: output text absent from the transcript;
* ``digits``: a digit read as another digit;
* ``short misread``: any other span of at most two edits; ``garbled``: the rest.

``--first N`` takes the first N dev receipts by folder and file name (ocr-dev first): the
fixed iteration subset.
Only dev receipts are ever broken down; ``--check-total`` prints the check split's CER
micro and nothing else about it.
"""

from __future__ import annotations

import argparse
import string
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from rapidfuzz.distance import Levenshtein

from bench import ocr_common as common
from bench import ocr_layout
from bench.metrics import normalise

LOOK_ALIKE = str.maketrans({"o": "0", "i": "1", "l": "1", "|": "1", "s": "5", "b": "8", "z": "2"})
PUNCT = set(string.punctuation) | {" "}
KINDS = (
    "space",
    "punctuation",
    "look-alike",
    "order",
    "missed words",
    "missed part",
    "extra",
    "digits",
    "short misread",
    "garbled",
)


@dataclass
class Span:
    """One run of edits: output text ``hyp`` where the transcript has ``ref``."""

    hyp: str
    ref: str
    cost: int
    context: str
    whole_words: bool
    kind: str = ""


def spans(hyp: str, ref: str) -> list[Span]:
    """The edit spans between two normalised texts (neighbouring edits joined)."""
    found: list[Span] = []
    current: list[tuple[int, int, int, int, int]] = []
    for op in Levenshtein.opcodes(hyp, ref):
        if op.tag == "equal":
            if current:
                found.append(_span(hyp, ref, current))
                current = []
            continue
        cost = max(op.src_end - op.src_start, op.dest_end - op.dest_start)
        current.append((op.src_start, op.src_end, op.dest_start, op.dest_end, cost))
    if current:
        found.append(_span(hyp, ref, current))
    return found


def _span(hyp: str, ref: str, ops: list[tuple[int, int, int, int, int]]) -> Span:
    h0, h1, r0, r1 = ops[0][0], ops[-1][1], ops[0][2], ops[-1][3]
    whole = (r0 == 0 or ref[r0 - 1] == " ") and (r1 == len(ref) or ref[r1] == " ")
    context = f"{ref[max(0, r0 - 12) : r0]}[{hyp[h0:h1]}|{ref[r0:r1]}]{ref[r1 : r1 + 12]}"
    return Span(hyp[h0:h1], ref[r0:r1], sum(op[4] for op in ops), context, whole)


def classify(items: list[Span]) -> None:
    """Give every span its kind (see the module docstring)."""
    extras = [s.hyp.strip() for s in items if not s.ref.strip() and len(s.hyp.strip()) >= 4]
    for span in items:
        h, r = span.hyp, span.ref
        bare_h, bare_r = h.replace(" ", ""), r.replace(" ", "")
        if bare_h == bare_r:
            span.kind = "space"
        elif _strip_punct(h) == _strip_punct(r):
            span.kind = "punctuation"
        elif bare_h.translate(LOOK_ALIKE) == bare_r.translate(LOOK_ALIKE):
            span.kind = "look-alike"
        elif not bare_h and len(bare_r) >= 4 and any(bare_r in e.replace(" ", "") for e in extras):
            span.kind = "order"
        elif not bare_h:
            span.kind = "missed words" if span.whole_words else "missed part"
        elif not bare_r:
            span.kind = "extra"
        elif bare_h.isdigit() and bare_r.isdigit() and len(bare_h) == len(bare_r):
            span.kind = "digits"
        elif span.cost <= 2:
            span.kind = "short misread"
        else:
            span.kind = "garbled"


def _strip_punct(text: str) -> str:
    return "".join(c for c in text if c not in PUNCT)


def dev_receipts(first: int | None) -> list[tuple[Path, Path]]:
    """(image, transcript) of the dev receipts, by file name; the first ``first`` of them."""
    chosen = [
        (image, gt)
        for split, kind, image, gt in ocr_layout.items()
        if split == "dev" and kind == "receipt"
    ]
    chosen.sort(key=lambda pair: (pair[0].parent.name, pair[0].name))
    return chosen[:first] if first else chosen


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--first", type=int, default=0, help="first N dev receipts by name")
    parser.add_argument("--cache", metavar="DIR", help="read words afresh into DIR")
    parser.add_argument("--examples", type=int, default=0, help="examples shown per kind")
    parser.add_argument("--check-total", action="store_true", help="check split CER only")
    parser.add_argument("--cached-only", action="store_true", help="skip images not yet read")
    parser.add_argument("--write", action="store_true", help="write BENCHMARKS.md")
    args = parser.parse_args(argv)
    if args.cache:
        ocr_layout.CACHE = Path(args.cache)
    by_kind: Counter[str] = Counter()
    count: Counter[str] = Counter()
    examples: dict[str, list[str]] = {}
    errors = chars = 0
    pages = 0
    for image, gt in dev_receipts(args.first or None):
        if args.cached_only and not _cached(image):
            continue
        pages += 1
        data = ocr_layout.words_of(image, "rapid", refresh=False)
        hyp, ref = normalise(ocr_layout.text_of(data)), normalise(gt.read_text("utf-8"))
        items = spans(hyp, ref)
        classify(items)
        errors += Levenshtein.distance(hyp, ref)
        chars += len(ref)
        for span in items:
            by_kind[span.kind] += span.cost
            count[span.kind] += 1
            examples.setdefault(span.kind, []).append(f"{image.stem}: {span.context}")
    lines = [
        "## OCR errors on dev receipts, by kind",
        "",
        *common.machine_lines(common.machine(), "python bench/ocr_errors.py" + _flags(args)),
        "",
        f"{pages} dev receipts (engine rapid, layout as bench/ocr_layout.py), CER micro "
        f"{errors / max(chars, 1):.4f} ({errors} edits / {chars} characters). Kinds in the "
        "script's docstring; an edit counts once, in the first kind that fits its span.",
        "",
        "| kind | edits | share | spans |",
        "|---|---|---|---|",
    ]
    for kind in KINDS:
        share = by_kind[kind] / max(errors, 1)
        lines.append(f"| {kind} | {by_kind[kind]} | {share:.0%} | {count[kind]} |")
    print("\n".join(lines))
    for kind in KINDS:
        for line in examples.get(kind, [])[: args.examples]:
            print(f"  {kind:14} {line}")
    if args.write:
        common.write_section("ocr-errors", lines)
    if args.check_total:
        print(f"check receipts: CER micro {_check_cer():.4f}")
    return 0


def _flags(args: argparse.Namespace) -> str:
    flags = f" --first {args.first}" if args.first else ""
    flags += " --cache DIR" if args.cache else ""
    return flags + (" --cached-only" if args.cached_only else "") + " --write"


def _cached(image: Path) -> bool:
    return (ocr_layout.CACHE / "rapid" / (image.parent.name + "__" + image.stem + ".json")).exists()


def _check_cer() -> float:
    """The check split's CER micro: the aggregate only, never its errors."""
    errors = chars = 0
    for split, kind, image, gt in ocr_layout.items():
        if split == "check" and kind == "receipt":
            data = ocr_layout.words_of(image, "rapid", refresh=False)
            hyp, ref = normalise(ocr_layout.text_of(data)), normalise(gt.read_text("utf-8"))
            errors += Levenshtein.distance(hyp, ref)
            chars += len(ref)
    return errors / max(chars, 1)


if __name__ == "__main__":
    raise SystemExit(main())
