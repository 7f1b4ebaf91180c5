"""Unit tests for qa.outlets: one definition of an outlet's and a paper's name, which the
byline's outlet after a job title, the paper's name beside the byline, after the byline's names
and before a date all read."""

from __future__ import annotations

import pytest

from qa.outlets import outlet_name, paper_name, paper_not_person

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("text", "outlet", "paper"),
    [
        ("The Lowland Herald", True, True),
        ("Marlow Evening Post", True, True),
        ("The Times of London", True, False),  # ends in a place: after a job title only
        ("Voice of the Valley Gazette", True, True),  # "the" inside, as after a job title
        ("Post and Courier", True, True),
        ("Pittsburgh Post-Gazette", True, True),  # the word after the hyphen
        ("Bloomberg", True, False),  # an outlet after a job title, no paper's name by itself
        ("Gazette", True, False),  # one word: a section's label as much as a paper
        ("New York", True, False),  # a place
        ("and Li Wei", False, False),  # another author
        ("The Evening Post said on Friday", False, False),  # a sentence
        ("One Two Three Four Five Six Seven Eight Times", False, False),  # past eight words
    ],
)
def test_an_outlets_and_a_papers_name(text: str, outlet: bool, paper: bool) -> None:
    assert (outlet_name(text), paper_name(text)) == (outlet, paper)


@pytest.mark.parametrize(
    ("text", "paper"),
    [
        ("Dale Valley Gazette", True),
        ("Harbour Times", True),
        ("The Denver Post", True),  # "The": no person's name
        ("Yorkshire Evening Post", True),  # a paper's word before a family name
        ("Daily Star", True),
        ("Tom Post", False),  # "Post", "Press", "Star" are family names too
        ("Denver Post", False),  # cannot be told from a person's name
        ("Frank Press", False),
        ("Ana Cruz", False),
    ],
)
def test_a_papers_name_that_cannot_be_a_persons(text: str, paper: bool) -> None:
    assert paper_not_person(text) is paper
