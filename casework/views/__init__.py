from . import case, intake, lists, pickers

__all__ = ["case", "intake", "lists", "pickers"]
