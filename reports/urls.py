"""Pages of the supervisors side (mounted at /reports/)."""

urlpatterns: list = []
