"""Indexes of the moderators' dashboard (/admin/dashboard)

- comments (created_at): comments per hour over the last 48 hours, a range of the index;
- comments (post_id, status, flag_count) WHERE flag_count > 0: the posts with the most open
  flags, read from the few flagged comments instead of every approved one;
- moderation_log (status_before, created_at, status_after, comment_id): the decisions that took comments out of the
  pending queue in the last 14 days (the queue's history and the time to a decision), read
  from the index alone.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07 09:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

OPEN_FLAGS = 'flag_count > 0'


def upgrade():
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.create_index('ix_comments_created', ['created_at'], unique=False)
        batch_op.create_index('ix_comments_open_flags', ['post_id', 'status', 'flag_count'],
                              unique=False, postgresql_where=sa.text(OPEN_FLAGS),
                              sqlite_where=sa.text(OPEN_FLAGS))
    with op.batch_alter_table('moderation_log', schema=None) as batch_op:
        batch_op.create_index('ix_moderation_log_status_before_created',
                              ['status_before', 'created_at', 'status_after', 'comment_id'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('moderation_log', schema=None) as batch_op:
        batch_op.drop_index('ix_moderation_log_status_before_created')
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.drop_index('ix_comments_open_flags', postgresql_where=sa.text(OPEN_FLAGS),
                            sqlite_where=sa.text(OPEN_FLAGS))
        batch_op.drop_index('ix_comments_created')
