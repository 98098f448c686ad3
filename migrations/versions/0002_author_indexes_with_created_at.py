"""comments: the author-and-status and author-and-text indexes gain created_at; one goes

The moderation pipeline looks, for every new comment, for its author's spam of the last days
and for the same text in the repeat window. With (author_id, status) or (author_id, text_key)
beside (author_id, created_at), SQLite took the last and walked every comment the author wrote
in the window (6 and 14 ms for a reader with 6,000 comments that day, and growing). With
created_at as their third column the first two answer at once; (author_id, status, created_at)
serves the queue's per-author counts as well.

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
    op.create_index('ix_comments_author_text_created', 'comments',
                    ['author_id', 'text_key', 'created_at'], unique=False)
    op.drop_index('ix_comments_author_text', table_name='comments')


def downgrade():
    op.create_index('ix_comments_author_text', 'comments', ['author_id', 'text_key'],
                    unique=False)
    op.drop_index('ix_comments_author_text_created', table_name='comments')
    op.create_index('ix_comments_post_updated', 'comments', ['post_id', 'updated_at'],
                    unique=False)
    op.create_index('ix_comments_author_status', 'comments', ['author_id', 'status'],
                    unique=False)
    op.drop_index('ix_comments_author_status_created', table_name='comments')
