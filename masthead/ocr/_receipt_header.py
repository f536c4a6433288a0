"""The merchant's name and address at the head of a receipt; private to ``receipts``.

The head is the rows above the first row that belongs to the body (an amount, a date, a
column heading, "invoice", "cashier"...). In it the merchant is the row that reads most
like a business name: a legal-form word (Sdn Bhd, Ltd, GmbH...), a trade noun
(Enterprise, Trading, Bakery, Furniture, Cash & Carry...), words joined by "&" (a firm,
not a person), else the largest print near the top, mostly letters. A row right above a
company registration number on its own row counts as much as a trade noun (tills print
the number under the name it registers, whatever the trade), and so does a name printed
before the address with the number beside it, and a row sharing its first word with the
name a sentence calls the shop by ("THANK YOU FOR SHOPPING AT X") wins a near tie. An
owner line above the address ("DIMILIKI: X SDN BHD") names the company; one after the
address does not, nor does a name printed after the address or under "BILL TO" (the
customer's). A street, numbered-address or region row is never the name: when the
recogniser missed the name the field stays empty. The rows above join the name only when
it is incomplete without them, or when they are the first name-like print and the name
reads as wrapped (it starts with a trade word or a bracket, the row above ends with "&",
or the row above ran out of room: the name's next word would not have fitted within the
print's width), never a row in small letters above a capitalised name (a note or a
person's name). A row of trade or legal words alone right under a name without a legal
form ends it ("TRADING"), and so does the row under a name row that ends with "&", "AND",
"OF" or "BY", or a short row ending in a trade word under a name row that ran out of room
("SYARIKAT PERNIAGAAN HOCK SINAR" / "KENCANA CAFE"); a name without a legal form runs on
to one that ends the next row or the one after ("SYARIKAT WAH" / "BINTANG PERMATA" /
"S/B").

The address is the run of rows right under the name (registration numbers, tax numbers,
an invoice title, a branch in brackets and a telephone, e-mail or website row skipped)
up to the first row that is about something else (telephone, tax number, e-mail, an
amount, a date or time, a body row, a till code with "#", a labelled row such as
"BRANCH: X"), printed in another alignment or, without address words, in another size,
ending at most two region rows after the postcode, or more when they hold nothing but
region and country names (a lot or house number is no postcode). Without a postcode, a
row that ends with a state or the country does what the postcode's row does (not "JALAN
PAHANG": a street named after one). Words printed before a telephone on the same row end
the address. A place name that does not start an address (no house, lot or unit number,
street number or postcode) is a branch when the shop's numbers follow it, or when it is
an area printed above the numbered street (an address runs from the building to the
street, the area, the postcode). No list of shop names is involved anywhere.
"""

from __future__ import annotations

import itertools
import re
import statistics
from collections.abc import Sequence

from masthead.ocr._receipt_rows import Row, find_money, label_text
from masthead.ocr.document import BBox

# Legal forms of many countries. Forms of two letters or fewer count only when dotted
# ("S.A.", "B.V.") or as the last word of the row ("... AB", "... AG (HRB 1234)"),
# where a name ends.
_FORMS = (
    r"SDN\.?\s*BHD|BHD|SENDIRIAN\s+BERHAD|BERHAD|S/B|PLT|LTD|LIMITED|LLC|LLP|PLC|INC|CORP(?:ORATION)?|GMBH|SARL|"
    r"PTE|PTY|PVT|SRL|SAS|KFT|ZRT|APS|A/S|OY|(?:AB|AG|BV|NV|KG)(?=\s*(?:\([^)]*\)\s*)?\W*$)|"
    r"S\.\s?A\.(?:\s?S\.)?|S\.\s?R\.\s?L\.?|S\.\s?L\.|B\.\s?V\.?|N\.\s?V\.?|S\.\s?P\.\s?A\.?|"
    r"K\.\s?K\.|CO\.,?\s*LTD|S\.\s?DE\s?R\.\s?L\.|SP\.\s?Z\s?O\.\s?O\.?"
)
_FORM = re.compile(rf"((?<![\w.])({_FORMS})(?![\w/])|\bCO\.?\s*\(M\))")
_LEGAL_WORDS = re.compile(
    r"\b(SDN\.?\s*BHD|BHD|SENDIRIAN\s+BERHAD|BERHAD|S/B|SB|PLT|LTD|LIMITED|LLC|INC|CORP(?:ORATION)?|GMBH|AG|SARL|SAS|"
    r"S\.?A\.?|S\.?L\.?|B\.?V\.?|PTE|PTY|CO\.?|COMPANY|ENTERPRISES?|TRADING|HOLDINGS|"
    r"INDUSTRIES|RESOURCES|MARKETING|SERVICES?|RESTAURANTS?|RESTORAN|CAFE|BAKERY|"
    r"HARDWARE|STATIONERY|PHARMACY|SUPERMARKET|MINI\s?MARKET|MART|STORE|SHOP|KEDAI|"
    r"SYARIKAT|PERNIAGAAN|BOOKSTORE|FOOD|HOTEL|GROCER[SY]?|STATION|"
    # trade nouns that name a business, in English and Malay (never shop names)
    r"BAKERIES|CONFECTIONERY|KOPITIAM|BISTRO|PUB|FLORIST|CLINIC|KLINIK|FARMASI|"
    r"ELECTRICAL|ELECTRONICS?|MOTORS?|FURNITURE|PRINTING|TRAVEL|GALLERY|BOOKS?|"
    r"TEXTILES?|OPTICAL|SALON|LAUNDRY|CATERING|SEAFOOD|HYPERMARKET|PASARAYA|MINIMART|"
    r"MEDICAL|DENTAL|BEAUTY|INTERNATIONAL|GROUP|SUPPL(?:Y|IES)|DISTRIBUTORS?|AGENCY|"
    r"ENGINEERING|CONSTRUCTION|PETROLEUM|LOGISTICS|BOUTIQUE|FASHION|JEWELLERY|GIFTS?|"
    r"DECO|HANDICRAFTS?|CASH\s*&\s*CARRY|TRADERS?|MACHINERY|ALUMINIUM|BATTER(?:Y|IES)|TYRES?|"
    r"AUTO\s*PARTS|SPARE\s*PARTS)\b",
)
_LEGAL = re.compile(rf"{_LEGAL_WORDS.pattern}|{_FORM.pattern}")
_NOT_NAME = re.compile(
    r"\b(TAX|INVOICE|RECEIPT|RESIT|BILL|WELCOME|THANK|GST|SST|REG|NO\s*[.:]|TEL|PHONE|FAX|"
    r"EMAIL|E-MAIL|WWW|HTTP|DATE|TIME|CASHIER|TABLE|ORDER|COPY|ABN|VAT|REPRINT|SIMPLIFIED|"
    r"HOURS|OPEN|MEMBER|SLIP|LICENSEE|DIMILIKI|GOODS|SOLD|RETURNABLE|FEEDBACK|COMPLAINT|"
    r"PLEASE|CALL|REDEEM|POINTS|VOUCHER|REFUND|EXCHANGE|SERVED|SIGNATURE|"
    # a slogan speaks to the customer or about the shop: "YOUR FRIENDLY STORE", "SINCE 1985"
    r"YOUR|YOU|WE|SINCE|SPECIALI[SZ](?:TS?|ES|ING)\s+IN|DEALERS?\s+IN|SUPPLIERS?\s+OF|"
    # a company's legal mentions: its share capital and its register numbers
    r"CAPITAL|STAMMKAPITAL|SIRET|SIREN|RCS|HRB|KVK|CIF|NIF|P\.\s?IVA)\b"
)
_REGISTRATION = re.compile(
    r"(\b(CO\.?\s*(REG|NO)|COMPANY\s*(REG|NO)|ROC|SSM|REG(ISTRATION)?\s*NO|BUSINESS\s*REG)\b|"
    r"^\(?\s*(?:NO\.?\s*:?\s*)?\d{5,8}\s*-\s*[A-Z]\s*\)?$|^\(?\s*[A-Z]{0,3}\d{6,12}\s*-?\s*[A-Z]?\s*\)?$)"
)
_HOUSE_NUMBER = re.compile(
    r"\W*\d{1,5}[A-Z]?\s+(?:[NSEW]\.?\s+)?[A-Z][A-Z'.-]{2,}(?:\s+[A-Z'.-]+){0,3}\W*$"
)
"""A house number and a street's name, nothing else ("501 W BROADWAY")."""
_UNIT_NUMBER = re.compile(
    r"\W*(?:NO\.?\s?)?(?:[A-Z]{1,2}\s?-\s?)?\d{1,4}[A-Z]?(?:\s?-\s?\d{1,3}[A-Z]?){0,2}"
    r"(?:\s+[A-Z][A-Z'.&]*){0,3}\W*"
)
"""A unit's number ("93", "G-06", "A-3-18", "NO. 12A"), with a building's name after it
at most ("54-2 HOCK SENTRAL"), nothing else."""
_NUMBER_LAST = re.compile(
    r"\W*[^\W\d_]{2,}[^\W\d_'.-]*\.?(?:\s[^\W\d_][^\W\d_'.-]*\.?){0,3}\s\d{1,4}[A-Z]?\.?\W*"
)
"""A street's name and then its house number, nothing else ("GROTE MARKT 3", "KIR\u00c1LY
UTCA 12."), as most of Europe prints it: a street in words no rule knows, read as one by
the postcode and town under it."""
_POSTCODE_LABEL = r"CEP\b|ZIP\b|PLZ\b|CP\b|POST"
"""A postcode's label ("CEP 01304-001", "PLZ 10115"): the number after it is an address's."""
_NUMBER_ROW = re.compile(
    rf"\W*(?!{_POSTCODE_LABEL})"
    r"[A-Z][A-Z.-]{1,10}(?:\s?(?:NO|NR)\.?)?\s?[:#]?\s?"
    r"[A-Z]{0,3}\s?\d[\d ./-]{5,}\d[A-Z]?(?:\s?MVA)?\W*$"
)
"""A short label and a long number, nothing else: a business or tax number of any country
("CNPJ 12.345.678/0001-90", "Org.nr 556123-4567", Norway's "Org.nr. 912 345 678 MVA"),
which ends an address (a postcode's label does not: "CEP 01304-001")."""
_ADDRESS_STOP = re.compile(
    r"\b(TEL|TELEPHONE|PHONE|PH|HP|FAX|MOBILE|H/P|GST|SST|TAX|VAT|ABN|EMAIL|E-MAIL|MWST|"
    r"WEBSITE|WWW|HTTP|INVOICE|RECEIPT|RESIT|CASHIER|DATE|TABLE|OPEN|DAILY|HOTLINE|"
    r"CASH\s?BILL|COPY|REPRINT|DUPLICATE)\b|@|"
    r"TAXINVOICE|GSTNO|GSTREG"
)
_COMPOUND_STREET = (
    r"\b[A-Z\u00c4\u00d6\u00dc\u00c5\u00c6\u00d8]{3,}(?:STRASSE|STR\.|WEG|PLATZ|ALLEE|GASSE|STRAAT|"
    r"LAAN|PLEIN|GRACHT|KADE|GATAN|GATA|VEJ|VEIEN|VEGEN|V\u00c4GEN|GADE|GADEN)(?!\w)"
)
_PO_BOX_WORD = r"P\.?\s?[O0]\.?\s?BOX"
"""A post-office box, as most countries print it, the recogniser's 0 for O included."""
_ADDRESS_WORD = re.compile(
    r"\b(JALAN|JLN|TAMAN|TMN|LOT|NO|LORONG|PERSIARAN|KAMPUNG|KG|BANDAR|BDR|BATU|"
    r"STREET|ST|ROAD|RD|AVENUE|AVE|LANE|BLOCK|BLK|FLOOR|LEVEL|UNIT|SUITE|PLAZA|MALL|"
    r"CENTRE|CENTER|KM|SECTION|SEKSYEN|PARK|INDUSTRIAL|PERINDUSTRIAN|STRASSE|RUE|"
    r"STRA\u00dfE|WEG|PLATZ|ALLEE|GASSE|VIA|VIALE|PIAZZA|CALLE|AVENIDA|RUA|STRAAT|"
    r"BOULEVARD|BLVD|DRIVE|HIGHWAY|AV|AVDA|COLONIA|"
    r"SELANGOR|JOHOR|KUALA|LUMPUR|PENANG|PERAK|KEDAH|MELAKA|PAHANG|SABAH|SARAWAK|MALAYSIA|"
    r"SEK|MEDAN|WISMA|MENARA|BANGUNAN|KAWASAN|DATARAN|PUSAT\s+PERNIAGAAN|"
    # Malay street and building abbreviations and words found only in addresses, the
    # federal territories, and numbered sections of planned towns ("SS2", "USJ 9", "PJU 1A")
    r"LRG|PSN|LEBUH|LEBUHRAYA|KOMPLEKS|ARAS|TINGKAT|BLOK|PUTRAJAYA|LABUAN|"
    r"SS\s?\d{1,2}|USJ\s?\d{1,2}|PJU\s?\d{1,2}[A-Z]?|PJS\s?\d{1,2}|"
    # Polish "ul." (ulica) and Indonesian "Jl." (jalan), abbreviated with a full stop
    r"UL(?=\.)|JL(?=\.)|"
    # a post-office box and its words in other languages
    rf"{_PO_BOX_WORD}|PETI\s+SURAT|POSTFACH|APARTADO|CASILLA)\b|\bPTD?\s?\d{{3,}}|"
    # German, Dutch and Scandinavian street names are compounds ("HAUPTSTRASSE",
    # "DORPSSTRAAT", "STORGATAN"): ``_COMPOUND_STREET``
    rf"{_COMPOUND_STREET}"
)
_POSTCODE = re.compile(
    r"(?<![\w/-])\d{5}(?![\w-])|\b[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}\b|"
    # Dutch ("1234 AB"), Australian after the state ("NSW 2000"), Canadian ("M5V 2T6"),
    # Polish ("00-950"), Portuguese ("4000-123")
    r"\b[1-9]\d{3}\s?[A-Z]{2}\b(?!\.)|\b(?:NSW|VIC|QLD|WA|SA|TAS|ACT|NT)\s\d{4}\b|"
    r"\b[A-Z]\d[A-Z]\s?\d[A-Z]\d\b|(?<![\w/-])\d{2}-\d{3}(?![\w-])|(?<![\w/-])\d{4}-\d{3}(?![\w-])"
)
_BODY = re.compile(
    r"\b(INVOICE|RECEIPT|RESIT|CASHIER|TABLE|QTY|DESCRIPTION|ITEM|DATE|TERMINAL|POS|"
    r"ORDER|BILL\s?NO|DOC\s?NO|SALESPERSON|MEMBER)\b"
)


