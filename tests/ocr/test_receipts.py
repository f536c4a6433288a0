"""Receipt extraction on synthetic rows of word boxes, and on receipts drawn with PIL."""

from __future__ import annotations

import csv
import io
import itertools
import json
import math
import re
import time
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageDraw

from masthead.ocr import layout, pipeline, receipts
from masthead.ocr.cli import main
from masthead.ocr.document import BBox, Block, Cell, Document, Line, Page, Word
from masthead.ocr.export import render
from masthead.ocr.options import OcrOptions
from masthead.ocr.receipt import Receipt
from tests.ocr.drawing import encode, font, row

if TYPE_CHECKING:
    from pathlib import Path

WIDTH = 900


Printed = str | tuple[str, int]


def page(lines: Sequence[Printed], *, x: int = 40, gap: int = 10) -> Page:
    """A page of printed rows: each item is a text, or (text, character width)."""
    words: list[Word] = []
    y = 40
    for item in lines:
        text, char = (item, 16) if isinstance(item, str) else item
        height = int(char * 1.6)
        left = max(x, (WIDTH - char * len(text)) // 2) if char > 16 else x
        words += _row_right_aligned(text, left, y, char, height)
        y += height + gap
    return Page(1, WIDTH, y + 40, 300, layout.arrange(words, (WIDTH, y + 40)))


def _row_right_aligned(text: str, x: int, y: int, char: int, height: int) -> list[Word]:
    """Label on the left, a trailing amount pushed to the right margin (as tills print)."""
    parts = text.rsplit("  ", 1)
    words = row(parts[0], x=x, y=y, char=char, height=height)
    if len(parts) == 2:
        width = char * len(parts[1])
        words += row(parts[1], x=WIDTH - 40 - width, y=y, char=char, height=height)
    return words


SHOP: list[Printed] = [
    ("KEDAI BUKU CAHAYA SDN BHD", 24),
    "(123456-X)",
    "NO 12, JALAN MAWAR 3,",
    "TAMAN BUNGA, 43000 KAJANG, SELANGOR",
    "TEL: 03-8736 1234",
    "TAX INVOICE",
    "DATE: 12/01/19 14:05",
    "NOTEBOOK A5 2 X 3.50  7.00",
    "PEN BLUE  2.50",
    "SUBTOTAL  9.50",
    "GST 6%  0.57",
    "TOTAL  RM 10.07",
    "CASH  RM 20.00",
    "CHANGE  RM 9.93",
    "THANK YOU, PLEASE COME AGAIN",
]


def test_reads_the_key_fields_of_a_receipt() -> None:
    found = receipts.read_page(page(SHOP))
    assert found is not None
    assert found.merchant is not None and found.merchant.value == "KEDAI BUKU CAHAYA SDN BHD"
    assert found.address is not None
    assert found.address.value == "NO 12, JALAN MAWAR 3, TAMAN BUNGA, 43000 KAJANG, SELANGOR"
    assert found.date is not None and found.date.value == "2019-01-12"
    assert found.time is not None and found.time.value == "14:05"
    assert found.total is not None and found.total.value == "10.07"
    assert found.currency is not None and found.currency.value == "MYR"
    assert found.subtotal is not None and found.subtotal.value == "9.50"
    assert found.tax is not None and found.tax.value == "0.57"
    assert found.payment_method is not None and found.payment_method.value == "cash"
    assert found.kind == "invoice"


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("12-01-19 21 : 13 SH01 ZK09", "21:13"),  # the colon read as a word of its own
        ("DATE: 2016/05/01 14: 11 :20", "14:11:20"),
        ("DATE: 12/01/19 2:05PM", "14:05"),
    ],
)
def test_the_time_beside_the_date(printed: str, expected: str) -> None:
    lines = [printed if str(x).startswith("DATE:") else x for x in SHOP]
    found = receipts.read_page(page(lines))
    assert found is not None and found.time is not None
    assert found.time.value == expected


@pytest.mark.parametrize(
    ("heading", "town", "expected"),
    [
        ("ITEM QTY PRICE AMOUNT(RM)", "KAJANG, SELANGOR", ("MYR", "(RM)")),
        ("ITEM QTY PRICE AMOUNT (SGD)", "KAJANG, SELANGOR", ("SGD", "(SGD)")),
        ("", "KAJANG, SELANGOR", ("MYR", "SELANGOR")),
        ("", "KAJANG", None),
    ],
)
def test_the_currency_named_by_a_heading_or_the_address_when_no_amount_has_a_sign(
    heading: str, town: str, expected: tuple[str, str] | None
) -> None:
    """Many tills print "(RM)" over the amounts instead of a sign on every amount, and
    some print no currency at all: then it is the currency of the country the address
    names, if it names one."""
    unsigned = [
        x.replace("RM ", "").replace("KAJANG, SELANGOR", town) if isinstance(x, str) else x
        for x in SHOP
    ]
    at = unsigned.index("NOTEBOOK A5 2 X 3.50  7.00")
    found = receipts.read_page(
        page([*unsigned[:at], *([heading] if heading else []), *unsigned[at:]])
    )
    assert found is not None
    currency = found.currency
    assert ((currency.value, currency.text) if currency else None) == expected


@pytest.mark.parametrize(
    ("town", "sign", "expected"),
    [
        ("43000 KAJANG, SELANGOR", "$", "MYR"),  # Malaysian tills print "$" for ringgit
        ("SINGAPORE 560123", "$", "SGD"),
        ("SPRINGFIELD, IL 62704", "$", "USD"),
        ("43000 KAJANG, SELANGOR", "US$", "USD"),
    ],
)
def test_a_dollar_sign_is_the_dollar_of_the_shops_country(
    town: str, sign: str, expected: str
) -> None:
    lines: list[Printed] = [
        ("KEDAI BUKU CAHAYA SDN BHD", 24),
        "NO 12, JALAN MAWAR 3",
        town,
        "DATE: 12/01/19 14:05",
        f"PEN BLUE  {sign}2.50",
        f"TOTAL  {sign}2.50",
    ]
    found = receipts.read_page(page(lines))
    assert found is not None and found.currency is not None
    assert found.currency.value == expected


def test_every_value_keeps_its_boxes_and_a_confidence() -> None:
    found = receipts.read_page(page(SHOP))
    assert found is not None and found.total is not None
    assert found.total.boxes and all(b.x1 > WIDTH / 2 for b in found.total.boxes)
    assert 0 < found.total.confidence <= 1


def test_line_items_add_up_with_tax() -> None:
    found = receipts.read_page(page(SHOP))
    assert found is not None
    assert [(i.description, i.quantity, i.unit_price, i.amount) for i in found.items] == [
        ("NOTEBOOK A5", "2", "3.50", "7.00"),
        ("PEN BLUE", "", "", "2.50"),
    ]
    assert found.totals_check == "ok" and found.warnings == ()


def _columns_page(rows: list[list[tuple[str, int]]]) -> Page:
    """A page of rows printed in columns: each row is (text, left edge) pieces."""
    words: list[Word] = []
    y = 40
    for pieces in rows:
        for text, x in pieces:
            words += row(text, x=x, y=y, char=16, height=26)
        y += 36
    return Page(1, WIDTH, y + 40, 300, layout.arrange(words, (WIDTH, y + 40)))


HEAD = [[(text, 40)] for text in SHOP[1:7] if isinstance(text, str)]

SELLER = ["NORTHWIND DESIGN LTD", "14 HARBOUR STREET", "BRISTOL BS1 4RN", "UNITED KINGDOM"]
CUSTOMER = ["BILL TO", "HARPER & COLE LLP", "220 KINGS ROAD", "LONDON SW3 5UE"]
INVOICE_BODY = [
    [("DESCRIPTION", 40), ("QTY", 500), ("PRICE", 600), ("AMOUNT", 760)],
    [("BRAND WORKSHOP", 40), ("1", 500), ("1,200.00", 600), ("1,200.00", 760)],
    [("BUSINESS CARD LAYOUT", 40), ("2", 500), ("75.00", 600), ("150.00", 760)],
    [("SUBTOTAL", 500), ("1,350.00", 760)],
    [("VAT 20%", 500), ("270.00", 760)],
    [("TOTAL DUE", 500), ("1,620.00", 760)],
    [("PAYMENT BY BANK TRANSFER WITHIN 30 DAYS", 40)],
]


@pytest.mark.parametrize("seller_left", [True, False])
def test_an_invoice_head_in_two_columns(seller_left: bool) -> None:
    """The seller's block beside the invoice's title, number and dates (or beside the
    customer's block): each column is read on its own, and the seller is the column
    whose name reads most like one, not the customer "billed to"."""
    meta = ["INVOICE", "INVOICE NO: 173", "DATE: 14/03/2024", ""]
    other = meta if seller_left else ["INVOICE", *CUSTOMER]
    seller = SELLER if seller_left else ["", *SELLER]
    left, right = (seller, other) if seller_left else (other, seller)
    head = [
        [piece for piece in ((a, 40), (b, 560)) if piece[0]]
        for a, b in itertools.zip_longest(left, right, fillvalue="")
    ]
    found = receipts.read_page(_columns_page([*head, [], *INVOICE_BODY]))
    assert found is not None and found.merchant is not None and found.address is not None
    assert found.merchant.value == "NORTHWIND DESIGN LTD"
    assert found.address.value == "14 HARBOUR STREET BRISTOL BS1 4RN UNITED KINGDOM"
    assert found.total is not None and found.total.value == "1620.00"
    assert [(i.description, i.quantity, i.unit_price, i.amount) for i in found.items] == [
        ("BRAND WORKSHOP", "1", "1200.00", "1200.00"),
        ("BUSINESS CARD LAYOUT", "2", "75.00", "150.00"),
    ]
    assert found.totals_check == "ok" and found.payment_method is None


def test_a_large_name_on_a_narrow_roll_is_one_column() -> None:
    """A name printed twice as large on a narrow roll has word gaps of 6% of the print's
    width, one above the other on two rows: spaces, not the gutter of a two-column head."""
    head = [("AMAN BINTANG", 32), ("MINI MARKET", 32), ("(M) SDN BHD", 32)]
    small = ["(1000507-K)", "NO 8, JALAN SOON 4,", "25200 KUANTAN, PAHANG", "TEL: 09-515 1234"]
    small += ["DATE: 12/01/19", "TEA 5.00", "TOTAL 5.00"]
    found = receipts.read_page(page([*head, *((text, 17) for text in small)]))
    assert _fields(found) == (
        "AMAN BINTANG MINI MARKET (M) SDN BHD",
        "NO 8, JALAN SOON 4, 25200 KUANTAN, PAHANG",
    )


@pytest.mark.parametrize(
    ("lines", "quantities"),
    [
        # a quantity column: the number stands apart from the description
        ([("2", "EGG TART", "5.10"), ("1", "HONEY TOAST", "3.30")], ["2", "1"]),
        # a name that starts with a number ("100 PLUS", a drink) is no quantity
        ([("", "100 PLUS", "5.10"), ("1", "HONEY TOAST", "3.30")], ["", "1"]),
        # numbers running 1, 2, 3 down the rows are line numbers
        ([("1", "ROTI", "2.10"), ("2", "TEH", "3.30"), ("3", "NASI", "3.00")], ["", "", ""]),
    ],
)
def test_a_quantity_column_before_the_description(
    lines: list[tuple[str, str, str]], quantities: list[str]
) -> None:
    items = [[(qty, 40), (name, 120)] if qty else [(name, 40)] for qty, name, _ in lines]
    for pieces, (_, _, amount) in zip(items, lines, strict=True):
        pieces.append((amount, 780))
    total = sum(Decimal(amount) for _, _, amount in lines)
    rows = [[(SHOP[0][0], 200)], *HEAD, *items, [("TOTAL", 40), (f"{total:.2f}", 780)]]
    found = receipts.read_page(_columns_page(rows))
    assert found is not None
    # (a description drops the numbers in it: "100 PLUS" reads "PLUS")
    assert len(found.items) == len(lines)
    pairs = zip(found.items, lines, strict=True)
    assert all(name.endswith(item.description) for item, (_, name, _) in pairs)
    assert [i.quantity for i in found.items] == quantities
    assert all(i.unit_price == "" for i in found.items)


SHOP_HEAD: list[Printed] = SHOP[:7]


def _items_of(lines: Sequence[Printed]) -> list[tuple[str, str, str, str]]:
    found = receipts.read_page(page([*SHOP_HEAD, *lines]))
    assert found is not None
    assert found.totals_check == "ok", found.items
    return [(i.description, i.quantity, i.unit_price, i.amount) for i in found.items]


def test_names_printed_under_their_numbers() -> None:
    """Invoice software prints "code qty price amount" and the item's name under it: a
    row right under the column headings has no name above it."""
    assert _items_of(
        [
            "ITEM QTY S/PRICE AMOUNT TAX",
            "1627 1 4.45  4.45 SR",
            "WALL SCRAPER 3IN",
            "2167 2 50.88  101.76 SR",
            "RENDER PLUG 4.5KG",
            "TOTAL QTY 3  106.21",
            "TOTAL SALES (EXCLUDING GST) :  100.20",
            "TOTAL GST :  6.01",
            "TOTAL SALES (INCLUSIVE OF GST) :  106.21",
        ]
    ) == [
        ("WALL SCRAPER 3IN", "1", "4.45", "4.45"),
        ("RENDER PLUG 4.5KG", "2", "50.88", "101.76"),
    ]


def test_names_printed_over_a_shelf_code_and_their_numbers() -> None:
    """Most tills print the name, a shelf code, then "barcode qty x price amount"; the
    count of items under the last one names nothing."""
    assert _items_of(
        [
            "CHOPPING BOARD 35X25CM",
            "EZ10HD05 - 24",
            "8970669 1 X 19.00  19.00",
            "AIR SPRAYER 1.5L",
            "HC03-7 - 15",
            "9066468 1 X 8.02  8.02",
            "Item(s) : 2 Qty(s) : 2",
            "TOTAL  RM 27.02",
        ]
    ) == [
        ("CHOPPING BOARD 35X25CM", "1", "19.00", "19.00"),
        ("AIR SPRAYER 1.5L", "1", "8.02", "8.02"),
    ]


def test_a_column_of_units_under_the_names_is_not_the_name() -> None:
    """ "QTY UOM UNIT PRICE...": the unit printed on every row of numbers is a column, and
    the name is the row above; the same item bought twice keeps its own name."""
    assert _items_of(
        [
            "QTY UOM UNIT PRICE AMT GST",
            "WALL'S TOPTEN CHOCOLATE 73ML",
            "1 WALK 1.60 1.60  1.60 ZRL",
            "MAGNUM ALMOND 90ML",
            "2 WALK 4.50 9.00  9.00 ZRL",
            "TOTAL  10.60",
        ]
    ) == [
        ("WALL'S TOPTEN CHOCOLATE 73ML", "1", "1.60", "1.60"),
        ("MAGNUM ALMOND 90ML", "2", "4.50", "9.00"),
    ]
    assert _items_of(
        ["Table 5 Server Anna", "ICED TEA  3.50", "ICED TEA  3.50", "TOTAL  7.00"]
    ) == [("ICED TEA", "", "", "3.50"), ("ICED TEA", "", "", "3.50")]


