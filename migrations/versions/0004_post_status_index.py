"""comments: an index on (post_id, status, created_at, id)

A post's comment feed (approved, newest first) and its moderation queue (a status, oldest
first) walked ix_comments_status_created across every post and kept the rows of the one asked
for: on an old post of a database with a million comments, most of the index. The two indexes
that lead with post_id are partial (top-level comments only), so deleting a post, whose
comments go by ON DELETE CASCADE, scanned the whole table as well.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 08:00:00

"""
from alembic import op


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_comments_post_status_created', 'comments',
                    ['post_id', 'status', 'created_at', 'id'], unique=False)


def downgrade():
    op.drop_index('ix_comments_post_status_created', table_name='comments')
