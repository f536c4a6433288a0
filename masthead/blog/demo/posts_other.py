"""Demo articles: Marketing and Engineering."""

from masthead.blog.demo.content import DemoPost

POSTS = (
    DemoPost(
        slug="newsletters-people-open",
        title="Newsletters that people actually open",
        excerpt=(
            "Open rates are falling everywhere except in the newsletters readers would "
            "miss. What those have in common, and how to become one of them."
        ),
        author="priya",
        tags=("marketing", "newsletters"),
        days_ago=3,
        featured=True,
        palette=("#ff9966", "#ff5e62", "#fbd786", "#c6ffdd"),
        hero_alt="Warm orange and pink gradient with a pale green corner and soft circles",
        body="""\
Most newsletters die the same quiet death: they start as a labour of love, become a
weekly obligation, and end as a folder rule. The ones that survive share a few habits.

## Send less, on a schedule

A weekly email that arrives every Thursday morning becomes part of a routine. An email
that arrives "whenever we have news" becomes noise. Pick a day, pick a time, and keep it.

## Make the subject line a promise

The subject line is not a headline; it is a promise about what is inside. "This week's
update" promises nothing. "Three tools that cut our support queue in half" promises
something specific, and then the email has to deliver it.

## One idea per issue

Readers give you about thirty seconds. Lead with the one thing worth their time, link to
the rest, and stop. If everything is important, nothing is.

## Respect the exit

Put the unsubscribe link where people can find it, make it one click, and never ask
"are you sure?". People who leave easily come back; people who feel trapped mark you as
spam, and spam complaints hurt your delivery to everyone else.

## Measure what matters

Opens are unreliable now that mail apps prefetch images. Watch clicks, replies and the
unsubscribe rate per issue. A reply is worth a hundred opens.
""",
    ),
    DemoPost(
        slug="seo-after-ai-answers",
        title="SEO after AI answers: writing for readers who may never click",
        excerpt=(
            "Search engines now answer many questions directly. Here is how to stay "
            "visible, and useful, when the answer box quotes you instead of linking you."
        ),
        author="priya",
        tags=("marketing", "seo", "ai"),
        days_ago=10,
        palette=("#134e5e", "#71b280", "#e0eafc", "#cfdef3"),
        hero_alt="Green and pale blue gradient with white rings",
        body="""\
For twenty years the deal was simple: write something useful, rank for it, get the
click. AI answers change the last step. Your page may inform the answer without anyone
visiting it. That is not the end of search traffic, but it changes what earns it.

## Answer the question, then go deeper

Put a plain, quotable answer near the top of the page, then give the reader what an
answer box cannot: the worked example, the data, the opinion of someone who has done it.
The first part gets you cited; the second part gets you the click.

## Structure helps machines and people

Clear headings, short sections, a table where a comparison is being made. Add structured
data for articles, authors and breadcrumbs. None of this is new, but it now matters
twice: once for the search index and once for the model summarising your page.

## Own the things that cannot be summarised

- Original numbers from your own customers or experiments.
- Tools people can use on the page.
- A voice readers recognise and subscribe to.

## Build a direct line

The safest traffic is the traffic no algorithm controls. Every article should offer one
clear way to hear from you again, whether that is a newsletter, a feed or a free account.
""",
    ),
    DemoPost(
        slug="fast-pages-small-server",
        title="Fast pages on a small server: a performance budget you can keep",
        excerpt=(
            "You do not need a CDN and a cluster to serve a fast publication. You need a "
            "budget, a cache and the discipline to measure before and after."
        ),
        author="ben",
        tags=("engineering", "performance"),
        days_ago=4,
        palette=("#1a2a6c", "#b21f1f", "#fdbb2d", "#3a1c71"),
        hero_alt="Navy, red and gold gradient with vertical bars like a chart",
        body="""\
A two-core virtual machine can serve hundreds of article pages per second. Most sites
that struggle on hardware like that are not short of hardware; they are short of a
budget.

## Write the budget down

Ours fits on one line: *the article page renders in under 10 ms of CPU, weighs under
100 KB before images, and makes no request to another host.* Every change is checked
against it.

## Do the work once

An article changes a few times in its life and is read thousands of times. So render the
Markdown when the editor saves, not when the reader visits, and store the HTML. Resize
images when they are uploaded, not on the fly.

```python
# on save, not on view
post.body_html = render_markdown(post.body)
post.reading_time = estimate_minutes(post.body_html)
```

## Cache whole pages for visitors

Anonymous readers all see the same page, so cache the finished HTML for a minute. The
tricky parts are the bits that differ per visitor, such as form tokens and script
nonces: render them as placeholders and fill them in on the way out.

## Avoid layout shift

Give every image its width and height, load fonts you already have (the system font
stack is fast and looks good), and never insert content above what the reader is
looking at.

## Measure under load

Run a load test against the real server process, with debug off, at a realistic number
of connections. Record requests per second, the 99th percentile latency and the memory
high-water mark, and keep the numbers next to the code.
""",
    ),
    DemoPost(
        slug="sqlite-in-production",
        title="SQLite in production: when it is the right call",
        excerpt=(
            "SQLite is not a toy database. For many read-heavy sites it is the simplest "
            "thing that works, as long as you know its one real limit."
        ),
        author="ben",
        tags=("engineering", "databases", "performance"),
        days_ago=15,
        palette=("#0f0c29", "#302b63", "#24243e", "#00c9ff"),
        hero_alt="Midnight blue gradient with a bright cyan corner and soft circles",
        body="""\
SQLite runs in the same process as your application, reads from a single file and needs
no server. For a blog, a documentation site or an internal tool, that is often all the
database you need.

## The one real limit

SQLite allows many readers but **one writer at a time**. With write-ahead logging turned
on, readers never wait for the writer, and a write usually takes well under a
millisecond. Trouble starts only when many processes want to write at once for long
periods.

## Settings that matter

- `journal_mode=WAL` so reads and writes do not block each other.
- A busy timeout, so a writer waits briefly instead of failing.
- Immediate transactions for writes, so two writers queue instead of deadlocking.

## When to move on

Move to PostgreSQL when you run more than one application server, when writes are
constant rather than occasional, or when you need features such as rich full-text search
in many languages. Keep your queries portable and the move is a configuration change.

## Backups are still your job

Copy the file with the online backup API or a tool built for it, never with a plain file
copy while the app is running. Then restore a backup once, on purpose, before you ever
need to.
""",
    ),
)
