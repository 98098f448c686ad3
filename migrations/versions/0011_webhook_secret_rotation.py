"""Rotating a webhook endpoint's signing secret with a grace period

webhook_endpoints.previous_secret and previous_secret_until: after a rotation, deliveries are
signed with the new secret and, until previous_secret_until, the old one as well (Standard
Webhooks' space-separated signatures), so the receiver can switch without missing any.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 23:45:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('webhook_endpoints') as batch_op:
        batch_op.add_column(sa.Column('previous_secret', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('previous_secret_until', sa.DateTime(timezone=True),
                                      nullable=True))


def downgrade():
    with op.batch_alter_table('webhook_endpoints') as batch_op:
        batch_op.drop_column('previous_secret_until')
        batch_op.drop_column('previous_secret')
