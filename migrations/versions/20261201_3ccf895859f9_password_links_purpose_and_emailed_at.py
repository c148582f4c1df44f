"""Password links: their purpose (an invitation or a password reset) and when each was handed to a mail server.

Links made before this migration count as invitations; whether they were emailed is unknown, so
`emailed_at` stays empty and the people list offers to send them again.

Revision ID: 3ccf895859f9
Revises: e34c2ceba366
Create Date: 2026-12-01 14:07:34.175265

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "3ccf895859f9"
down_revision = "e34c2ceba366"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("invitation", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "purpose",
                sa.Enum(
                    "invitation",
                    "password_reset",
                    name="linkpurpose",
                    native_enum=False,
                    create_constraint=True,
                    length=40,
                ),
                server_default="invitation",
                nullable=False,
            )
        )
        batch_op.add_column(sa.Column("emailed_at", sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table("invitation", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_invitation_linkpurpose"), type_="check")
        batch_op.drop_column("emailed_at")
        batch_op.drop_column("purpose")
