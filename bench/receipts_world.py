"""Receipts and invoices of other countries, drawn here and read end to end.

The key-field benchmark (``bench/receipts.py``) has Malaysian till slips only. These pages
are drawn with PIL from the texts below, as shops of other countries print them (their
legal forms, street names, postcodes, decimal commas, tax and payment words), then read by
``masthead.ocr.run`` like any upload and scored field by field against what was drawn
(merchant, address, date, total, compared as ``bench/receipt_metrics.same`` compares the
SROIE keys), with the line items judged by the receipt's own sums (``totals_check``
"ok") and their count.

Two groups, kept apart:

- ``seen``: the pages looked at while the rules of ADR 0046's updates of 2026-12-07 were
  written (a UK invoice with its head in two columns, a US grocery slip, a US bistro bill,
  a German bakery slip, a French café bill), and pages first written as unseen whose
  misses were then fixed (an Australian café, a Dutch bakery; an Italian bar's "TOTALE
  EURO", an Indian restaurant's CGST and SGST, a Quebec café's TPS and TVQ; a Mexican
  taquería's "Av." street and pesos, a Zurich café's "MWST-Nr." row, a South African farm
  stall's rand; a British food hall's pounds from its postcode, a Brazilian bakery's CNPJ
  and a Swedish café's Org.nr rows; an Istanbul café's TOPLAM and KDV, a Boston diner's
  "501 W Broadway" and month-first date; a Prague pub, whose "Celkem" no rule knows, read
  by its items' sum; then, once read as unseen, a Polish bakery's "ul." street, an Oslo
  bakery's "0155 Oslo" and "Org.nr ... MVA" rows, a Buenos Aires grill's "C1042" postcode
  and pesos, an Indonesian coffee stall's rupiah without cents ("Rp 52.800"), a Philippine
  eatery's "₱" and a Danish café's "Nørregade" and "1165 København K", a Belgian
  frituur's "Grote Markt 3" and a Hungarian bistro's forints, "4 180 Ft"; then, once read
  as unseen, a Malaysian kopitiam whose "FOOD" the recogniser read "F00D", and a seafood
  restaurant whose name runs over two large rows; and batch 8's Nairobi café, whose
  "P.O. Box" row and "KSh" were then read); their fields say what the rules do, not how
  they carry over;
- ``unseen``: pages written after those rules and read as they are, never tuned on (a
  Spanish supermarket, a Singapore noodle house, then a Canadian coffee shop, a
  Portuguese pastry shop, an Irish café, then an Austrian wine tavern, then two
  Malaysian shops of made-up names and a Wellington café, then a Texas fuel station and
  a Malaysian petrol station, then a Helsinki café, a Naples pizzeria and a New York
  deli, written after the street-by-its-shape rule; then six Malaysian heads of made-up
  shops in the layouts of common Malaysian chains: a hypermarket, a bakery's
  delivery invoice, a trading company, a fuel station, a minimart and a bookshop; then
  ten more Malaysian heads of made-up shops, names in till print rather than large, some
  set flush left: a hardware shop under "SYARIKAT PERNIAGAAN", a pharmacy in mixed case,
  a stall with "TAX INVOICE" over its name, a stationer in a "WISMA", an electrical shop
  with its address and telephone on one row, an optician, a laundry with a WhatsApp row,
  an auto-parts invoice with GST, a bubble-tea kiosk in a mall and a grocer with no
  telephone).

Fields scored: merchant, address, date, total, currency (the one the receipt is in, even
when it prints none: a Spanish slip's euros) and tax (empty when none is printed).

Each page is drawn twice: ``clean`` (a monospaced face on white) and ``photo`` (a
proportional face, turned 1 degree, blurred, grey paper, JPEG at quality 70).

    .venv/bin/python bench/receipts_world.py [--write] [--show]
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import platform
import sys
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.receipt_metrics import same  # noqa: E402
from bench.report import write_section  # noqa: E402
from masthead import ocr  # noqa: E402

FONTS = Path("/usr/share/fonts/truetype/dejavu")
FIELDS = ("merchant", "address", "date", "total", "currency", "tax")


@dataclass(frozen=True)
class Sample:
    """A page to draw: its rows ("!" a large row, "a|b" a label and an amount at the right
    margin, "<a>b" two columns of a head), and what should be read off it."""

    name: str
    group: str
    rows: tuple[str, ...]
    keys: dict[str, str]
    items: int
    width: int = 640
    left: bool = False  # the plain rows set flush left (many invoice printers), not centred


SAMPLES = (
    Sample(
        "uk-invoice",
        "seen",
        (
            "!Northwind Design Studio Ltd<>INVOICE",
            "14 Harbour Street<>Invoice #: INV-2024-0173",
            "Bristol BS1 4RN<>Date: 14 March 2024",
            "United Kingdom<>Due date: 13 April 2024",
            "hello@northwind.example",
            "",
            "Bill to: Harper & Cole LLP, 220 King's Road, London",
            "",
            "Brand identity workshop 1 x 1,200.00|1,200.00",
            "Logo design, three concepts 3 x 450.00|1,350.00",
            "Business card layout 2 x 75.00|150.00",
            "Subtotal|£2,700.00",
            "VAT 20%|£540.00",
            "!Total due|£3,240.00",
        ),
        {
            "merchant": "Northwind Design Studio Ltd",
            "address": "14 Harbour Street Bristol BS1 4RN United Kingdom",
            "date": "2024-03-14",
            "total": "3240.00",
            "currency": "GBP",
            "tax": "540.00",
        },
        3,
        width=1100,
    ),
    Sample(
        "us-grocery",
        "seen",
        (
            "!GREENLEAF MARKET",
            "1234 Main Street",
            "Springfield, IL 62704",
            "(217) 555-0100",
            "03/14/2024 5:42 PM",
            "",
            "BANANAS|1.29",
            "MILK 2% GAL|3.99",
            "2 @ 1.50 AVOCADO|3.00",
            "SUBTOTAL|8.28",
            "SALES TAX 6.25%|0.52",
            "!TOTAL|8.80",
            "VISA ****1234|8.80",
        ),
        {
            "merchant": "GREENLEAF MARKET",
            "address": "1234 Main Street Springfield, IL 62704",
            "date": "2024-03-14",
            "total": "8.80",
            "currency": "USD",
            "tax": "0.52",
        },
        3,
    ),
    Sample(
        "us-bistro",
        "seen",
        (
            "!THE CORNER BISTRO",
            "88 Elm Avenue",
            "Portland, OR 97205",
            "Mar 14, 2024 7:48 PM",
            "",
            "Burger|$15.00",
            "Fish Tacos|$13.50",
            "Iced Tea x2|$6.00",
            "Subtotal|$34.50",
            "Tip 18%|$6.21",
            "!Total|$40.71",
            "MASTERCARD|$40.71",
        ),
        {
            "merchant": "THE CORNER BISTRO",
            "address": "88 Elm Avenue Portland, OR 97205",
            "date": "2024-03-14",
            "total": "40.71",
            "currency": "USD",
            "tax": "",
        },
        3,
    ),
    Sample(
        "de-bakery",
        "seen",
        (
            "!Bäckerei Müller GmbH",
            "Hauptstraße 12",
            "10115 Berlin",
            "Tel. 030 1234567",
            "",
            "Brötchen 2 x 0,45|0,90",
            "Croissant|1,60",
            "Kaffee groß|2,80",
            "!Summe EUR|5,30",
            "MwSt 7%|0,35",
            "Bar|10,00",
            "Rückgeld|4,70",
            "14.03.2024 08:12",
        ),
        {
            "merchant": "Bäckerei Müller GmbH",
            "address": "Hauptstraße 12 10115 Berlin",
            "date": "2024-03-14",
            "total": "5.30",
            "currency": "EUR",
            "tax": "0.35",
        },
        3,
    ),
    Sample(
        "fr-cafe",
        "seen",
        (
            "!Café de la Gare",
            "SARL au capital de 5000",
            "12 rue de la République",
            "69002 Lyon",
            "14/03/2024 12:31",
            "",
            "2 x Café crème|7,00",
            "Croque-monsieur|9,50",
            "Salade niçoise|12,00",
            "Total HT|23,86",
            "TVA 10%|2,39",
            "TVA 20%|2,25",
            "!TOTAL TTC|28,50 €",
            "Espèces|30,00",
            "Rendu|1,50",
        ),
        {
            "merchant": "Café de la Gare",
            "address": "12 rue de la République 69002 Lyon",
            "date": "2024-03-14",
            "total": "28.50",
            "currency": "EUR",
            "tax": "4.64",
        },
        3,
    ),
    Sample(
        "es-supermarket",
        "unseen",
        (
            "!SUPERMERCADOS LA PLAZA S.L.",
            "Calle Mayor 25",
            "28013 Madrid",
            "CIF B12345678",
            "FACTURA SIMPLIFICADA",
            "15/03/2024 18:05",
            "",
            "Leche entera 1L|0,95",
            "Pan de barra|1,10",
            "3 x Yogur natural|1,80",
            "Aceite de oliva 1L|8,45",
            "!TOTAL|12,30",
            "IVA 10%|1,12",
            "Efectivo|20,00",
            "Cambio|7,70",
        ),
        {
            "merchant": "SUPERMERCADOS LA PLAZA S.L.",
            "address": "Calle Mayor 25 28013 Madrid",
            "date": "2024-03-15",
            "total": "12.30",
            "currency": "EUR",
            "tax": "1.12",
        },
        4,
    ),
    Sample(
        "au-cafe",
        "seen",
        (
            "!BEAN THERE CAFE",
            "ABN 12 345 678 901",
            "45 George Street",
            "Sydney NSW 2000",
            "TAX INVOICE",
            "16/03/2024 09:15",
            "",
            "Flat White|4.50",
            "Flat White|4.50",
            "Banana Bread|5.00",
            "!TOTAL|$14.00",
            "Includes GST|$1.27",
            "EFTPOS|$14.00",
        ),
        {
            "merchant": "BEAN THERE CAFE",
            "address": "45 George Street Sydney NSW 2000",
            "date": "2024-03-16",
            "total": "14.00",
            "currency": "AUD",
            "tax": "1.27",
        },
        3,
    ),
    Sample(
        "sg-noodles",
        "unseen",
        (
            "!HAPPY NOODLE HOUSE PTE LTD",
            "Blk 123 Ang Mo Kio Ave 3 #01-45",
            "Singapore 560123",
            "GST Reg No: M2-0012345-6",
            "Date: 17/03/2024 Time: 13:20",
            "",
            "Laksa|5.50",
            "Char Kway Teow|6.00",
            "Teh Peng x2|3.60",
            "Sub Total|15.10",
            "Svc Chg 10%|1.51",
            "GST 9%|1.49",
            "!Total|S$18.10",
            "NETS|S$18.10",
        ),
        {
            "merchant": "HAPPY NOODLE HOUSE PTE LTD",
            "address": "Blk 123 Ang Mo Kio Ave 3 #01-45 Singapore 560123",
            "date": "2024-03-17",
            "total": "18.10",
            "currency": "SGD",
            "tax": "1.49",
        },
        3,
    ),
    Sample(
        "nl-bakery",
        "seen",
        (
            "!Bakkerij De Molen B.V.",
            "Dorpsstraat 8",
            "1234 AB Amsterdam",
            "KvK 12345678",
            "18-03-2024 10:42",
            "",
            "Volkoren brood|3,25",
            "2 x Krentenbol|1,90",
            "Appeltaart|4,50",
            "!Totaal|9,65",
            "BTW 9%|0,80",
            "PIN|9,65",
        ),
        {
            "merchant": "Bakkerij De Molen B.V.",
            "address": "Dorpsstraat 8 1234 AB Amsterdam",
            "date": "2024-03-18",
            "total": "9.65",
            "currency": "EUR",
            "tax": "0.80",
        },
        3,
    ),
    Sample(
        "it-bar",
        "seen",
        (
            "!Bar Pasticceria Roma S.r.l.",
            "Via Garibaldi 14",
            "00153 Roma",
            "P.IVA 01234567890",
            "",
            "Caffè|1,20",
            "Cornetto|1,50",
            "Spremuta d'arancia|3,50",
            "!TOTALE EURO|6,20",
            "di cui IVA|0,86",
            "CONTANTI|10,00",
            "RESTO|3,80",
            "19-03-2024 08:05",
        ),
        {
            "merchant": "Bar Pasticceria Roma S.r.l.",
            "address": "Via Garibaldi 14 00153 Roma",
            "date": "2024-03-19",
            "total": "6.20",
            "currency": "EUR",
            "tax": "0.86",
        },
        3,
    ),
    Sample(
        "ca-coffee",
        "unseen",
        (
            "!MAPLE LEAF COFFEE CO.",
            "350 Queen St W",
            "Toronto, ON M5V 2A4",
            "HST# 123456789 RT0001",
            "2024-03-20 08:45",
            "",
            "Large Latte|$5.25",
            "Blueberry Muffin|$3.50",
            "Subtotal|$8.75",
            "HST 13%|$1.14",
            "!Total|$9.89",
            "DEBIT|$9.89",
        ),
        {
            "merchant": "MAPLE LEAF COFFEE CO.",
            "address": "350 Queen St W Toronto, ON M5V 2A4",
            "date": "2024-03-20",
            "total": "9.89",
            "currency": "CAD",
            "tax": "1.14",
        },
        2,
    ),
    Sample(
        "pt-pastry",
        "unseen",
        (
            "!PASTELARIA BEL\u00c9M LDA",
            "Rua de Bel\u00e9m 84",
            "1300-085 Lisboa",
            "NIF 500 123 456",
            "FATURA SIMPLIFICADA",
            "21-03-2024 16:10",
            "",
            "2 x Pastel de nata|2,60",
            "Gal\u00e3o|1,40",
            "\u00c1gua 50cl|1,00",
            "!TOTAL|5,00",
            "IVA 23%|0,94",
            "Numer\u00e1rio|10,00",
            "Troco|5,00",
        ),
        {
            "merchant": "PASTELARIA BEL\u00c9M LDA",
            "address": "Rua de Bel\u00e9m 84 1300-085 Lisboa",
            "date": "2024-03-21",
            "total": "5.00",
            "currency": "EUR",
            "tax": "0.94",
        },
        3,
    ),
    Sample(
        "pl-bakery",
        "seen",
        (
            "!PIEKARNIA KOWALSKI SP. Z O.O.",
            "ul. Marsza\u0142kowska 10",
            "00-590 Warszawa",
            "NIP 525-000-00-00",
            "PARAGON FISKALNY",
            "22.03.2024 07:55",
            "",
            "Chleb \u017cytni|6,50",
            "Bu\u0142ka x3|2,70",
            "Kawa czarna|8,00",
            "!SUMA PLN|17,20",
            "Got\u00f3wka|20,00",
            "Reszta|2,80",
        ),
        {
            "merchant": "PIEKARNIA KOWALSKI SP. Z O.O.",
            "address": "ul. Marsza\u0142kowska 10 00-590 Warszawa",
            "date": "2024-03-22",
            "total": "17.20",
            "currency": "PLN",
            "tax": "",
        },
        3,
    ),
    Sample(
        "ie-cafe",
        "unseen",
        (
            "!THE GREEN KETTLE LTD",
            "12 Grafton Street",
            "Dublin 2, D02 XY45",
            "VAT No: IE1234567T",
            "23/03/2024 13:02",
            "",
            "Soup of the Day|\u20ac6.50",
            "Chicken Wrap|\u20ac9.95",
            "Sparkling Water|\u20ac2.80",
            "!TOTAL|\u20ac19.25",
            "CARD|\u20ac19.25",
        ),
        {
            "merchant": "THE GREEN KETTLE LTD",
            "address": "12 Grafton Street Dublin 2, D02 XY45",
            "date": "2024-03-23",
            "total": "19.25",
            "currency": "EUR",
            "tax": "",
        },
        3,
    ),
    Sample(
        "in-restaurant",
        "seen",
        (
            "!SPICE GARDEN RESTAURANT",
            "12, MG Road, Indiranagar",
            "Bengaluru, Karnataka 560038",
            "GSTIN: 29ABCDE1234F1Z5",
            "Date: 20/03/2024 Time: 20:15",
            "Bill No: 1045",
            "",
            "Paneer Tikka|280.00",
            "Butter Naan 3 x 45.00|135.00",
            "Dal Makhani|240.00",
            "Sweet Lassi 2 x 90.00|180.00",
            "Sub Total|835.00",
            "CGST @ 2.5%|20.88",
            "SGST @ 2.5%|20.88",
            "Round Off|-0.76",
            "!Grand Total|Rs. 876.00",
            "Paid by UPI|876.00",
        ),
        {
            "merchant": "SPICE GARDEN RESTAURANT",
            "address": "12, MG Road, Indiranagar Bengaluru, Karnataka 560038",
            "date": "2024-03-20",
            "total": "876.00",
            "currency": "INR",
            "tax": "41.76",
        },
        4,
    ),
    Sample(
        "qc-cafe",
        "seen",
        (
            "!CAF\u00c9 OLIMPICO",
            "124 Rue St-Viateur O",
            "Montr\u00e9al, QC H2T 2L1",
            "TPS: 123456789 RT0001",
            "TVQ: 1234567890 TQ0001",
            "2024-03-21 09:10",
            "",
            "Cappuccino|$4.50",
            "Croissant aux amandes|$3.75",
            "Sous-total|$8.25",
            "TPS 5%|$0.41",
            "TVQ 9,975%|$0.82",
            "!Total|$9.48",
            "Visa|$9.48",
        ),
        {
            "merchant": "CAF\u00c9 OLIMPICO",
            "address": "124 Rue St-Viateur O Montr\u00e9al, QC H2T 2L1",
            "date": "2024-03-21",
            "total": "9.48",
            "currency": "CAD",
            "tax": "1.23",
        },
        2,
    ),
    Sample(
        "mx-taqueria",
        "seen",
        (
            "!TAQUER\u00cdA EL G\u00dcERO S.A. DE C.V.",
            "Av. Insurgentes Sur 1234",
            "Col. Del Valle, 03100 Ciudad de M\u00e9xico",
            "RFC: TEG010101AB1",
            "24/03/2024 14:20",
            "",
            "3 x Taco al pastor|$75.00",
            "Quesadilla|$45.00",
            "Agua de horchata|$30.00",
            "Subtotal|$129.31",
            "IVA 16%|$20.69",
            "!Total|$150.00",
            "Efectivo|$200.00",
            "Cambio|$50.00",
        ),
        {
            "merchant": "TAQUER\u00cdA EL G\u00dcERO S.A. DE C.V.",
            "address": "Av. Insurgentes Sur 1234 Col. Del Valle, 03100 Ciudad de M\u00e9xico",
            "date": "2024-03-24",
            "total": "150.00",
            "currency": "MXN",
            "tax": "20.69",
        },
        3,
    ),
    Sample(
        "ch-cafe",
        "seen",
        (
            "!Caf\u00e9 Sprüngli AG",
            "Bahnhofstrasse 21",
            "8001 Z\u00fcrich",
            "MWST-Nr. CHE-123.456.789",
            "25.03.2024 15:45",
            "",
            "Cappuccino|5.80",
            "Luxemburgerli 6 Stk.|9.50",
            "!Total CHF|15.30",
            "MWST 8.1% inkl.|1.15",
            "Twint|15.30",
        ),
        {
            "merchant": "Caf\u00e9 Sprüngli AG",
            "address": "Bahnhofstrasse 21 8001 Z\u00fcrich",
            "date": "2024-03-25",
            "total": "15.30",
            "currency": "CHF",
            "tax": "1.15",
        },
        2,
    ),
    Sample(
        "za-shop",
        "seen",
        (
            "!KAROO FARM STALL (PTY) LTD",
            "15 Long Street",
            "Cape Town 8001",
            "VAT No: 4123456789",
            "26/03/2024 11:05",
            "",
            "Biltong 250g|R 89.99",
            "Rusks|R 45.00",
            "Rooibos tea|R 32.50",
            "!TOTAL|R 167.49",
            "VAT 15% incl.|R 21.85",
            "Card|R 167.49",
        ),
        {
            "merchant": "KAROO FARM STALL (PTY) LTD",
            "address": "15 Long Street Cape Town 8001",
            "date": "2024-03-26",
            "total": "167.49",
            "currency": "ZAR",
            "tax": "21.85",
        },
        3,
    ),
    Sample(
        "uk-supermarket",
        "seen",
        (
            "!HARTLEY'S FOOD HALL LTD",
            "22 High Street",
            "Oxford OX1 4AP",
            "VAT No: GB 123 4567 89",
            "",
            "SEMI SKIMMED MILK 2L|1.65 A",
            "SOURDOUGH LOAF|2.40 A",
            "SPARKLING WATER|0.95 B",
            "CHOC BISCUITS|1.80 B",
            "!BALANCE DUE|6.80",
            "CONTACTLESS|6.80",
            "VAT B 20.00%|0.46",
            "27/03/2024 17:44",
        ),
        {
            "merchant": "HARTLEY'S FOOD HALL LTD",
            "address": "22 High Street Oxford OX1 4AP",
            "date": "2024-03-27",
            "total": "6.80",
            "currency": "GBP",
            "tax": "0.46",
        },
        4,
    ),
    Sample(
        "br-padaria",
        "seen",
        (
            "!PADARIA P\u00c3O DOURADO LTDA",
            "Rua Augusta, 1500",
            "Consola\u00e7\u00e3o, S\u00e3o Paulo - SP",
            "CEP 01304-001",
            "CNPJ 12.345.678/0001-90",
            "28/03/2024 07:30",
            "",
            "P\u00e3o franc\u00eas 6 un|R$ 4,80",
            "Caf\u00e9 com leite|R$ 6,50",
            "P\u00e3o de queijo|R$ 5,00",
            "!TOTAL R$|16,30",
            "Dinheiro|R$ 20,00",
            "Troco|R$ 3,70",
        ),
        {
            "merchant": "PADARIA P\u00c3O DOURADO LTDA",
            "address": "Rua Augusta, 1500 Consola\u00e7\u00e3o, S\u00e3o Paulo - SP CEP 01304-001",
            "date": "2024-03-28",
            "total": "16.30",
            "currency": "BRL",
            "tax": "",
        },
        3,
    ),
    Sample(
        "se-cafe",
        "seen",
        (
            "!KAFFEHUSET SOLEN AB",
            "Storgatan 5",
            "111 51 Stockholm",
            "Org.nr 556123-4567",
            "2024-03-29 10:05",
            "",
            "Kaffe|35,00",
            "Kanelbulle|32,00",
            "!Totalt SEK|67,00",
            "Moms 12%|7,18",
            "Kort|67,00",
        ),
        {
            "merchant": "KAFFEHUSET SOLEN AB",
            "address": "Storgatan 5 111 51 Stockholm",
            "date": "2024-03-29",
            "total": "67.00",
            "currency": "SEK",
            "tax": "7.18",
        },
        2,
    ),
    Sample(
        "at-heuriger",
        "unseen",
        (
            "!Heuriger Zum Alten Fass",
            "Cobenzlgasse 18",
            "1190 Wien",
            "UID: ATU12345678",
            "30.03.2024 19:40",
            "",
            "2 x Gr\u00fcner Veltliner 1/8|7,00",
            "Brettljause|14,50",
            "Mineralwasser|3,20",
            "!Summe EUR|24,70",
            "USt 10%|1,79",
            "USt 20%|0,53",
            "Bankomat|24,70",
        ),
        {
            "merchant": "Heuriger Zum Alten Fass",
            "address": "Cobenzlgasse 18 1190 Wien",
            "date": "2024-03-30",
            "total": "24.70",
            "currency": "EUR",
            "tax": "2.32",
        },
        3,
    ),
    Sample(
        "tr-cafe",
        "seen",
        (
            "!KAHVE D\u00dcNYASI GIDA A.\u015e.",
            "\u0130stiklal Caddesi No: 45",
            "34433 Beyo\u011flu / \u0130stanbul",
            "V.D. Beyo\u011flu 1234567890",
            "31.03.2024 16:20",
            "",
            "T\u00fcrk Kahvesi|85,00",
            "Baklava|120,00",
            "!TOPLAM|205,00",
            "KDV %10|18,64",
            "Kredi Kart\u0131|205,00",
        ),
        {
            "merchant": "KAHVE D\u00dcNYASI GIDA A.\u015e.",
            "address": "\u0130stiklal Caddesi No: 45 34433 Beyo\u011flu / \u0130stanbul",
            "date": "2024-03-31",
            "total": "205.00",
            "currency": "TRY",
            "tax": "18.64",
        },
        2,
    ),
    Sample(
        "us-diner",
        "seen",
        (
            "!BLUE PLATE DINER",
            "501 W Broadway",
            "Boston, MA 02127",
            "Tel (617) 555-0199",
            "Server: Dana  Table 12",
            "04/01/2024 12:48 PM",
            "",
            "Pancake Stack|$9.95",
            "Coffee x2|$5.00",
            "Side of Bacon|$4.50",
            "Subtotal|$19.45",
            "Meals Tax 7%|$1.36",
            "!Amount Due|$20.81",
            "AMEX|$20.81",
        ),
        {
            "merchant": "BLUE PLATE DINER",
            "address": "501 W Broadway Boston, MA 02127",
            "date": "2024-04-01",
            "total": "20.81",
            "currency": "USD",
            "tax": "1.36",
        },
        3,
    ),
    Sample(
        "cz-pub",
        "seen",
        (
            "!HOSPODA U ZLAT\u00c9HO LVA s.r.o.",
            "Karlova 12",
            "110 00 Praha 1",
            "I\u010cO: 12345678  DI\u010c: CZ12345678",
            "02.04.2024 21:30",
            "",
            "2 x Pivo 0,5 l|118,00",
            "Gul\u00e1\u0161 s knedl\u00edkem|189,00",
            "!Celkem K\u010d|307,00",
            "DPH 12%|32,89",
            "Hotov\u011b|500,00",
            "Vr\u00e1ceno|193,00",
        ),
        {
            "merchant": "HOSPODA U ZLAT\u00c9HO LVA s.r.o.",
            "address": "Karlova 12 110 00 Praha 1",
            "date": "2024-04-02",
            "total": "307.00",
            "currency": "CZK",
            "tax": "32.89",
        },
        2,
    ),
    Sample(
        "no-bakeri",
        "seen",
        (
            "!BAKERIET P\u00c5 HJ\u00d8RNET AS",
            "Storgata 7",
            "0155 Oslo",
            "Org.nr. 912 345 678 MVA",
            "03.04.2024 08:20",
            "",
            "Skolebolle|42,00",
            "Kaffe latte|49,00",
            "!Totalt NOK|91,00",
            "MVA 15%|11,87",
            "Bankkort|91,00",
        ),
        {
            "merchant": "BAKERIET P\u00c5 HJ\u00d8RNET AS",
            "address": "Storgata 7 0155 Oslo",
            "date": "2024-04-03",
            "total": "91.00",
            "currency": "NOK",
            "tax": "11.87",
        },
        2,
    ),
    Sample(
        "ar-parrilla",
        "seen",
        (
            "!PARRILLA DON JULIO S.R.L.",
            "Av. Corrientes 1550",
            "C1042 Buenos Aires",
            "CUIT 30-12345678-9",
            "04/04/2024 22:10",
            "",
            "Bife de chorizo|$ 18.500,00",
            "Provoleta|$ 7.200,00",
            "Vino Malbec|$ 12.300,00",
            "!TOTAL|$ 38.000,00",
            "IVA 21% incl.|$ 6.595,04",
            "Tarjeta|$ 38.000,00",
        ),
        {
            "merchant": "PARRILLA DON JULIO S.R.L.",
            "address": "Av. Corrientes 1550 C1042 Buenos Aires",
            "date": "2024-04-04",
            "total": "38000.00",
            "currency": "ARS",
            "tax": "6595.04",
        },
        3,
    ),
    Sample(
        "my-runcit",
        "unseen",
        (
            "!KEDAI RUNCIT SEN HUAT",
            "(JM0654321-T)",
            "NO. 12, JALAN MAWAR 3,",
            "TAMAN MAWAR, 81300 SKUDAI,",
            "JOHOR.",
            "TEL: 07-5561234",
            "DATE: 05/04/2024  TIME: 10:15",
            "",
            "MILO 1KG|18.90",
            "2 X ROTI GARDENIA|4.50",
            "!TOTAL|RM 23.40",
            "CASH|RM 50.00",
            "CHANGE|RM 26.60",
        ),
        {
            "merchant": "KEDAI RUNCIT SEN HUAT",
            "address": "NO. 12, JALAN MAWAR 3, TAMAN MAWAR, 81300 SKUDAI, JOHOR.",
            "date": "2024-04-05",
            "total": "23.40",
            "currency": "MYR",
            "tax": "",
        },
        2,
    ),
    Sample(
        "my-restoran",
        "unseen",
        (
            "!RESTORAN SRI MELATI",
            "LOT 8, JALAN SS 15/4,",
            "47500 SUBANG JAYA, SELANGOR",
            "SST ID: W10-1808-31000123",
            "06-04-24 13:05",
            "",
            "NASI LEMAK AYAM|12.00",
            "TEH TARIK|3.50",
            "MEE GORENG|9.50",
            "SUBTOTAL|25.00",
            "SST 6%|1.50",
            "!TOTAL|26.50",
            "VISA|26.50",
        ),
        {
            "merchant": "RESTORAN SRI MELATI",
            "address": "LOT 8, JALAN SS 15/4, 47500 SUBANG JAYA, SELANGOR",
            "date": "2024-04-06",
            "total": "26.50",
            "currency": "MYR",
            "tax": "1.50",
        },
        3,
    ),
    Sample(
        "id-warung",
        "seen",
        (
            "!WARUNG KOPI NUSANTARA",
            "Jl. Braga No. 45",
            "Bandung 40111",
            "NPWP: 01.234.567.8-421.000",
            "07/04/2024 09:30",
            "",
            "Kopi Tubruk x2|Rp 30.000",
            "Roti Bakar|Rp 18.000",
            "Subtotal|Rp 48.000",
            "PB1 10%|Rp 4.800",
            "!TOTAL|Rp 52.800",
            "TUNAI|Rp 100.000",
            "KEMBALI|Rp 47.200",
        ),
        {
            "merchant": "WARUNG KOPI NUSANTARA",
            "address": "Jl. Braga No. 45 Bandung 40111",
            "date": "2024-04-07",
            "total": "52800.00",
            "currency": "IDR",
            "tax": "4800.00",
        },
        2,
    ),
    Sample(
        "ph-eatery",
        "seen",
        (
            "!JOLLY GOOD EATS INC.",
            "123 Rizal Ave., Brgy. 5",
            "Makati City 1200",
            "VAT REG TIN: 123-456-789-000",
            "04/18/2024 12:45",
            "",
            "1 Chicken Adobo|\u20b1185.00",
            "1 Halo-Halo|\u20b195.00",
            "!TOTAL|\u20b1280.00",
            "VATable Sales|250.00",
            "VAT 12%|30.00",
            "CASH|\u20b1500.00",
            "CHANGE|\u20b1220.00",
        ),
        {
            "merchant": "JOLLY GOOD EATS INC.",
            "address": "123 Rizal Ave., Brgy. 5 Makati City 1200",
            "date": "2024-04-18",
            "total": "280.00",
            "currency": "PHP",
            "tax": "30.00",
        },
        2,
    ),
    Sample(
        "dk-kaffe",
        "seen",
        (
            "!KAFFEBAREN ApS",
            "N\u00f8rregade 14",
            "1165 K\u00f8benhavn K",
            "CVR: 12345678",
            "09.04.2024 15:40",
            "",
            "Cappuccino|42,00",
            "Kanelsnegl|35,00",
            "!I alt DKK|77,00",
            "Heraf moms 25%|15,40",
            "Dankort|77,00",
        ),
        {
            "merchant": "KAFFEBAREN ApS",
            "address": "N\u00f8rregade 14 1165 K\u00f8benhavn K",
            "date": "2024-04-09",
            "total": "77.00",
            "currency": "DKK",
            "tax": "15.40",
        },
        2,
    ),
    Sample(
        "nz-cafe",
        "unseen",
        (
            "!FLAT WHITE CO LIMITED",
            "22 Cuba Street",
            "Te Aro, Wellington 6011",
            "GST No: 123-456-789",
            "10/04/2024 07:55",
            "",
            "Flat White|$5.50",
            "Mince Pie|$7.00",
            "!TOTAL|$12.50",
            "GST incl. 15%|$1.63",
            "EFTPOS|$12.50",
        ),
        {
            "merchant": "FLAT WHITE CO LIMITED",
            "address": "22 Cuba Street Te Aro, Wellington 6011",
            "date": "2024-04-10",
            "total": "12.50",
            "currency": "NZD",
            "tax": "1.63",
        },
        2,
    ),
    Sample(
        "be-frituur",
        "seen",
        (
            "!FRITUUR 'T HOEKSKE BV",
            "Grote Markt 3",
            "2000 Antwerpen",
            "BTW BE 0123.456.789",
            "11/04/2024 18:20",
            "",
            "Grote friet|4,20",
            "Bicky burger|5,50",
            "!TOTAAL EUR|9,70",
            "BTW 6%|0,55",
            "Bancontact|9,70",
        ),
        {
            "merchant": "FRITUUR 'T HOEKSKE BV",
            "address": "Grote Markt 3 2000 Antwerpen",
            "date": "2024-04-11",
            "total": "9.70",
            "currency": "EUR",
            "tax": "0.55",
        },
        2,
    ),
    Sample(
        "hu-bisztro",
        "seen",
        (
            "!PESTI BISZTR\u00d3 KFT.",
            "Kir\u00e1ly utca 12.",
            "1061 Budapest",
            "Ad\u00f3sz\u00e1m: 12345678-2-42",
            "2024.04.12 13:10",
            "",
            "Guly\u00e1sleves|2 490 Ft",
            "Palacsinta|1 690 Ft",
            "!\u00d6SSZESEN|4 180 Ft",
            "\u00c1FA 27%|889 Ft",
            "Bankk\u00e1rtya|4 180 Ft",
        ),
        {
            "merchant": "PESTI BISZTR\u00d3 KFT.",
            "address": "Kir\u00e1ly utca 12. 1061 Budapest",
            "date": "2024-04-12",
            "total": "4180.00",
            "currency": "HUF",
            "tax": "889.00",
        },
        2,
    ),
    Sample(
        "us-fuel",
        "unseen",
        (
            "!LONE STAR FUEL LLC",
            "2100 S Lamar Blvd",
            "Austin, TX 78704",
            "04/13/2024 07:42 AM",
            "",
            "Unleaded 12.5 GAL|$38.74",
            "Coffee 16oz|$1.99",
            "Subtotal|$40.73",
            "Tax|$0.16",
            "!TOTAL|$40.89",
            "DEBIT|$40.89",
        ),
        {
            "merchant": "LONE STAR FUEL LLC",
            "address": "2100 S Lamar Blvd Austin, TX 78704",
            "date": "2024-04-13",
            "total": "40.89",
            "currency": "USD",
            "tax": "0.16",
        },
        2,
    ),
    Sample(
        "my-minyak",
        "unseen",
        (
            "!STESEN MINYAK MAJU JAYA",
            "(1234567-H)",
            "KM 12, JALAN KLANG LAMA,",
            "58000 KUALA LUMPUR",
            "SST REG NO: W10-1234-56789012",
            "DATE : 14/04/2024 08:05",
            "",
            "PRIMAX 95|50.00",
            "AIR MINERAL 1.5L|2.20",
            "!TOTAL|RM 52.20",
            "CASH|RM 60.00",
            "CHANGE|RM 7.80",
        ),
        {
            "merchant": "STESEN MINYAK MAJU JAYA",
            "address": "KM 12, JALAN KLANG LAMA, 58000 KUALA LUMPUR",
            "date": "2024-04-14",
            "total": "52.20",
            "currency": "MYR",
            "tax": "",
        },
        2,
    ),
    Sample(
        "fi-kahvila",
        "unseen",
        (
            "!KAHVILA PUUSTELLI OY",
            "Mannerheimintie 22",
            "00100 Helsinki",
            "Y-tunnus 1234567-8",
            "15.04.2024 10:12",
            "",
            "Korvapuusti|3,90",
            "Kahvi|2,80",
            "!YHTEENS\u00c4 EUR|6,70",
            "ALV 14%|0,82",
            "Pankkikortti|6,70",
        ),
        {
            "merchant": "KAHVILA PUUSTELLI OY",
            "address": "Mannerheimintie 22 00100 Helsinki",
            "date": "2024-04-15",
            "total": "6.70",
            "currency": "EUR",
            "tax": "0.82",
        },
        2,
    ),
    Sample(
        "it-pizzeria",
        "unseen",
        (
            "!PIZZERIA DA MARIO S.N.C.",
            "Corso Vittorio Emanuele 45",
            "80121 Napoli NA",
            "P.IVA 01234567890",
            "16/04/2024 20:45",
            "",
            "Margherita|6,00",
            "Diavola|7,50",
            "Acqua|2,00",
            "!TOTALE|15,50",
            "di cui IVA 10%|1,41",
            "Contanti|20,00",
            "Resto|4,50",
        ),
        {
            "merchant": "PIZZERIA DA MARIO S.N.C.",
            "address": "Corso Vittorio Emanuele 45 80121 Napoli NA",
            "date": "2024-04-16",
            "total": "15.50",
            "currency": "EUR",
            "tax": "1.41",
        },
        3,
    ),
    Sample(
        "ke-cafe",
        "seen",
        (
            "!JAVA HOUSE NAIROBI LTD",
            "Kimathi Street",
            "P.O. Box 12345-00100",
            "Nairobi, Kenya",
            "PIN: P051234567X",
            "17/04/2024 09:05",
            "",
            "Latte|KSh 350.00",
            "Samosa x2|KSh 240.00",
            "!TOTAL|KSh 590.00",
            "VAT 16%|81.38",
            "M-PESA|590.00",
        ),
        {
            "merchant": "JAVA HOUSE NAIROBI LTD",
            "address": "Kimathi Street P.O. Box 12345-00100 Nairobi, Kenya",
            "date": "2024-04-17",
            "total": "590.00",
            "currency": "KES",
            "tax": "81.38",
        },
        2,
    ),
    Sample(
        "us-deli",
        "unseen",
        (
            "!CORNER DELI & GROCERY INC",
            "1450 Broadway",
            "New York, NY 10018",
            "Tel (212) 555-0147",
            "04/18/2024 12:02 PM",
            "",
            "Turkey Club|$11.95",
            "Snapple|$2.75",
            "Subtotal|$14.70",
            "Sales Tax 8.875%|$1.30",
            "!Total|$16.00",
            "Cash|$20.00",
            "Change|$4.00",
        ),
        {
            "merchant": "CORNER DELI & GROCERY INC",
            "address": "1450 Broadway New York, NY 10018",
            "date": "2024-04-18",
            "total": "16.00",
            "currency": "USD",
            "tax": "1.30",
        },
        2,
    ),
    Sample(
        "my-hypermarket",
        "unseen",
        (
            "!SERI INTAN RETAIL CO. (M) BHD (234567-K)",
            "2ND FLR, INTAN MALL BANDAR UTAMA",
            "JLN BAYAM, TAMAN BAYAM",
            "CHERAS, 56000 KUALA LUMPUR",
            "GST ID : 002345678901",
            "SHOPPING HOURS SUN-THU : 1000 HRS - 2200 HRS",
            "",
            "BERAS WANGI 5KG|26.90",
            "MINYAK MASAK 2KG|11.80",
            "SUB-TOTAL|38.70",
            "!TOTAL|RM 38.70",
            "CASH|RM 50.00",
            "CHANGE|RM 11.30",
            "17/04/2024 19:21 POS:0102",
        ),
        {
            "merchant": "SERI INTAN RETAIL CO. (M) BHD",
            "address": "2ND FLR, INTAN MALL BANDAR UTAMA JLN BAYAM, TAMAN BAYAM CHERAS, "
            "56000 KUALA LUMPUR",
            "date": "2024-04-17",
            "total": "38.70",
            "currency": "MYR",
            "tax": "",
        },
        2,
        width=820,
    ),
    Sample(
        "my-bakeries",
        "unseen",
        (
            "!MUTIARA BAKERIES (KL) SDN BHD (245678 X)",
            "Lot 7, Jalan Perusahaan 2/3, 40150 Shah Alam, Selangor.",
            "Tel: 03- 55123456  Fax: 03- 55123457",
            "GST ID: 000456789012",
            "TAX INVOICE",
            "Invoice No : 7018F712",
            "Date : 18/04/2024",
            "",
            "ROTI PUTIH 400G 10 X 2.60|26.00",
            "BUN KRIM 8 X 1.10|8.80",
            "!TOTAL|RM 34.80",
        ),
        {
            "merchant": "MUTIARA BAKERIES (KL) SDN BHD",
            "address": "Lot 7, Jalan Perusahaan 2/3, 40150 Shah Alam, Selangor.",
            "date": "2024-04-18",
            "total": "34.80",
            "currency": "MYR",
            "tax": "",
        },
        2,
        width=820,
    ),
    Sample(
        "my-marketing",
        "unseen",
        (
            "!BAYU EMAS MARKETING SDN BHD",
            "ROC NO: 612345-T",
            "NO 6 & 8, JALAN CEMPAKA 3, BANDAR BARU CEMPAKA,",
            "81750 MASAI, JOHOR",
            "TEL:07-388 1234 FAX:07-388 5678",
            "EMAIL:sales@bayuemas.com.my",
            "GST NO: 000567890123",
            "TAX INVOICE",
            "INVOICE NO: CS00098765  DATE: 19/04/2024",
            "",
            "SPRAY PAINT 400ML 2 X 8.50|17.00",
            "MASKING TAPE 1 X 3.20|3.20",
            "!TOTAL|20.20",
            "CASH|50.00",
            "CHANGE|29.80",
        ),
        {
            "merchant": "BAYU EMAS MARKETING SDN BHD",
            "address": "NO 6 & 8, JALAN CEMPAKA 3, BANDAR BARU CEMPAKA, 81750 MASAI, JOHOR",
            "date": "2024-04-19",
            "total": "20.20",
            "currency": "MYR",
            "tax": "",
        },
        2,
        width=820,
    ),
    Sample(
        "my-fuel",
        "unseen",
        (
            "!PETRA BKT RAJA SB",
            "KM 12.6 BKT RAJA UTARA",
            "LEBUHRAYA PERSEKUTUAN",
            "41050 KLANG",
            "Co Reg No: 1098765-A",
            "SST Reg No: B16-1809-32000123",
            "",
            "20/04/2024 07:55",
            "PRIMAX 97|80.00",
            "!Total|RM 80.00",
            "Credit Card|RM 80.00",
        ),
        {
            "merchant": "PETRA BKT RAJA SB",
            "address": "KM 12.6 BKT RAJA UTARA LEBUHRAYA PERSEKUTUAN 41050 KLANG",
            "date": "2024-04-20",
            "total": "80.00",
            "currency": "MYR",
            "tax": "",
        },
        1,
    ),
    Sample(
        "my-mart",
        "unseen",
        (
            "!88 HARI-HARI MART S/B (612345-M)",
            "LOT P.T. 4512, JALAN MERBAU,",
            "TAMAN MERBAU, 41200 KLANG, SELANGOR",
            "2231-TMN MERBAU JAYA",
            "GST ID. : 000678901234",
            "INVOICE NO : 18245/102/T0123",
            "21-04-24 20:14",
            "",
            "MILO 3IN1 15S|14.99",
            "SUSU SEGAR 1L|7.50",
            "!TOTAL SALES (INCLUSIVE GST)|22.49",
            "CASH|50.00",
            "CHANGE|27.51",
        ),
        {
            "merchant": "88 HARI-HARI MART S/B",
            "address": "LOT P.T. 4512, JALAN MERBAU, TAMAN MERBAU, 41200 KLANG, SELANGOR "
            "2231-TMN MERBAU JAYA",
            "date": "2024-04-21",
            "total": "22.49",
            "currency": "MYR",
            "tax": "",
        },
        2,
        width=820,
    ),
    Sample(
        "my-bookshop",
        "unseen",
        (
            "!BUKU CERIA (TAMAN SAGU) SDN BHD",
            "812345-W",
            "NO.7: 61,63 & 65, JALAN SAGU 12,",
            "TAMAN SAGU, 81100 JOHOR BAHRU, JOHOR.",
            "TEL : 07-355 1234",
            "GST REG : 000789012345",
            "",
            "RESIT / RECEIPT",
            "22/04/2024 11:40",
            "BUKU LATIHAN A4|4.50",
            "PEN BIRU 3S|3.90",
            "!TOTAL|8.40",
            "TUNAI|10.00",
            "BAKI|1.60",
        ),
        {
            "merchant": "BUKU CERIA (TAMAN SAGU) SDN BHD",
            "address": "NO.7: 61,63 & 65, JALAN SAGU 12, TAMAN SAGU, 81100 JOHOR BAHRU, JOHOR.",
            "date": "2024-04-22",
            "total": "8.40",
            "currency": "MYR",
            "tax": "",
        },
        2,
        width=820,
    ),
    Sample(
        "my-kopitiam",
        "seen",
        (
            "!KOPI TIAM LAMA",
            "LAMA FOOD & BEVERAGE SDN BHD (1123456-D)",
            "NO. 23, JALAN KENARI 5,",
            "BANDAR PUCHONG JAYA,",
            "47100 PUCHONG, SELANGOR",
            "TEL: 03-8076 1234",
            "SST ID: W10-1808-31001234",
            "",
            "Table: 12   Pax: 2",
            "Date: 05/05/2024 13:02",
            "NASI LEMAK AYAM 2 X 12.90|25.80",
            "TEH TARIK 2 X 3.20|6.40",
            "Sub Total|32.20",
            "Service Tax 6%|1.93",
            "Rounding|-0.03",
            "!Total|RM 34.10",
        ),
        {
            "merchant": "LAMA FOOD & BEVERAGE SDN BHD",
            "address": "NO. 23, JALAN KENARI 5, BANDAR PUCHONG JAYA, 47100 PUCHONG, SELANGOR",
            "date": "2024-05-05",
            "total": "34.10",
            "currency": "MYR",
            "tax": "1.93",
        },
        2,
        width=820,
    ),
    Sample(
        "my-hardware",
        "unseen",
        (
            "SYARIKAT PERNIAGAAN",
            "HENG LEONG HARDWARE",
            "(JM0612345-W)",
            "NO. 8, JALAN SRI PELANGI 3,",
            "TAMAN SRI PELANGI,",
            "81200 JOHOR BAHRU, JOHOR.",
            "TEL: 07-331 2345",
            "",
            "CASH BILL",
            "NO: CB-10234   DATE: 06/05/2024",
            "PAIP PVC 2 X 6.50|13.00",
            "GAM PVC 1 X 4.80|4.80",
            "!TOTAL|17.80",
            "CASH|20.00",
            "CHANGE|2.20",
        ),
        {
            "merchant": "SYARIKAT PERNIAGAAN HENG LEONG HARDWARE",
            "address": "NO. 8, JALAN SRI PELANGI 3, TAMAN SRI PELANGI, 81200 JOHOR BAHRU, JOHOR.",
            "date": "2024-05-06",
            "total": "17.80",
            "currency": "MYR",
            "tax": "",
        },
        2,
    ),
    Sample(
        "my-farmasi",
        "unseen",
        (
            "Farmasi Sejahtera Sdn. Bhd.",
            "(Co. No. 987654-P)",
            "G-12, Jalan Wawasan 4/1,",
            "Pusat Bandar Puchong,",
            "47160 Puchong, Selangor.",
            "Tel: 03-5882 1234",
            "",
            "RECEIPT NO: R0012345",
            "DATE: 07-05-2024  TIME: 10:15 AM",
            "PANADOL ACTIFAST 20S 1 X 10.90|10.90",
            "VITAMIN C 500MG 1 X 25.00|25.00",
            "!TOTAL|RM 35.90",
            "VISA|RM 35.90",
        ),
        {
            "merchant": "Farmasi Sejahtera Sdn. Bhd.",
            "address": "G-12, Jalan Wawasan 4/1, Pusat Bandar Puchong, 47160 Puchong, Selangor.",
            "date": "2024-05-07",
            "total": "35.90",
            "currency": "MYR",
            "tax": "",
        },
        2,
    ),
    Sample(
        "my-hockkee",
        "unseen",
        (
            "TAX INVOICE",
            "!HOCK KEE",
            "(002345678-T)",
            "NO 45, JALAN PASAR BARU,",
            "31650 IPOH, PERAK.",
            "GST REG NO : 001122334455",
            "",
            "INV NO: 10045    08/05/2024 19:45",
            "CHAR KUEY TEOW 2 X 8.00|16.00",
            "LIMAU AIS 2 X 2.50|5.00",
            "TOTAL (INCL GST)|21.00",
        ),
        {
            "merchant": "HOCK KEE",
            "address": "NO 45, JALAN PASAR BARU, 31650 IPOH, PERAK.",
            "date": "2024-05-08",
            "total": "21.00",
            "currency": "MYR",
            "tax": "",
        },
        2,
    ),
    Sample(
        "my-stationery",
        "unseen",
        (
            "TINTA BIRU STATIONERY",
            "(SA0123456-V)",
            "LOT 1-23, TINGKAT 1, WISMA PERDANA,",
            "JALAN DUNGUN, BUKIT DAMANSARA,",
            "50490 KUALA LUMPUR.",
            "TEL: 03-2095 1234  FAX: 03-2095 1235",
            "",
            "CASH SALES",
            "DOC NO : CS-88412",
            "DATE : 09/05/2024",
            "A4 PAPER 80GSM 2 X 13.50|27.00",
            "STAPLER NO.10 1 X 6.90|6.90",
            "TOTAL QTY: 3",
            "!TOTAL|33.90",
            "CASH|50.00",
            "CHANGE|16.10",
        ),
        {
            "merchant": "TINTA BIRU STATIONERY",
            "address": "LOT 1-23, TINGKAT 1, WISMA PERDANA, JALAN DUNGUN, BUKIT DAMANSARA, "
            "50490 KUALA LUMPUR.",
            "date": "2024-05-09",
            "total": "33.90",
            "currency": "MYR",
            "tax": "",
        },
        2,
        width=820,
    ),
    Sample(
        "my-electrical",
        "unseen",
        (
            "CAHAYA TERANG ELECTRICAL & TRADING (002678901-M)",
            "No. 3, Jalan Bunga Raya, 75100 Melaka. Tel: 06-282 1234",
            "",
            "INVOICE",
            "Date: 10 May 2024",
            "LED BULB 12W 4 X 7.50|30.00",
            "EXTENSION PLUG 1 X 18.00|18.00",
            "!TOTAL|RM48.00",
        ),
        {
            "merchant": "CAHAYA TERANG ELECTRICAL & TRADING",
            "address": "No. 3, Jalan Bunga Raya, 75100 Melaka.",
            "date": "2024-05-10",
            "total": "48.00",
            "currency": "MYR",
            "tax": "",
        },
        2,
        width=900,
    ),
    Sample(
        "my-optical",
        "unseen",
        (
            "LEE & SONS OPTICAL CO.",
            "(001987654-D)",
            "No. 21, Jalan Tun Sambanthan,",
            "Brickfields, 50470 Kuala Lumpur",
            "Tel : 03-2274 1234",
            "",
            "OFFICIAL RECEIPT",
            "Receipt No. : OR-2311",
            "Date : 11 MAY 2024",
            "Spectacle frame 1 x 180.00|180.00",
            "Lens (pair) 1 x 220.00|220.00",
            "GRAND TOTAL|RM 400.00",
            "Paid by: Debit Card|400.00",
        ),
        {
            "merchant": "LEE & SONS OPTICAL CO.",
            "address": "No. 21, Jalan Tun Sambanthan, Brickfields, 50470 Kuala Lumpur",
            "date": "2024-05-11",
            "total": "400.00",
            "currency": "MYR",
            "tax": "",
        },
        2,
        left=True,
    ),
    Sample(
        "my-seafood",
        "seen",
        (
            "!RESTORAN MAKANAN LAUT",
            "!TELUK GEDONG (M) SDN BHD",
            "Co. No. 456789-H",
            "Lot 2088, Jalan Pantai Remis,",
            "Kampung Sungai Buaya,",
            "42920 Pulau Indah, Selangor",
            "Tel: 03-3101 2345",
            "",
            "Bill No: 2024/0512-33",
            "Date: 12/05/2024  Time: 20:41",
            "Ikan Siakap Stim 1 x 68.00|68.00",
            "Sotong Goreng 1 x 28.00|28.00",
            "Nasi Putih 4 x 2.00|8.00",
            "Subtotal|104.00",
            "SST 6%|6.24",
            "Rounding|0.01",
            "!AMOUNT DUE|RM 110.25",
        ),
        {
            "merchant": "RESTORAN MAKANAN LAUT TELUK GEDONG (M) SDN BHD",
            "address": "Lot 2088, Jalan Pantai Remis, Kampung Sungai Buaya, 42920 Pulau Indah, "
            "Selangor",
            "date": "2024-05-12",
            "total": "110.25",
            "currency": "MYR",
            "tax": "6.24",
        },
        3,
    ),
    Sample(
        "my-dobi",
        "unseen",
        (
            "DOBI BERSIH CEMERLANG",
            "SSM: 202303012345 (JM0987654-A)",
            "12A, Jalan Mawar 1, Taman Mawar,",
            "86000 Kluang, Johor",
            "WhatsApp: 012-345 6789",
            "",
            "13/05/2024 09:12",
            "Cuci & Lipat 5kg 1 x 15.00|15.00",
            "Cadar 2 x 8.00|16.00",
            "TOTAL|31.00",
            "DuitNow QR|31.00",
        ),
        {
            "merchant": "DOBI BERSIH CEMERLANG",
            "address": "12A, Jalan Mawar 1, Taman Mawar, 86000 Kluang, Johor",
            "date": "2024-05-13",
            "total": "31.00",
            "currency": "MYR",
            "tax": "",
        },
        2,
        left=True,
    ),
    Sample(
        "my-autoparts",
        "unseen",
        (
            "!SOON HUAT AUTO PARTS SDN BHD",
            "(312345-U)",
            "GST REG NO: 000912345678",
            "NO. 9, JALAN PERUSAHAAN 4,",
            "KAWASAN PERINDUSTRIAN JELAPANG,",
            "30020 IPOH, PERAK DARUL RIDZUAN.",
            "TEL: 05-526 1234  FAX: 05-526 1235",
            "",
            "TAX INVOICE",
            "Invoice No: SI-18873",
            "Date: 14/05/2024",
            "MINYAK HITAM 4L 1 X 85.00|85.00",
            "PENAPIS MINYAK 1 X 18.00|18.00",
            "TOTAL EXCL. GST|103.00",
            "GST 6%|6.18",
            "TOTAL INCL. GST|109.18",
        ),
        {
            "merchant": "SOON HUAT AUTO PARTS SDN BHD",
            "address": "NO. 9, JALAN PERUSAHAAN 4, KAWASAN PERINDUSTRIAN JELAPANG, 30020 IPOH, "
            "PERAK DARUL RIDZUAN.",
            "date": "2024-05-14",
            "total": "109.18",
            "currency": "MYR",
            "tax": "6.18",
        },
        2,
        width=820,
    ),
    Sample(
        "my-bubbletea",
        "unseen",
        (
            "Teh Madu Bubble Tea",
            "G-08, Paradigm Mall,",
            "Jalan SS 7/26A, Kelana Jaya,",
            "47301 Petaling Jaya, Selangor",
            "",
            "Order #A123",
            "2024-05-15 16:20:05",
            "Brown Sugar Boba L 2 x 11.90|23.80",
            "Total|RM 23.80",
            "Touch 'n Go eWallet|RM 23.80",
        ),
        {
            "merchant": "Teh Madu Bubble Tea",
            "address": "G-08, Paradigm Mall, Jalan SS 7/26A, Kelana Jaya, 47301 Petaling Jaya, "
            "Selangor",
            "date": "2024-05-15",
            "total": "23.80",
            "currency": "MYR",
            "tax": "",
        },
        1,
        left=True,
    ),
    Sample(
        "my-runcit3",
        "unseen",
        (
            "!KEDAI RUNCIT 3 SAUDARA",
            "NO. 5, JALAN BESAR,",
            "28400 MENTAKAB,",
            "PAHANG.",
            "",
            "16-05-2024",
            "GULA 1KG 2 X 2.85|5.70",
            "TEPUNG GANDUM 1KG 1 X 2.70|2.70",
            "TOTAL RM|8.40",
        ),
        {
            "merchant": "KEDAI RUNCIT 3 SAUDARA",
            "address": "NO. 5, JALAN BESAR, 28400 MENTAKAB, PAHANG.",
            "date": "2024-05-16",
            "total": "8.40",
            "currency": "MYR",
            "tax": "",
        },
        2,
    ),
)

STYLES = ("clean", "photo")


def draw(sample: Sample, style: str) -> bytes:
    """The page as an encoded image: PNG when clean, JPEG when photographed."""
    face, bold = (
        ("DejaVuSansMono.ttf", "DejaVuSansMono-Bold.ttf")
        if style == "clean"
        else ("DejaVuSansCondensed.ttf", "DejaVuSansCondensed-Bold.ttf")
    )
    small = ImageFont.truetype(str(FONTS / face), 22)
    large = ImageFont.truetype(str(FONTS / bold), 30)
    width = sample.width
    page = Image.new("L", (width, 80 + 40 * len(sample.rows)), 255)
    pen = ImageDraw.Draw(page)
    y = 40
    for text in sample.rows:
        font = large if text.startswith("!") else small
        text = text.lstrip("!")
        if "<>" in text:
            left, right = text.split("<>")
            pen.text((30, y), left, font=font, fill=0)
            pen.text((int(width * 0.62), y), right, font=small, fill=0)
        elif "|" in text:
            label, amount = text.split("|")
            pen.text((30, y), label, font=font, fill=0)
            pen.text((width - 30 - pen.textlength(amount, font=font), y), amount, font=font, fill=0)
        elif text and sample.left:
            pen.text((30, y), text, font=font, fill=0)
        elif text:
            pen.text(((width - pen.textlength(text, font=font)) / 2, y), text, font=font, fill=0)
        y += 46 if font is large else 38
    out = io.BytesIO()
    if style == "clean":
        page.save(out, "PNG")
        return out.getvalue()
    photo = page.rotate(1.0, expand=True, fillcolor=255, resample=Image.Resampling.BICUBIC)
    photo = photo.filter(ImageFilter.GaussianBlur(0.8)).point(lambda v: 60 + v * 170 // 255)
    photo.save(out, "JPEG", quality=70)
    return out.getvalue()


def read(sample: Sample, style: str) -> dict[str, object]:
    document = ocr.run(draw(sample, style), ocr.OcrOptions(engine="auto"))
    found = document.receipt
    got: dict[str, object] = dict.fromkeys(FIELDS, "")
    if found is not None:
        for name in FIELDS:
            field = found.field(name)
            got[name] = field.value if field is not None else ""
        got["items"] = len(found.items)
        got["check"] = found.totals_check
    return got


def run(show: bool) -> list[tuple[Sample, str, dict[str, object]]]:
    results = []
    for sample in SAMPLES:
        for style in STYLES:
            got = read(sample, style)
            results.append((sample, style, got))
            if show:
                wrong = {n: got[n] for n in FIELDS if not same(n, sample.keys[n], str(got[n]))}
                print(sample.name, style, wrong or "all right", got.get("items"), got.get("check"))
    return results


def report(results: list[tuple[Sample, str, dict[str, object]]]) -> str:
    lines = [
        "Receipts and invoices of other countries, drawn and read end to end "
        "(`bench/receipts_world.py`; right / pages).",
        "",
        "| group | style | pages | merchant | address | date | total | currency | tax "
        "| items add up | items counted |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for group in ("seen", "unseen"):
        for style in STYLES:
            chosen = [(s, g) for s, st, g in results if s.group == group and st == style]
            n = len(chosen)
            cells = [f"{sum(same(f, s.keys[f], str(g[f])) for s, g in chosen)}/{n}" for f in FIELDS]
            ok = sum(g.get("check") == "ok" for _, g in chosen)
            counted = sum(g.get("items") == s.items for s, g in chosen)
            lines.append(
                f"| {group} | {style} | {n} | {' | '.join(cells)} | {ok}/{n} | {counted}/{n} |"
            )
    misses = [
        f"{s.name} ({style}): {f} {g[f]!r}"
        for s, style, g in results
        if s.group == "unseen"
        for f in FIELDS
        if not same(f, s.keys[f], str(g[f]))
    ]
    lines += [
        "",
        "Unseen misses: " + ("; ".join(misses) if misses else "none") + ".",
        "",
        f"Command: `.venv/bin/python bench/receipts_world.py --write` (engine auto); machine: "
        f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
        f"{dt.date.today().isoformat()}.",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="write BENCHMARKS.md")
    parser.add_argument("--show", action="store_true", help="print each page's misses")
    args = parser.parse_args()
    text = report(run(args.show))
    print(text)
    if args.write:
        write_section("receipts-world", text)


if __name__ == "__main__":
    main()
