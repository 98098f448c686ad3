"""posts.canonical_url; users keyed by an external identity (SSO, imports)

Comments embedded on a host site hang on a post found by the article's address there
(`canonical_url`, unique). Readers of that site sign in with its own accounts (SSO), and
imported comments keep their authors: both are users keyed by (external_issuer,
external_subject), who may have no email and no password.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-05 16:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('canonical_url', sa.String(length=2048), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_posts_canonical_url'), ['canonical_url'])

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.alter_column('email', existing_type=sa.String(length=254), nullable=True)
        batch_op.add_column(sa.Column('external_issuer', sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column('external_subject', sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column('avatar_url', sa.String(length=2048), nullable=True))
        batch_op.create_unique_constraint(
            batch_op.f('uq_users_external_issuer_external_subject'),
            ['external_issuer', 'external_subject'])


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_users_external_issuer_external_subject'),
                                 type_='unique')
        batch_op.drop_column('avatar_url')
        batch_op.drop_column('external_subject')
        batch_op.drop_column('external_issuer')
        batch_op.alter_column('email', existing_type=sa.String(length=254), nullable=False)

    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_posts_canonical_url'), type_='unique')
        batch_op.drop_column('canonical_url')