def test_a_name_with_a_figure_inside_or_an_abbreviation_names_its_numbers() -> None:
    """ "4.51NX9.5IN" inside a name is a size, not the row's amount; "B.R.C" is a word."""
    assert _items_of(
        [
            "ITEM QTY PRICE AMOUNT",
            "PARTNER E/LOPE 4.51NX9.5IN W4292 EA",
            "9555023304655 2 * 2.20  4.40",
            "TOTAL  4.40",
        ]
    ) == [("PARTNER E/LOPE 4.51NX9.5IN W4292 EA", "2", "2.20", "4.40")]
    assert _items_of(
        [
            "Item Qty Price Amount Tax",
            "100088 3 58.30  174.90 SR",
            "B.R.C A10 1.7X4M",
            "TOTAL  174.90",
        ]
    ) == [("B.R.C A10 1.7X4M", "3", "58.30", "174.90")]


def test_amounts_above_the_column_headings_are_not_items() -> None:
    """A member's account figures printed in the head ("MTD RC AT K074: 111.90") stand
    above the items' headings; the items start under them."""
    assert _items_of(
        [
            "MTD RC AT K074: 111.90",
            "MTD QV AT K074: 10.56",
            "PRODUCT QTY U.PRICE TOTAL",
            "BATHROOM CLEANER 2 26.70  53.40",
            "FLOOR CLEANER 1 32.70  32.70",
            "TOTAL  86.10",
        ]
    ) == [
        ("BATHROOM CLEANER", "2", "26.70", "53.40"),
        ("FLOOR CLEANER", "1", "32.70", "32.70"),
    ]


def test_one_short_word_after_a_quantity_is_a_unit_when_a_row_names_the_item() -> None:
    assert _items_of(
        [
            "WINSTON ROUND",
            "3 slo 0 90.00  270.00 SR",
            "- BADGE CLIP",
            "1 12.00  12.00",
            "TOTAL  282.00",
        ]
    ) == [("WINSTON ROUND", "3", "90.00", "270.00"), ("BADGE CLIP", "1", "12.00", "12.00")]
    assert _items_of(["QTY ITEM PRICE", "2 TEA 2.00  4.00", "TOTAL  4.00"]) == [
        ("TEA", "2", "2.00", "4.00")
    ]


def test_a_name_row_loses_its_line_number_codes_and_tax_flag() -> None:
    assert _items_of(
        [
            "1. 2012-0029 RESTAURANT ORDER CHIT",
            "3 X 2.90  8.70",
            "JT5501-CHOPSTICK HOLDER *S",
            "9553114461423 1 X 2.33  2.33",
            "TOTAL  11.03",
        ]
    ) == [
        ("RESTAURANT ORDER CHIT", "3", "2.90", "8.70"),
        ("JT5501-CHOPSTICK HOLDER", "1", "2.33", "2.33"),
    ]


def test_opening_hours_above_the_items_name_none_of_them() -> None:
    assert _items_of(
        [
            "MON-SUN:1000 HRS - 2200 HRS",
            "1x 000004089728  5.90SR",
            "DROPS TIN",
            "1x 000007572029  5.90SR",
            "BINDER CLIP",
            "TOTAL  11.80",
        ]
    ) == [("DROPS TIN", "", "", "5.90"), ("BINDER CLIP", "", "", "5.90")]


def test_a_promotion_taken_off_an_item_is_a_credit_and_adds_up() -> None:
    """A minus printed after an item's amount takes it off; a promotion row is added
    like a discount."""
    items = _items_of(
        [
            "GDN BREAD  5.90",
            "GDN BUNS  5.90",
            "P3 BUNDLE 4012  3.90-",
            "COFFEE 200G  14.85",
            "Item promo @10.99  -3.86",
            "TOTAL  18.89",
        ]
    )
    assert [amount for *_, amount in items] == ["5.90", "5.90", "-3.90", "14.85"]


def test_a_service_charge_adds_up_with_the_tax() -> None:
    assert _items_of(
        [
            "NASI LEMAK  10.00",
            "TEH TARIK  5.00",
            "SERVICE CHARGE 10%  1.50",
            "GST 6%  0.99",
            "TOTAL  17.49",
        ]
    ) == [("NASI LEMAK", "", "", "10.00"), ("TEH TARIK", "", "", "5.00")]


def test_a_quantity_and_price_printed_before_the_name() -> None:
    """ "2 @ 1.50 AVOCADO  3.00" (as US tills print it) names the avocado; "2% GAL" keeps
    its percentage."""
    assert _items_of(
        ["MILK 2% GAL  3.99", "2 @ 1.50 AVOCADO  3.00", "SUBTOTAL  6.99", "TOTAL  6.99"]
    ) == [("MILK 2% GAL", "", "", "3.99"), ("AVOCADO", "2", "1.50", "3.00")]


def test_a_german_till_slip() -> None:
    found = receipts.read_page(
        page(
            [
                ("B\u00e4ckerei M\u00fcller GmbH", 24),
                "Hauptstra\u00dfe 12",
                "10115 Berlin",
                "Tel. 030 1234567",
                "Br\u00f6tchen 2 x 0,45  0,90",
                "Kaffee gro\u00df  2,80",
                "Summe EUR  3,70",
                "MwSt 7%  0,24",
                "Bar  10,00",
                "R\u00fcckgeld  6,30",
                "14.03.2024 08:12",
            ]
        )
    )
    assert found is not None
    values = {
        name: field.value if (field := found.field(name)) is not None else None
        for name in ("merchant", "address", "date", "time", "total", "tax", "payment_method")
    }
    assert values == {
        "merchant": "B\u00e4ckerei M\u00fcller GmbH",
        "address": "Hauptstra\u00dfe 12 10115 Berlin",  # a street named as a compound
        "date": "2024-03-14",
        "time": "08:12",  # not the "14.03" of the date
        "total": "3.70",
        "tax": "0.24",
        "payment_method": "cash",
    }
    assert found.totals_check == "ok"


def test_a_french_cafe_bill() -> None:
    """The share-capital mention under the name is no name, "Total HT" is the subtotal,
    the VAT rows are no items, "2 x Caf\u00e9 cr\u00e8me" is counted."""
    found = receipts.read_page(
        page(
            [
                ("Caf\u00e9 de la Gare", 24),
                "SARL au capital de 5000",
                "12 rue de la R\u00e9publique",
                "69002 Lyon",
                "14/03/2024 12:31",
                "2 x Caf\u00e9 cr\u00e8me  7,00",
                "Salade ni\u00e7oise  12,00",
                "Total HT  17,27",
                "TVA 10%  1,73",
                "TOTAL TTC  19,00 \u20ac",
                "Esp\u00e8ces  20,00",
                "Rendu  1,00",
            ]
        )
    )
    assert found is not None and found.merchant is not None and found.subtotal is not None
    assert found.merchant.value == "Caf\u00e9 de la Gare"
    assert found.subtotal.value == "17.27"
    assert [(i.description, i.quantity, i.unit_price) for i in found.items] == [
        ("Caf\u00e9 cr\u00e8me", "2", "3.50"),
        ("Salade ni\u00e7oise", "", ""),
    ]
    assert found.totals_check == "ok"
    assert found.payment_method is not None and found.payment_method.value == "cash"


def test_an_american_bistro_bill() -> None:
    found = receipts.read_page(
        page(
            [
                ("THE CORNER BISTRO", 24),
                "88 Elm Avenue",
                "Portland, OR 97205",
                "Mar 14, 2024 7:48 PM",
                "Burger  $15.00",
                "Iced Tea x2  $6.00",
                "Subtotal  $21.00",
                "Tip 18%  $3.78",
                "Total  $24.78",
                "MASTERCARD  $24.78",
            ]
        )
    )
    assert found is not None and found.date is not None and found.time is not None
    assert (found.date.value, found.time.value) == ("2024-03-14", "19:48")
    assert [(i.description, i.quantity, i.unit_price) for i in found.items] == [
        ("Burger", "", ""),
        ("Iced Tea", "2", "3.00"),
    ]
    assert found.total is not None and found.total.value == "24.78"
    assert found.payment_method is not None and found.payment_method.value == "card"


@pytest.mark.parametrize(
    ("head", "total", "address"),
    [
        # a business number above the address; a state and a four-digit postcode
        (
            ["BEAN THERE CAFE", "ABN 12 345 678 901", "45 George Street", "Sydney NSW 2000"],
            "TOTAL  $14.00",
            "45 George Street Sydney NSW 2000",
        ),
        # a compound street name, a Dutch postcode, "Totaal"
        (
            ["Bakkerij De Molen B.V.", "Dorpsstraat 8", "1234 AB Amsterdam", "KvK 12345678"],
            "Totaal  14,00",
            "Dorpsstraat 8 1234 AB Amsterdam",
        ),
    ],
)
def test_addresses_and_totals_of_other_countries(head: list[str], total: str, address: str) -> None:
    found = receipts.read_page(
        page(
            [
                (head[0], 24),
                *head[1:],
                "16/03/2024 09:15",
                "Flat White  9,00",
                "Muffin  5,00",
                total,
            ]
        )
    )
    assert found is not None and found.address is not None and found.total is not None
    assert found.address.value == address
    assert found.total.value == "14.00"


def test_taxes_of_several_rates_add_up() -> None:
    """A bill charging two VAT rates prints a row for each: the tax is both."""
    found = receipts.read_page(
        page(
            [
                ("CAF\u00c9 DE LA GARE", 24),
                "12 rue de la R\u00e9publique",
                "69002 Lyon",
                "14/03/2024 12:31",
                "Croque-monsieur  9,50",
                "Vin rouge  7,00",
                "TVA 10%  0,86",
                "TVA 20%  1,17",
                "TOTAL TTC  16,50",
                "GST 6%  0,00",
            ]
        )
    )
    assert found is not None and found.tax is not None
    assert (found.tax.value, found.tax.text) == ("2.03", "0,86 + 1,17")
    assert len(found.tax.boxes) == 2 and found.totals_check == "ok"


@pytest.mark.parametrize(
    ("head", "taxes", "total", "expected"),
    [
        # India: central and state GST at the same rate, in rupees, paid through UPI
        (
            ["SPICE GARDEN RESTAURANT", "12, MG Road, Indiranagar", "Bengaluru 560038"],
            ["Sub Total  835.00", "CGST @ 2.5%  20.88", "SGST @ 2.5%  20.88", "Round Off  -0.76"],
            ["Grand Total  Rs. 876.00", "Paid by UPI  876.00"],
            ("876.00", "41.76", "835.00", "INR", "e-wallet"),
        ),
        # Quebec: the French names of the federal and the provincial tax
        (
            ["CAF\u00c9 OLIMPICO", "124 Rue St-Viateur O", "Montr\u00e9al, QC H2T 2L1"],
            ["Sous-total  $8.25", "TPS 5%  $0.41", "TVQ 9,975%  $0.82"],
            ["Total  $9.48", "Visa  $9.48"],
            ("9.48", "1.23", "8.25", "CAD", "card"),
        ),
    ],
)
def test_taxes_of_other_countries(
    head: list[str], taxes: list[str], total: list[str], expected: tuple[str, ...]
) -> None:
    """Two taxes charged at the same rate are both the tax; a "Sous-total" is never the
    total."""
    lines = [*head, "20/03/2024 20:15", "Paneer Tikka  280.00", "Dal Makhani  555.00"]
    if "Sous-total  $8.25" in taxes:
        lines[-2:] = ["Cappuccino  $4.50", "Croissant  $3.75"]
    found = receipts.read_page(page([*lines, *taxes, *total]))
    assert found is not None
    got = (found.total, found.tax, found.subtotal, found.currency, found.payment_method)
    assert tuple(field.value if field else None for field in got) == expected
    assert found.totals_check == "ok"


