"""Review signing as states: held -> signed_by_assessor | signed_by_nqsw -> signed.

Reviewed by hand: review.status is a VARCHAR(40) with a CHECK constraint (no native PostgreSQL enum),
so the new values need only the CHECK replaced, in batch mode for SQLite. Held reviews that one person
has already signed take the matching new state from the signature times, which stay on the row as the
record of who signed when. The downgrade folds both new states back into "held"; the signature times
keep the difference, so nothing is lost.

Revision ID: e34c2ceba366
Revises: 02dc2d9d6079
Create Date: 2026-12-01 13:40:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "e34c2ceba366"
down_revision = "02dc2d9d6079"
branch_labels = None
depends_on = None

OLD = ("due", "held", "signed")
NEW = ("due", "held", "signed_by_assessor", "signed_by_nqsw", "signed")

review = sa.table(
    "review",
    sa.column("status", sa.String(40)),
    sa.column("assessor_signed_at", sa.DateTime(timezone=True)),
    sa.column("nqsw_signed_at", sa.DateTime(timezone=True)),
)


def _allow(values: tuple[str, ...]) -> None:
    """Replace the CHECK on review.status so it allows exactly `values`."""
    listed = ", ".join(f"'{value}'" for value in values)
    with op.batch_alter_table("review", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_review_reviewstatus"), type_="check")
        batch_op.create_check_constraint(op.f("ck_review_reviewstatus"), f"status IN ({listed})")


def upgrade():
    _allow(NEW)
    held = review.c.status == "held"
    op.execute(
        review.update()
        .where(held, review.c.assessor_signed_at.is_not(None), review.c.nqsw_signed_at.is_(None))
        .values(status="signed_by_assessor")
    )
    op.execute(
        review.update()
        .where(held, review.c.nqsw_signed_at.is_not(None), review.c.assessor_signed_at.is_(None))
        .values(status="signed_by_nqsw")
    )


def downgrade():
    op.execute(
        review.update().where(review.c.status.in_(["signed_by_assessor", "signed_by_nqsw"])).values(status="held")
    )
    _allow(OLD)
