from __future__ import annotations

import pytest

from qa.followups import (
    Rewrite,
    is_follow_up,
    name_alone,
    refers_back,
    rewrite_follow_up,
    standalone_question,
    swap_named,
)
from qa.models import Turn
from qa.settings import ConversationSettings

FIRST = Turn(question="How many trees did the orchard growers lose to frost?", answer="…")


@pytest.mark.unit
@pytest.mark.parametrize(
    "question",
    [
        "And what did the province say to that?",
        "What did they ask for?",
        "Why?",
        "What about the vineyards?",
        "How much did it cost?",
    ],
)
def test_questions_that_lean_on_the_conversation_are_follow_ups(question: str) -> None:
    assert is_follow_up(question)


@pytest.mark.unit
def test_a_self_contained_question_is_not_a_follow_up() -> None:
    assert not is_follow_up("How many apple growers in the valley applied for frost relief?")


@pytest.mark.unit
def test_follow_up_is_searched_with_the_previous_question() -> None:
    rewritten = standalone_question("And what did the province say to that?", [FIRST])
    assert rewritten is not None
    assert rewritten.startswith("And what did the province say to that?")
    assert "orchard growers lose to frost" in rewritten


@pytest.mark.unit
def test_no_history_or_standalone_question_means_no_rewrite() -> None:
    assert standalone_question("And what did the province say to that?", []) is None
    standalone = "How many apple growers in the valley applied for frost relief?"
    assert standalone_question(standalone, [FIRST]) is None


@pytest.mark.unit
def test_only_the_latest_turn_is_used() -> None:
    older = Turn(question="Who runs the ferry to the island?", answer="…")
    rewritten = standalone_question("What did they say?", [older, FIRST])
    assert rewritten is not None
    assert "ferry" not in rewritten
    assert "frost" in rewritten


@pytest.mark.unit
def test_a_chain_of_follow_ups_is_read_back_to_the_question_that_stood_alone() -> None:
    older = Turn(question="Who runs the ferry to the island?", answer="…")
    chained = Turn(question="How many boats does it have?", answer="…")
    rewritten = standalone_question("And what did they say about the fares?", [older, chained])
    assert rewritten == (
        "And what did they say about the fares? "
        "(following: How many boats does it have; Who runs the ferry to the island)"
    )
    # a question that stood alone ends the chain
    rewritten = standalone_question("What did they say?", [older, FIRST])
    assert rewritten is not None and "ferry" not in rewritten


@pytest.mark.unit
def test_a_chain_names_each_earlier_question_once_and_skips_empty_ones() -> None:
    again = Turn(question="What about it?", answer="…")
    empty = Turn(question="", answer="…")
    rewritten = standalone_question("And then?", [FIRST, again, again])
    assert rewritten == (
        "And then? (following: What about it; How many trees did the orchard growers lose to frost)"
    )
    assert standalone_question("And then?", [empty]) is None


RUTTE = Turn(question="Who is Mark Rutte?", answer="Mark Rutte is the secretary general of NATO.")


@pytest.mark.unit
@pytest.mark.parametrize(
    "question",
    ["What is the GDP of Brazil?", "When did Oakhaven open?", "How big was the 2019 harvest?"],
)
def test_a_short_question_with_a_name_or_number_of_its_own_stands_alone(question: str) -> None:
    assert not is_follow_up(question)
    assert standalone_question(question, [RUTTE, FIRST]) is None


@pytest.mark.unit
def test_a_person_pronoun_is_replaced_by_the_name_in_the_previous_question() -> None:
    rewrite = rewrite_follow_up("What did he say about North Korean troops?", [RUTTE])
    assert rewrite == Rewrite("What did Mark Rutte say about North Korean troops?", True)
    rewrite = rewrite_follow_up("What did her office announce?", [RUTTE])
    assert rewrite is not None and rewrite.text == "What did Mark Rutte’s office announce?"


@pytest.mark.unit
def test_without_a_name_in_the_question_the_answer_names_who_is_meant() -> None:
    asked = Turn(question="Who led the observatory team?", answer="Dr. Amara Okonjo led it.")
    rewrite = rewrite_follow_up("Where did she study?", [asked])
    assert rewrite == Rewrite("Where did Dr. Amara Okonjo study?", True)


@pytest.mark.unit
def test_a_pronoun_with_no_name_to_point_at_reads_the_question_with_the_previous_one() -> None:
    rewrite = rewrite_follow_up("When was that?", [FIRST])
    assert rewrite is not None and not rewrite.standalone
    assert rewrite.text == (
        "When was that? (following: How many trees did the orchard growers lose to frost)"
    )


