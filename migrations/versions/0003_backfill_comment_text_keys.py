"""comments: every comment with a text gets its text key

The repeat rule finds an author's same text by (author_id, text_key, created_at) alone. Comments
written by code that set the body but not the key (the demo content, before the model kept the
key in step with the body) have none, and would never count as the earlier copy; they get it
here, computed by the same function the application uses. Emptied comments keep none.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24 23:10:00

"""
import sqlalchemy as sa
from alembic import op

from blog.services.moderation_rules import text_key

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

BATCH = 1_000
comments = sa.table("comments", sa.column("id", sa.Integer), sa.column("body", sa.Text),
                    sa.column("text_key", sa.String(32)))


def upgrade():
    connection = op.get_bind()
    after = 0
    while True:
        rows = connection.execute(
            sa.select(comments.c.id, comments.c.body)
            .where(comments.c.text_key.is_(None), comments.c.body != "", comments.c.id > after)
            .order_by(comments.c.id).limit(BATCH)
        ).all()
        if not rows:
            return
        connection.execute(
            comments.update().where(comments.c.id == sa.bindparam("comment_id"))
            .values(text_key=sa.bindparam("key")),
            [{"comment_id": row.id, "key": text_key(row.body)} for row in rows],
        )
        after = rows[-1].id


def downgrade():
    pass  # the keys are derived data: keeping them is harmless
