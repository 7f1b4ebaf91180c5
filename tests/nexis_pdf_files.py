"""A Nexis Uni export saved as PDF, as the tests know it: the articles of
tests/fixtures/pdf/nexis-export.pdf (printed by tests/fixtures/make_pdfs.py from the same
lines Nexis gives its Word export, tests/word_files.py), so that a test can make the Word export
of the same articles and compare. The articles are invented."""

from __future__ import annotations

from pathlib import Path

from tests.word_files import FERRY, LIGHTHOUSE, NexisItem

NEXIS_PDF = Path(__file__).resolve().parent / "fixtures" / "pdf" / "nexis-export.pdf"
SEARCH_HEADER = "Nexis Uni search: harbour OR ferry OR sea wall"

SEAWALL = NexisItem(
    title="Vessby sea wall to be raised by a metre",
    source="The Brindle Coast Courier",
    date_line="January 8, 2021 Friday",
    byline="By Petra Holm",
    paragraphs=[
        "The sea wall along the south beach of Vessby will be raised by one metre over the next "
        "two summers, the county council decided on Thursday, after the winter storms twice "
        "sent waves over the promenade and into the shops behind it.",
        *[
            f"Council member {name} said the work would be done in stages so that the beach "
            "stays open to bathers in July and August, and that the stone for the wall would "
            "come from the quarry at Harrow, which reopened last year after a decade closed."
            for name in (
                "Ola Berg",
                "Siri Dahl",
                "Nils Ek",
                "Maja Lund",
                "Tor Vik",
                "Eva Sand",
                "Kai Strom",
                "Lina Fors",
                "Olof Nyman",
                "Rut Hedin",
                "Jan Alm",
                "Ebba Lind",
            )  # fmt: skip
        ],
        "The engineers' report, which the council published with its decision, puts the cost of "
        "the first stage at 3.1 million crowns and the second at 2.7 million, to be shared "
        "between the county and the national flood fund, which has already promised its half "
        "of the money for the first summer and will decide on the second in the spring of next "
        "year once the first stage has been inspected by its own engineers and by the county.",
        "Shop owners on the promenade welcomed the decision but asked for the work to start "
        "after the Easter market.",
    ],
)
PDF_EXPORT = [LIGHTHOUSE, FERRY, SEAWALL]
