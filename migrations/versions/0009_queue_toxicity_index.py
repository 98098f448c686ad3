"""Index of the moderation queues in their "highest toxicity first" order

comments (status, coalesce(toxicity, -1.0) DESC, id DESC): a queue's first page by score is
then a range of the index, not a sort of every comment in the queue (162 ms for the pending
queue of 1,000,000 comments on SQLite before; bench/moderation_queue_bench.py).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 15:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_comments_status_toxicity', 'comments', [
        sa.text('status'), sa.text('coalesce(toxicity, -1.0) DESC'), sa.text('id DESC'),
    ], unique=False)


def downgrade():
    op.drop_index('ix_comments_status_toxicity', table_name='comments')
