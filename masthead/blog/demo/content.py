"""The demo publication: four writers, four categories and nine articles.

Plain data; ``masthead.blog.demo.loader`` turns it into rows. Dates are days before the first
load, so a fresh install always looks current.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class DemoAuthor:
    username: str
    name: str
    slug: str
    bio: str


@dataclass(frozen=True)
class DemoPost:
    slug: str
    title: str
    excerpt: str
    author: str
    tags: tuple[str, ...]
    days_ago: int
    palette: tuple[str, str, str, str]
    hero_alt: str
    body: str
    featured: bool = False
    members_only: bool = False
    caption: str = ""
    extra_authors: tuple[str, ...] = field(default=())


AUTHORS = (
    DemoAuthor(
        "nadia",
        "Nadia Okafor",
        "nadia-okafor",
        "Nadia edits our AI coverage. She spent eight years building document-processing "
        "pipelines for insurers before she started writing about them.",
    ),
    DemoAuthor(
        "tomas",
        "Tomás Lindqvist",
        "tomas-lindqvist",
        "Tomás writes about application security and the habits that keep small teams safe. "
        "He has run incident response for two start-ups and one very large bank.",
    ),
    DemoAuthor(
        "priya",
        "Priya Raman",
        "priya-raman",
        "Priya covers marketing, search and email. She has grown three newsletters past "
        "fifty thousand readers without buying a single list.",
    ),
    DemoAuthor(
        "ben",
        "Ben Hartley",
        "ben-hartley",
        "Ben is a backend engineer who likes boring technology, fast pages and servers that "
        "fit on one invoice line.",
    ),
)

# slug: (name, description); the first four are the categories.
TAGS = {
    "ai": ("AI", "Machine learning you can use on Monday morning."),
    "cybersecurity": ("Cybersecurity", "Practical security for teams without a security team."),
    "marketing": ("Marketing", "Search, email and audience growth, measured honestly."),
    "engineering": ("Engineering", "Building and running software that stays fast and cheap."),
    "ocr": ("OCR", "Getting text out of images and scans."),
    "llms": ("LLMs", "Large language models: what they do well and where they break."),
    "privacy": ("Privacy", "Collecting less and protecting what you keep."),
    "newsletters": ("Newsletters", "Writing, growing and sending email people want."),
    "seo": ("SEO", "Being found by search engines and answer engines."),
    "performance": ("Performance", "Speed as a feature."),
    "databases": ("Databases", "Storing things and getting them back quickly."),
    "productivity": ("Productivity", "Tools and habits that save real hours."),
}
