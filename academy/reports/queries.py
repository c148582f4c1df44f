"""Loading the records the reports views work on: use with `requires(rule, load=...)`."""

from academy.cohorts.models import Cohort
from academy.core.web import get_or_404
from academy.reports.models import BatchJob


def load_cohort(cohort_id: int) -> Cohort:
    """The cohort with this id, or 404."""
    return get_or_404(Cohort, cohort_id)


def load_batch(job_id: int) -> BatchJob:
    """The batch of records with this id, or 404."""
    return get_or_404(BatchJob, job_id)