@pytest.mark.unit
def test_with_several_names_before_the_pronoun_is_left_and_read_with_the_conversation() -> None:
    asked = Turn(
        question="What did Zelenskyy say about North Korean troops?",
        answer="A day before South Korea’s announcement, Zelenskyy cited intelligence reports.",
    )
    rewrite = rewrite_follow_up("And what did he say about it?", [asked])
    assert rewrite is not None and not rewrite.standalone
    assert rewrite.text.startswith("And what did he say about it? (following: ")
    assert rewrite.conversation == (
        "What did Zelenskyy say about North Korean troops? And what did he say about it?"
    )


@pytest.mark.unit
@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("The closest paragraphs are listed. The ministry said so.", []),
        ("Now he is back in New York for a 10th marathon.", ["New York"]),
        (
            "In Moscow, Kremlin spokesman Dmitry Peskov said it.",
            ["Moscow", "Kremlin", "Dmitry Peskov"],
        ),
        ("Who is Mark Rutte?", ["Mark Rutte"]),
    ],
)
def test_a_capitalised_function_word_opening_a_sentence_is_not_a_name(
    text: str, found: list[str]
) -> None:
    from qa.followups import names

    assert names(text) == found


@pytest.mark.unit
@pytest.mark.parametrize(
    "refusal",
    [
        "The articles do not hold enough evidence to answer this. The closest paragraphs are "
        "listed so you can look for yourself.",
        "The articles do not hold enough evidence to answer this: no sentence answers it. The "
        "closest paragraphs are from “Guterres warns Russia”.",  # as /v1 words it
    ],
)
def test_a_refusal_carried_back_is_no_answer_to_take_a_name_from(refusal: str) -> None:
    from qa.question import analyse_question

    history = [Turn(question="Where was the UN chief born?", answer=refusal)]
    analysis = analyse_question("Who is he?", history, max_chars=500, max_history_turns=10)
    assert analysis.rewritten is not None
    assert "The" not in analysis.rewritten.split("(")[0]  # not "Who is The?"
    assert analysis.history[0].answer == "" and analysis.history[0].question


@pytest.mark.unit
def test_an_initialism_is_not_whom_a_person_pronoun_means() -> None:
    history = [Turn(question="Where was the UN chief born?", answer="")]
    rewrite = rewrite_follow_up("Who is he?", history)
    assert rewrite is not None and "Who is UN" not in rewrite.text
    # beside a person's name, an organisation's initialism leaves that one name
    named = [Turn(question="What did NATO chief Mark Rutte say?", answer="")]
    assert standalone_question("What did he add?", named) == "What did Mark Rutte add?"


@pytest.mark.unit
@pytest.mark.parametrize(
    ("question", "points_back"),
    [
        ("Who signed the treaty?", False),  # short, so read as a follow-up, but names its subject
        ("Who led the team?", False),
        ("Who signed it?", True),
        ("And the embassy?", True),
        ("What did he say?", True),
        ("What about those reports?", True),
    ],
)
def test_refers_back_only_on_a_pronoun_or_an_opening_and(question: str, points_back: bool) -> None:
    assert is_follow_up(question)
    assert refers_back(question) is points_back


@pytest.mark.unit
def test_after_a_who_question_the_pronoun_is_the_person_answered_not_a_name_asked_about() -> None:
    asked = Turn(
        question="Who is the Kremlin spokesman?",
        answer="Kremlin spokesman Dmitry Peskov dismissed the reports.",
    )
    # the answer names two: which one "he" is, is not a rule's call, so no name is put in
    rewrite = rewrite_follow_up("What did he say about North Korea?", [asked])
    assert rewrite is not None and not rewrite.standalone
    assert "Kremlin say" not in rewrite.text
    led = Turn(question="Who led the Kremlin team?", answer="It was led by Dmitry Peskov.")
    rewrite = rewrite_follow_up("What did he say?", [led])
    assert rewrite == Rewrite("What did Dmitry Peskov say?", True)
    # asking who a name is: the name is whom "he" means
    rewrite = rewrite_follow_up("What did he say?", [RUTTE])
    assert rewrite == Rewrite("What did Mark Rutte say?", True)


