"""The programmes shipped with the app: the default three-year NQSW programme and an adults variant.

Every number here is a programme setting a coordinator can edit, copied into a cohort when it is
created. The rules are in docs/product.md section 2.
"""

from typing import Any

from academy.programmes.models import MilestoneKind, ServiceArea

DEFAULT_PROGRAMME_NAME = "Three-year NQSW programme"
ADULTS_PROGRAMME_NAME = "Three-year NQSW programme (adults)"

# (code, title, kind, programme year, months after start, optional, needs a critical reflection)
MILESTONES: list[tuple[str, str, MilestoneKind, int, int, bool, bool]] = [
    ("agreement", "Support and assessment agreement", MilestoneKind.AGREEMENT, 1, 1, False, False),
    ("review_3m", "3-month review", MilestoneKind.REVIEW, 1, 3, False, False),
    ("review_6m", "6-month review", MilestoneKind.REVIEW, 1, 6, False, True),
    ("review_9m", "9-month review (optional)", MilestoneKind.REVIEW, 1, 9, True, False),
    ("final_review", "Final review", MilestoneKind.FINAL_REVIEW, 1, 12, False, True),
    ("panel", "Moderation panel", MilestoneKind.PANEL, 1, 13, False, False),
    ("year2_mid", "Year 2 mid-year review", MilestoneKind.REVIEW, 2, 18, False, False),
    ("year2_end", "Year 2 end-of-year review", MilestoneKind.REVIEW, 2, 24, False, False),
    ("year3_mid", "Year 3 mid-year review", MilestoneKind.REVIEW, 3, 30, False, False),
    ("year3_end", "End-of-programme review", MilestoneKind.END_OF_PROGRAMME, 3, 36, False, False),
]

RATING_SCALE: list[dict[str, Any]] = [
    {"value": 0, "label": "Not yet evidenced"},
    {"value": 1, "label": "Developing"},
    {"value": 2, "label": "Meeting expected level"},
    {"value": 3, "label": "Consistently exceeding"},
]


def default_settings(service_area: ServiceArea) -> dict[str, Any]:
    """The settings of a new programme for `service_area`."""
    minimum_evidence = {
        "direct_observation": 3,
        "feedback_person_using_services": 3,
        "feedback_professional": 3,
        "written_report": 3,
        # Critical reflections at the 6-month and final reviews.
        "critical_reflection_milestones": ["review_6m", "final_review"],
        # Child and family NQSWs self-assess against the KSS at start, middle and end.
        "self_assessment_points": ["start", "middle", "end"] if service_area == ServiceArea.CHILD_FAMILY else [],
    }
    return {
        "minimum_evidence": minimum_evidence,
        # Supervision at least every `interval_days` until `until_month` (None: to the end).
        "supervision_schedule": [
            {"until_week": 6, "interval_days": 7},
            {"until_month": 6, "interval_days": 14},
            {"until_month": None, "interval_days": 31},
        ],
        "protected_time_share": 0.10,
        "contracted_hours_per_week": 37,
        "caseload_target": 16,
        "rating_scale": RATING_SCALE,
        "meeting_threshold": 2,
        "asye_months": 12,
    }
