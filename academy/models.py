"""Every feature's models in one import, for Alembic, the shell and the tests."""

from academy.accounts.models import Invitation, LoginAttempt, Role, User, UserRole, UserSession
from academy.assessment.models import Concern, Outcome, Rating, ReminderLog, Review
from academy.audit.models import AuditEvent
from academy.cohorts.models import Cohort, FrameworkMove
from academy.evidence.models import Attachment, EvidenceEntry, EvidenceEvent, EvidenceLink
from academy.feedback.models import FeedbackHit, FeedbackRequest, FeedbackRequestElement, FeedbackSettings
from academy.frameworks.models import CohortFramework, ElementMapping, Framework, FrameworkElement
from academy.funding.models import FundingClaim, FundingDetails, FundingScheme
from academy.logs.models import CaseloadSnapshot, ProtectedTimeLog, SelfAssessment, SupervisionSession
from academy.notifications.models import EmailOptOut, Notification
from academy.participants.models import Assignment, Milestone, Participant, Pause, StatusEvent
from academy.programmes.models import MilestoneTemplate, Programme
from academy.reports.models import BatchJob, IssuedDocument

__all__ = [
    "Assignment",
    "Attachment",
    "AuditEvent",
    "BatchJob",
    "CaseloadSnapshot",
    "Cohort",
    "CohortFramework",
    "Concern",
    "ElementMapping",
    "EmailOptOut",
    "EvidenceEntry",
    "EvidenceEvent",
    "EvidenceLink",
    "FeedbackHit",
    "FeedbackRequest",
    "FeedbackRequestElement",
    "FeedbackSettings",
    "Framework",
    "FrameworkElement",
    "FrameworkMove",
    "FundingClaim",
    "FundingDetails",
    "FundingScheme",
    "Invitation",
    "IssuedDocument",
    "LoginAttempt",
    "Milestone",
    "MilestoneTemplate",
    "Notification",
    "Outcome",
    "Participant",
    "Pause",
    "Programme",
    "ProtectedTimeLog",
    "Rating",
    "ReminderLog",
    "Review",
    "Role",
    "SelfAssessment",
    "StatusEvent",
    "SupervisionSession",
    "User",
    "UserRole",
    "UserSession",
]
