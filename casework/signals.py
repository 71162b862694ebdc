"""What casework announces. Receivers run inside the service's transaction.

``stage_entered(case, stage, unit, at)``: a clock should start. Receivers may set
``case.due_at`` on the instance (it is saved by the service right after); the default
from ``casework.deadlines`` applies otherwise.
``stage_left(case, stage, at, result)``: the clock of that stage stops.
``case_event(case, action, actor, reason, from_status)``: any recorded change, after the
case row has been saved (for notifications and audit hooks).
``personal_data_viewed(case, user, kind, ip)``: a page showed the worker's unmasked
personal data (``rules.can_see_personal_data``); the reports app keeps the access log.
"""

from django.dispatch import Signal

stage_entered = Signal()
stage_left = Signal()
case_event = Signal()
personal_data_viewed = Signal()