@pytest.mark.unit
def test_a_pronoun_after_a_pronoun_means_the_same_person() -> None:
    said = Turn(question="What did he say about North Korea?", answer="")
    rewrite = rewrite_follow_up("When did he dismiss the speculation?", [RUTTE, said])
    assert rewrite == Rewrite("When did Mark Rutte dismiss the speculation?", True)
    # not "North Korea", the one name of the question before
    rewrite = rewrite_follow_up("When did he dismiss the speculation?", [said])
    assert rewrite is not None and "North Korea dismiss" not in rewrite.text


# --- "What about NATO?": the earlier question asked of another name ----------------------------

REACTED = Turn(question="How did Moravia react to the harbour tolls?", answer="…")
SPOKESMAN = Turn(
    question="What did Tarvel chief Ines Varga say about the Brenna ferry fares?", answer="…"
)


@pytest.mark.unit
@pytest.mark.parametrize(
    ("question", "earlier", "asked_again", "name"),
    [
        ("What about Ostland?", REACTED, "How did Ostland react to the harbour tolls?", "Ostland"),
        ("And Ostland?", REACTED, "How did Ostland react to the harbour tolls?", "Ostland"),
        ("And Ostland's?", REACTED, "How did Ostland react to the harbour tolls?", "Ostland"),
        ("And Ostland...?", REACTED, "How did Ostland react to the harbour tolls?", "Ostland"),
        # the article comes with the name when the earlier question has none before its own
        ("How about the U.N.?", REACTED, "How did the U.N. react to the harbour tolls?", "U.N."),
        # the first name, whatever it is: a rule, shown to the reader as the rewrite
        (
            "What about Tomas Breckner?",
            SPOKESMAN,
            "What did Tomas Breckner chief Ines Varga say about the Brenna ferry fares?",
            "Tomas Breckner",
        ),
        # not an adjective of a name
        (
            "And Ostland?",
            Turn(question="What did the Moravian envoy say to Vester?", answer="…"),
            "What did the Moravian envoy say to Ostland?",
            "Ostland",
        ),
        # unless the name is given as a possessive ("And Scotland's?" for "the Irish edition")
        (
            "And Ostland's?",
            Turn(question="Who edits the Moravian edition of The Sunday Courier?", answer="…"),
            "Who edits the Ostland edition of The Sunday Courier?",
            "Ostland",
        ),
        # a weekday inside a name is no time ("The Sunday Courier")
        (
            "And Vester?",
            Turn(question="Who edits the Moravian edition of The Sunday Courier?", answer="…"),
            "Who edits the Moravian edition of The Vester?",
            "Vester",
        ),
    ],
)
def test_another_name_alone_asks_the_earlier_question_of_it(
    question: str, earlier: Turn, asked_again: str, name: str
) -> None:
    rewrite = rewrite_follow_up(question, [earlier])
    assert rewrite == Rewrite(
        asked_again, standalone=True, earlier=(earlier.question,), swapped_in=name
    )


@pytest.mark.unit
@pytest.mark.parametrize(
    ("question", "earlier"),
    [
        ("What about the vineyards?", REACTED),  # no name: read with the conversation
        ("And when?", REACTED),
        ("And what did he say?", REACTED),
        ("And Why?", REACTED),  # a question word, capitalised, is no name
        ("And The?", REACTED),
        ("What about Monday?", REACTED),  # another time, not a name
        ("And in March?", REACTED),
        ("What about Moravia?", REACTED),  # the name already asked about
        ("What about Ines?", SPOKESMAN),  # part of a name already asked about
        # its only name is an adjective: nothing to put the name in place of
        ("And Ostland?", Turn(question="How old is the Moravian envoy?", answer="…")),
    ],
)
def test_no_swap_without_a_new_name_alone(question: str, earlier: Turn) -> None:
    assert swap_named(question, [earlier]) is None


@pytest.mark.unit
def test_a_chain_of_what_abouts_asks_each_of_the_first_question() -> None:
    history = [REACTED, Turn(question="What about Ostland?", answer="…")]
    swapped = swap_named("And Vester?", history)
    assert swapped is not None
    assert (swapped.text, swapped.earlier) == (
        "How did Vester react to the harbour tolls?",
        REACTED.question,
    )


@pytest.mark.unit
def test_the_earlier_question_is_read_as_it_was_answered() -> None:
    """ "What did he say…?" after "Who is Ines Varga?" was answered as Ines Varga's words: the
    name given takes her place, not the topic's."""
    history = [
        Turn(question="Who is Ines Varga?", answer="…"),
        Turn(question="What did he say about Brenna?", answer="…"),
    ]
    swapped = swap_named("What about Tomas Breckner?", history)
    assert swapped is not None
    assert swapped.text == "What did Tomas Breckner say about Brenna?"


