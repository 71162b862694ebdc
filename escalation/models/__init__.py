from .clock import BreachOutcome, ClockKind, ClockPause, DeadlineClock, SweepRun
from .policy import LEVEL_STAGES, BreachAction, Stage, TimePolicy, Unit

__all__ = [
    "LEVEL_STAGES",
    "BreachAction",
    "BreachOutcome",
    "ClockKind",
    "ClockPause",
    "DeadlineClock",
    "Stage",
    "SweepRun",
    "TimePolicy",
    "Unit",
]
