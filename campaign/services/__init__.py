"""Every write of the campaign app (house rule 1): one transaction each, ``full_clean`` first.

Errors a user can hit are casework's domain exceptions with Chinese messages; a refused call
writes nothing.
"""

from .campaigns import (
    CampaignInput,
    cadre_create,
    cadre_for_user,
    campaign_create,
    campaign_update,
    group_create,
    group_update,
)
from .commitments import commitment_complete, commitment_create, commitment_note, commitment_publish
from .contacts import family_access_record, family_contact_add, family_create, pairing_add, point_add
from .records import participation_add, participation_remove, report_file, typical_file, worklog_save

__all__ = [
    "CampaignInput",
    "cadre_create",
    "cadre_for_user",
    "campaign_create",
    "campaign_update",
    "commitment_complete",
    "commitment_create",
    "commitment_note",
    "commitment_publish",
    "family_access_record",
    "family_contact_add",
    "family_create",
    "group_create",
    "group_update",
    "pairing_add",
    "participation_add",
    "participation_remove",
    "point_add",
    "report_file",
    "typical_file",
    "worklog_save",
]