@pytest.mark.parametrize(
    ("head", "amount", "expected"),
    [
        # a Mexican "Av." street, and "$" for pesos
        (
            [
                "TAQUER\u00cdA EL G\u00dcERO",
                "Av. Insurgentes Sur 1234",
                "03100 Ciudad de M\u00e9xico",
            ],
            "$150.00",
            ("Av. Insurgentes Sur 1234 03100 Ciudad de M\u00e9xico", "MXN"),
        ),
        # a Swiss tax-number row ends the address; "R" is the rand
        (
            [
                "KAROO FARM STALL",
                "Bahnhofstrasse 21",
                "8001 Z\u00fcrich",
                "MWST-Nr. CHE-123.456.789",
            ],
            "R 150.00",
            ("Bahnhofstrasse 21 8001 Z\u00fcrich", "ZAR"),
        ),
        # a business number of any country ends the address, a postcode's label does not
        (
            [
                "PADARIA P\u00c3O DOURADO",
                "Rua Augusta, 1500",
                "CEP 01304-001",
                "CNPJ 12.345.678/0001-90",
            ],
            "R$ 16,30",
            ("Rua Augusta, 1500 CEP 01304-001", "BRL"),
        ),
        (
            ["KAFFEHUSET SOLEN AB", "Storgatan 5", "111 51 Stockholm", "Org.nr 556123-4567"],
            "SEK 67,00",
            ("Storgatan 5 111 51 Stockholm", "SEK"),
        ),
        # a British postcode says pounds when no amount does
        (
            ["HARTLEY'S FOOD HALL LTD", "22 High Street", "Oxford OX1 4AP"],
            "6.80",
            ("22 High Street Oxford OX1 4AP", "GBP"),
        ),
        # ... but an "R" left of a ringgit's "RM" in Malaysia is still the ringgit
        (
            ["KEDAI RUNCIT AH SENG", "NO 12, JALAN MAWAR 3,", "43000 KAJANG, SELANGOR"],
            "R 150.00",
            ("NO 12, JALAN MAWAR 3, 43000 KAJANG, SELANGOR", "MYR"),
        ),
        # a Danish compound street, a four-digit postcode before the town ends the address
        (
            ["KAFFEBAREN ApS", "N\u00f8rregade 14", "1165 K\u00f8benhavn K", "CVR: 12345678"],
            "DKK 77,00",
            ("N\u00f8rregade 14 1165 K\u00f8benhavn K", "DKK"),
        ),
        # Norway's business number ends in MVA; a 0 opening a word in small letters is an O
        (
            ["BAKERIET AS", "Storgata 7", "0155 0slo", "Org.nr. 912 345 678 MVA"],
            "NOK 91,00",
            ("Storgata 7 0155 Oslo", "NOK"),
        ),
        # Polish "ul." and Indonesian "Jl." open a street
        (
            ["PIEKARNIA KOWALSKI SP. Z O.O.", "ul. Marsza\u0142kowska 10", "00-590 Warszawa"],
            "PLN 17,20",
            ("ul. Marsza\u0142kowska 10 00-590 Warszawa", "PLN"),
        ),
        # a street in words no rule knows, read by its number and the postcode and town
        # under it
        (
            ["FRITUUR 'T HOEKSKE BV", "Grote Markt 3", "2000 Antwerpen", "BTW BE 0123.456.789"],
            "EUR 9,70",
            ("Grote Markt 3 2000 Antwerpen", "EUR"),
        ),
        (
            ["PESTI BISZTR\u00d3 KFT.", "Kir\u00e1ly utca 12", "1061 Budapest"],
            "4 180 Ft",
            ("Kir\u00e1ly utca 12 1061 Budapest", "HUF"),
        ),
        # "Av." with a number starts an address; Argentina's postcode has a letter; its
        # tax number (CUIT) is no town running on; "$" there is the peso
        (
            [
                "PARRILLA DON JULIO S.R.L.",
                "Av. Corrientes 1550",
                "C1042 Buenos Aires",
                "CUIT 30-12345678-9",
            ],
            "$ 38.000,00",
            ("Av. Corrientes 1550 C1042 Buenos Aires", "ARS"),
        ),
        # a post-office box is part of an address (its O read as a zero mended), the
        # country ends it; "KSh" is the Kenyan shilling
        (
            ["JAVA HOUSE NAIROBI LTD", "Kimathi Street", "P.0. Box 12345-00100", "Nairobi, Kenya"],
            "KSh 590.00",
            ("Kimathi Street P.O. Box 12345-00100 Nairobi, Kenya", "KES"),
        ),
        # ... and the address names the country when no amount has a sign
        (
            ["DUKA LA MAMA", "Moi Avenue 14", "P.O. Box 4400", "Mombasa, Kenya"],
            "1,250.00",
            ("Moi Avenue 14 P.O. Box 4400 Mombasa, Kenya", "KES"),
        ),
    ],
)
def test_addresses_and_currencies_of_other_countries(
    head: list[str], amount: str, expected: tuple[str, str]
) -> None:
    found = receipts.read_page(page([*head, "24/03/2024 14:20", f"TOTAL  {amount}"]))
    assert found is not None and found.address is not None and found.currency is not None
    assert (found.address.value, found.currency.value) == expected


def test_a_czech_pub_total_in_words_no_rule_knows_names_its_currency() -> None:
    """The total found by the items' sum ("Celkem") names the currency on its row; a
    two-group postcode and the district's number end the address; DPH is a tax."""
    lines: list[Printed] = [
        ("HOSPODA U ZLAT\u00c9HO LVA s.r.o.", 24),
        "Karlova 12",
        "110 00 Praha 1",
        "I\u010cO: 12345678  DI\u010c: CZ12345678",
        "02.04.2024 21:30",
        "2 x Pivo 0,5 l  118,00",
        "Gul\u00e1\u0161 s knedl\u00edkem  189,00",
        "Celkem K\u010d  307,00",
        "DPH 12%  32,89",
    ]
    found = receipts.read_page(page(lines))
    assert found is not None
    got = (found.address, found.total, found.currency, found.tax)
    assert tuple(f.value if f else None for f in got) == (
        "Karlova 12 110 00 Praha 1",
        "307.00",
        "CZK",
        "32.89",
    )


def test_four_digits_and_words_start_no_address_and_stay_in_a_name() -> None:
    """Four digits and words ("1901 HOT DOGS", a brand) never start an address: only under
    a row that has begun one are they a postcode and its town. In a shop's name they are
    part of it, not a company number."""
    body: list[Printed] = [
        "12/03/2024 10:15",
        "HOT DOG  9.00",
        "TOTAL  9.00",
        "CASH  10.00",
        "CHANGE  1.00",
    ]
    found = receipts.read_page(page([("KEDAI KOPI ABC", 24), "1901 HOT DOGS", *body]))
    assert found is not None and found.address is None
    head: list[Printed] = [("1901 HOT DOGS", 24), "NO 5, JALAN SS 2/24,", "47300 PETALING JAYA"]
    found = receipts.read_page(page([*head, *body]))
    assert found is not None and found.merchant is not None and found.address is not None
    assert found.merchant.value == "1901 HOT DOGS"
    assert found.address.value == "NO 5, JALAN SS 2/24, 47300 PETALING JAYA"


def test_an_american_diner_street_and_month_first_date() -> None:
    """A street without a street word over a state and ZIP code is the street; a date
    with slashes there is month first, even where it could be read day first."""
    lines = ["BLUE PLATE DINER", "501 W Broadway", "Boston, MA 02127", "04/01/2024 12:48 PM"]
    found = receipts.read_page(page([*lines, "Pancakes  $9.95", "Amount Due  $9.95"]))
    assert found is not None and found.address is not None and found.date is not None
    assert found.address.value == "501 W Broadway Boston, MA 02127"
    assert found.date.value == "2024-04-01"
    # the same date under a Malaysian address is day first
    lines[1:3] = ["NO 12, JALAN MAWAR 3,", "43000 KAJANG, SELANGOR"]
    found = receipts.read_page(page([*lines, "Pancakes  9.95", "TOTAL  9.95"]))
    assert found is not None and found.date is not None and found.date.value == "2024-01-04"


def test_a_turkish_total_and_tax() -> None:
    lines = ["KAHVE EVI", "Istiklal Caddesi No: 45", "34433 Beyoglu / ISTANBUL", "31.03.2024"]
    lines += ["Baklava  120,00", "TOPLAM  120,00", "KDV %10  10,91", "NAKIT  120,00"]
    found = receipts.read_page(page(lines))
    assert found is not None
    got = (found.total, found.tax, found.currency, found.payment_method)
    assert tuple(f.value if f else None for f in got) == ("120.00", "10.91", "TRY", "cash")


def test_a_total_in_words_no_rule_knows_is_what_the_items_add_up_to() -> None:
    """ "Celkem" (Czech) names no total the rules know: the amount that the priced rows
    above it add up to is the total; with no such sum there is none to guess."""
    lines = ["HOSPODA U LVA", "Karlova 12", "02.04.2024 21:30", "2 x Pivo  118,00"]
    found = receipts.read_page(page([*lines, "Gulas  189,00", "Celkem Kc  307,00"]))
    assert found is not None and found.total is not None
    assert (found.total.value, found.totals_check) == ("307.00", "ok")
    assert receipts.read_page(page([*lines, "Gulas  189,00", "Celkem Kc  310,00"])) is None


def test_the_tax_is_not_a_total_labelled_with_it() -> None:
    found = receipts.read_page(
        page(
            [
                *SHOP_HEAD,
                "HOES SET  23.32",
                "TOTAL SALES (EXCLUDING GST) :  22.00",
                "TOTAL SALES (INCLUSIVE OF GST) :  23.32",
                "GST @6% INCLUDED IN TOTAL  RM 1.32",
            ]
        )
    )
    assert found is not None and found.tax is not None and found.subtotal is not None
    assert (found.tax.value, found.subtotal.value) == ("1.32", "22.00")


def test_items_that_do_not_add_up_are_flagged_not_fixed() -> None:
    lines: list[Printed] = [x if x != "PEN BLUE  2.50" else "PEN BLUE  4.50" for x in SHOP]
    found = receipts.read_page(page(lines))
    assert found is not None and found.total is not None
    assert found.total.value == "10.07"
    assert found.totals_check == "mismatch" and "totals_mismatch" in found.warnings


UNPAID = [x for x in SHOP if not (isinstance(x, str) and x.startswith(("CASH", "CHANGE")))]


def _with_total(*totals: str) -> list[Printed]:
    """``UNPAID`` (no cash or change rows) with its total row printed as ``totals``."""
    at = UNPAID.index("TOTAL  RM 10.07")
    return [*UNPAID[:at], *totals, *UNPAID[at + 1 :]]


def test_a_total_misread_by_one_digit_is_read_as_the_amounts_add_up() -> None:
    found = receipts.read_page(page(_with_total("TOTAL  RM 16.07")))
    assert found is not None and found.total is not None
    assert found.total.value == "10.07" and found.total.text == "RM 16.07"
    assert found.total.boxes and found.total.confidence <= 0.5
    assert "total_misread" in found.warnings and found.totals_check == "ok"


PAID_ONLY: list[Printed] = [
    *SHOP[:7],
    "TOTAL  RM 16.07",
    "CASH  RM 20.00",
    "CHANGE  RM 9.93",
]


@pytest.mark.parametrize(
    ("lines", "printed"),
    [
        (_with_total("TOTAL  RM 12.57"), "12.57"),  # two digits apart: a charge not known
        (_with_total("TOTAL  RM 16.07", "GRAND TOTAL  RM 16.07"), "16.07"),  # printed twice
        (PAID_ONLY, "16.07"),  # only cash less change says 10.07: the change may be misread
    ],
)
def test_a_total_not_confirmed_as_misread_is_kept_as_printed(
    lines: list[Printed], printed: str
) -> None:
    found = receipts.read_page(page(lines))
    assert found is not None and found.total is not None
    assert found.total.value == printed
    assert "total_misread" not in found.warnings


def test_a_page_that_is_not_a_receipt_gets_no_receipt() -> None:
    prose = [
        "The weekly digest went out on 12/01/2019 to every reader.",
        "It costs nothing and readers can leave at any time.",
        "Questions about it go to the editors, who answer within 2.50 days.",
    ]
    assert receipts.read_page(page(prose)) is None
    assert receipts.find_receipt([]) is None


@pytest.mark.parametrize(
    ("total_line", "expected"),
    [
        ("TOTAL  RM 9.00", "9.00"),
        ("TOTAL  RM9.00", "9.00"),
        ("GRAND TOTAL  1,234.50", "1234.50"),
        ("TOTAL  $ 12,345.60", "12345.60"),
        ("SUMME EUR  1.234,50", "1234.50"),
        # currencies without cents: the sign makes "52.800" a whole number
        ("TOTAL  Rp 52.800", "52800.00"),
        ("TOTAL  \u00a51,280", "1280.00"),
        ("TOTAL  45.000\u20ab", "45000.00"),
        ("TOTAL  \u20b1280.00", "280.00"),
        ("TOTAL  4 180 Ft", "4180.00"),
    ],
)
def test_totals_with_currency_and_thousands_separators(total_line: str, expected: str) -> None:
    found = receipts.read_page(page(["SHOP", "ITEM  1.00", total_line]))
    assert found is not None and found.total is not None
    assert found.total.value == expected


def test_the_rounded_total_beats_the_plain_one() -> None:
    lines: list[Printed] = ["TOTAL  RM 33.92", "ROUNDING ADJ  -0.02", "TOTAL ROUNDED  RM 33.90"]
    lines += ["CASH  RM 50.00", "CHANGE  RM 16.10"]
    found = receipts.read_page(page(["SHOP", *lines]))
    assert found is not None and found.total is not None and found.total.value == "33.90"


@pytest.mark.parametrize(
    ("printed", "iso"),
    [
        ("12-01-19", "2019-01-12"),
        ("05/13/2018", "2018-05-13"),
        ("2018-03-04", "2018-03-04"),
        ("12 JAN 2018", "2018-01-12"),
        ("Date:23/12/17", "2017-12-23"),
        ("Date& time :16/02/201812:04:58", "2018-02-16"),
        ("20/06/1800:05 90554", "2018-06-20"),
    ],
)
def test_dates_day_first_with_two_digit_years(printed: str, iso: str) -> None:
    found = receipts.read_page(page(["SHOP", printed, "TOTAL  5.00"]))
    assert found is not None and found.date is not None and found.date.value == iso


def test_an_impossible_date_is_left_empty() -> None:
    found = receipts.read_page(page(["SHOP", "31/02/2018", "TEA  5.00", "TOTAL  5.00"]))
    assert found is not None and found.date is None


def test_euro_receipt_in_another_language() -> None:
    lines: list[Printed] = [
        ("BÄCKEREI MÜLLER GMBH", 24),
        "HAUPTSTRASSE 5, 10115 BERLIN",
        "BROT  3,20 €",
    ]
    found = receipts.read_page(page([*lines, "SUMME  3,20 €", "BAR  5,00 €"]))
    assert found is not None and found.total is not None
    assert found.total.value == "3.20" and found.currency is not None
    assert found.currency.value == "EUR"
    assert found.merchant is not None and found.merchant.value == "BÄCKEREI MÜLLER GMBH"


def test_two_receipts_side_by_side_are_flagged() -> None:
    left = page(SHOP)
    right_words = [Word(w.text, w.bbox.shifted(WIDTH, 0), w.confidence) for w in left.words]
    both = list(left.words) + right_words
    size = (2 * WIDTH, left.height)
    found = receipts.read_page(Page(1, *size, 300, layout.arrange(both, size)))
    assert found is not None and "several_receipts" in found.warnings
    assert found.total is not None and found.total.value == "10.07"
    assert all(b.x1 <= WIDTH for b in found.total.boxes)


def test_a_receipt_without_a_merchant_name_has_none() -> None:
    found = receipts.read_page(page(["12/01/2019", "TOTAL  5.00"]))
    assert found is not None and found.merchant is None and found.address is None


def test_receipt_round_trips_through_json() -> None:
    found = receipts.read_page(page(SHOP))
    doc = Document((page(SHOP),), receipt=found)
    data = json.loads(render(doc, "json"))
    assert data["schema_version"] == "1.2"
    assert data["receipt"]["total"]["value"] == "10.07"
    assert data["receipt"]["merchant"]["boxes"]
    assert Document.from_dict(data) == doc


def test_csv_has_fields_and_items_and_no_formulas() -> None:
    lines: list[Printed] = [("=HYPERLINK(1) SDN BHD", 24), *SHOP[1:]]
    doc = Document((page(lines),), receipt=receipts.read_page(page(lines)))
    table = [r for r in csv.reader(io.StringIO(str(render(doc, "csv")))) if r]
    assert table[0][:3] == ["section", "name", "value"]
    by_name = {r[1]: r for r in table if r[0] == "receipt"}
    assert by_name["total"][2] == "10.07" and by_name["date"][2] == "2019-01-12"
    assert by_name["merchant"][2].startswith("'=")
    assert [r[7] for r in table if r[0] == "item"] == ["7.00", "2.50"]


