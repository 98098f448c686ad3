"""comments.toxicity: the offline toxicity score of a comment's text

Set by the moderation pipeline on every new and edited comment (blog.services.toxicity);
existing comments stay NULL (never scored) until they are edited.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07 04:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('toxicity', sa.Float(), nullable=True))


def downgrade():
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.drop_column('toxicity')
