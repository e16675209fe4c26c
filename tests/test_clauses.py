"""The clause and statement around a mention, as the checks cut them from real listings."""

from listcheck.text.clauses import any_in_clause, clause_around, statement_start
from listcheck.text.words import WordSet
from listcheck.text.normalize import fold


def span(text, part):
    start = text.index(part)
    return start, start + len(part)


def test_an_option_mark_in_brackets_belongs_to_the_statement_before_it():
    text = fold("2.5k高清屏，120Hz高刷新率（可选），RTX2050独显（可选）")
    assert clause_around(text, *span(text, "120hz")) == "120hz高刷新率(可选"
    assert any_in_clause(WordSet(["可选"]), text, *span(text, "120hz"))
    assert not any_in_clause(WordSet(["可选"]), text, *span(text, "2.5k"))


def test_a_comma_inside_a_number_does_not_end_the_clause():
    text = fold("See the 2TB model, only $1,299 today, optional stand")
    assert clause_around(text, *span(text, "$1,299")) == " only $1,299 today"
    assert not any_in_clause(WordSet(["optional"]), text, *span(text, "$1,299"))


def test_a_statement_starts_after_the_last_comma_but_not_at_a_bracket():
    text = fold("16G大内存，512G")
    assert text[statement_start(text, text.index("512g")):].startswith("512g")
    text = fold("净含量(g)：500g")
    assert statement_start(text, text.index("500g")) == 0