def test_pipeline_reads_a_drawn_receipt_end_to_end(tmp_path: Path) -> None:
    data = encode(_drawn_receipt())
    doc = pipeline.run(data, OcrOptions(engine="rapid"))
    assert doc.receipt is not None and doc.receipt.total is not None
    assert doc.receipt.total.value == "10.07"
    assert doc.receipt.date is not None and doc.receipt.date.value == "2019-01-12"


def test_a_receipt_photographed_turned_90_degrees(tmp_path: Path) -> None:
    data = encode(_drawn_receipt().rotate(90, expand=True))
    doc = pipeline.run(data, OcrOptions(engine="rapid"))
    assert doc.receipt is not None and doc.receipt.total is not None
    assert doc.receipt.total.value == "10.07"


def test_cli_csv_and_json_include_the_receipt(tmp_path: Path) -> None:
    path = tmp_path / "receipt.png"
    path.write_bytes(encode(_drawn_receipt()))
    assert main([str(path), "--engine", "rapid", "--format", "json", "-o", str(tmp_path)]) == 0
    data = json.loads((tmp_path / "receipt.json").read_text())
    assert data["receipt"]["total"]["value"] == "10.07"
    assert main([str(path), "--engine", "rapid", "--format", "csv", "-o", str(tmp_path)]) == 0
    rows = [r for r in csv.reader(io.StringIO((tmp_path / "receipt.csv").read_text())) if r]
    assert rows[[r[1] for r in rows].index("total")][:3] == ["receipt", "total", "10.07"]


def test_a_drawn_letter_has_no_receipt() -> None:
    image = Image.new("RGB", (1200, 500), "white")
    draw = ImageDraw.Draw(image)
    for n, text in enumerate(["Dear readers,", "our newsletter moves to Fridays.", "The editors"]):
        draw.text((60, 60 + 80 * n), text, fill="black", font=font(40))
    assert pipeline.run(encode(image), OcrOptions(engine="rapid")).receipt is None


def _drawn_receipt() -> Image.Image:
    image = Image.new("RGB", (900, 1100), "white")
    draw = ImageDraw.Draw(image)
    y = 40
    for item in SHOP:
        text: str = item if isinstance(item, str) else item[0]
        size = 26 if isinstance(item, str) else 38
        label, _, amount = text.partition("  ")
        draw.text((40, y), label, fill="black", font=font(size))
        if amount:
            width = draw.textlength(amount, font=font(size))
            draw.text((860 - width, y), amount, fill="black", font=font(size))
        y += int(size * 1.7)
    return image


def test_the_total_after_a_printed_rounding_adjustment() -> None:
    lines: list[Printed] = ["SHOP", "TEA  23.26", "TOTAL (INCLUSIVE OF GST):  23.26"]
    found = receipts.read_page(page([*lines, "ROUNDING ADJ:  -0.01", "TOTAL:  23.25"]))
    assert found is not None and found.total is not None and found.total.value == "23.25"


def test_an_item_named_with_a_promotion_is_added_once() -> None:
    """ "PROMO" in an item's name ("MILO PROMO 2+1") makes it no adjustment row as well: the
    items, the rounding and the total agree."""
    lines: list[Printed] = ["KEDAI CONTOH", "2 MILO PROMO 2+1  31.80", "1 ROTI PUTIH  4.18"]
    found = receipts.read_page(page([*lines, "ROUNDING ADJ  0.02", "TOTAL  36.00"]))
    assert found is not None and [i.amount for i in found.items] == ["31.80", "4.18"]
    assert found.totals_check == "ok"


def test_rounding_confirmed_by_cash_less_change_keeps_both_boxes() -> None:
    lines: list[Printed] = ["SHOP", "TEA  60.31", "TOTAL AMT  RM 60.31", "ROUNDING ADJ  -0.01"]
    found = receipts.read_page(page([*lines, "CASH  RM 70.30", "CHANGE  RM 10.00"]))
    assert found is not None and found.total is not None
    assert found.total.value == "60.30" and len(found.total.boxes) == 3


def test_rounding_without_confirmation_keeps_the_printed_total() -> None:
    lines: list[Printed] = ["SHOP", "TEA  60.31", "TOTAL AMT  RM 60.31", "ROUNDING ADJ  -0.01"]
    found = receipts.read_page(page(lines))
    assert found is not None and found.total is not None and found.total.value == "60.31"


def test_stray_accents_on_capitals_are_dropped_real_ones_kept() -> None:
    found = receipts.read_page(
        page([("TSH HARDW\u00c0RE TRADING", 24), "TEA  2.00", "TOTAL  2.00"])
    )
    assert found is not None and found.merchant is not None
    assert found.merchant.value == "TSH HARDWARE TRADING"
    assert receipts._plain("\u00c0 LA CARTE") == "\u00c0 LA CARTE"


_TOKENS = st.sampled_from(
    [
        "TOTAL",
        "RM",
        "9.00",
        "1,234.50",
        "-0.02",
        "CASH",
        "CHANGE",
        "SDN",
        "BHD",
        "JALAN",
        "12/01/19",
        "31/02/2018",
        "(123456-X)",
        "GST",
        "x",
        "2",
        "@",
        "ROUNDING",
        "",
        "€",
        ":",
    ]
)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(_TOKENS, st.integers(0, 900), st.integers(0, 1500), st.integers(1, 120)),
        max_size=60,
    )
)
def test_any_words_anywhere_never_crash_the_extractor(
    items: list[tuple[str, int, int, int]],
) -> None:
    words = [Word(t or "?", BBox(x, y, x + 10 * len(t or "?"), y + h), 0.9) for t, x, y, h in items]
    found = receipts.read_page(Page(1, 1000, 1700, 300, layout.arrange(words, (1000, 1700))))
    if found is not None and found.total is not None:
        assert Decimal(found.total.value) > 0
        assert found.to_dict()["total"]["value"] == found.total.value


@pytest.mark.parametrize(
    "decoy", ["GST @6% INCLUDED IN TOTAL  RM 0.19", "ACCEPTED TOTAL  10.00", "TOTAL QTY  4.00"]
)
def test_tax_tendered_and_quantity_lines_are_not_the_total(decoy: str) -> None:
    lines: list[Printed] = ["SHOP", "TEA  3.30", "TOTAL INCL. GST  RM 3.30", decoy]
    found = receipts.read_page(page(lines))
    assert found is not None and found.total is not None and found.total.value == "3.30"


def test_every_receipt_key_is_in_the_schema_doc() -> None:
    from tests.ocr.test_docs import SCHEMA, _keys

    found = receipts.read_page(page(SHOP))
    assert found is not None
    documented = set(re.findall(r"`(?:[a-z_\[\]]+\.|….)?([a-z_]+)`", SCHEMA))
    assert _keys(found.to_dict()) <= documented


def _tail(address: Sequence[Printed]) -> list[Printed]:
    """A receipt's body under a given head, so that only the head differs between tests."""
    return [*address, "TEL: 03-8736 1234", "DATE: 12/01/19", "TEA  5.00", "TOTAL  5.00"]


def _read(lines: Sequence[Printed]) -> tuple[str | None, str | None]:
    """The merchant and the address read off a page of ``lines``."""
    return _fields(receipts.read_page(page(lines)))


def _address_under_the_name(address: Sequence[Printed]) -> str | None:
    """The address read off a receipt that prints ``address`` under a plain shop name."""
    return _read([("KEDAI BUKU CAHAYA SDN BHD", 24), *_tail(address)])[1]


def _fields(found: Receipt | None) -> tuple[str | None, str | None]:
    assert found is not None
    merchant = found.merchant.value if found.merchant is not None else None
    address = found.address.value if found.address is not None else None
    return merchant, address


def _page_of(words: Sequence[Word], height: int) -> Page:
    return Page(1, WIDTH, height, 300, layout.arrange(words, (WIDTH, height)))


ADDRESS: list[Printed] = ["NO 12, JALAN MAWAR 3,", "43000 KAJANG, SELANGOR"]
WHOLE = "NO 12, JALAN MAWAR 3, 43000 KAJANG, SELANGOR"


def test_logo_lettering_above_the_name_stays_out_of_the_name_row() -> None:
    base = page(["", "", "", ("KEDAI BUKU CAHAYA SDN BHD", 24), *_tail(ADDRESS)])
    logo = Word("RSK", BBox(300, 30, 420, 110), 0.99)  # three rows tall, above the name
    found = receipts.read_page(_page_of([logo, *base.words], base.height))
    assert _fields(found) == ("KEDAI BUKU CAHAYA SDN BHD", WHOLE)


def test_rows_of_a_skewed_photo_are_read_whole() -> None:
    """Turned by 2 degrees, a row's right end rises to the height of the row above's middle."""
    base = page([("KEDAI BUKU CAHAYA SDN BHD", 24), *_tail(ADDRESS)], gap=4)
    slope = math.tan(math.radians(2))
    tilted = [
        Word(w.text, w.bbox.shifted(0, round(-slope * w.bbox.center[0])), w.confidence)
        for w in base.words
    ]
    low = min(w.bbox.y0 for w in tilted)
    tilted = [Word(w.text, w.bbox.shifted(0, round(40 - low)), w.confidence) for w in tilted]
    straight = receipts.read_page(base)
    found = receipts.read_page(_page_of(tilted, base.height + 40))
    assert _fields(found) == _fields(straight) == ("KEDAI BUKU CAHAYA SDN BHD", WHOLE)
    assert found is not None and found.total is not None and found.total.value == "5.00"


def test_the_owner_printed_under_the_brand_is_the_merchant() -> None:
    head: list[Printed] = [("BANH MI CAFE", 24), "DIMILIKI: BANH MI CAFE SDN BHD 1110644-W"]
    assert _read([*head, *_tail(ADDRESS)]) == ("BANH MI CAFE SDN BHD", WHOLE)


def test_an_owner_printed_after_the_address_is_not_the_merchant() -> None:
    lines: list[Printed] = [("SANYU STATIONERY SHOP", 24), *ADDRESS, "GST ID NO: 001531760640"]
    lines += ["TAX INVOICE", "OWNED BY :", "SANYU SUPPLY SDN BHD (1135772-K)"]
    assert _read([*lines, *_tail([])]) == ("SANYU STATIONERY SHOP", WHOLE)


def test_a_brand_above_a_complete_legal_name_is_not_part_of_it() -> None:
    head: list[Printed] = [("A PIE THING", 24), ("FOUR QUARTERS SDN BHD (1079369-P)", 24)]
    assert _read([*head, *_tail(ADDRESS)]) == ("FOUR QUARTERS SDN BHD", WHOLE)


def test_a_legal_name_wrapped_over_three_rows_is_joined() -> None:
    head: list[Printed] = [("AIK HUAT HARDWARE", 24), ("ENTERPRISE (SETIA", 24)]
    head += [("ALAM) SDN BHD", 24), "822737-X"]
    merchant, _ = _read([*head, *_tail(ADDRESS)])
    assert merchant == "AIK HUAT HARDWARE ENTERPRISE (SETIA ALAM) SDN BHD"


@pytest.mark.parametrize(
    ("above", "name"),
    [
        ("SYARIKAT PERNIAGAAN XIN", "SYARIKAT PERNIAGAAN XIN WAH BAKERY SDN BHD"),
        ("KEDAI BINTANG", "WAH BAKERY SDN BHD"),  # a short brand row: it had room left
    ],
)
def test_a_name_that_ran_out_of_room_goes_on_under_it(above: str, name: str) -> None:
    """The till wraps a long name where the line is full: "WAH" would not have fitted
    after "XIN" within the print's width (the total's row spans it), so the two rows are
    one name."""
    head: list[Printed] = [(above, 32), ("WAH BAKERY SDN BHD", 32)]
    assert _read(_tail([*head, "NO 12, JALAN MAWAR 3, TAMAN", "MAWAR, 43000 KAJANG"]))[0] == name


@pytest.mark.parametrize(
    ("below", "name"),
    [
        ("KENCANA CAFE", "SYARIKAT PERNIAGAAN HOCK SINAR KENCANA CAFE"),
        ("OUTLET PUCHONG", "SYARIKAT PERNIAGAAN HOCK SINAR"),  # a branch, not the trade
    ],
)
def test_a_full_name_row_goes_on_to_a_row_ending_in_its_trade(below: str, name: str) -> None:
    head: list[Printed] = [("SYARIKAT PERNIAGAAN HOCK SINAR", 26), (below, 26)]
    address = ["NO 78B, WISMA WAH, LEBUH SINAR 7,", "TAMAN MEGA, 86000 KLUANG."]
    assert _read(_tail([*head, *address]))[0] == name


def test_a_name_runs_on_to_the_legal_form_that_ends_it() -> None:
    """A name opening with the firm's kind ("SYARIKAT") scores as a name on its own, but
    the rows under it, printed alike, run on to "S/B": a branch never ends that way."""
    head: list[Printed] = [("SYARIKAT WAH", 32), ("BINTANG PERMATA", 32), ("S/B", 32)]
    assert _read(_tail([*head, *ADDRESS])) == ("SYARIKAT WAH BINTANG PERMATA S/B", WHOLE)


@pytest.mark.parametrize(
    ("head", "name"),
    [
        ([("MEGA LEONG STORE BERHAD", 24)], "MEGA LEONG STORE BERHAD"),
        ([("LEONG MAJU INDAH ENTERPRISE", 24), ("SENDIRIAN BERHAD", 24)], None),
        ([("RESTORAN EMAS & LEE MEGA SERVICES", 24), ("S/B.", 24)], None),
        ([("XIN TEGUH MARKETING ROC NO: 679220-K", 24)], "XIN TEGUH MARKETING"),
        ([("MAJU'S RIA SSM NO: 201902342321", 24)], "MAJU'S RIA"),
        ([("PERNIAGAAN KIM", 40), ("& JAYA BOOK CO.", 40)], None),
        ([("KEDAI HENG", 40), ("MACHINERY", 40)], None),
        ([("SYARIKAT", 40), ("PERNIAGAAN RIA FU", 40), ("WAH STORE PLT", 40)], None),
    ],
)
def test_legal_forms_and_register_labels_of_malaysian_names(
    head: list[Printed], name: str | None
) -> None:
    """A form spelled out ("SENDIRIAN BERHAD") or dotted ("S/B.") ends a name, a register's
    label beside it ("ROC NO:", "SSM NO:") is no part of it, "&" opens a row the name runs
    on to, and a row that ran out of room joins the name under it even below a row of
    its own ("SYARIKAT"). ``None``: the rows joined."""
    want = name or " ".join(item if isinstance(item, str) else item[0] for item in head)
    assert _read(_tail([*head, *ADDRESS])) == (want, WHOLE)


