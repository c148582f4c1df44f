"""Today's date where the academy is: England."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


def today() -> date:
    """The current date in the UK (a due date passes at midnight in England, not in UTC)."""
    return datetime.now(LONDON).date()
