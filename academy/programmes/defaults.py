"""The programmes shipped with the app: the default three-year NQSW programme, an adults variant and the
two-year early career development programme (ECDP) that replaces the child and family ASYE from September 2027.

Every number here is a programme setting a coordinator can edit, copied into a cohort when it is
created. The rules are in docs/product.md section 2.
"""

from typing import Any

from academy.programmes.models import MilestoneKind, ServiceArea

DEFAULT_PROGRAMME_NAME = "Three-year NQSW programme"
ADULTS_PROGRAMME_NAME = "Three-year NQSW programme (adults)"
ECDP_PROGRAMME_NAME = "Early career development programme (two years, from September 2027)"
# New cohorts starting on or after this day are proposed the ECDP instead of the ASYE programme
# (a programme's "proposed_from" setting; domain.md section 0).
ECDP_PROPOSED_FROM = "2027-09-01"

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

# The ECDP's review points (start, 3, 6, 12, 18 and 24 months, each editable on the programme page); the
# 24-month review is the employer's assessment; and the academy's optional third year, used only when a coordinator
# switches it on ("third_year" setting). DfE had not published ECDP assessment points when this was written.
ECDP_MILESTONES: list[tuple[str, str, MilestoneKind, int, int, bool, bool]] = [
    ("start", "Start: support and development agreement", MilestoneKind.AGREEMENT, 1, 0, False, False),
    ("review_3m", "3-month review", MilestoneKind.REVIEW, 1, 3, False, False),
    ("review_6m", "6-month review", MilestoneKind.REVIEW, 1, 6, False, True),
    ("review_12m", "12-month review", MilestoneKind.REVIEW, 1, 12, False, True),
    ("review_18m", "18-month review", MilestoneKind.REVIEW, 2, 18, False, False),
    ("employer_assessment", "24-month review: employer's assessment", MilestoneKind.FINAL_REVIEW, 2, 24, False, True),
    ("year3_mid", "Year 3 mid-year review (academy third year)", MilestoneKind.REVIEW, 3, 30, False, False),
    ("year3_end", "End-of-programme review (academy third year)", MilestoneKind.END_OF_PROGRAMME, 3, 36, False, False),
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


def ecdp_settings() -> dict[str, Any]:
    """The ECDP's settings: protected time and supervision as the ASYE's until DfE says otherwise."""
    settings = default_settings(ServiceArea.CHILD_FAMILY)
    settings["minimum_evidence"]["critical_reflection_milestones"] = ["review_6m", "review_12m", "employer_assessment"]
    # Part-time work stretches the whole two-year assessed period.
    settings["asye_months"] = 24
    settings["third_year"] = False
    settings["proposed_from"] = ECDP_PROPOSED_FROM
    return settings