def head_rows(rows: Sequence[Row]) -> list[Row]:
    """Rows above the body (at most the first third of the rows, and never fewer than 3)."""
    limit = max(3, len(rows) // 3 + 1)
    head: list[Row] = []
    for row in rows[:limit]:
        if head and (any(find_money(row)) or _BODY.search(row.upper)):
            break
        head.append(row)
    return head


def merchant_rows(rows: Sequence[Row], head: Sequence[Row]) -> tuple[list[Row], str, float]:
    """The rows naming the merchant, the name as printed (cleaned), and a confidence."""
    top = list(rows[: max(len(head), 6, len(rows) // 3)])
    inside = _inside_address(top)
    candidates = [r for r in top if _name_like(r) and r.index not in inside]
    if not candidates:
        return [], "", 0.0
    typical = statistics.median(r.height for r in top)
    below = _address_start(top)
    labels = [r for r in top[:-1] if _CUSTOMER.search(r.upper)]
    labels += [r for r in top[:-1] if _OWNER.search(r.upper) and r.index > below]
    owned = {top[top.index(r) + 1].index for r in labels}
    registered = {r.index for r, nxt in itertools.pairwise(top) if _company_number(nxt)}
    named = _named_elsewhere(rows)

    def score_of(row: Row) -> float:
        late = row.index > below
        score = _name_score(row, row.index - top[0].index, typical, late)
        mentioned = bool(named & set(re.findall(r"[A-Z]{3,}", clean_name(row.text).upper())))
        # the company number, under the name or beside it, before the address: the
        # registered company's name (after the address: an owner's or a customer's)
        beside = (
            not late
            and row.index not in owned
            and bool(_REG_NUMBER.search(row.upper) and _WORD.search(clean_name(row.text).upper()))
        )
        numbered = row.index in registered or beside
        return score - (row.index in owned) + numbered + 0.5 * mentioned

    scored = sorted(((score_of(r), r) for r in candidates), key=lambda item: -item[0])
    chosen = [scored[0][1]]
    paper = max(r.bbox.width for r in rows)  # the print's width: an item row spans it
    while _joins_above(top, chosen, paper):
        chosen.insert(0, top[top.index(chosen[0]) - 1])
    while _joins_below(top, chosen, paper, typical):
        chosen.append(top[top.index(chosen[-1]) + 1])
    chosen = _large_block(top, chosen, statistics.median(r.height for r in rows))
    name = " ".join(clean_name(r.text) for r in chosen)
    return chosen, name, _name_confidence(scored, chosen, name)


def _name_confidence(
    scored: Sequence[tuple[float, Row]], chosen: Sequence[Row], name: str
) -> float:
    """How sure the name is, from the best row's score and its margin over the best row
    the name left out. The rows joined to it count as evidence, not as rivals: an opening
    row over the name ("SYARIKAT PERNIAGAAN") or a legal form on the row under it says
    what kind of name it is as well as it would on the best row itself."""
    score, best = scored[0]
    taken = {row.index for row in chosen}
    rivals = [rival for rival, row in scored[1:] if row.index not in taken]
    margin = score - rivals[0] if rivals else 1.0
    score += max(0.0, _kind_score(label_text(name)) - _kind_score(best.upper))
    return max(0.0, min(1.0, 0.35 + 0.25 * score + 0.2 * min(margin, 1.0)))


def _kind_score(text: str) -> float:
    """What the words of ``text`` say of it being a business's name: a legal form most,
    a trade word less, partners joined by "&" least."""
    if _FORM.search(text):
        return 2.5
    if _LEGAL.search(text):
        return 1.2
    return 0.6 if _PARTNERS.search(text) else 0.0


LARGE_PRINT = 1.4
"""A row this many times as tall as the till's own print is in large print."""

MOST_NAME_ROWS = 5
"""The most rows a name in large print takes ("SYARIKAT" / "PERNIAGAAN" / "PERMATA MEGA" /
"CHUAN" / "ELECTRICAL" on a narrow roll)."""


def _large_block(top: Sequence[Row], chosen: list[Row], till: float) -> list[Row]:
    """``chosen`` and the rows of large print under it that finish the name: a name
    printed large is broken over as many rows as the roll needs, one or two words each
    ("KEDAI MAJU" / "SENG" / "ELECTRICAL"), with no room test to pass. The rows join when
    every one of them is large (``till`` is the page's median row height), of one size and
    right under the one before, could end a name (``_rest_of_name``), and the last of
    them ends the name with a trade word or a legal form, or the name opens by its kind
    ("SYARIKAT PERNIAGAAN" / "TEGUH'S TEGUH" / "LEE"). Two large names with no trade
    word to close the second ("TAN CHAY YEE" / "MAJU JAYA": a person over a shop) stay
    apart, as does a name that already has its legal form."""
    name = " ".join(clean_name(r.text) for r in chosen).upper()
    if _FORM.search(name) or not all(r.height >= LARGE_PRINT * till for r in chosen):
        return chosen
    opened = _opens_by_kind(name)  # then the whole block is the name so opened
    at = top.index(chosen[-1])
    run: list[Row] = []
    for below in top[at + 1 : at + 1 + MOST_NAME_ROWS - len(chosen)]:
        last = run[-1] if run else chosen[-1]
        text = clean_name(below.text).upper()
        if not (
            below.height >= LARGE_PRINT * till
            and _one_script(below, last)
            and 0.8 <= _height_ratio(below, last) <= 1.25
            and _next_to(last, below)
            and _rest_of_name(below, text)
        ):
            break
        run.append(below)
        name = f"{name} {text}"
        if _NAME_END.search(name):
            return [*chosen, *run]
    return [*chosen, *run] if opened else chosen


_NAME_END = re.compile(rf"(?:{_LEGAL_WORDS.pattern}|{_FORM.pattern})\W*$")
"""A trade word or a legal form ending a name ("... AUTO PARTS", "... SDN BHD")."""


def _one_script(row: Row, name: Row) -> bool:
    """``row`` is written in the script of ``name``: a shop's name in Chinese characters
    printed over or under its name in Latin letters ("新兴五金" / "SIN HENG HARDWARE") is
    the same name again, not a part of it."""
    return _ideographic(clean_name(row.text)) == _ideographic(clean_name(name.text))


def _ideographic(text: str) -> bool:
    """Most of the letters of ``text`` are Chinese, Japanese or Korean characters."""
    letters = [c for c in text if c.isalpha()]
    return sum(bool(_IDEOGRAPH.match(c)) for c in letters) * 2 > len(letters)


_IDEOGRAPH = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")


def _next_to(upper: Row, lower: Row) -> bool:
    return lower.bbox.y0 - upper.bbox.y1 <= 0.6 * min(upper.height, lower.height)


def _inside_address(top: Sequence[Row]) -> set[int]:
    """Rows printed inside an address: under an address row that ends with a comma (the
    address goes on) and over another address row ("NO.145G, JALAN RIMBUNAN RAYA 1," /
    "LAMAN RIMBUNAN KEPONG," / "52100 KUALA LUMPUR"). An area's name there holds no
    address word of its own, but it is no shop's name."""
    return {
        row.index
        for above, row, below in zip(top, top[1:], top[2:], strict=False)
        if above.upper.rstrip().endswith(",") and _address_like(above) and _address_like(below)
    }


def _joins_above(top: Sequence[Row], chosen: Sequence[Row], paper: float) -> bool:
    """The row above belongs to the name: printed alike (never a row in small letters above
    a capitalised name: a hand-written or stamped note), right above, and either the name
    is incomplete without it (a legal form alone, one word, an open bracket), or nothing
    name-like is printed above it and the two rows read as one name wrapped: the name
    starts with a word that ends names ("ENTERPRISE (SETIA", "(KL) SDN BHD") or the row
    above ends with "&" or "AND". A row above that ran out of room (``_filled``) joins even
    under another name-like row ("SYARIKAT" / "PERNIAGAAN RIA FU" / "WAH STORE PLT"). A
    person's name or a note above a brand is not joined."""
    at = top.index(chosen[0])
    if at == 0 or len(chosen) >= MOST_NAME_ROWS:
        return False
    above, first = top[at - 1], chosen[0]
    if not _one_script(above, first):
        return False
    alike = 0.85 <= _height_ratio(above, first) <= 1.2
    close = first.bbox.y0 - above.bbox.y1 <= 0.6 * first.height
    if not (alike and close and _name_like(above)) or _signal(above) or _OWNER.search(first.upper):
        return False
    if above.text == above.text.lower() and first.text != first.text.lower():
        return False
    if _opening_row(above):
        return True  # "SYARIKAT PERNIAGAAN" / "KIM HENG SDN BHD": no name on its own
    if _opened_above(top, at - 1):
        return True  # "SYARIKAT PERNIAGAAN" / "PERMATA MEGA" / "CHUAN ELECTRICAL": opened
    if len(chosen) >= 4:
        return False
    name = " ".join(clean_name(r.text) for r in chosen)
    incomplete = (
        _LEGAL_ONLY.fullmatch(name.upper())
        or _TAIL_ONLY.fullmatch(name.upper().rstrip(". "))
        or len(name.split()) <= 1
        or name.count(")") > name.count("(")
    )
    topmost = not any(
        _name_like(r) and _alike(r, first) and not _opening_row(r) for r in top[: at - 1]
    )  # an opening row ("SYARIKAT PERNIAGAAN") over the name is part of it, not a rival
    complete = _FORM.search(name.upper()) and above.bbox.width < 0.9 * first.bbox.width
    filled = _filled(paper, above, first)
    wrapped = (
        _NAME_TAIL.match(name.upper()) or _OPEN_END.search(clean_name(above.text).upper()) or filled
    )
    if (
        not ((topmost or filled) and wrapped)
        or (complete and not filled)
        or _FORM.search(above.upper)
    ):
        return bool(incomplete)
    return True


def _opened_above(top: Sequence[Row], at: int) -> bool:
    """The row at ``at`` is right under a row that opens a name by its kind ("SYARIKAT
    PERNIAGAAN", ``_OPENING_ONLY``), printed alike: it is a row of the name so opened."""
    if at == 0:
        return False
    opening, row = top[at - 1], top[at]
    return _opening_row(opening) and _alike(opening, row) and _next_to(opening, row)


def _alike(row: Row, other: Row) -> bool:
    """Printed in about the same size (logo lettering above a name is not)."""
    return 0.75 <= _height_ratio(row, other) <= 1.33


def _height_ratio(row: Row, other: Row) -> float:
    """``row``'s print size relative to ``other``'s (1.0 when ``other`` has no height)."""
    return row.height / other.height if other.height else 1.0


def _joins_below(top: Sequence[Row], chosen: Sequence[Row], paper: float, typical: float) -> bool:
    """The row under a name without a legal form is its last part when it holds only
    trade and legal words, printed alike and right under it ("TSH POWER HARDWARE" /
    "TRADING"), or when the name's row ends with a connective ("32 PUB & BISTRO OWN BY" /
    "CNU TRADING")."""
    at = top.index(chosen[-1])
    if at + 1 >= len(top) or len(chosen) >= 3:
        return False
    below, last = top[at + 1], chosen[-1]
    if not _one_script(below, last):
        return False
    alike = 0.8 <= _height_ratio(below, last) <= 1.25
    close = below.bbox.y0 - last.bbox.y1 <= 0.6 * last.height
    name = " ".join(clean_name(r.text) for r in chosen).upper()
    tail = clean_name(below.text).upper()
    if not (alike and close and tail) or _FORM.search(name) or _OWNER.search(below.upper):
        return False
    if (
        (_OPEN_TAIL.search(name) or _OPEN_HEAD.match(tail))
        and _name_like(below)
        and not _signal(below)
    ):
        return True  # a name cannot end with "&", "AND", "OF" or "BY", nor a row open with "&"
    if _OPENING_ONLY.fullmatch(name) and (
        (_name_like(below) and not _street_or_number(below)) or _numbered_name(below, tail)
    ):
        return True  # "KEDAI MAKAN" / "SRI MELAKA", "SYARIKAT PERNIAGAAN" / "32 PUB & BISTRO"
    if _opened_and_filled(name, paper, last, below, tail):
        return True  # "SYARIKAT PERNIAGAAN SINAR" / "EMAS FU": the till's line was full
    if _legal_end(top, at + 1) and _name_like(below) and not _street_or_number(below):
        return True  # "SYARIKAT WAH" / "BINTANG PERMATA" / "S/B": the legal form ends it
    if _TAIL_ONLY.fullmatch(tail.rstrip(". ")):
        return True
    if _wrapped_tail(top, last, below, tail) or _trade_run_on(paper, last, below, tail):
        return True
    return _large_run_on(typical, paper, last, below, tail)


_SHOP_NUMBER = re.compile(r"\d{1,4}\s+(?=[^\W\d_]{2,})")
"""A number opening a shop's name ("99 SPEED MART", "32 PUB & BISTRO")."""


def _opened_and_filled(name: str, paper: float, last: Row, below: Row, tail: str) -> bool:
    """A name opened by its kind ("SYARIKAT PERNIAGAAN SINAR") that ran out of room goes
    on to a short row under it ("EMAS FU"), trade word or not: such a name is a firm's
    full name, printed whole, and a branch or a slogan under it reads as neither
    (``_rest_of_name``)."""
    return (
        _opens_by_kind(name)
        and _filled(paper, last, below)
        and len(tail.split()) <= 3
        and _rest_of_name(below, tail)
    )


def _numbered_name(below: Row, tail: str) -> bool:
    """``below`` (cleaned: ``tail``) is a name that opens with a number ("32 PUB &
    BISTRO", "99 SPEED MART"): a number, then a trade word, and nothing an address holds
    (no street, area or building word, no postcode)."""
    return (
        bool(_SHOP_NUMBER.match(tail))
        and bool(_LEGAL_WORDS.search(tail))
        and _name_like(below)
        and not _street_or_area(_REGION.sub("", tail))
    )


def _legal_end(top: Sequence[Row], at: int) -> bool:
    """The row at ``at``, or the one under it, printed alike and right under, ends with a
    legal form and holds nothing that is no name's (a signal, an owner): the name runs on
    to it, as a branch or a slogan never ends with "SDN BHD"."""
    for n in (at, at + 1):
        if n >= len(top) or (n > at and not _alike(top[n], top[at])):
            return False
        row = top[n]
        if _signal(row) or _OWNER.search(row.upper):
            return False
        if _FORM_AT_END.search(clean_name(row.text).upper()):
            return True  # ("S/B" alone on its row reads as no name, but ends one)
        if not _name_like(row):
            return False
    return False


_FORM_AT_END = re.compile(rf"(?:{_FORM.pattern})\W*$")


def _filled(width: float, row: Row, below: Row) -> bool:
    """``row`` ran out of room: it fills most of ``width`` (the widest print: the page's
    for a name, the address block's for an address), and the first word of ``below``,
    printed after it in the same size, would not have fitted. (A short row over a long
    word had room left: a person's name stamped over the shop's.)"""
    word = below.words[0].bbox.width * _height_ratio(row, below) if below.words else 0.0
    full = row.bbox.width + 0.5 * row.height + word > 0.92 * width
    return full and row.bbox.width >= 0.55 * width


def _trade_run_on(paper: float, last: Row, below: Row, tail: str) -> bool:
    """A name that ran out of room and goes on to a row ending in a trade word
    ("SYARIKAT PERNIAGAAN HOCK SINAR" / "KENCANA CAFE"): no digits, no branch word, a
    few words; a branch line under a name ("OUTLET PUCHONG") names no trade."""
    return (
        _filled(paper, last, below)
        and len(tail.split()) <= 4
        and bool(_LEGAL_WORDS.search(tail.split()[-1]))
        and _rest_of_name(below, tail)
    )


def _large_run_on(typical: float, paper: float, last: Row, below: Row, tail: str) -> bool:
    """A name in large print (1.4 times the head's ``typical`` row height) that ran out of
    room goes on to the next large row, trade word or not ("KEDAI RUNCIT HENG" / "MUTIARA
    FU" on a narrow roll): a branch or a slogan under a name is printed in the till's own
    size."""
    return (
        last.height >= LARGE_PRINT * typical
        and below.height >= LARGE_PRINT * typical
        and _filled(paper, last, below)
        and len(tail.split()) <= 4
        and _rest_of_name(below, tail)
    )


def _rest_of_name(below: Row, tail: str) -> bool:
    """``below`` (cleaned: ``tail``) can be the end of a name run onto it: name-like, no
    digits, no branch word, nothing that signals another kind of row."""
    return (
        not _BRANCH.search(tail)
        and _name_like(below)
        and not _signal(below)
        and not any(c.isdigit() for c in below.text)
    )


_OPEN_TAIL = re.compile(r"(&|\bAND|\bOF|\bBY|\bDAN)\s*$")
_OPEN_HEAD = re.compile(r"\s*(&|AND\b|DAN\b)")
_OPENING_ONLY = re.compile(
    r"(?:(?:SYARIKAT|PERNIAGAAN|KEDAI|RESTORAN|RESTAURANT|PASARAYA|KILANG|KLINIK|FARMASI|"
    r"GERAI|MAKANAN|MAKAN|MINUMAN|KOPI|RUNCIT|UBAT|BUKU|BORONG|ELEKTRIK|PERABOT)\s*)+"
)
"""A row of nothing but the Malay words that open a shop's name by its kind ("KEDAI
MAKAN", a food shop; "SYARIKAT PERNIAGAAN", a trading firm): never a whole name."""


def _opening_row(row: Row) -> bool:
    """A row of nothing but words that open a name by its kind (``_OPENING_ONLY``)."""
    return bool(_OPENING_ONLY.fullmatch(clean_name(row.text).upper()))


def _opens_by_kind(name: str) -> bool:
    """``name`` opens with words of ``_OPENING_ONLY`` and goes on after them
    ("SYARIKAT PERNIAGAAN SINAR"; not "KOPITIAM", nor "KEDAI MAKAN" alone)."""
    opening = _OPENING_ONLY.match(name)
    return opening is not None and 0 < opening.end() < len(name) and name[opening.end() - 1] == " "


def _street_or_number(row: Row) -> bool:
    """A row that starts an address rather than ending a name: a street, an area or a
    building, a postcode, a number. A region word alone does not ("SRI MELAKA" ends a
    name as often as a town does)."""
    text = _REGION.sub("", row.upper)
    return _street_or_area(text) or any(c.isdigit() for c in text)


def _street_or_area(text: str) -> bool:
    """``text`` (region words taken out) holds a street, an area or a building word, or a
    postcode."""
    return bool(_ADDRESS_WORD.search(text) or _BUILDING.search(text) or _postcode(text))


def _wrapped_tail(top: Sequence[Row], last: Row, below: Row, tail: str) -> bool:
    """A name that filled the line and ran on: the name's row is as wide as the widest
    row of the head, and the row under it is one word, name-like, shorter, without digits,
    address or branch words ("SYARIKAT PERNIAGAAN GIN" / "KEE" on a narrow roll). Two
    words or more under a name are a branch line more often than a wrapped name
    ("OUTLET PUCHONG")."""
    widest = max(r.bbox.width for r in top)
    return (
        last.bbox.width >= 0.85 * widest
        and below.bbox.width < 0.6 * last.bbox.width
        and len(tail.split()) == 1
        and _rest_of_name(below, tail)
    )


_TAIL_ONLY = re.compile(rf"(?:(?:{_LEGAL.pattern}|\(M\)|&)\s*)+")
_NAME_TAIL = re.compile(
    r"\W*(\(|&|AND\b|(SDN|BHD|SENDIRIAN|BERHAD|CO|COMPANY|CORPORATION|ENTERPRISES?|TRADING|HOLDINGS|"
    r"INDUSTRIES|MARKETING|SERVICES?|SUPPL(Y|IES)|HARDWARE|STATIONERY|INTERNATIONAL|"
    r"LIMITED|LTD|PLT|GROUP|MART|STORE|SHOP|BAKERY|BAKERIES|SUPERMARKET)\b)"
)
_OPEN_END = re.compile(r"(&|\bAND|-|,)\s*$")


def clean_name(text: str) -> str:
    """The name without what tills print beside it: registration numbers, codes, an
    "owned by:" prefix, leading numbers, a trade-mark sign ("(R)", "\u00ae") before or in it;
    and without the recogniser's slips on large print:
    a dot or degree sign read in a gap between two words ("FOUR\u00b0QUARTERS"), a colon
    glued to a word ("THE: TOAST"), words run together ("SANYUSTATIONERYSHOP"), a letter O
    read as a zero inside a word of letters ("F00D"), a trade noun one slip away from
    itself ("CASH & CARY", ``mend_trade_noun``). The name in Chinese characters printed
    beside a name in Latin letters ("SIN HENG 新兴") is left out: it is the same name."""
    text = _ZERO_IN_WORD.sub(lambda m: "O" * len(m.group(0)), _NAME_PREFIX.sub("", text))
    text = _REG_IN_NAME.sub(" ", text)
    text = _REG_AT_END.sub("", text)
    text = _GAP_MARK.sub(" ", _GLUED_COLON.sub("", _MARK.sub("", text)))
    words = [w for w in text.split() if not _CODE_WORD.fullmatch(w)]
    while words and re.fullmatch(r"\d{5,}|[\d.,]*[.,][\d.,]*|(?!&$)\W+", words[0]):
        words.pop(0)
    if sum(c.isascii() and c.isalpha() for c in text) >= 3:  # the name in Chinese beside it
        words = [w for w in words if not _ideographic(w)] or words
    parts = (mend_trade_noun(part) for w in words for part in split_run_together(w))
    return " ".join(parts).strip(" -:,")


def mend_trade_noun(word: str) -> str:
    """``word`` as the trade noun it was printed as, when the recogniser made one slip in
    it: a doubled letter read once ("CARY" for CARRY) or one letter read as its lookalike
    ("HANDICPAFT", R as P). A shop's own spelling that differs otherwise stays
    ("STATIONARY": A for E is no slip of the eye)."""
    upper = word.upper()
    if len(upper) < 4 or upper in _TRADE_NOUNS or not upper.isalnum():
        return word
    for noun in _TRADE_NOUNS_BY_LENGTH.get(len(upper), ()):
        slips = [(a, b) for a, b in zip(upper, noun, strict=True) if a != b]
        if len(slips) == 1 and frozenset(slips[0]) in _LOOKALIKE_PAIRS:
            return _cased(noun, word)
    for noun in _TRADE_NOUNS_BY_LENGTH.get(len(upper) + 1, ()):
        doubled = (noun[:n] + noun[n + 1 :] for n in range(1, len(noun)) if noun[n] == noun[n - 1])
        if upper in doubled:
            return _cased(noun, word)
    return word


def _cased(noun: str, like: str) -> str:
    """``noun`` (in capitals) in the letter case of ``like``."""
    if like.isupper():
        return noun
    return noun.title() if like[:1].isupper() else noun.lower()


# fmt: off
_TRADE_NOUNS = frozenset({
    "AGENCY", "BAKERIES", "BAKERY", "BEAUTY", "BISTRO", "BOOKSTORE", "BOUTIQUE", "CARRY",
    "CATERING", "CLINIC", "COMPANY", "CONFECTIONERY", "CONSTRUCTION", "CORPORATION", "DENTAL",
    "DISTRIBUTOR", "DISTRIBUTORS", "ELECTRICAL", "ELECTRONICS", "ENGINEERING", "ENTERPRISE",
    "ENTERPRISES", "FARMASI", "FASHION", "FLORIST", "FURNITURE", "GALLERY", "GROCER", "GROCERS",
    "GROCERY", "HANDICRAFT", "HANDICRAFTS", "HARDWARE", "HEALTH", "HOLDINGS", "HYPERMARKET",
    "INDUSTRIES", "INTERNATIONAL", "JEWELLERY", "KEDAI", "KLINIK", "KOPITIAM", "LAUNDRY",
    "LIMITED", "LOGISTICS", "MARKETING", "MEDICAL", "MINIMARKET", "MINIMART", "MOTORS",
    "OPTICAL", "PASARAYA", "PERNIAGAAN", "PETROLEUM", "PHARMACY", "PRINTING", "RESOURCES",
    "RESTAURANT", "RESTAURANTS", "RESTORAN", "SEAFOOD", "SERVICES", "STATIONERY", "SUPERMARKET",
    "SUPPLIES", "SUPPLY", "SYARIKAT", "TEXTILES", "TRADERS", "TRADING", "TRAVEL"
})
# fmt: on
"""Trade nouns and legal words of five letters or more that name businesses (never shop
names), as ``_LEGAL_WORDS`` knows them."""
_TRADE_NOUNS_BY_LENGTH: dict[int, tuple[str, ...]] = {
    n: tuple(w for w in sorted(_TRADE_NOUNS) if len(w) == n) for n in range(4, 16)
}
_LOOKALIKE_PAIRS = frozenset(
    frozenset(pair)
    for pair in (
        *("RP", "DO", "O0", "OQ", "IL", "I1", "L1", "IT", "S5", "B8", "G6", "CG", "EF"),
        *("UV", "MN", "HN", "Z2"),
    )
)
"""Letters the recogniser reads for each other on till print."""


def split_run_together(word: str) -> list[str]:
    """A long word that the recogniser ran together from several, split around the trade
    and legal-form words inside it ("SANYUSTATIONERYSHOP" -> SANYU STATIONERY SHOP) when
    it holds two of them; a piece left over must be four letters or more."""
    if len(word) < 12 or not word.isalpha() or len(_TRADE_WORD.findall(word.upper())) < 2:
        return [word]
    return _split_at_trade_words(word)


def _split_at_trade_words(word: str) -> list[str]:
    for m in _TRADE_WORD.finditer(word.upper()):
        left, right = word[: m.start()], word[m.end() :]
        if all(_piece(part) for part in (left, right)):
            middle = word[m.start() : m.end()]
            return [*_split_at_trade_words(left), middle, *_split_at_trade_words(right)]
    return [word] if word else []


def _piece(part: str) -> bool:
    return not part or len(part) >= 4 or bool(_TRADE_WORD.fullmatch(part.upper()))


_MARK = re.compile(r"^\W*\((?!M\)\s*(?i:SDN|BHD|S/B))[A-Za-z]\)\s+|[\u00ae\u2122]")
_ZERO_IN_WORD = re.compile(r"(?<=[A-Z])0+(?=[A-Z])|\b0(?=[A-Z]{3,}\b)")
_GAP_MARK = re.compile(r"(?<=[^\W\d_])[\u00b0\u00b7\u2022](?=[^\W\d_])")
_GLUED_COLON = re.compile(r"(?<=[^\W\d_]):(?=\s)")
_TRADE_WORD = re.compile(
    r"STATIONERY|STATIONER|HARDWARE|TRADING|ENTERPRISE|RESTAURANT|RESTORAN|SUPERMARKET|"
    r"MINIMARKET|BOOKSTORE|PHARMACY|BAKERY|HOLDINGS|INDUSTRIES|MARKETING|SERVICES|"
    r"SYARIKAT|PERNIAGAAN|KEDAI|GROCERS|GROCER|STORE|SHOP|MART|CAFE|SDN|BHD"
)
_NAME_PREFIX = re.compile(
    r"^\W*(DIMILIKI(\s+OLEH)?|OWNED\s+BY|LICENSEE\s+OF|OPERATED\s+BY)\s*:?\s*", re.I
)
_REG_IN_NAME = re.compile(
    r"\(?\b(?:(?:CO(?:MPANY)?\.?\s*(?:REG(?:ISTRATION)?|NO)|ROC|SSM|REG(?:ISTRATION)?)\.?\s*"
    r"(?:NO\.?\s*)?:?\s*)?(?:\d{5,12}\s*-?\s*[A-Z]?|\d{4}\s*-?\s*[A-Z])\b\)?",
    re.I,
)
"""A company number printed in the name's row ("(123456-X)", "CO REG 201901000005"); four
digits alone are no such number but part of the name ("1901 HOT DOGS"). Its label may be
any of the register's ("ROC NO:", "SSM", "REG NO.")."""
_REG_AT_END = re.compile(r"\s*\(\s*[A-Z0-9]{0,4}\d{3,12}\s*-?\s*[A-Z]?\s*\)\s*$", re.I)
_CODE_WORD = re.compile(r"(?=.*\d)(?=.*[A-Za-z])[A-Za-z]{0,2}\d{4,}[A-Za-z]?|\d+[.,]\d+")
_LEGAL_ONLY = re.compile(
    rf"((CO\.?|COMPANY|\(M\)|SDN\.?|BHD\.?|SENDIRIAN|BERHAD|S/B|PLT|LTD\.?|LIMITED|INC\.?|LLC|GMBH|PTE|PTY|"
    rf"{_FORMS})\s*)+"
)


def _name_like(row: Row) -> bool:
    if _company_number(row):  # "COMPANY NO SA0127959-D": the number, not a name
        return False
    text = label_text(clean_name(row.text))  # (a misread "WEICOME" is still a greeting)
    if any(find_money(row)) or _AMOUNT_WORD.search(text):
        return False
    letters = sum(c.isalpha() for c in text)
    if letters < 3 or letters < 0.5 * len(text.replace(" ", "")):
        return False
    if _NOT_NAME.search(text) and not _LEGAL.search(text):
        return False
    if _address_like(row) and not _LEGAL.search(text):
        return False
    if _REGISTRATION.search(text) or _ADDRESS_STOP.search(text):
        return bool(_LEGAL.search(text)) and not _NOT_NAME.search(text)
    return not _NOT_NAME.search(text) and _mean_confidence(row) >= 0.5


_CUSTOMER = re.compile(r"\b(BILL(ED)?\s+TO|SOLD\s+TO|SHIP\s+TO|DELIVER(ED)?\s+TO|CUSTOMER)\b")
_OWNER = re.compile(r"\b(OWNED\s+BY|DIMILIKI|LICENSEE|OPERATED\s+BY)\b")
_AMOUNT_WORD = re.compile(r"\b(TOTAL|SUBTOTAL|AMOUNT|QTY|PRICE)\b")


def _named_elsewhere(rows: Sequence[Row]) -> set[str]:
    """The shop's name as a sentence elsewhere on the receipt calls it ("THANK YOU FOR
    SHOPPING AT BECON", "WELCOME TO ..."): its first word, which a name row sharing it
    is more likely to be."""
    return {
        m.group(1)
        for row in rows
        for m in _MENTION.finditer(row.upper)
        if m.group(1) not in {"OUR", "YOUR", "ANY", "ALL"}
    }


_MENTION = re.compile(
    r"\b(?:SHOPPING|DINING|VISITING|WELCOME|CHOOSING|THANKS?\s+YOU)\s+(?:AT|TO|WITH|IN|FROM)\s+"
    r"(?:THE\s+)?([A-Z]{3,})"
)


def _company_number(row: Row) -> bool:
    """A company registration number on a row of its own ("(123456-X)", "CO. REG NO:
    ...", "ROC No.: ..."), not beside a name: printed right under the name it registers,
    on receipts of any shop. A tax number ("GST REG NO") follows the address as often as
    the name. Two words beside the number are a name ("DION REALTIES (CO. NO:20154-T)",
    a shop without a legal form)."""
    text = row.upper
    if _misread_registration(text):
        return True
    if not _REGISTRATION.search(text) or _TAX_NUMBER.search(text) or _FORM.search(text):
        return False
    rest = _REGISTRATION.sub("", text)
    return not _LEGAL_WORDS.search(rest) and len(_WORD.findall(rest)) < 2


_WORD = re.compile(r"\b[A-Z]{3,}\b")
_LABELLED_COMPANY_NUMBER = re.compile(r"(.{1,24}?)[\s:;.]*\d{5,8}\s?-\s?[A-Z]\W*")
_REGISTRATION_LABELS = ("CO", "COMPANY", "NO", "REG", "ROC", "SSM")
_DIGIT_FOR_LETTER = str.maketrans("01568", "OISGB")


def _misread_registration(text: str) -> bool:
    """A company number ("775933-P") under a label the recogniser misread past
    ``_REGISTRATION`` ("(CO. HO. 775933-P)", "CO. RF6 : 536558-W", "(OMPANY HO."): every
    word of the label one slip from a word of such labels. A name beside a number ("AIK
    HUAT (123456-X)") has words of its own."""
    found = _LABELLED_COMPANY_NUMBER.fullmatch(text) if len(text) <= 48 else None
    if found is None:
        return False
    words = re.findall(r"[A-Z0-9]+", found.group(1).translate(_DIGIT_FOR_LETTER))
    # ("((0. NO. 651439-P)": its C read as a bracket and its O as a zero)
    return bool(words) and all(
        any(_one_slip(word, label) for label in _REGISTRATION_LABELS) for word in words
    )


def _one_slip(word: str, label: str) -> bool:
    """``word`` is ``label``, or ``label`` with one letter read as another, lost or added."""
    if word == label:
        return True
    if len(word) == len(label):
        return sum(a != b for a, b in zip(word, label, strict=True)) == 1
    short, long = sorted((word, label), key=len)
    if len(long) - len(short) != 1:
        return False
    return any(long[:n] + long[n + 1 :] == short for n in range(len(long)))


def _address_start(top: Sequence[Row]) -> int:
    """Index of the first row that reads like an address (address words or a postcode, and
    a number), or a large number when none does."""
    return next((r.index for r in top if _address_like(r)), 10**6)


def _address_like(row: Row) -> bool:
    """A street line, a numbered address line or a region alone: never the merchant's
    name. A company number beside a name ("(CO. NO:20154-T)") does not number it."""
    text = _REG_NUMBER.sub(" ", row.upper)
    numbered = bool(_ADDRESS_WORD.search(text) or _postcode(text)) and any(
        c.isdigit() for c in text
    )
    region_only = sum(c.isalpha() for c in _REGION.sub("", text)) < 3
    return bool(numbered or region_only or _STREET.search(text)) and not _FORM.search(text)


_STREET = re.compile(
    r"\b(JALAN|JLN|LORONG|PERSIARAN|LEBUH|STREET|ROAD|AVENUE|BOULEVARD|RUE|CALLE|VIA|AVENIDA|"
    r"RUA|STRASSE|STRA\u00dfE|RD|AVE|AVDA|BLVD|(?:AV|UL|JL)(?=\.))\b|"
    rf"{_COMPOUND_STREET}"
)


def _name_score(row: Row, position: int, typical: float, after_address: bool = False) -> float:
    text = row.upper
    score = _kind_score(text)
    if row.text == row.text.lower():
        score -= 1.5
    if _opening_row(row):
        score -= 1.0  # "SYARIKAT PERNIAGAAN" opens a name (joined above it), never is one
    # Logo lettering is the tallest print and reads as a word or two ("Cele R"): its
    # size says less than a name's
    short = len(clean_name(row.text).split()) <= 2 and not _LEGAL.search(text)
    score += min(row.height / typical - 1.0, 0.5 if short else 1.0)
    score -= 0.15 * position
    if after_address:
        score -= 1.0 if _OWNER.search(text) else 0.5
    plain = _REG_NUMBER.sub(" ", text)  # "(CO. NO: 20154-T)" beside a name is no address
    if _ADDRESS_WORD.search(plain) or _POSTCODE.search(plain):
        score -= 1.5
    if sum(c.isdigit() for c in plain) > 2:
        score -= 0.5
    return score


_PARTNERS = re.compile(r"[A-Z]{2,}\s?&\s?[A-Z]{2,}")
"""Partners or trades joined ("X & Y"): a firm's name, not a person's."""
_REG_NUMBER = re.compile(
    r"\(\s*(?:CO(?:MPANY)?\.?\s*(?:REG|NO)|ROC|SSM)[^)]*\)|"
    r"\b(?:CO(?:MPANY)?\.?\s*(?:REG(?:ISTRATION)?|NO)|ROC|SSM)\.?\s*(?:NO)?\.?\s*:?\s*[A-Z]{0,3}\d{4,12}"
    r"\s*-?\s*[A-Z]?\b|\(\s*\d{4,12}\s*-?\s*[A-Z]\s*\)|\b\d{5,12}\s*-\s*[A-Z]\W*$"
)


def note_row(rows: Sequence[Row], name: Sequence[Row]) -> Row | None:
    """A filing code written by hand above the receipt's print: the page's first row, above
    the merchant's name, holding nothing but a code of five to nine digits, a letter before
    them at most ("A05030", "31803002", read as "3 18 01 017" when the pen's strokes part).
    Bookkeepers write such codes on the receipts they file; no till prints a bare number
    above the shop's name (its receipt and registration numbers come with labels, dashes or
    brackets, and under the name)."""
    if not rows or not name or name[0].index <= rows[0].index:
        return None  # the name is the first row: nothing is written above it
    text = rows[0].text.strip()
    digits = sum(c.isdigit() for c in text)
    return rows[0] if _FILING_CODE.fullmatch(text) and 5 <= digits <= 9 else None


_FILING_CODE = re.compile(r"[A-Za-z]?\s?\d[\d .]*\d\.?")


ADDRESS_START = 8
"""The rows under the name an address may start in (after numbers, contacts, a title)."""

MOST_ADDRESS_ROWS = 9
"""The most rows an address takes: a piece a row on a narrow roll (unit, floor, building,
street, area, postcode, town, state, country)."""


def address_rows(rows: Sequence[Row], name: Sequence[Row]) -> list[Row]:
    """The merchant's address: consecutive rows under the name rows ``name`` (see the
    module docstring), or the address printed right above the name (``_above_wins``)."""
    if not name:
        return _address_run(rows, start_within=ADDRESS_START)
    first, last = rows.index(name[0]), rows.index(name[-1])
    found = _address_run(rows[last + 1 :], start_within=ADDRESS_START)
    above = _address_run(rows[:first])
    if above and (not found or _above_wins(above, found, name, rows)):
        return above
    return found


def _above_wins(
    above: Sequence[Row], below: Sequence[Row], name: Sequence[Row], rows: Sequence[Row]
) -> bool:
    """A whole address printed right above the name rows ``name`` (``above``: started,
    with its postcode or region, and at most one row, a brand's, between it and the name)
    is the shop's when the run found under the name is not whole, or when something other
    than the shop's numbers and contacts (a title, a customer's label) comes between the
    name and that run: that run is then an address in the body."""
    if not (_postcode_or_region(above) and _started(above)) or name[0].index - above[-1].index > 2:
        return False
    if not _postcode_or_region(below):
        return True
    between = [r for r in rows if name[-1].index < r.index < below[0].index]
    return any(not _numbers_or_contact(r) for r in between)


def _postcode_or_region(run: Sequence[Row]) -> bool:
    """The run holds a postcode, or a row that ends with a region."""
    return any(_postcode(r.upper) or _ends_in_region(r.upper) for r in run)


def _numbers_or_contact(row: Row) -> bool:
    """A row of the shop's registration or tax number, or of its telephone or e-mail (not
    the invoice's title, numbered or not: "TAX INVOICE NO 15")."""
    text = row.upper
    if _TITLE_START.match(text):
        return False
    return bool(_TAX_NUMBER.search(text) or _REGISTRATION.search(text) or _CONTACT.match(text))


def _address_run(rows: Sequence[Row], *, start_within: int | None = None) -> list[Row]:
    """The address's rows: the first run of ``rows`` that reads as one, started within the
    first ``start_within`` rows (anywhere when None), ``MOST_ADDRESS_ROWS`` at most."""
    found: list[Row] = []
    seen_postcode = ends_at_code = region_first = False
    after = 0  # rows taken after the postcode's row
    for position, row in enumerate(rows):
        if len(found) >= MOST_ADDRESS_ROWS or (
            not found and start_within is not None and position >= start_within
        ):
            break
        text = row.upper[_lead(row.upper) :]
        signal = bool(_ADDRESS_WORD.search(text) or _postcode(text))
        if not found and not signal and _HOUSE_NUMBER.match(text):
            # "501 W Broadway" over "Boston, MA 02127": a street without a street word
            signal = any(_postcode(r.upper) for r in rows[position + 1 : position + 2])
        elif not found and not signal and _UNIT_NUMBER.fullmatch(text):
            # "G-06" / "JLN WAH", "54-2 HOCK SENTRAL" / "JALAN PJU 12/22": a unit's number
            # (and its building's name) on a row of its own over the street, no comma; not
            # a shop's number over an address that starts with its own ("158" / "LEVEL 6")
            below = rows[position + 1 : position + 2]
            signal = any(_signal(r) and not _numbered_start(r.upper) for r in below)
        elif not found and not signal and _NUMBER_LAST.fullmatch(text):
            # "Grote Markt 3" over "2000 Antwerpen": the same, its number after its name
            below = rows[position + 1 : position + 2]
            signal = any(_postcode(r.upper) or _town_postcode(r.upper) for r in below)
        labelled_number = _label_and_number(text)
        stop = _ADDRESS_STOP.search(row.upper) or _PHONE.search(row.upper) or labelled_number
        numbers = (
            _TAX_NUMBER.search(row.upper)
            or _REGISTRATION.search(text)
            or labelled_number
            or _misread_registration(text)
            or not text.strip()
        )
        if found and not _started(found) and (numbers or _numbered_start(text)):
            # A branch's place name above the shop's numbers is not the address, and an
            # area above the street names the branch: the postcode and region state found
            # in the rows dropped is dropped with them.
            found = [] if numbers else _from_building(found)
            seen_postcode = ends_at_code = region_first = False
            after = 0
        before = _before_stop(row) if stop else None
        passed = numbers or _TITLE.match(text) or _BRACKETED.fullmatch(row.text.strip())
        if not found and passed and not (numbers and before and _whole_address(before.upper)):
            continue  # (a whole address before a tax number on the row is read, though)
        if not found and not signal and not stop and not _NUMBER_AND_COMMA.search(text):
            continue
        if not found and stop and _CONTACT.match(row.upper):
            continue  # a telephone, fax, e-mail or website printed above the address
        whole, labelled = row, False
        if stop:
            if before is not None and _whole_address(before.upper):
                found.append(before)
                break
            head = _before_telephone(row)
            if head is None or not (found or _signal(head)):
                break
            rest = " ".join(w.text for w in row.words[len(head.words) :])
            labelled = bool(re.match(r"\W*[^\W\d_]", rest))  # "TEL: ...", not "30-..."
            row, text = head, head.upper[_lead(head.upper) :]
            signal = bool(_ADDRESS_WORD.search(text) or _postcode(text))
        if (_REGISTRATION.search(text) or _NUMBER_ROW.match(text)) and not signal:
            break
        if found and row.bbox.y0 - found[-1].bbox.y1 > 1.5 * row.height:
            break
        if _BODY.search(text) or _WHEN.search(text) or (found and any(find_money(row))):
            break  # the body has begun: an address never starts or runs on here
        if found and _LABELLED.match(text) and not _ADDRESS_WORD.match(text):
            break
        if found and not _aligned(whole, found[-1]):
            break
        if found and not signal and (_unlike(whole, found[-1]) or "#" in text):
            break
        if not signal and _sentence(text):
            break  # a slogan or a greeting under the address: prose, not a place
        if seen_postcode and _OUTLET.fullmatch(text) and _ends_in_region(found[-1].upper):
            found.append(row)  # the outlet's number and place, under its head office's address
            break
        # a row cut at a number ("CUIT 30-...") is no town run on from the postcode's row
        if seen_postcode and not (
            _closes_address(text, after, ends_at_code, found[-1].upper)
            or ((row is whole or labelled) and _runs_on(found, row, after))
            or (
                after == 0
                and not ends_at_code
                and not _REGION_AT_END.search(found[-1].upper)
                and (row is whole or labelled)
                and _town_of_locality(text, rows[position + 1 :], cut=row is not whole)
            )
            or (region_first and after == 0 and _postcode(text) and len(text.split()) <= 4)
        ):
            break
        found.append(row)
        if row is not whole:  # a telephone printed after it ends the address
            break
        if region_first and after == 0 and _postcode(text):
            # the postcode after a town named like its state ("JOHOR BAHRU" / "81200,
            # JOHOR"; "... JOHOR" / "BAHRU 81200."): from here the rules after a postcode
            region_first = False
            ends_at_code = bool(re.search(r"\d{5}\W*$", text))
        elif seen_postcode:
            after += 1
        elif _postcode(text) or (len(found) > 1 and _town_postcode(text)):
            seen_postcode = True
            ends_at_code = bool(re.search(r"\d{5}\W*$", text))
        elif _ends_in_region(text):
            seen_postcode = region_first = True  # no postcode yet: a region or one may follow
    if not (seen_postcode or any(_signal(r) for r in found)):
        return []
    return found


_BRACKETED = re.compile(r"\([^()]*\)")
_NUMBER_AFTER_LABEL = re.compile(
    rf"\W*(?!{_POSTCODE_LABEL}|{_PO_BOX_WORD})"  # a postcode's label, a box
    r"(?:\S*?[A-Z](?:[^\s\d]|(?<=[A-Z])0)*(?:\s\S*?[A-Z](?:[^\s\d]|(?<=[A-Z])0)*){0,2})?[\s:;.]*"
    r"(?P<number>\(?\+?\d[\d()\s.-]*\d(?:\s?-?\s?[A-Z])?\)?)\W*"
)


def _label_and_number(text: str) -> bool:
    """A row of a short label (a word to three, however misread: "lel/Fax:", "55M NO:",
    "SST HO :", "GST I0:" with an O or D read as a zero after a letter) and a long number
    (seven digits or more, or a company's "123456-X"), nothing else: a telephone, a tax or
    a company number, never a row of an address (whose numbers are short, and which names
    a place). A postcode's label ("CEP 01304-001") and a post-office box ("P.O. Box
    12345-00100") are an address's."""
    if len(text) > 48 or not any(c.isdigit() for c in text):
        return False  # (and the pattern's time stays bounded on a long row)
    found = _NUMBER_AFTER_LABEL.fullmatch(text)
    if found is None or len(text) - len(found.group("number")) > 16:
        return False
    number = found.group("number")
    if _NUMBER_AND_POSTCODE.search(number):
        return False  # "JALAN 12 47100": a street's number and a postcode
    return sum(c.isdigit() for c in number) >= 7 or bool(_COMPANY_NUMBER.search(number))


_COMPANY_NUMBER = re.compile(r"\d{5,7}\s?-\s?[A-Z]\b")
_NUMBER_AND_POSTCODE = re.compile(r"(?<![\d-])\d{1,4}\s\d{5}\W*$")
# A row that starts with a label and a colon ("BRANCH: KLCC", "OUTLET : MID VALLEY") is
# about something else; an address's own labels ("NO:", "LOT:") are address words.
_LABELLED = re.compile(r"^\W*[A-Z][A-Z.]*(?:\s[A-Z][A-Z.]*)?\s?:")


# A chain's outlet printed under the head office's address: its number and its place
# ("1181-TMN SRI SINAR"), a few words and no other digits.
_OUTLET = re.compile(r"\W*\d{3,5}\s?-?\s?[A-Z][A-Z.'&]*(?:\s[A-Z][A-Z.'&]*){0,4}\W*")


def _numbered_start(text: str) -> bool:
    """The first line of an address starts with its number: a house, lot, unit or floor
    ("NO 15 JALAN ...", "LOT 276", "G-19 LEVEL G", "2ND FLOOR"), not with a postcode (nor
    a town's four-digit one: "2000 ANTWERPEN")."""
    return bool(_NUMBERED_START.match(text)) and not (
        _POSTCODE_START.match(text) or _town_postcode(text)
    )


def _town_postcode(text: str) -> bool:
    """A row of a four-digit postcode and its town (``_TOWN_POSTCODE``), no street in it."""
    return bool(_TOWN_POSTCODE.fullmatch(text)) and not _ADDRESS_WORD.search(text)


def _from_building(found: Sequence[Row]) -> list[Row]:
    """Of the rows above the numbered first line of an address, those from the first
    building on ("MENARA DION", "... MALL", "GROUND FLOOR"): an address runs from the unit
    or building to the street, the area, the postcode, so an area printed above the
    street ("BANDAR BARU RAWANG" / "NO 15 JALAN ...") is the branch's name."""
    first = next(
        (n for n, r in enumerate(found) if _BUILDING.search(r.upper[_lead(r.upper) :])),
        len(found),
    )
    return list(found[first:])


_BUILDING = re.compile(
    r"\b(WISMA|MENARA|BANGUNAN|PLAZA|KOMPLEKS|COMPLEX|MALL|CENT(?:RE|ER)|TOWER|BLO?C?K|BLK|"
    r"BUILDING|ARCADE|SQUARE|APARTMENT|FLOOR|LEVEL|ARAS|TINGKAT|SUITE|UNIT|LOT)\b"
)


def _started(rows: Sequence[Row]) -> bool:
    """The run holds a numbered first line, a street with its number, a number among
    comma-separated parts ("A-16-1, TOWER A, ..."), a numbered post-office box or a
    postcode: a place name alone ("TAMAN MELAWATI BRANCH 2") does not start an address; a
    town's four-digit postcode under a row does ("GROTE MARKT 3" / "2000 ANTWERPEN")."""
    texts = [r.upper[_lead(r.upper) :] for r in rows]
    return any(
        _numbered_start(text)
        or _postcode(text)
        or (n > 0 and _town_postcode(text))
        or _NUMBER_AND_COMMA.search(text)
        or (_STREET.search(text) and any(c.isdigit() for c in text))
        or _BOX_NUMBER.search(text)
        for n, text in enumerate(texts)
    )


_NUMBER_AND_COMMA = re.compile(r"\d.*,|,.*\d")
_BOX_NUMBER = re.compile(rf"\b{_PO_BOX_WORD}\s*\d")
_NUMBERED_START = re.compile(
    r"\W*(?:(?:NO|LOT|UNIT|BLO?C?K|BLK|PTD?|LEVEL|LVL|SUITE|KM|#)\W{0,2}(?:[A-Z]\.\s?){0,2})?"
    r"[A-Z]{0,2}-{0,2}\d"
)
_TOWN_POSTCODE = re.compile(
    r"\W*(?:[A-Z]?\d{4}|\d{3}\s\d{2})\s[^\W\d_]{2,}(?:\s[^\W\d_]+){0,2}(?:\s\d{1,2})?\W*"
)
"""A postcode of four digits and the town, alone on the row ("1165 K\u00d8BENHAVN K", "0155
OSLO", "8001 Z\u00dcRICH"), as most of Europe prints it under the street (Argentina's
with a letter before: "C1042 BUENOS AIRES"; the Czech and Swedish in two groups, a
district's number after the town: "110 00 PRAHA 1"). Four digits open too many other rows
(a brand's "1901", a year) to start an address, so this only ends one that has begun."""
_POSTCODE_START = re.compile(r"\W*(?:\d{5}(?!\w)|[1-9]\d{3}\s?[A-Z]{2}\b|\d{2,4}-\d{3}(?![\w-]))")

# A date or a clock time: the transaction's, never part of an address ("7/118B" is not).
_WHEN = re.compile(
    r"(?<![\w/.-])\d{1,2}([/.-])\d{1,2}\1(\d{4}|\d{2})(?![\w/.-])|(?<![\d:])\d{1,2}:[0-5]\d(?!\d)"
)


def _sentence(text: str) -> bool:
    """The row reads as a phrase of English rather than a place: it speaks to or for
    someone ("WE DELIVER", "THANK YOU") or holds two or more of the small words that join
    a phrase ("THE BEST IN TOWN", "HOME OF THE ..."). Street, building and town names
    hold neither (one "THE" does occur: "THE GARDENS MALL")."""
    return bool(_SPEAKING.search(text)) or len(_JOINING.findall(text)) >= 2


_SPEAKING = re.compile(r"\b(YOU|YOURS?|WE|OUR|US|THANKS?|WELCOME|PLEASE|ENJOY|VISIT)\b")
_JOINING = re.compile(r"\b(THE|IN|OF|AND|FOR|TO|WITH|IS|ARE|AT|BY|ON|FROM)\b")


def _unlike(row: Row, above: Row) -> bool:
    """Printed in another size than the address row above it (a stamp, a logo), by half
    as much again or more."""
    return not 2 / 3 <= _height_ratio(row, above) <= 1.5


def _aligned(row: Row, above: Row) -> bool:
    """Printed in the same block as the row above: centred alike or starting alike (an
    item line under a centred address does neither)."""
    reach = 1.5 * max(row.height, above.height)
    centre = abs(row.bbox.center[0] - above.bbox.center[0]) <= reach
    return centre or abs(row.bbox.x0 - above.bbox.x0) <= reach


def _before_stop(row: Row, stops: re.Pattern[str] | None = None) -> Row | None:
    """The words of ``row`` before a telephone or tax label ("81750 JOHOR BAHRU, JOHOR.
    TEL NO.: 07-387 3322"), when they are words of their own: no label, number or code of
    the kind that ends an address among them. A row of more words than an address and a
    telephone take is no such row (and each split reads the row again: time stays bounded)."""
    if len(row.words) > _MOST_WORDS_BESIDE_STOP:
        return None
    for n in range(1, len(row.words)):
        rest = label_text(" ".join(w.text for w in row.words[n:])).lstrip("([ ")
        if stops.match(rest) if stops else _ADDRESS_STOP.match(rest) or _PHONE.match(rest):
            head = label_text(" ".join(w.text for w in row.words[:n]))
            if _ADDRESS_STOP.search(head) or _PHONE.search(head) or _TAX_NUMBER.search(head):
                return None
            if sum(c.isalpha() for c in head) < 3 and not _postcode(head):
                return None
            words = row.words[:n]
            return Row(row.index, words, BBox.enclosing(w.bbox for w in words), row.height)
    return None


_MOST_WORDS_BESIDE_STOP = 40


def _before_telephone(row: Row) -> Row | None:
    """The words of ``row`` before a telephone printed beside them ("SRI PETALING
    TEL:03-9054 3785"): the last part of the address above, or the address's only row,
    whether or not they hold a postcode. (Before a tax or invoice label the words are a
    title's: "SIMPLIFIED TAX INVOICE".)"""
    return _before_stop(row, _TELEPHONE)


_TELEPHONE = re.compile(
    r"\W*(TEL|TELEPHONE|PHONE|PH|HP|H/P|FAX|MOBILE|HOTLINE)\b|\W*T\s*:|"
    r"\W*\(?\+?\d{2,4}\)?\s?-\s?\d{3,4}[\s-]?\d{3,4}(?!\d)"
)
_CONTACT = re.compile(rf"{_TELEPHONE.pattern}|\W*(E-?MAIL|WEBSITE|WWW|HTTP)\b|\S+@\S+\.\w")


def _closes_address(text: str, after: int, ends_at_code: bool, above: str = "") -> bool:
    """A row after the postcode's still belongs to the address: a region or country (two
    rows at most: "WILAYAH PERSEKUTUAN KUALA" / "LUMPUR, MALAYSIA"; a row of nothing but
    region and country names may follow them), the end of a region whose first word closed
    the row above ("55100 KUALA" / "LUMPUR"), or the town when the postcode ended its
    row; never a row with digits or a long one."""
    if after >= 4 or any(c.isdigit() for c in text) or len(text) > 40:
        return False
    if _region_only(text):
        return True
    if after >= 2:
        return False
    tail = above.split()[-1] if above.split() else ""
    joined = any(m.start() < len(tail) < m.end() for m in _REGION.finditer(f"{tail} {text}"))
    return bool(_REGION.search(text)) or joined or (ends_at_code and after == 0)


def _town_of_locality(text: str, below: Sequence[Row], *, cut: bool) -> bool:
    """A town on a row of its own under the postcode's row, which named the locality and
    no region ("88450 INANAM," / "KOTA KINABALU," / "SABAH."; "40150 MUTIARA," / "SHAH
    ALAM."): a short run of letters, unbracketed, no title, branch or label among them,
    with nothing after it but the state, the shop's numbers and contacts, the receipt's
    title, a greeting, hours or the end of the head (``cut``: a telephone printed on its
    own row after it)."""
    words = text.split()
    if not words or len(words) > 3 or any(c.isdigit() or c in "()[]" for c in text):
        return False
    if _BRANCH.search(text) or _REGION.search(text) or _NOT_NAME.search(text):
        return False
    if cut or not below:
        return True
    after = (_before_telephone(below[0]) or below[0]).upper  # "MALAYSIA. TEL: 03-..."
    region_only = _region_only(after) and not any(c.isdigit() for c in after)
    return (
        region_only
        or _numbers_or_contact(below[0])
        or _label_and_number(after)
        or bool(_TITLE_START.match(after) or _NOT_NAME.search(after))  # "WELCOME TO"
        or (any(c.isdigit() for c in after) and not _signal(below[0]))  # "OPEN 8AM - 10PM"
    )


def _region_only(text: str) -> bool:
    """``text`` names a state or a country and little else ("SABAH.", "SELANGOR D.E.")."""
    return bool(_REGION.search(text)) and sum(c.isalpha() for c in _REGION.sub("", text)) < 3


def _runs_on(found: Sequence[Row], row: Row, after: int) -> bool:
    """The row right under the postcode's ends the town that ran off a full line ("55100
    KUALA" / "LUMPUR" on a narrow roll): the postcode's row is as wide as the widest address
    row, or ran out of room for this row's first word, and does not end with a region
    ("43300 SERI KEMBANGAN, SELANGOR" is whole; a branch or a stamp may follow it), and
    this one is a short run of words, no digits (cut before a telephone printed beside
    it: "40150 SHAH" / "ALAM TEL: 03-...")."""
    last = found[-1]
    widest = max(r.bbox.width for r in found)
    return (
        after == 0
        and not _REGION_AT_END.search(last.upper)
        and (last.bbox.width >= 0.85 * widest or _filled(widest, last, row))
        and row.bbox.width < 0.6 * last.bbox.width
        and len(row.text.split()) <= 3
        and not any(c.isdigit() for c in row.text)
        and not _BRANCH.search(row.upper)
    )


_BRANCH = re.compile(r"\b(OUTLET|BRANCH|CAWANGAN|MALL|CENTRE|CENTER|PLAZA|STATION|CITY)\b")


def _postcode(text: str) -> bool:
    """A postcode in ``text``: five digits that are not a lot, house or unit number."""
    return any(not _NUMBERED.search(text, 0, m.start()) for m in _POSTCODE.finditer(text))


_NUMBERED = re.compile(r"\b(LOT|NO|PTD?|UNIT|BLO?C?K|SITE|#)\W{0,2}$")
_TITLE_WORDS = r"(SIMPLIFIED\s+)?(TAX\s*INVOICE|INVOICE|RECEIPT|CASH\s*(BILL|RECEIPT|SALES?))"
_TITLE = re.compile(rf"^\W*{_TITLE_WORDS}\W*$")
_TITLE_START = re.compile(rf"\W*{_TITLE_WORDS}\b")
_TAX_NUMBER = re.compile(
    r"\b(GST|SST|VAT|TAX)\b.{0,12}\b(NO|ID|REG)|\bGSTID\b|^\W*(GST|SST|VAT)\b\W*\d|"
    # business and tax numbers of other countries, printed above or under the address
    r"^\W*(ABN|ACN|UST-?ID(NR)?|UID|SIRET|SIREN|CIF|NIF|KVK|P\.?\s?IVA|BTW(-?NR)?|"
    r"MWST(-?NR)?|RFC|GSTIN|TPS|TVQ|HST)\b"
)
_REGION = re.compile(
    r"\b(SELANGOR|JOHOR BAHRU|JOHOR|KUALA LUMPUR|PENANG|PULAU PINANG|PERAK|KEDAH|MELAKA|MALACCA|"
    r"PAHANG|SABAH|SARAWAK|KELANTAN|TERENGGANU|TRENGGANU|PERLIS|NEGERI SEMBILAN|"
    r"N\.\s?SEMBILAN|P\.\s?PINANG|JOHORE|PUTRAJAYA|LABUAN|MALAYSIA|SINGAPORE|"
    r"W\.?\s?P\.?|WILAYAH PERSEKUTUAN|DARUL \w+|D\.\s?E|SEL(?=\.)|"
    # countries an address ends with, in English and in their own language
    r"UNITED KINGDOM|U\.?K\.?|ENGLAND|SCOTLAND|WALES|IRELAND|UNITED STATES|U\.?S\.?A\.?|"
    r"CANADA|AUSTRALIA|NEW ZEALAND|GERMANY|DEUTSCHLAND|FRANCE|SPAIN|ESPA\u00d1A|ITALY|ITALIA|"
    r"NETHERLANDS|NEDERLAND|BELGIUM|BELGIQUE|BELGI\u00cb|SWITZERLAND|SCHWEIZ|SUISSE|AUSTRIA|"
    r"\u00d6STERREICH|PORTUGAL|SWEDEN|SVERIGE|NORWAY|NORGE|DENMARK|DANMARK|FINLAND|POLAND|"
    r"POLSKA|INDONESIA|THAILAND|PHILIPPINES|INDIA|HONG KONG|JAPAN|CHINA|"
    r"KENYA|NIGERIA|GHANA|UGANDA|TANZANIA|SOUTH AFRICA|EGYPT|UNITED ARAB EMIRATES|U\.?A\.?E|"
    r"SAUDI ARABIA|QATAR|VIET\s?NAM|KOREA|TAIWAN|PAKISTAN|BANGLADESH|SRI LANKA|BRUNEI|"
    r"MEXICO|M\u00c9XICO|BRAZIL|BRASIL|ARGENTINA|CHILE|COLOMBIA|PERU|TURKEY|GREECE|"
    r"CZECHIA|CZECH REPUBLIC|HUNGARY|ROMANIA)\b"
)
_REGION_AT_END = re.compile(rf"(?:{_REGION.pattern})\W*$")


def _ends_in_region(text: str) -> bool:
    """The row ends with a state or the country, as an address without a postcode ends
    ("... MASAI, JOHOR"), not with a street, area or building named after one ("JALAN
    PAHANG", "PLAZA MALAYSIA") or a street named after a person who bears a state's name
    ("JALAN TUN PERAK", "JALAN SULTAN SELANGOR")."""
    m = _REGION_AT_END.search(text)
    if m is None:
        return False
    before = text[: m.start()].split()
    if not before:
        return True
    last = before[-1]
    return not (
        _NAMED_AFTER.fullmatch(last.strip(",."))
        or (_HONORIFIC.fullmatch(last) and _STREET.search(text, 0, m.start()))
    )


_NAMED_AFTER = re.compile(
    r"JALAN|JLN|LORONG|LRG|PERSIARAN|PSN|LEBUH|LEBUHRAYA|TAMAN|TMN|BANDAR|BDR|KAMPUNG|KG|"
    r"MEDAN|PLAZA|WISMA|MENARA|BANGUNAN|KOMPLEKS|PUSAT|STREET|ROAD|AVENUE|HOTEL|BANK|"
    r"UNIVERSITI|UNIVERSITY|MALL|KOTA|TELUK|SUNGAI|SG|BUKIT|BKT|PULAU|PORT"
)
# Titles that open a person's name in Malaysian street names ("JALAN TUN RAZAK")
_HONORIFIC = re.compile(r"TUN|TUNKU|TENGKU|SULTAN|SULTANAH|RAJA|DATO'?|DATUK|HAJI|PUTERA|PUTERI")
_REG_PREFIX = re.compile(
    r"^\s*\(?(?!GST|SST|TAX|TEL)[A-Z. ]{0,20}NO\.?\s*:?\s*\(?[A-Z]{0,3}\d{4,12}-?[A-Z]?\)?\s*"
)
_ADDRESS_LABEL = re.compile(r"^\W*(ADDRESS|ADDR|ALAMAT)\s?\.?\s?:\s*")
_PHONE = re.compile(r"(?<!\d)\d{2,4}-\d{6,8}(?!\d)|\bT\s*:|\bGSTID\b|\bGST\s*ID\b")


def _lead(upper: str) -> int:
    """Where a row's address text starts: after a registration number ("CO NO: 123456-X")
    or an "ADDRESS:" label printed before it; neither is part of the address."""
    m = _REG_PREFIX.match(upper) or _ADDRESS_LABEL.match(upper)
    return m.end() if m else 0


def address_text(rows: Sequence[Row]) -> str:
    """The address rows joined by spaces, without a registration number printed before,
    with the recogniser's usual slips on till print undone (``_mend_address``)."""
    parts = [row.text[_lead(row.upper) :] for row in rows]
    return _mend_address(" ".join(p.strip() for p in parts if p.strip()))


def _mend_address(text: str) -> str:
    """Undo the usual misreadings of small till print inside an address.

    Addresses separate their parts with commas, and a thermal comma is a dot with a faint
    tail: a full stop followed by more address ("TAMAN SERDANG RAYA. 43300", "SR 1/9.
    SEKSYEN") is a comma read as a stop, unless it closes an abbreviation of three letters
    or fewer ("NO. 1", "JLN.", "D. E"); the last stop of the address is left as printed.
    A stop right before a comma after a longer word or a number ("KEPONG.,") is read twice;
    after such an abbreviation ("SEL.,", "D.E.,") it is printed.
    A quote between a word and a number ("Level'6") is a space the recogniser filled.
    A letter l, I or O between two digits ("7/1l8B") is the digit it resembles, and a 1
    inside a word in small letters ("J1n", "Leve1") is the letter l, and a 0 opening one
    ("0slo") the letter O, as is a 0 in "P.0. Box".
    """
    text = _PO_BOX.sub(lambda m: m.group(0).replace("0", "O"), text)
    text = _STOP_FOR_COMMA.sub(",", _STOP_BEFORE_COMMA.sub("", _QUOTE_GAP.sub(" ", text)))
    text = _DIGIT_LOOKALIKE.sub(lambda m: _LOOKALIKES[m.group(0)], text)
    return _ZERO_FOR_O.sub("O", _ONE_FOR_L.sub("l", text))


_PO_BOX = re.compile(r"\bP\.?\s?0\.?(?=\s?BOX\b)", re.I)
_QUOTE_GAP = re.compile(r"(?<=[^\W\d_])['\u2019`](?=\d)")
_STOP_BEFORE_COMMA = re.compile(r"(?:(?<=\d)|(?<=[^\W\d_]{4}))\.(?=,)")
_STOP_FOR_COMMA = re.compile(r"(?:(?<=\d)|(?<=[^\W\d_]{4}))\s?\.(?=\s+\w)")
_DIGIT_LOOKALIKE = re.compile(r"(?<=\d)[lIO](?=\d)")
_LOOKALIKES = {"l": "1", "I": "1", "O": "0"}
_ZERO_FOR_O = re.compile(r"\b0(?=[a-z]{2,}\b)")
_ONE_FOR_L = re.compile(r"(?<=[a-z]{2})1\b|(?<=[a-z])1(?=[a-z])|(?<=\b[A-Za-z])1(?=[a-z])")


def _whole_address(text: str) -> bool:
    """Words before a label on their row read as an address's end or the whole of one: a
    postcode, a region, or two different address words ("PT17920 SEK U9, SHAH ALAM"); one
    ("BILL NO") is not enough."""
    words = {m.group(0) for m in _ADDRESS_WORD.finditer(text)}
    return _postcode(text) or bool(_REGION.search(text)) or len(words) >= 2


def _signal(row: Row) -> bool:
    return bool(_ADDRESS_WORD.search(row.upper) or _postcode(row.upper))


def _continues_name(row: Row, merchant: Row) -> bool:
    """A second name row: as large as the name, no address words, no digits."""
    text = row.upper
    return (
        row.height >= 0.9 * merchant.height
        and not _ADDRESS_WORD.search(text)
        and not any(c.isdigit() for c in text)
        and bool(_LEGAL.search(text))
    )


def _mean_confidence(row: Row) -> float:
    """The recogniser's confidence in a row, its words weighted by length: one doubtful
    glyph beside a clearly read name (a logo mark, a stray dot) does not disqualify it."""
    letters = sum(len(w.text) for w in row.words)
    return sum(w.confidence * len(w.text) for w in row.words) / letters if letters else 0.0
