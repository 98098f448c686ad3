"""comments: the author-and-status index gains created_at; an unused index goes

The moderation pipeline looks, for every new comment, for its author's spam of the last days.
With (author_id, status) and (author_id, created_at) to choose from, SQLite took the second and
walked every comment the author wrote in the window (6 ms for a reader with 6,000 comments, and
growing). (author_id, status, created_at) answers it, and the queue's per-author counts, alike.

ix_comments_post_updated served a thread-version key that posts.comments_version replaced;
nothing reads it any more, and every comment written had to maintain it.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24 20:05:00

"""
from alembic import op


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_comments_author_status_created', 'comments',
                    ['author_id', 'status', 'created_at'], unique=False)
    op.drop_index('ix_comments_author_status', table_name='comments')
    op.drop_index('ix_comments_post_updated', table_name='comments')


def downgrade():
    op.create_index('ix_comments_post_updated', 'comments', ['post_id', 'updated_at'],
                    unique=False)
    op.create_index('ix_comments_author_status', 'comments', ['author_id', 'status'],
                    unique=False)
    op.drop_index('ix_comments_author_status_created', table_name='comments')