@pytest.mark.parametrize(
    ("below", "name"),
    [
        (("MUTIARA FU", 40), "KEDAI RUNCIT HENG MUTIARA FU"),
        ("MUTIARA FU", "KEDAI RUNCIT HENG"),  # in the till's size: a branch, a note
    ],
)
def test_a_large_name_that_ran_out_of_room_goes_on_to_the_next_large_row(
    below: Printed, name: str
) -> None:
    """Twice as large on a narrow roll, "MUTIARA" would not have fitted after "HENG"; a
    large row under it is the rest of the name even without a trade word."""
    assert _read(_tail([("KEDAI RUNCIT HENG", 40), below, *ADDRESS]))[0] == name


@pytest.mark.parametrize("title", ["CASH BILL", "*** COPY ***", "REPRINT"])
def test_a_title_under_the_address_is_not_part_of_it(title: str) -> None:
    rows = ["NO. 196, MEDAN KENCANA, JALAN", "KENCANA 3, 46000 PETALING JAYA", title]
    address = "NO. 196, MEDAN KENCANA, JALAN KENCANA 3, 46000 PETALING JAYA"
    assert _read(_tail([("KENCANA JAYA TRADING", 24), *rows]))[1] == address


def test_the_stop_of_an_abbreviated_state_before_a_comma_is_kept() -> None:
    rows = ["13-2, JALAN SOON 3/1, TMN LEE SETIA,", "68000 AMPANG, SEL., MALAYSIA."]
    want = "13-2, JALAN SOON 3/1, TMN LEE SETIA, 68000 AMPANG, SEL., MALAYSIA."
    assert _read(_tail([("TAN CHUAN TRADING SDN.BHD", 24), *rows]))[1] == want


@pytest.mark.parametrize(
    "misread",
    [
        "lel/Fax: 05-6577 2040",
        "PHOHE: +603-97504968",
        "55M NO: 201703218135",
        "SST HO : 000717288147",
        "RO( NO: 423419-K",
        "6ST ID NO :000570183289",
    ],
)
def test_a_misread_number_row_above_the_address_is_passed_over(misread: str) -> None:
    """The recogniser's slips in a label ("TEL" read "lel", "SSM" read "55M") leave a short
    label and a long number: never an address's row, whatever the label says."""
    head: list[Printed] = [("KEDAI BUKU CAHAYA SDN BHD", 24), misread]
    assert _read(_tail([*head, *ADDRESS])) == ("KEDAI BUKU CAHAYA SDN BHD", WHOLE)


@pytest.mark.parametrize(
    ("rows", "address"),
    [
        (["NO 5, JALAN MAWAR", "JALAN 12 47100"], "NO 5, JALAN MAWAR JALAN 12 47100"),
        (
            ["LOT 1245, JALAN PJU 11/55,", "40150 SHAH ALAM"],
            "LOT 1245, JALAN PJU 11/55, 40150 SHAH ALAM",
        ),
    ],
)
def test_an_address_row_of_numbers_is_no_number_row(rows: list[str], address: str) -> None:
    """A street's number and a postcode ("JALAN 12 47100") are short numbers of a place."""
    assert _read(_tail([("KEDAI BUKU CAHAYA SDN BHD", 24), *rows]))[1] == address


@pytest.mark.parametrize("title", ["WEICOME TO", "OFFICIAL RECFIPT", "*** C0PY ***"])
def test_a_misread_title_above_the_name_is_still_a_title(title: str) -> None:
    """A greeting or a title one lookalike letter away from itself ("WEICOME") is read as
    what it is, not as a shop's name."""
    assert _read(_tail([title, "PERMATA MUTIARA TAN", *ADDRESS])) == ("PERMATA MUTIARA TAN", WHOLE)


@pytest.mark.parametrize(
    "label", ["lel: 03-6191 1349", "TFL 03-6191 1349", "GSI KEG: 000899874816"]
)
def test_a_misread_label_under_the_address_ends_it(label: str) -> None:
    rows = ["NO 12, JALAN MAWAR 3, TAMAN MAWAR,", "KAJANG", label]
    want = "NO 12, JALAN MAWAR 3, TAMAN MAWAR, KAJANG"
    assert _read(_tail([("KEDAI BUKU CAHAYA SDN BHD", 24), *rows]))[1] == want


def test_a_very_long_row_in_the_head_is_judged_in_bounded_time() -> None:
    """The label-and-number test looks at short rows only: a row of 20,000 letters (a
    pathological page) is not searched by a pattern that backtracks over it."""
    from masthead.ocr import _receipt_header

    started = time.perf_counter()
    assert not _receipt_header._label_and_number("A" * 20_000 + " 1234567")
    assert time.perf_counter() - started < 2.0  # a backtracking search takes minutes


def test_the_malaysian_m_of_a_wrapped_legal_form_is_kept() -> None:
    head = ["KEDAI RUNCIT CHUAN MEGA TRADING", "(M) SDN BHD", *ADDRESS]
    assert _read(_tail(head)) == ("KEDAI RUNCIT CHUAN MEGA TRADING (M) SDN BHD", WHOLE)


@pytest.mark.parametrize(
    ("rows", "address"),
    [
        (
            ["No. 38 & 64, Lebuh Seng 3, 40150 Shah", "Alam Tel: 03-6191 1349"],
            "No. 38 & 64, Lebuh Seng 3, 40150 Shah Alam",
        ),
        (
            ["NO 5, JALAN MAWAR 3, TAMAN MAWAR,", "KAWASAN MAWAR, 43000 SERI", "KEMBANGAN"],
            "NO 5, JALAN MAWAR 3, TAMAN MAWAR, KAWASAN MAWAR, 43000 SERI KEMBANGAN",
        ),
        (  # "JOHOR" ends the row as a state would, but "JOHOR BAHRU" is the town
            ["NO 5, JALAN MAWAR 3, TAMAN MAWAR,", "81200 JOHOR", "BAHRU"],
            "NO 5, JALAN MAWAR 3, TAMAN MAWAR, 81200 JOHOR BAHRU",
        ),
    ],
)
def test_a_town_that_ran_off_a_full_postcode_row_ends_the_address(
    rows: list[str], address: str
) -> None:
    """The town's last word would not have fitted on the postcode's row, so the short row
    under it (before a telephone printed beside it, or alone) ends the address."""
    assert _read(_tail(["SENG KENCANA TRADING", *rows]))[1] == address


@pytest.mark.parametrize(
    ("printed", "name"),
    [
        ("SANYUSTATIONERYSHOP", "SANYU STATIONERY SHOP"),
        ("FOUR\u00b0QUARTERS SDN BHD", "FOUR QUARTERS SDN BHD"),
        ("THE: TOAST F&B SDN BHD (965752-T)", "THE TOAST F&B SDN BHD"),
        ("SHOPPINGCENTRE CAFE", "SHOPPINGCENTRE CAFE"),
        ("SEAFOODRESTAURANT", "SEAFOODRESTAURANT"),
        ("(P) SEGI CASH & CARRY SDN. BHD.", "SEGI CASH & CARRY SDN. BHD."),
        ("SEGI\u00ae CASH & CARRY", "SEGI CASH & CARRY"),
        ("LAMA F00D & BEVERAGE SDN BHD", "LAMA FOOD & BEVERAGE SDN BHD"),
        ("0RCHID BAKERY", "ORCHID BAKERY"),
        ("A1 F00D MART", "A1 FOOD MART"),
        ("7-ELEVEN MALAYSIA SDN BHD", "7-ELEVEN MALAYSIA SDN BHD"),
        ("Segi Cash & Cary Sdn. Bhd.", "Segi Cash & Carry Sdn. Bhd."),
        ("GL HANDICPAFT SUPLY", "GL HANDICRAFT SUPPLY"),
        ("KEDAL RUNCIT MARI", "KEDAI RUNCIT MARI"),
        ("CAHAYA STATIONARY", "CAHAYA STATIONARY"),  # the shop's own spelling, kept
    ],
)
def test_recogniser_slips_in_a_large_printed_name_are_undone(printed: str, name: str) -> None:
    merchant, _ = _read([(printed, 24), *_tail(ADDRESS)])
    assert merchant == name


def test_an_address_line_is_never_taken_for_the_name() -> None:
    """The recogniser missed the name: the head starts with the address, and the name is
    left empty rather than filled with a street or a country."""
    lines: list[Printed] = ["19, JALAN KANCIL,", "OFF JALAN PUDU,", "55100 KUALA LUMPUR"]
    lines += ["MALAYSIA", "COMPANY REG NO.:75495-W"]
    merchant, address = _read(_tail(lines))
    assert merchant is None
    assert address == "19, JALAN KANCIL, OFF JALAN PUDU, 55100 KUALA LUMPUR MALAYSIA"


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        (
            [
                "NO.32 & 33. JALAN SR 1/9. SEKSYEN 9.",
                "TAMAN SERDANG RAYA.",
                "43300 SERI KEMBANGAN.",
            ],
            "NO.32 & 33, JALAN SR 1/9, SEKSYEN 9, TAMAN SERDANG RAYA, 43300 SERI KEMBANGAN.",
        ),
        (
            ["NO. 1, JALAN PUTERI 7/1l8B,", "47100 PUCHONG"],
            "NO. 1, JALAN PUTERI 7/118B, 47100 PUCHONG",
        ),
        (
            ["Leve1 2, J1n Dutamas 1,", "50480 Kuala Lumpur"],
            "Level 2, Jln Dutamas 1, 50480 Kuala Lumpur",
        ),
        (
            ["Level'6, Bangunan TH,", "47400 Petaling Jaya"],
            "Level 6, Bangunan TH, 47400 Petaling Jaya",
        ),
        (
            ["LOT P. T. 2811, JALAN ANGSA.,", "41150 KLANG"],
            "LOT P. T. 2811, JALAN ANGSA, 41150 KLANG",
        ),
    ],
)
def test_commas_read_as_stops_and_digit_lookalikes_in_an_address(
    printed: list[Printed], expected: str
) -> None:
    address = _address_under_the_name(printed)
    assert address == expected


def test_a_lot_number_is_not_the_postcode() -> None:
    lines: list[Printed] = [
        "LOT 26151 BANDAR SG LONG,",
        "11 1/4 MILES CHERAS,",
        "43000 KAJANG, SELANGOR",
    ]
    _, address = _read([("LEONG HENG SERVICE STATION", 24), *_tail(lines)])
    assert address == "LOT 26151 BANDAR SG LONG, 11 1/4 MILES CHERAS, 43000 KAJANG, SELANGOR"


def test_two_region_rows_may_follow_the_postcode_but_not_a_branch_name() -> None:
    lines: list[Printed] = ["LOT F1-01, JALAN 8/27A,", "53300 KUALA LUMPUR,"]
    lines += ["WILAYAH PERSEKUTUAN KUALA", "LUMPUR, MALAYSIA.", "SUNWAY VELOCITY"]
    _, address = _read([("ECO-SHOP MARKETING SDN BHD", 24), *_tail(lines)])
    expected = "LOT F1-01, JALAN 8/27A, 53300 KUALA LUMPUR, WILAYAH PERSEKUTUAN KUALA LUMPUR,"
    assert address == expected + " MALAYSIA."


def test_an_address_printed_under_the_invoice_title() -> None:
    lines: list[Printed] = ["GST:001662431232 1210644T", "TAX INVOICE", "NO7,JLN UERO,SHAH ALAM."]
    assert _read([("PERNIAGAAN RIANG RIA", 24), *_tail(lines)]) == (
        "PERNIAGAAN RIANG RIA",
        "NO7,JLN UERO,SHAH ALAM.",
    )


def test_an_address_row_ends_before_the_telephone_printed_beside_it() -> None:
    lines: list[Printed] = [
        "NO.1, JALAN PERMAS 10/5,",
        "81750 JOHOR BAHRU, JOHOR. TEL NO.: 07-387 3322",
    ]
    _, address = _read([("MOONLIGHT CAKE HOUSE SDN BHD", 24), *_tail(lines)])
    assert address == "NO.1, JALAN PERMAS 10/5, 81750 JOHOR BAHRU, JOHOR."


def test_rm_with_a_letter_for_its_first_digit_is_still_the_amount_paid() -> None:
    lines: list[Printed] = [
        "SHOP",
        "MASK  105.57",
        "AMT PAID INCL GST:  RMI11.90",
        "GST AMT:  RM5.33",
    ]
    found = receipts.read_page(page(lines))
    assert found is not None and found.total is not None and found.total.value == "111.90"


def test_the_total_row_of_a_tax_summary_is_not_the_total() -> None:
    lines: list[Printed] = ["SHOP", "MASK  105.57", "GST 6%  6.33", "TOTAL  111.90"]
    lines += ["GST SUMMARY AMT(RM) TAX(RM)", "SR 6%  105.57 6.33", "TOTAL  105.57 6.33"]
    found = receipts.read_page(page(lines))
    assert found is not None and found.total is not None and found.total.value == "111.90"


def test_an_address_without_a_postcode_ends_where_the_print_changes_alignment() -> None:
    lines: list[Printed] = [("PERNIAGAAN RIANG RIA", 24), ("NO7,JLN UERO,SHAH ALAM.", 17)]
    lines += ['27" T.S BASIN BESAR', "400002 1.00 X 21.32  21.32", "TOTAL  21.32"]
    assert _read(lines) == ("PERNIAGAAN RIANG RIA", "NO7,JLN UERO,SHAH ALAM.")


def test_a_total_row_with_the_tax_beside_its_amount_is_not_the_total() -> None:
    lines: list[Printed] = ["SHOP", "PEN  52.00", "TOTAL  55.10", "CODE AMOUNT TAX"]
    found = receipts.read_page(page([*lines, "SR  52.00 3.12", "TOTAL :  52.00 3.12"]))
    assert found is not None and found.total is not None and found.total.value == "55.10"


def test_the_customer_billed_under_the_address_is_not_the_merchant() -> None:
    lines: list[Printed] = [("YEW CHUAN TIMBER", 24), *ADDRESS, "TAX INVOICE", "BILL TO:"]
    lines += ["MAKASSAR FRESH MARKET SDN BHD", "NO 4, JALAN SS 15/4B,", "47500 SUBANG JAYA"]
    assert _read(_tail(lines)) == ("YEW CHUAN TIMBER", WHOLE)


@pytest.mark.parametrize(
    "note",
    [("TAN CHAY YEE", 24), ("tan chay yee", 24)],
)
def test_a_note_above_the_name_is_not_part_of_it(note: Printed) -> None:
    """A person's name stamped or written above the shop's name (no legal form, nothing
    left open) is another print, not the first row of the name."""
    assert _read([note, ("KEDAI BUKU CAHAYA", 24), *_tail(ADDRESS)]) == ("KEDAI BUKU CAHAYA", WHOLE)


def test_a_row_in_small_letters_never_completes_a_capitalised_name() -> None:
    merchant, _ = _read([("tan chay yee", 24), ("CAHAYA", 24), *_tail(ADDRESS)])
    assert merchant == "CAHAYA"


