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
from .commitments import (
    commitment_complete,
    commitment_create,
    commitment_delete,
    commitment_note,
    commitment_publish,
    commitment_update,
)
from .contacts import (
    family_access_record,
    family_contact_add,
    family_create,
    family_delete,
    family_update,
    pairing_add,
    pairing_delete,
    pairing_update,
    point_add,
    point_delete,
    point_update,
)
from .records import participation_add, participation_remove, report_file, typical_file, worklog_save

__all__ = [
    "CampaignInput",
    "cadre_create",
    "cadre_for_user",
    "campaign_create",
    "campaign_update",
    "commitment_complete",
    "commitment_create",
    "commitment_delete",
    "commitment_note",
    "commitment_publish",
    "commitment_update",
    "family_access_record",
    "family_contact_add",
    "family_create",
    "family_delete",
    "family_update",
    "group_create",
    "group_update",
    "pairing_add",
    "pairing_delete",
    "pairing_update",
    "participation_add",
    "participation_remove",
    "point_add",
    "point_delete",
    "point_update",
    "report_file",
    "typical_file",
    "worklog_save",
]
