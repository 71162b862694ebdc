from . import audit, board, pages  # noqa: F401