@pytest.mark.parametrize(
    ("head", "name"),
    [
        ([("GARDENIA BAKERIES", 24), ("(KL) SDN BHD", 24)], "GARDENIA BAKERIES (KL) SDN BHD"),
        ([("SIN HENG", 24), ("TRADING COMPANY", 24)], "SIN HENG TRADING COMPANY"),
    ],
)
def test_a_name_wrapped_before_its_trade_word_or_bracket_is_joined(
    head: list[Printed], name: str
) -> None:
    merchant, _ = _read([*head, *_tail(ADDRESS)])
    assert merchant == name


@pytest.mark.parametrize(
    "grand",
    ["Grand Tota1RM21.85", "Grand TotalRM21.85", "Grand Total  RM21.85"],
)
def test_a_total_glued_to_its_label_or_read_with_a_one_for_an_l(grand: str) -> None:
    lines: list[Printed] = ["SHOP", "BUN  RM23.04", "Discount  RM-1.21"]
    lines += ["Total (Incl GST)  RM21.83", "Rounding  RM0.02", grand]
    found = receipts.read_page(page(lines))
    assert found is not None and found.total is not None and found.total.value == "21.85"


def test_total_paid_with_change_given_is_the_money_handed_over() -> None:
    """ "TOTAL PAID 50.00" then "CHANGE 28.15": the customer paid 21.85, which confirms the
    rounding under the total."""
    lines: list[Printed] = ["SHOP", "BUN  RM23.04", "Discount  RM-1.21"]
    lines += ["Total (Incl GST)  RM21.83", "Rounding  RM0.02", "Total Paid  RM50.00"]
    found = receipts.read_page(page([*lines, "Change  RM28.15"]))
    assert found is not None and found.total is not None and found.total.value == "21.85"


def test_rounding_cash_and_change_stacked_over_their_amounts() -> None:
    """Labels and values on rows of their own under the total (a stacked till, or a
    curved photo): the rounding is still confirmed by cash less change."""
    lines: list[Printed] = ["SHOP", "DATE: 12/01/19", "PEN  60.31", "TOTAL AMT  RM 60.31"]
    lines += ["ROUNDING ADJ", "-0.01", "CASH", "RM 70.30", "CHANGE", "RM 10.00"]
    found = receipts.read_page(page(lines))
    assert found is not None and found.total is not None and found.total.value == "60.30"


def test_an_item_name_over_its_price_is_not_a_cash_payment() -> None:
    """Above the totals, a name row over an amount-only row is an item ("PRIVILEGE CARD"),
    not the cash handed over."""
    lines: list[Printed] = ["SHOP", "DATE: 12/01/19", "PRIVILEGE CARD", "88888  10.00"]
    lines += ["TOTAL AMT  RM 60.31", "ROUNDING ADJ  -0.01", "CASH  RM 70.30", "CHANGE  RM 10.00"]
    found = receipts.read_page(page(lines))
    assert found is not None and found.total is not None and found.total.value == "60.30"


@pytest.mark.parametrize(
    ("lines", "way"),
    [
        (["Master xXXXXXXXXXX0000:  118.35"], "card"),
        (["**** **** **** 4821  118.35"], "card"),
        (["Paid Amount:  200.00", "Change :  81.65"], "cash"),
        (["Paid Amount:  118.35", "Change :  0.00"], None),
    ],
)
def test_the_way_paid_from_a_masked_card_number_or_change_given(
    lines: list[str], way: str | None
) -> None:
    """A card's masked number names a card; change handed back means cash (a card never
    gets change, so change of 0.00 says nothing)."""
    found = receipts.read_page(page(["SHOP", "DATE: 12/01/19", "TOTAL  118.35", *lines]))
    assert found is not None and found.total is not None and found.total.value == "118.35"
    assert (found.payment_method.value if found.payment_method else None) == way


def test_the_way_paid_labelled_in_the_head() -> None:
    lines = ["SHOP", "DATE: 12/01/19", "Payment Type: Cash", "BUN  4.15", "TOTAL  4.15"]
    found = receipts.read_page(page(lines))
    assert found is not None and found.payment_method is not None
    assert (found.payment_method.value, found.payment_method.text) == ("cash", "Payment Type: Cash")


@pytest.mark.parametrize(
    ("printed", "expected"),
    [("Total  Rm21.85", "21.85"), ("TOTAL  RMO.90", "0.90"), ("Total  RM 4.10", "4.10")],
)
def test_rm_in_small_letters_and_a_letter_o_for_zero(printed: str, expected: str) -> None:
    """ "Rm" is the ringgit sign however the recogniser cased it, and an O right after it is
    a zero."""
    found = receipts.read_page(page(["SHOP", "DATE: 12/01/19", printed]))
    assert found is not None and found.total is not None and found.total.value == expected
    assert found.currency is not None and found.currency.value == "MYR"


def test_a_trade_word_alone_under_the_name_ends_it() -> None:
    head: list[Printed] = [("TSH POWER HARDWARE", 24), ("TRADING", 24), "002458685-T"]
    assert _read([*head, *_tail(ADDRESS)]) == ("TSH POWER HARDWARE TRADING", WHOLE)


def test_a_row_under_a_complete_legal_name_is_not_joined() -> None:
    head: list[Printed] = [("CAHAYA BOOKS SDN BHD", 24), ("TRADING", 24)]
    merchant, _ = _read([*head, *_tail(ADDRESS)])
    assert merchant == "CAHAYA BOOKS SDN BHD"


@pytest.mark.parametrize("name", ["INDAH GIFT & HOME DECO", "SLF CASH & CARRY", "LIM FURNITURE"])
def test_a_trade_noun_marks_the_name_over_a_note_above_it(name: str) -> None:
    """Without a legal form, a trade noun (gift, cash & carry, furniture...) still tells the
    business's name from a person's name printed above it in the same size."""
    merchant, _ = _read([("TAN CHAY YEE", 24), (name, 24), *_tail(ADDRESS)])
    assert merchant == name


@pytest.mark.parametrize("label", ["T O T A L", "GRAND T O T A L", "T0TAL"])
def test_a_letter_spaced_or_misread_total_label_still_names_the_total(label: str) -> None:
    lines: list[Printed] = ["SHOP", "DATE: 12/01/19", "PEN  12.00", "ROLL  3.00"]
    found = receipts.read_page(page([*lines, f"{label}  15.00", "CASH  20.00"]))
    assert found is not None and found.total is not None and found.total.value == "15.00"


def test_one_doubtful_mark_beside_the_name_does_not_disqualify_it() -> None:
    base = page([("KEDAI BUKU CAHAYA SDN BHD \u00ae", 24), *_tail(ADDRESS)])
    words = [Word(w.text, w.bbox, 0.1 if w.text == "\u00ae" else 0.95) for w in base.words]
    found = receipts.read_page(_page_of(words, base.height))
    assert _fields(found) == ("KEDAI BUKU CAHAYA SDN BHD", WHOLE)


def _replaced(lines: Sequence[Printed], old: str, new: str) -> list[Printed]:
    return [new if item == old else item for item in lines]


def test_a_misread_total_gives_way_when_cash_less_change_and_the_sums_agree() -> None:
    """TOTAL read as 16.07: the subtotal and tax add up to 10.07, and so does cash less
    change, so the printed total is the misread one."""
    found = receipts.read_page(page(_replaced(SHOP, "TOTAL  RM 10.07", "TOTAL  RM 16.07")))
    assert found is not None and found.total is not None
    assert found.total.value == "10.07"
    assert found.total.text == "RM 20.00 - RM 9.93"


def test_a_total_that_only_cash_less_change_disputes_is_kept() -> None:
    """Cash less change alone against the printed total (no subtotal or items to settle
    it): the printed total stays."""
    lines = ["KEDAI RUNCIT MAJU", "DATE: 12/01/19", "TOTAL  RM 10.07", "CASH  RM 20.00",
             "CHANGE  RM 9.00"]  # fmt: skip
    found = receipts.read_page(page(lines))
    assert found is not None and found.total is not None
    assert found.total.value == "10.07"


def test_an_unread_total_is_worked_out_from_cash_less_change() -> None:
    found = receipts.read_page(page(_replaced(SHOP, "TOTAL  RM 10.07", "TOTAL")))
    assert found is not None and found.total is not None
    assert found.total.value == "10.07"


def test_a_till_slip_whose_total_is_unread_keeps_its_other_fields() -> None:
    """No amount on the total row and no change to work it out from: the total is left
    empty, and the merchant, address and date are still read."""
    lines = [x for x in _replaced(SHOP, "TOTAL  RM 10.07", "TOTAL") if "CHANGE" not in str(x)]
    found = receipts.read_page(page(lines))
    assert found is not None and found.total is None
    assert found.merchant is not None and found.merchant.value == "KEDAI BUKU CAHAYA SDN BHD"
    assert found.date is not None and found.date.value == "2019-01-12"


def test_the_total_of_one_tax_rate_is_not_the_amount_paid() -> None:
    lines = ["GARDEN BREAD (KL) SDN BHD", "DATE: 12/01/19", "WHITE BREAD 2 X 3.00  6.00",
             "KAYA BUN 1 X 4.00  4.00", "TOTAL 0% SUPPLIES:  6.00", "TOTAL 6% SUPPLIES:  4.24",
             "TOTAL PAYABLE:"]  # fmt: skip
    found = receipts.read_page(page(lines))
    assert found is not None and found.total is None


@pytest.mark.parametrize("form", ["GMBH", "S.A.", "PTY LTD", "S.R.L.", "B.V.", "AB", "LLC"])
def test_legal_forms_of_other_countries_name_the_company(form: str) -> None:
    """A legal form marks the company's name over a brand printed larger above it and a
    branch line under it."""
    lines: list[Printed] = [("NORDLICHT", 22), f"NORDLICHT HANDEL {form}", "FILIALE ZENTRUM",
                            *SHOP[2:]]  # fmt: skip
    found = receipts.read_page(page(lines))
    assert found is not None and found.merchant is not None
    assert found.merchant.value == f"NORDLICHT HANDEL {form}"


@pytest.mark.parametrize("text", ["AB CAFE", "THE AG CORNER", "SA BAKERY"])
def test_two_letter_forms_count_only_where_a_name_ends(text: str) -> None:
    from masthead.ocr import _receipt_header

    assert not _receipt_header._FORM.search(text)


def test_total_read_with_its_t_as_i_is_still_the_total_label() -> None:
    """Narrow till fonts come out as "IUIAL" and "SUBIUIAL"; without the label the
    cash row, less a misread change, would have been taken for the total."""
    lines = [x for x in SHOP if x not in ("SUBTOTAL  9.50", "TOTAL  RM 10.07", "CHANGE  RM 9.93")]
    at = lines.index("CASH  RM 20.00")
    lines[at:at] = ["SUBIUIAL  9.50", "IUIAL (GSI INUL)  RM 10.07"]
    lines.insert(at + 3, "CHANGE  RM 3.93")
    found = receipts.read_page(page(lines))
    assert found is not None and found.total is not None
    assert found.total.value == "10.07"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("buardian Health And Beauty Sdn Bhd", None),  # a capital G read as b
        ("Roti t1e", None),  # a digit inside a word in small letters
        ("32 PUB & BISTRO own by CNU TRADING", "32 PUB & BISTRO own by CNU TRADING"),
        ("Kedai Buku Cahaya Sdn Bhd", "Kedai Buku Cahaya Sdn Bhd"),
    ],
)
def test_a_visibly_misread_name_is_left_empty(name: str, expected: str | None) -> None:
    found = receipts.read_page(page([(name, 24), *SHOP[1:]]))
    assert found is not None
    assert (found.merchant.value if found.merchant else None) == expected


NARROW_TAIL: list[Printed] = [
    "NO 290, JALAN AIR PANAS,",
    "TAMAN SETAPAK, 53200 KUALA",
    "LUMPUR",
    "TEL: 03-4021 1234",
    "DATE: 12/01/19 14:05",
    "NOTEBOOK A5  7.00",
    "TOTAL  RM 7.00",
]


def test_a_name_that_ran_off_a_narrow_roll_keeps_its_last_word() -> None:
    """A name without a legal form fills the line and its last word runs onto the next
    row: the short row is the end of the name, not a new line."""
    found = receipts.read_page(page(["SYARIKAT PERNIAGAAN GIN", "KEE", *NARROW_TAIL]))
    assert found is not None and found.merchant is not None
    assert found.merchant.value == "SYARIKAT PERNIAGAAN GIN KEE"


def test_a_short_branch_line_under_a_short_name_is_not_joined() -> None:
    found = receipts.read_page(page(["KEDAI GIN", "KEE", *NARROW_TAIL]))
    assert found is not None and found.merchant is not None
    assert found.merchant.value == "KEDAI GIN"


def test_a_branch_line_under_a_full_width_name_is_not_joined() -> None:
    found = receipts.read_page(page(["SYARIKAT PERNIAGAAN GIN KEE", "OUTLET PUCHONG",
                                     *NARROW_TAIL]))  # fmt: skip
    assert found is not None and found.merchant is not None
    assert found.merchant.value == "SYARIKAT PERNIAGAAN GIN KEE"


def test_a_town_that_ran_off_the_postcode_line_ends_the_address() -> None:
    found = receipts.read_page(page(["SYARIKAT PERNIAGAAN GIN", "KEE", *NARROW_TAIL]))
    assert found is not None and found.address is not None
    assert found.address.value == "NO 290, JALAN AIR PANAS, TAMAN SETAPAK, 53200 KUALA LUMPUR"


def test_a_trade_word_and_a_legal_form_alone_take_the_row_above() -> None:
    """ "RESTAURANT SDN BHD" is no name by itself: the distinctive part is the row above."""
    found = receipts.read_page(page(["ONE ONE THREE SEAFOOD", "RESTAURANT SDN BHD", *SHOP[2:]]))
    assert found is not None and found.merchant is not None
    assert found.merchant.value == "ONE ONE THREE SEAFOOD RESTAURANT SDN BHD"


def test_the_row_over_a_company_number_is_the_name_over_larger_print() -> None:
    """Without a legal form or a known trade noun, the row right above a registration
    number ("(0005583085-K)") names the company, even under a larger logo word."""
    head: list[Printed] = [("ZOOMA", 30), ("LIM AH KOW PAPAN", 22), "(0005583085-K)"]
    assert _read([*head, *_tail(ADDRESS)]) == ("LIM AH KOW PAPAN", WHOLE)


def test_a_tax_number_under_a_row_does_not_make_it_the_name() -> None:
    head: list[Printed] = [("ZOOMA", 30), ("LIM AH KOW PAPAN", 22), "GST REG NO: 000781500416"]
    merchant, _ = _read([*head, *_tail(ADDRESS)])
    assert merchant == "ZOOMA"


