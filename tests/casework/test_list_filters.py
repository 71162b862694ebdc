"""The filter bar's category and channel: by id when the bar lists them, by code otherwise
(an inactive one), with the same rows either way."""

from casework.models import Case, Category, Channel
from casework.views.lists import apply_filters


def _bar():
    return {
        "categories": list(Category.objects.filter(active=True)),
        "channels": list(Channel.objects.filter(active=True)),
    }


def test_category_and_channel_filters_by_id_or_code(make_case):
    make_case()
    make_case(category="housing")
    cases = Case.objects.all()
    for category in Category.objects.values_list("code", flat=True):
        for channel in ["", *Channel.objects.values_list("code", flat=True)]:
            f = {"category": category, "channel": channel}
            expected = cases.filter(category__code=category)
            if channel:
                expected = expected.filter(channel__code=channel)
            got = apply_filters(cases, f, context=_bar())
            assert set(got.values_list("pk", flat=True)) == set(expected.values_list("pk", flat=True))
    wages = Category.objects.get(code="wages")
    wages.active = False
    wages.save()
    assert (
        apply_filters(cases, {"category": "wages"}, context=_bar()).count() == cases.filter(category=wages).count() == 1
    )
    assert apply_filters(cases, {"category": "nope"}, context=_bar()).count() == 0
