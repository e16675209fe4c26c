"""`when` filters: field tests decided together, category prefixes decided once."""

from __future__ import annotations

from listcheck.model import Product


def test_when_field_tests_decide_present_absent_and_values_together():
    """FieldTests decides the field part of many `when` filters at once: every filter must get
    what it alone would say (present = all filled, absent = all empty, values = all match)."""
    from listcheck.ruleset.schema import When
    from listcheck.ruleset.when import FieldTests, WhenFilter

    filters = {
        1 << 0: When(present=["spec.labels", "spec.ingredients"]),
        1 << 1: When(absent=["spec.evidence", "return_policy.exemption"]),
        1 << 2: When(present=["spec.certifications.ccc"]),  # a deeper spec path
        1 << 3: When(present=["bullets"], absent=["spec.labels"]),
        1 << 4: When(values={"spec.cosmetic_class": "special"}),
        1 << 5: When(present=["spec.labels"], values={"return_policy.exemption": ["perishable", "custom"]}),
    }
    tests = FieldTests([(WhenFilter(when), mask) for mask, when in filters.items()])
    cases = [
        ({"sku": "A"}, {1}),
        ({"sku": "B", "spec": {"labels": ["vegan"], "ingredients": "oats"}}, {0, 1}),
        ({"sku": "C", "spec": {"labels": [], "ingredients": "oats", "evidence": " "}}, {1}),  # empty list, blank text
        ({"sku": "D", "spec": {"labels": None, "certifications": {"ccc": "2024011"}}, "bullets": ["x"]}, {1, 2, 3}),
        ({"sku": "E", "spec": {"cosmetic_class": " Special ", "labels": ["x"]},
          "return_policy": {"exemption": "Perishable"}}, {4, 5}),
        ({"sku": "F", "spec": {"evidence": "study"}, "return_policy": {"exemption": "other"}}, set()),
    ]
    for record, expected in cases:
        allowed = tests.allowed(Product.model_validate(record))
        assert {bit for bit in range(6) if allowed >> bit & 1} == expected, record["sku"]


def test_categories_under_the_same_filter_prefixes_pass_the_same_filters():
    # The engine caches a placement's verdict by which of the filters' category prefixes the
    # category is under (when.prefixes_under); that must decide every category test.
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from listcheck.ruleset.schema import When
    from listcheck.ruleset.when import WhenFilter, prefixes_under

    segment = st.sampled_from(["food", "fresh-food", "baby", "food-x", "formula", "seafood", "a"])
    path = st.lists(segment, min_size=1, max_size=3).map("/".join)
    category = st.one_of(st.none(), st.just(""), path)

    @settings(max_examples=300, deadline=None)
    @given(st.lists(st.tuples(st.lists(path, max_size=2), st.lists(path, max_size=2)), min_size=1, max_size=4),
           category, category)
    def check(filters, first, second):
        whens = [WhenFilter(When(category=inside or None, not_category=outside or None)) for inside, outside in filters]
        prefixes = tuple(sorted({p for w in whens for p in (w.category or ()) + (w.not_category or ())}))
        if prefixes_under(first, prefixes) == prefixes_under(second, prefixes):
            for when in whens:
                assert when.placement_allows(first, "", None, "") == when.placement_allows(second, "", None, "")

    check()
