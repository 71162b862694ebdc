"""The API's category and channel filters read the id first; an unknown code lists nothing."""


def test_api_filter_by_code(client_for, make_case):
    make_case()
    make_case(category="housing")
    desk = client_for("desk")
    assert desk.get("/api/v1/cases/?category=wages").json()["count"] == 1
    assert desk.get("/api/v1/cases/?category=housing&channel=reception_day").json()["count"] == 1
    assert desk.get("/api/v1/cases/?channel=nope").json()["count"] == 0
    assert desk.get("/api/v1/cases/?category=nope").json()["results"] == []
