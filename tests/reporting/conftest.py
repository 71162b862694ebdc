from tests.reception.conftest import add_entry, morning, open_session, plan  # noqa: F401
from tests.visits.conftest import group, make_interview, make_visit  # noqa: F401
