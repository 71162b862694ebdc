from . import case, intake, lists

__all__ = ["case", "intake", "lists"]
