from . import desk, public

__all__ = ["desk", "public"]