def test_the_name_a_thank_you_line_calls_the_shop_wins_a_tie() -> None:
    lines: list[Printed] = [("TAN CHAY YEE", 24), ("MAJU JAYA", 24), *_tail(ADDRESS)]
    merchant, _ = _read([*lines, "THANK YOU FOR SHOPPING AT MAJU JAYA"])
    assert merchant == "MAJU JAYA"
    merchant, _ = _read(lines)
    assert merchant == "TAN CHAY YEE"


def test_a_region_split_over_the_postcode_row_and_the_next_ends_the_address() -> None:
    lines: list[Printed] = ["NO 12, JALAN KENANGA BESAR 22,", "55100 KUALA", "LUMPUR"]
    address = _address_under_the_name(lines)
    assert address == "NO 12, JALAN KENANGA BESAR 22, 55100 KUALA LUMPUR"


def test_rows_of_region_and_country_names_alone_close_the_address() -> None:
    lines: list[Printed] = ["LOT 5, JALAN 8/27A,", "53300 WANGSA MAJU,", "WILAYAH PERSEKUTUAN"]
    lines += ["KUALA LUMPUR", "MALAYSIA", "SUNWAY VELOCITY"]
    _, address = _read([("ECO-SHOP MARKETING SDN BHD", 24), *_tail(lines)])
    expected = "LOT 5, JALAN 8/27A, 53300 WANGSA MAJU, WILAYAH PERSEKUTUAN KUALA LUMPUR MALAYSIA"
    assert address == expected


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (  # a state written short on the row under the town
            ["LOT 12, JALAN DATO BANDAR TUNGGAL,", "70000 SEREMBAN,", "N. SEMBILAN"],
            "LOT 12, JALAN DATO BANDAR TUNGGAL, 70000 SEREMBAN, N. SEMBILAN",
        ),
        (  # a federal territory
            ["LOT 2, JALAN MERDEKA,", "87000 W.P.", "LABUAN"],
            "LOT 2, JALAN MERDEKA, 87000 W.P. LABUAN",
        ),
        (  # a building above its numbered street, named by a word found only in addresses
            ["KOMPLEKS MUTIARA", "NO 3, JALAN IPOH", "51200 KUALA LUMPUR"],
            "KOMPLEKS MUTIARA NO 3, JALAN IPOH 51200 KUALA LUMPUR",
        ),
    ],
)
def test_every_state_and_common_address_words_belong_to_the_address(
    lines: list[Printed], expected: str
) -> None:
    address = _address_under_the_name(lines)
    assert address == expected


@pytest.mark.parametrize(
    "contact", ["TEL: 03-8736 1234", "TEL NO: 03-8736 1234 FAX: 03-8736 1235", "SALES@KBC.COM.MY"]
)
def test_a_telephone_or_e_mail_printed_above_the_address_is_passed_over(contact: str) -> None:
    head: list[Printed] = [("KEDAI BUKU CAHAYA SDN BHD", 24), contact, *ADDRESS]
    assert _read([*head, "DATE: 12/01/19", "TEA  5.00", "TOTAL  5.00"]) == (
        "KEDAI BUKU CAHAYA SDN BHD",
        WHOLE,
    )


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (  # no postcode: the state ends it, and the slogan under it is not a town
            [
                "18,JALAN PERMAS 10/7",
                "BANDAR BARU PERMAS JAYA,",
                "MASAI, JOHOR",
                "THE BEST IN TOWN",
            ],
            "18,JALAN PERMAS 10/7 BANDAR BARU PERMAS JAYA, MASAI, JOHOR",
        ),
        (  # a street named after a state does not end it
            ["NO 5, JALAN PAHANG,", "SETAPAK"],
            "NO 5, JALAN PAHANG, SETAPAK",
        ),
        (  # a labelled row is about something else; the address's own labels are not
            ["NO: 28, JALAN ASTANA 1C,", "BANDAR BUKIT RAJA", "BRANCH: KLCC"],
            "NO: 28, JALAN ASTANA 1C, BANDAR BUKIT RAJA",
        ),
        (  # no postcode, no state: a phrase (two joining words) is not a town
            ["117, JALAN RADIN BAGUS,", "SRI PETALING", "THE BEST IN TOWN"],
            "117, JALAN RADIN BAGUS, SRI PETALING",
        ),
        (  # a street named after a person who bears a state's name does not end it
            ["NO 8, JALAN TUN PERAK,", "75300 MELAKA"],
            "NO 8, JALAN TUN PERAK, 75300 MELAKA",
        ),
        (  # nor is a row that speaks to the customer
            ["PT17920 SEK U9,", "SHAH ALAM", "WE DELIVER"],
            "PT17920 SEK U9, SHAH ALAM",
        ),
        (  # one "THE" in a mall's name is a place
            ["LOT F-23, THE GARDENS MALL,", "MID VALLEY CITY"],
            "LOT F-23, THE GARDENS MALL, MID VALLEY CITY",
        ),
    ],
)
def test_an_address_without_a_postcode_ends_with_its_state_or_before_a_label(
    lines: list[Printed], expected: str
) -> None:
    address = _address_under_the_name(lines)
    assert address == expected


def test_a_date_row_under_the_name_never_starts_an_address() -> None:
    """The address is printed above the name; under it the body starts with a slip's date
    and number ("NO." is an address word), which is not an address."""
    lines: list[Printed] = [*ADDRESS, ("KEDAI BUKU CAHAYA SDN BHD", 24)]
    lines += ["01/03/18 19:14 SLIP NO.: 0010104733", "TEA  5.00", "TOTAL  5.00"]
    assert _read(lines) == ("KEDAI BUKU CAHAYA SDN BHD", WHOLE)


def test_a_number_beside_a_legal_name_does_not_lend_weight_to_the_row_above() -> None:
    head: list[Printed] = [("TAN CHAY YEE", 24), ("DION REALTIES SDN BHD (CO. NO:20154-T)", 24)]
    merchant, _ = _read([*head, *_tail(ADDRESS)])
    assert merchant == "DION REALTIES SDN BHD"


def test_a_bracketed_branch_under_a_postcode_row_ending_in_a_region_is_not_address() -> None:
    """Without a tax-number row between them, "(IOI PUCHONG)" sits right under the last
    address row; the row already ends with its region, so nothing runs on."""
    lines: list[Printed] = ["LOT 1851-A & 1851-B, JALAN KPB 6,", "KAWASAN PERINDUSTRIAN BALAKONG,"]
    lines += ["43300 SERI KEMBANGAN, SELANGOR", "(IOI PUCHONG)"]
    _, address = _read([("MR. D.I.Y. (M) SDN BHD", 24), *_tail(lines)])
    assert address == (
        "LOT 1851-A & 1851-B, JALAN KPB 6, KAWASAN PERINDUSTRIAN BALAKONG, 43300 SERI "
        "KEMBANGAN, SELANGOR"
    )


@pytest.mark.parametrize(
    ("under", "expected"),
    [
        ("1181-TMN SRI SINAR", " 1181-TMN SRI SINAR"),  # the outlet's number and place
        ("1317 BANDAR BARU", " 1317 BANDAR BARU"),
        ("1181-TMN SRI SINAR 2", ""),  # more digits: a code, not a place
        ("MC #01", ""),
    ],
)
def test_a_chains_outlet_under_its_head_offices_address_is_part_of_it(
    under: str, expected: str
) -> None:
    """A chain prints its head office's address, then the outlet's number and place: the
    place is where the receipt was written, so it stays with the address."""
    lines: list[Printed] = [
        "LOT P.T. 2811, JALAN ANGSA,",
        "TAMAN BERKELEY",
        "41150 KLANG, SELANGOR",
    ]
    _, address = _read([("99 SPEED MART S/B (519537-X)", 24), *_tail([*lines, under])])
    assert address == f"LOT P.T. 2811, JALAN ANGSA, TAMAN BERKELEY 41150 KLANG, SELANGOR{expected}"


def test_an_outlet_number_after_an_address_ending_in_its_postcode_is_not_a_place() -> None:
    lines: list[Printed] = ["NO 12, JALAN MAWAR 3,", "43000 KAJANG", "1181-TMN SRI SINAR"]
    _, address = _read([("KEDAI BUKU CAHAYA SDN BHD", 24), *_tail(lines)])
    assert address == "NO 12, JALAN MAWAR 3, 43000 KAJANG"


@pytest.mark.parametrize("after", ["MC #01", "REG C01 04-05-2018 16:07"])
def test_an_address_without_a_postcode_ends_before_a_till_code_or_a_date(after: str) -> None:
    lines: list[Printed] = ["117, JALAN RADIN BAGUS,", "SRI PETALING", after]
    found = receipts.read_page(page([("THE ROTI MAN BAKERY", 24), *lines, *_tail([])]))
    assert _fields(found) == ("THE ROTI MAN BAKERY", "117, JALAN RADIN BAGUS, SRI PETALING")


def test_a_company_number_beside_the_name_does_not_count_as_address() -> None:
    """ "NO" and the digits of "(CO. NO:20154-T)" are the registration, not a street
    number: the legal name keeps its weight over a slogan with a trade noun under it."""
    head: list[Printed] = ["DION REALTIES SDN BHD (CO. NO:20154-T)", "YOUR FRIENDLY STORE"]
    merchant, _ = _read([*head, *_tail(ADDRESS)])
    assert merchant == "DION REALTIES SDN BHD"


def test_a_company_number_row_is_never_part_of_the_name() -> None:
    head: list[Printed] = ["PETRODELI QUORVEL", "COMPANY NO SA0127959-D"]
    merchant, _ = _read([*head, *_tail(ADDRESS)])
    assert merchant == "PETRODELI QUORVEL"


@pytest.mark.parametrize(
    "slogan", ["YOUR FRIENDLY NEIGHBOURHOOD STORE", "SINCE 1985 BAKERY", "SPECIALIST IN HARDWARE"]
)
def test_a_slogan_with_a_trade_noun_under_the_name_is_not_the_name(slogan: str) -> None:
    head: list[Printed] = ["LIM AH KOW TRADING", slogan, "(0005583085-K)"]
    merchant, _ = _read([*head, *_tail(ADDRESS)])
    assert merchant == "LIM AH KOW TRADING"


def test_logo_lettering_counts_less_than_a_large_name() -> None:
    """A word or two in the tallest print is often a logo the recogniser read as letters:
    its size weighs less than that of a large name of several words."""
    head: list[Printed] = [("ZOOMA", 40), ("LIM AH KOW PAPAN", 28)]
    merchant, _ = _read([*head, *_tail(ADDRESS)])
    assert merchant == "LIM AH KOW PAPAN"


def test_a_logo_above_a_wrapped_name_does_not_stop_it_joining() -> None:
    head: list[Printed] = [("ZOOMA", 40), ("AIK HUAT HARDWARE", 24), ("ENTERPRISE (SETIA", 24)]
    head += [("ALAM) SDN BHD", 24), "822737-X"]
    merchant, _ = _read([*head, *_tail(ADDRESS)])
    assert merchant == "AIK HUAT HARDWARE ENTERPRISE (SETIA ALAM) SDN BHD"


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (
            ["NO 12, JALAN MAWAR 3,", "TAMAN BUNGA TEL: 03-8736 1234"],
            "NO 12, JALAN MAWAR 3, TAMAN BUNGA",
        ),
        (
            ["88, JALAN KENARI, BANDAR PUCHONG JAYA TEL:03-5882 1234"],
            "88, JALAN KENARI, BANDAR PUCHONG JAYA",
        ),
        (["LOT 5, JALAN BESAR,", "KAMPUNG BARU 03-87361234"], "LOT 5, JALAN BESAR, KAMPUNG BARU"),
    ],
)
def test_an_address_row_without_a_postcode_keeps_its_words_before_a_telephone(
    lines: list[Printed], expected: str
) -> None:
    """A telephone printed beside the last address row (no postcode or region in it: the
    town, or the address's only row) ends the address after those words, not before them."""
    address = _address_under_the_name(lines)
    assert address == expected


@pytest.mark.parametrize("row", ["SIMPLIFIED TAX INVOICE", "CO REG NO:797887-W GST"])
def test_words_before_a_tax_label_are_not_address(row: str) -> None:
    lines: list[Printed] = ["NO 12, JALAN MAWAR 3,", "TAMAN BUNGA, 43000 KAJANG,", row]
    address = _address_under_the_name(lines)
    assert address == "NO 12, JALAN MAWAR 3, TAMAN BUNGA, 43000 KAJANG,"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (["SYARIKAT PERNIAGAAN", "KIM HENG SDN BHD"], "SYARIKAT PERNIAGAAN KIM HENG SDN BHD"),
        (["KEDAI MAKAN", "SRI MELAKA"], "KEDAI MAKAN SRI MELAKA"),
        (["RESTORAN", "TOMMY CURRY HOUSE"], "RESTORAN TOMMY CURRY HOUSE"),
    ],
)
def test_a_row_naming_only_the_kind_of_shop_opens_the_name(name: list[str], expected: str) -> None:
    merchant, address = _read([*((row, 24) for row in name), *_tail(ADDRESS)])
    assert (merchant, address) == (expected, WHOLE)


@pytest.mark.parametrize("first", ["TAMAN MAWAR,", "88 JALAN MAWAR,", "PLAZA MAWAR,"])
def test_an_address_printed_as_large_as_the_kind_of_shop_does_not_end_its_name(
    first: str,
) -> None:
    lines: list[Printed] = [("KEDAI MAKAN", 24), (first, 24), ("43000 KAJANG", 24)]
    assert _read([*lines, *_tail([])]) == ("KEDAI MAKAN", f"{first} 43000 KAJANG")


def test_an_area_row_inside_an_address_above_the_name_is_not_the_name() -> None:
    """Printed between a street row that ends with a comma and the postcode's row, an area
    with no address word of its own ("LAMAN ...") is part of the address, not the shop."""
    lines: list[Printed] = [
        "NO.145G, JALAN RIMBUNAN RAYA 1,",
        "LAMAN RIMBUNAN KEPONG,",
        "52100 KUALA LUMPUR",
        "YAM FRESH",
    ]
    assert _read(_tail(lines)) == (
        "YAM FRESH",
        "NO.145G, JALAN RIMBUNAN RAYA 1, LAMAN RIMBUNAN KEPONG, 52100 KUALA LUMPUR",
    )


