"""Every permission rule of the product, in one place.

Views call these through academy.core.auth.require(); templates call the same functions (they are
Jinja globals) only to hide buttons, never instead of the server-side check.
"""

from academy.policies.participants import (
    assignment_kinds,
    can_manage_academy,
    can_view_participant,
    is_own_record,
    visible_participants_query,
)

__all__ = [
    "assignment_kinds",
    "can_manage_academy",
    "can_view_participant",
    "is_own_record",
    "visible_participants_query",
]
