"""Sentence embeddings of posts for the optional semantic related-posts component

post_terms.embedding: each post's WordLlama embedding (blog.services.related_semantic),
little-endian float16, NULL where RELATED_SEMANTIC is off.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 20:45:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('post_terms') as batch_op:
        batch_op.add_column(sa.Column('embedding', sa.LargeBinary(), nullable=True))


def downgrade():
    with op.batch_alter_table('post_terms') as batch_op:
        batch_op.drop_column('embedding')
