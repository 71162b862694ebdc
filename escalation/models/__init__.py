from .clock import BreachOutcome, ClockKind, ClockPause, DeadlineClock, SweepName, SweepRun
from .holiday import DayKind, HolidayCalendarState, HolidayDay, HolidaySchedule, ScheduleSource, ScheduleStatus
from .policy import LEVEL_STAGES, BreachAction, Stage, TimePolicy, Unit

__all__ = [
    "LEVEL_STAGES",
    "BreachAction",
    "BreachOutcome",
    "ClockKind",
    "ClockPause",
    "DayKind",
    "DeadlineClock",
    "HolidayCalendarState",
    "HolidayDay",
    "HolidaySchedule",
    "ScheduleSource",
    "ScheduleStatus",
    "Stage",
    "SweepName",
    "SweepRun",
    "TimePolicy",
    "Unit",
]
