from . import case, intake, lists, pickers, queue

__all__ = ["case", "intake", "lists", "pickers", "queue"]