@pytest.mark.unit
def test_an_earlier_question_without_a_name_or_the_setting_off_leaves_the_reading_as_it_was() -> (
    None
):
    plain = [Turn(question="How did the growers react to the frost?", answer="…")]
    assert swap_named("What about Ostland?", plain) is None
    off = ConversationSettings(swap_named=False)
    rewrite = rewrite_follow_up("What about Ostland?", [REACTED], off)
    assert rewrite is not None and not rewrite.standalone
    assert (
        rewrite.text
        == "What about Ostland? (following: How did Moravia react to the harbour tolls)"
    )


@pytest.mark.unit
@pytest.mark.parametrize(
    ("question", "name"),
    [
        ("And the Joint Staff of Ostland?", "Joint Staff of Ostland"),  # "of" inside a name
        ("What about the Bank for Vester Trade?", "Bank for Vester Trade"),
        ("How about the Office of the Harbour Master?", "Office of the Harbour Master"),
        ("And the rest of Ostland?", None),  # a lowercase word first: no name alone
        ("And Ostland and Vester?", None),  # two names: not one to put in place
    ],
)
def test_a_name_alone_may_hold_of_or_for(question: str, name: str | None) -> None:
    assert name_alone(question) == name


@pytest.mark.unit
@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Tell me more", []),
        ("Give me the details.", []),
        ("Please explain what Ines Varga said.", ["Ines Varga"]),
        ("Okay, tell me more", []),
        ("Anything else?", []),
        ("Thanks. What did Ines Varga say?", ["Ines Varga"]),
    ],
)
def test_a_request_opening_a_turn_is_not_a_name(text: str, found: list[str]) -> None:
    from qa.followups import names

    assert names(text) == found


@pytest.mark.unit
def test_a_pronoun_after_a_request_for_more_means_the_person_before_it() -> None:
    said = Turn(question="What did Ines Varga say about the ferry fares?", answer="…")
    more = Turn(question="Tell me more", answer="")  # refused
    rewrite = rewrite_follow_up("What else did he say?", [said, more])
    assert rewrite == Rewrite("What else did Ines Varga say?", True)
    # not "What else did Tell say?"
    when = Turn(question="When?", answer="On Monday, the harbour board said so.")
    assert standalone_question("What did she add?", [said, when]) == "What did Ines Varga add?"


@pytest.mark.unit
@pytest.mark.parametrize(
    ("earlier", "follow_up", "rewritten"),
    [
        (
            "What did Mayor Henryk Ørsted say about the bridge?",
            "What else did he say?",
            "What else did Mayor Henryk Ørsted say?",
        ),
        ("Who is Émile Vautrin?", "What did he promise?", "What did Émile Vautrin promise?"),
        ("What did Łucja Brzeska say?", "Why did she resign?", "Why did Łucja Brzeska resign?"),
    ],
)
def test_a_name_that_opens_with_a_capital_outside_a_to_z_is_whole(
    earlier: str, follow_up: str, rewritten: str
) -> None:
    # [A-Z] took "Mayor Henryk" for the name and left "Ørsted" out, and saw no name in "Émile"
    assert standalone_question(follow_up, [Turn(question=earlier, answer="…")]) == rewritten


@pytest.mark.unit
def test_another_name_alone_may_open_with_a_capital_outside_a_to_z() -> None:
    earlier = Turn(question="How did Gdańsk react to the ferry strike?", answer="…")
    assert name_alone("What about Łódź?") == "Łódź"
    swap = swap_named("And Östersund?", [earlier])
    assert swap is not None and swap.text == "How did Östersund react to the ferry strike?"


@pytest.mark.unit
@pytest.mark.parametrize(
    "answer",
    [
        "Dr. Lena Marsh, the harbour's engineer, said dredging would begin in March 2027. [1]",
        "On Tuesday, Lena Marsh told the board the crane was unsafe. [1]",
        "Lena Marsh, who joined in Sept. 2019, runs the dredging crews. [1]",
    ],
)
def test_a_day_or_month_in_the_answer_is_no_second_person(answer: str) -> None:
    # "March", "Tuesday" and "Sept." counted as names, so the answer named "several" people and
    # "she" was left unread
    asked = Turn(question="Who is the harbour's engineer?", answer=answer)
    rewrite = rewrite_follow_up("What did she say about the crane?", [asked])
    assert rewrite is not None and "Lena Marsh say about the crane" in rewrite.text
