"""Every permission rule of the product, in one place.

Views call these through academy.core.auth.require(); templates call the same functions (they are
Jinja globals) only to hide buttons, never instead of the server-side check.
"""

from academy.policies.assessment import (
    can_comment_on_review,
    can_decide_outcome,
    can_moderate,
    can_raise_concern,
    can_rate,
    can_recommend,
    can_record_review,
    can_sign_review_as_assessor,
    can_view_concerns,
    is_current_assessor,
)
from academy.policies.evidence import (
    can_add_evidence,
    can_edit_evidence,
    can_log_learning,
    can_log_protected_time,
    can_record_caseload,
    can_record_supervision,
    can_review_evidence,
    can_self_assess,
    can_submit_evidence,
    can_view_evidence,
    can_view_portfolio,
)
from academy.policies.frameworks import can_manage_frameworks
from academy.policies.participants import (
    assignment_kinds,
    can_manage_academy,
    can_view_participant,
    is_own_record,
    visible_participants_query,
)
from academy.policies.records import can_view_rating, can_view_review, former_participant_ids
from academy.policies.reports import (
    can_build_record_batch,
    can_download_cohort_report,
    can_download_record,
    can_verify_documents,
    can_view_batch,
)
from academy.policies.retention import can_view_retention

__all__ = [
    "assignment_kinds",
    "can_add_evidence",
    "can_build_record_batch",
    "can_comment_on_review",
    "can_decide_outcome",
    "can_download_cohort_report",
    "can_download_record",
    "can_edit_evidence",
    "can_log_learning",
    "can_log_protected_time",
    "can_manage_academy",
    "can_manage_frameworks",
    "can_moderate",
    "can_raise_concern",
    "can_rate",
    "can_recommend",
    "can_record_caseload",
    "can_record_review",
    "can_record_supervision",
    "can_review_evidence",
    "can_self_assess",
    "can_sign_review_as_assessor",
    "can_submit_evidence",
    "can_verify_documents",
    "can_view_batch",
    "can_view_concerns",
    "can_view_evidence",
    "can_view_participant",
    "can_view_portfolio",
    "can_view_rating",
    "can_view_retention",
    "can_view_review",
    "former_participant_ids",
    "is_current_assessor",
    "is_own_record",
    "visible_participants_query",
]
