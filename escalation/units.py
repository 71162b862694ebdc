"""How a time limit is counted (shared by the calendar and the policy model)."""


class LengthUnit:
    CALENDAR_DAYS = "calendar_days"
    WORKING_DAYS = "working_days"
    HOURS = "hours"