def test_an_address_above_the_name_beats_a_customers_address_in_the_body() -> None:
    lines: list[Printed] = [
        "LOT 276 JALAN BANTING",
        "43800 DENGKIL, SELANGOR.",
        ("KEDAI PAPAN YEW CHUAN", 24),
        "(0005583085-K)",
        "TEL : 03-87686092",
        "TAX INVOICE",
        "NO 1 JALAN AMAN 2 TAMAN DESA 43800",
        "DATE: 12/01/19",
        "TEA  5.00",
        "TOTAL  5.00",
    ]
    assert _read(lines) == (
        "KEDAI PAPAN YEW CHUAN",
        "LOT 276 JALAN BANTING 43800 DENGKIL, SELANGOR.",
    )


def test_a_brand_line_ending_with_the_country_does_not_take_the_address() -> None:
    """ "WATSONS MALAYSIA" ends with a region but starts no address: the shop's address,
    under its numbers, stays the address."""
    lines: list[Printed] = [("WATSONS MALAYSIA", 24), ("WATSON PERSONAL CARE STORES SDN BHD", 24)]
    lines += ["(123456-K)", "GST ID: 000123456789", *_tail(ADDRESS)]
    assert _read(lines) == ("WATSON PERSONAL CARE STORES SDN BHD", WHOLE)


def test_an_address_label_before_a_tax_row_still_starts_the_address() -> None:
    lines: list[Printed] = [("KEDAI BUKU CAHAYA SDN BHD", 24), "ADDRESS: NO 5, JALAN MAWAR 3"]
    lines += ["GST ID: 000123456789", *_tail(["43000 KAJANG"])]
    assert _read(lines)[1] == "NO 5, JALAN MAWAR 3"


@pytest.mark.parametrize(
    "above",
    [
        ["SUNWAY PYRAMID"],  # a place above the name, no postcode: not an address
        # a whole address above too: the one right under the name is still the shop's
        ["LOT 9, JALAN SS 2/1", "47300 PETALING JAYA", ("BIG LOGO", 40)],
    ],
)
def test_the_address_under_the_name_keeps_its_place(above: list[Printed]) -> None:
    lines: list[Printed] = [*above, ("KEDAI BUKU CAHAYA SDN BHD", 24), *_tail(ADDRESS)]
    assert _read(lines)[1] == WHOLE


HEAD_ROWS = (
    "KEDAI MAKAN",
    "SRI MELAKA",
    "KIM HENG SDN BHD",
    "(123456-K)",
    "GST ID: 000123456789",
    "NO 5, JALAN BESAR,",
    "TAMAN MAWAR",
    "43000 KAJANG, SELANGOR.",
    "MALAYSIA",
    "TEL: 03-8736 1234",
    "BRANCH: KLCC",
    "ADDRESS: LOT 3",
    "PLAZA MALAYSIA",
    "TAX INVOICE",
    "81750 JOHOR BAHRU, JOHOR. GST REG NO: 001234567890",
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(HEAD_ROWS), min_size=1, max_size=9))
def test_any_head_of_usual_rows_never_crashes_the_extractor(head: list[str]) -> None:
    """Rows a head is made of, in any order and number: a region row before the shop's
    numbers once left the address search with no row to compare the next one with."""
    found = receipts.read_page(page([*head, "DATE: 12/01/19", "TEA  5.00", "TOTAL  5.00"]))
    assert found is not None and found.total is not None and found.total.value == "5.00"


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (
            ["78G, JALAN SS21/62, 47400 PETALING JAYA. (GST REG. NO : 000416321536)"],
            "78G, JALAN SS21/62, 47400 PETALING JAYA.",
        ),
        (["PT17920 SEK U9, SHAH ALAM GST REG NO : 001951645696"], "PT17920 SEK U9, SHAH ALAM"),
        (
            ["NO 5, JALAN BESAR,", "43000 KAJANG (GST ID NO: 000473792512)"],
            "NO 5, JALAN BESAR, 43000 KAJANG",
        ),
    ],
)
def test_an_address_ends_before_a_tax_number_printed_on_its_row(
    lines: list[Printed], expected: str
) -> None:
    """A tax number printed after the address, on its last (or only) row, in brackets or
    not, ends the address; the words before it were skipped with it when the row was the
    address's only one."""
    assert _address_under_the_name(lines) == expected


def test_one_address_word_before_a_tax_label_is_not_an_address() -> None:
    lines: list[Printed] = ["BILL NO 1234 GST ID: 000473792512", "NO 12, JALAN MAWAR 3,"]
    lines += ["43000 KAJANG"]
    assert _address_under_the_name(lines) == "NO 12, JALAN MAWAR 3, 43000 KAJANG"


@pytest.mark.parametrize("label", ["ADDRESS:", "Address :", "ALAMAT:", "ADDR.:"])
def test_an_address_label_is_not_part_of_the_address(label: str) -> None:
    lines: list[Printed] = [f"{label} NO 12, JALAN MAWAR 3,", "43000 KAJANG, SELANGOR"]
    assert _address_under_the_name(lines) == WHOLE


STREET: list[Printed] = ["NO 15, JALAN MAWAR 3,", "TAMAN BUNGA, 43000 KAJANG,", "SELANGOR"]
STREET_WHOLE = "NO 15, JALAN MAWAR 3, TAMAN BUNGA, 43000 KAJANG, SELANGOR"


@pytest.mark.parametrize(
    "head",
    [
        ["(SUNWAY PYRAMID MALL)"],
        ["TAMAN MELAWATI"],
        ["SUNWAY PYRAMID MALL", "(123456-X)"],
        ["BANDAR BARU", "GST REG NO: 000123456789"],
        ["TAMAN MELAWATI BRANCH 2", "GST REG NO: 000123456789"],
    ],
)
def test_a_branch_place_name_above_the_address_is_not_part_of_it(head: list[Printed]) -> None:
    """A branch printed under the shop's name: in brackets, an area above the numbered
    street (an address runs from the building to the street, the area, the postcode), or
    a place separated from the street by the shop's numbers."""
    lines: list[Printed] = [("KEDAI BUKU CAHAYA SDN BHD", 24), *head, *STREET]
    _, address = _read(_tail(lines))
    assert address == STREET_WHOLE


@pytest.mark.parametrize("building", ["MENARA CAHAYA", "SUNWAY PYRAMID MALL", "GROUND FLOOR"])
def test_a_building_above_the_numbered_street_is_part_of_the_address(building: str) -> None:
    lines: list[Printed] = [("KEDAI BUKU CAHAYA SDN BHD", 24), building, *STREET]
    _, address = _read(_tail(lines))
    assert address == f"{building} {STREET_WHOLE}"


def test_a_street_without_a_number_then_the_postcode_row_is_the_address() -> None:
    lines: list[Printed] = ["JALAN TRAS BATU 1", "28700 BENTONG", "PAHANG DARUL MAKMUR."]
    _, address = _read(_tail([("TF VALUE-MART SDN BHD", 24), *lines]))
    assert address == "JALAN TRAS BATU 1 28700 BENTONG PAHANG DARUL MAKMUR."


@pytest.mark.parametrize(
    ("head", "name"),
    [
        (
            [("32 PUB & BISTRO OWN BY", 24), ("LIM TRADING", 24)],
            "32 PUB & BISTRO OWN BY LIM TRADING",
        ),
        ([("KEDAI RUNCIT AH KOW &", 24), ("ANAK ANAK", 24)], "KEDAI RUNCIT AH KOW & ANAK ANAK"),
    ],
)
def test_a_name_row_ending_with_a_connective_runs_on_to_the_next(
    head: list[Printed], name: str
) -> None:
    """A name does not end with "&", "AND", "OF" or "BY": the row under it, printed alike,
    is the rest of the name (wrapped on a narrow roll)."""
    merchant, _ = _read([*head, *_tail(ADDRESS)])
    assert merchant == name


def test_a_name_without_a_legal_form_beside_its_company_number_is_the_name() -> None:
    """ "(CO. NO: ...)" beside a sole trader's name neither makes the row a bare company
    number nor numbers it like an address line."""
    head: list[Printed] = [("LIM REALTIES (CO. NO:20154-T)", 24), "(GST REG NO : 000850247680)"]
    merchant, _ = _read([*head, *_tail(ADDRESS)])
    assert merchant == "LIM REALTIES"


@pytest.mark.parametrize(
    "head",
    [
        [("ZENTRO", 24), ("BAYU TEGUH (1079369-P)", 24)],
        [("ZENTRO", 24), ("SERI PAGI", 24), ("BAYU TEGUH", 24), "(NO. 193573-M)"],
    ],
)
def test_the_name_with_the_company_number_beats_a_brand_above_it(head: list[Printed]) -> None:
    """Without a legal form, the company number printed beside a name or under it marks
    the registered company; a brand printed above it has none."""
    merchant, _ = _read([*head, *_tail(ADDRESS)])
    assert merchant == "BAYU TEGUH"


def test_a_company_number_beside_an_owner_after_the_address_does_not_make_it_the_name() -> None:
    lines: list[Printed] = [("CAHAYA BOOKS", 24), *ADDRESS, "GST ID NO: 001531760640"]
    lines += ["TAX INVOICE", "OWNED BY :", "CAHAYA SUPPLY SDN BHD (1135772-K)"]
    assert _read([*lines, *_tail([])]) == ("CAHAYA BOOKS", WHOLE)


@pytest.mark.parametrize("name", ["ZAMRI & SONS", "KOPI & ROTI BAYU", "ZENTRO & QUORVEL"])
def test_an_ampersand_marks_a_firm_over_a_person_named_above_it(name: str) -> None:
    """Without a legal form or a known trade noun, "X & Y" (partners or trades joined)
    tells a firm's name from a person's name printed above it in the same size."""
    merchant, _ = _read([("LEE MEI LING", 24), (name, 24), *_tail(ADDRESS)])
    assert merchant == name


def test_a_fault_in_the_receipt_rules_keeps_the_text(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Fault injection: the rules raising on a layout they were never shown costs the
    receipt only, logged; the document and its text are still returned."""
    receipt_page = page(["KEDAI BUKU CAHAYA", "DATE: 12/01/19", "TEA  5.00", "TOTAL  5.00"])
    assert pipeline.assemble([receipt_page]).receipt is not None

    def broken(pages: object) -> None:
        raise IndexError("list index out of range")

    monkeypatch.setattr(receipts, "find_receipt", broken)
    with caplog.at_level("ERROR", logger="masthead.ocr.pipeline"):
        doc = pipeline.assemble([receipt_page])
    assert doc.receipt is None and "TOTAL 5.00" in doc.text
    assert "receipt extraction failed" in caplog.text


@pytest.mark.parametrize("code", ["A05030", "31803002", "3 18 01 017", "3180.1017", "a06053."])
def test_a_filing_code_written_above_the_receipt_is_its_note_not_its_text(code: str) -> None:
    """Bookkeepers write a code above the shop's name on the receipts they file: it is the
    receipt's note, with its boxes, and the page's text is the receipt's print."""
    shown = page([(code, 20), *SHOP])
    document = pipeline.assemble([shown])
    assert document.receipt is not None and document.receipt.note is not None
    assert document.receipt.note.value == code
    assert document.receipt.merchant is not None
    assert document.receipt.merchant.value == "KEDAI BUKU CAHAYA SDN BHD"
    assert code not in document.text
    assert document.text.startswith("KEDAI BUKU CAHAYA SDN BHD")
    (word,) = (w for w in shown.words if w.text == code.split()[0])
    assert word.bbox in document.receipt.note.boxes
    data = json.loads(render(document, "json"))
    assert data["receipt"]["note"]["value"] == code
    assert code.split()[0] not in [
        w["text"] for b in data["pages"][0]["blocks"] for ln in b["lines"] for w in ln["words"]
    ]


@pytest.mark.parametrize(
    "first",
    [
        "0001",  # four digits: a ticket or queue number, printed
        "000123456789",  # a tax number's twelve digits
        "03-8736 1234",  # a telephone
        "NO: 31803",  # a labelled number
        "(123456-X)",  # a registration number
        "12/01/19",  # a date
        "AB123456",  # two letters: a code of the till's, not a bookkeeper's
    ],
)
def test_a_first_row_that_is_no_filing_code_stays_in_the_text(first: str) -> None:
    document = pipeline.assemble([page([first, *SHOP])])
    assert document.receipt is not None and document.receipt.note is None
    assert document.text.startswith(first)


def test_a_code_under_the_name_or_on_a_page_that_is_no_receipt_stays_in_the_text() -> None:
    under = pipeline.assemble([page([SHOP[0], "A05030", *SHOP[1:]])])
    assert under.receipt is not None and under.receipt.note is None
    assert "A05030" in under.text
    letter = pipeline.assemble([page(["A05030", "Dear Sir,", "Thank you for your letter."])])
    assert letter.receipt is None and letter.text.startswith("A05030")


def test_a_page_less_some_words_keeps_the_rest_in_order() -> None:
    shown = page(SHOP)
    gone = {w.bbox for w in shown.words if w.text in {"PEN", "(123456-X)"}}
    less = shown.without_words(gone)
    assert [w.text for w in less.words] == [w.text for w in shown.words if w.bbox not in gone]
    assert len(less.blocks) <= len(shown.blocks)
    assert shown.without_words(set()) == shown


def test_a_table_less_a_word_keeps_its_cells_in_place() -> None:
    def word(text: str, x: int, y: int) -> Word:
        return Word(text, BBox(x, y, x + 40, y + 20), 0.9)

    cells = [
        [word("Item", 0, 0), word("Price", 100, 0)],
        [word("Tea", 0, 30), word("5.00", 100, 30)],
    ]
    rows = tuple(tuple(Cell((Line.from_words([w]),), w.bbox) for w in row) for row in cells)
    lines = tuple(Line.from_words(row) for row in cells)
    block = Block(lines, BBox(0, 0, 140, 50), kind="table", rows=rows)
    shown = Page(1, 200, 100, 300, (block,))
    less = shown.without_words({cells[1][0].bbox})
    (table,) = less.blocks
    assert table.kind == "table" and len(table.rows) == 2 and len(table.rows[1]) == 2
    assert table.rows[1][0].lines == () and table.rows[1][1].text == "5.00"
    assert less.text == "Item\tPrice\n\t5.00"
    assert shown.without_words({w.bbox for row in cells for w in row}).blocks == ()


def test_a_row_of_thousands_of_words_is_read_in_bounded_time() -> None:
    """Rows are gathered with each row's median level on the page looked up, not worked out
    again for every word, and clashes looked for among nearby words only; the split of a row before
    a telephone reads short rows only. A row of 5,000 words (a pathological page) took
    about a minute when both were quadratic in the row's words."""
    crowded = " ".join(["&"] * 5000)
    started = time.perf_counter()
    found = _read(_tail(["KEDAI BUKU CAHAYA SDN BHD", crowded, *ADDRESS]))
    assert found == ("KEDAI BUKU CAHAYA SDN BHD", WHOLE)
    assert time.perf_counter() - started < 15.0
