"""Text-accuracy metrics shared by the OCR benchmarks.

The definitions are the contract BENCHMARKS.md states, so they live in one place:

* ``normalise``: Unicode NFKC, case-folded (the receipts' ground truth is all upper-case,
  whatever the print), then every run of whitespace (spaces, tabs, newlines) becomes one
  space and leading/trailing whitespace is dropped. Punctuation is kept: a misread
  ``O``/``0`` or ``,``/``.`` counts. Reading order counts too, because the whole page is
  compared as one string.
* CER: Levenshtein distance (insert/delete/substitute, cost 1 each) between the normalised
  output and the normalised ground truth, divided by the ground truth's length.
  *Micro* CER sums distances and lengths over the set; *mean* CER averages per-image CERs.
* WER: the same over whitespace-separated tokens.
* Bag-of-words F1: multiset overlap of tokens, ignoring order.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass, fields

from rapidfuzz.distance import Levenshtein


def normalise(text: str) -> str:
    """Apply the one normalisation every score uses."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


@dataclass(frozen=True, slots=True)
class Score:
    """Edit counts for one image; sums of these give the micro figures."""

    char_errors: int
    chars: int
    word_errors: int
    words: int
    bow_hits: int
    bow_hyp: int
    bow_ref: int

    @property
    def cer(self) -> float:
        return self.char_errors / max(self.chars, 1)

    @property
    def wer(self) -> float:
        return self.word_errors / max(self.words, 1)

    @property
    def f1(self) -> float:
        if not self.bow_hyp or not self.bow_ref:
            return 1.0 if self.bow_hyp == self.bow_ref else 0.0
        precision, recall = self.bow_hits / self.bow_hyp, self.bow_hits / self.bow_ref
        return 0.0 if not self.bow_hits else 2 * precision * recall / (precision + recall)


def score(hypothesis: str, reference: str) -> Score:
    """Score one page of output against its ground truth."""
    hyp, ref = normalise(hypothesis), normalise(reference)
    hyp_words, ref_words = hyp.split(), ref.split()
    overlap = Counter(hyp_words) & Counter(ref_words)
    return Score(
        char_errors=Levenshtein.distance(hyp, ref),
        chars=len(ref),
        word_errors=Levenshtein.distance(hyp_words, ref_words),
        words=len(ref_words),
        bow_hits=sum(overlap.values()),
        bow_hyp=len(hyp_words),
        bow_ref=len(ref_words),
    )


@dataclass(frozen=True, slots=True)
class Summary:
    """Aggregate of several images' scores."""

    images: int
    cer_micro: float
    cer_mean: float
    wer_micro: float
    f1_micro: float


def summarise(scores: list[Score]) -> Summary:
    """Micro (pooled) and mean (per-image average) figures for a set."""
    if not scores:
        return Summary(0, 0.0, 0.0, 0.0, 0.0)
    pooled = Score(*(sum(getattr(s, f.name) for s in scores) for f in fields(Score)))
    return Summary(
        images=len(scores),
        cer_micro=pooled.cer,
        cer_mean=sum(s.cer for s in scores) / len(scores),
        wer_micro=pooled.wer,
        f1_micro=pooled.f1,
    )
