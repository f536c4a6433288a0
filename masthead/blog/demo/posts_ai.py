"""Demo articles: AI."""

from masthead.blog.demo.content import DemoPost

POSTS = (
    DemoPost(
        slug="reading-receipts-with-a-machine",
        title="Reading receipts with a machine: what modern OCR gets right",
        excerpt=(
            "Text recognition quietly got good. Here is what changed, where it still "
            "stumbles, and how to get clean text out of a crumpled receipt in seconds."
        ),
        author="nadia",
        tags=("ai", "ocr", "productivity"),
        days_ago=1,
        featured=True,
        palette=("#0f2027", "#2c5364", "#ffb88c", "#de6262"),
        hero_alt="Abstract teal and coral gradient with soft overlapping circles",
        caption="Modern OCR reads the page as a layout, not a stream of letters.",
        body="""\
Ten years ago, optical character recognition meant a flatbed scanner, a clean page and a
lot of patience. Today you can photograph a crumpled receipt on a café table and get
usable text back before your coffee cools. The change did not come from one breakthrough
but from three that landed at roughly the same time.

## What changed

The first is **detection**. Older engines assumed neat lines of text; modern ones find
text regions anywhere in the picture, at any angle, and hand each region to the
recogniser separately. That is why a receipt photographed at a slant no longer turns
into soup.

The second is **recognition as sequence prediction**. Instead of segmenting letters one
by one, the recogniser reads a whole line as a sequence, the way a language model reads
a sentence. Smudged characters are inferred from their neighbours.

The third is **layout analysis**. Knowing that a number sits at the right edge of the
same line as "TOTAL" matters more than reading the number itself.

## Where it still stumbles

OCR is now good enough that its failures are surprising, which makes them dangerous:

- **Look-alike characters** in codes and amounts: `O` and `0`, `l` and `1`, `,` and `.`
  in European prices.
- **Thermal paper** that has faded unevenly, so half a line is crisp and half is ghost.
- **Dense tables** where the reading order across columns is ambiguous.

A confidence score for every word is the single most useful thing an OCR tool can give
you. Anything under about 0.8 deserves a second look before it goes into a spreadsheet.

## Try it on your own documents

We built a small tool for exactly this: drop in a photo, screenshot or PDF and get the
text back with the layout kept, plus the emails, dates and amounts it found.

::: tool ocr

## A workflow that holds up

1. Photograph flat, in daylight, filling the frame.
2. Run OCR and keep the structured output (JSON), not only the text.
3. Check the low-confidence words and every amount by eye.
4. Store the original image next to the text, so you can always go back.

The machine does the typing. You still do the checking, but now it takes a minute
instead of an afternoon.
""",
    ),
    DemoPost(
        slug="small-models-big-jobs",
        title="Small models, big jobs: when a one-billion-parameter model is enough",
        excerpt=(
            "The biggest model is rarely the right one. A practical guide to matching "
            "model size to the task, the budget and the latency your users will accept."
        ),
        author="nadia",
        extra_authors=("ben",),
        tags=("ai", "llms", "engineering"),
        days_ago=5,
        palette=("#232526", "#414345", "#8e9eab", "#5f2c82"),
        hero_alt="Dark grey gradient with violet circles and thin white rings",
        body="""\
Every few months a bigger model tops the leaderboards, and every few months teams
quietly ship products on models a hundred times smaller. Both things are true because
most production tasks are narrow.

## Start from the task, not the model

Write down what the model must do in one sentence. "Classify support emails into seven
queues" is a small-model task. "Draft a reply that sounds like our best agent" might not
be. The narrower the output space, the smaller the model you need.

| Task | Typical size that works | Why |
|------|-------------------------|-----|
| Classification, routing | under 1B | Few possible outputs |
| Extraction into a schema | 1B to 8B | Needs to follow a format |
| Summaries of short text | 3B to 8B | Needs fluency, little knowledge |
| Open-ended advice | larger | Needs breadth and judgement |

## Measure on your own data

Public benchmarks tell you how a model does on public benchmarks. Take two hundred real
examples from your logs, label them once, and keep them as your test set. A small model
that scores 94% on *your* examples beats a large one that scores 97% on someone else's
at ten times the cost.

## The hidden costs of big

Large models are slower, and latency is a feature. A reply that arrives in 300
milliseconds feels like software; one that arrives in six seconds feels like waiting.
They are also harder to run privately, which matters when the input is a customer's
invoice or a patient's letter.

## When to go bigger

Go bigger when your evaluation set says so, not when a launch post does. Keep the small
model as the first pass and send only the hard cases up: most traffic stays cheap, and
the difficult tail gets the attention it needs.
""",
    ),
    DemoPost(
        slug="evaluating-ai-tools-for-your-team",
        title="Evaluating AI tools for your team: a one-page scoring sheet",
        excerpt=(
            "Five questions that separate useful AI tools from expensive demos, with the "
            "scoring sheet we use before anything touches customer data."
        ),
        author="nadia",
        tags=("ai", "productivity", "privacy"),
        days_ago=12,
        members_only=True,
        palette=("#42275a", "#734b6d", "#ee9ca7", "#ffdde1"),
        hero_alt="Plum to pink gradient with large translucent circles",
        body="""\
Most AI tools look wonderful in a demo because the demo was chosen to look wonderful.
Here is the sheet we fill in before a tool gets near real work.

## 1. Does it work on our worst inputs?

Bring the ugliest ten examples you have: the blurry scan, the email thread in three
languages, the spreadsheet with merged cells. Score each 0 to 2.

## 2. Where does our data go?

Ask for the retention period, the sub-processors and whether inputs train future models.
"We take privacy seriously" is not an answer.

## 3. Can we get our work out?

Exports in open formats, an API, and a way to delete everything. If leaving is hard,
price that in now.

## 4. What does a mistake cost?

A wrong tag on a blog post costs nothing. A wrong amount on an invoice costs money and
trust. Match the review step to the cost of the error.

## 5. Who owns it on our side?

Tools without an owner decay. Name one person who checks the output monthly.
""",
    ),
)
