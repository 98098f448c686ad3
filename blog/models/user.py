"""Accounts and their API tokens."""

from __future__ import annotations

import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from blog.models.base import Base, UTCDateTime, utcnow


class Role(enum.StrEnum):
    READER = "reader"
    AUTHOR = "author"
    MODERATOR = "moderator"
    ADMIN = "admin"


class User(UserMixin, Base):
    __tablename__ = "users"
    __table_args__ = (
        # One account per identity of a site's own accounts (SSO) or of an imported system.
        UniqueConstraint("external_issuer", "external_subject"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Stored lower-cased (blog.services.accounts.normalize_email), so uniqueness ignores case.
    #: NULL for an SSO reader whose site sent no email and for an imported author without one.
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(80))
    #: Empty for accounts that cannot sign in with a password (SSO readers, imported authors).
    password_hash: Mapped[str] = mapped_column(String(255), default="")
    role: Mapped[str] = mapped_column(String(16), default=Role.READER.value)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: Bumped when the password changes, which signs out every other session.
    session_version: Mapped[int] = mapped_column(default=1)
    #: Who vouches for this account when it is not our own: an SSO issuer (the JWT's `iss`, or
    #: "sso" when the site sends none) or an import source ("import:disqus", ...).
    external_issuer: Mapped[str | None] = mapped_column(String(255))
    #: The account's id at `external_issuer` (the JWT's `sub`, the export's author id).
    external_subject: Mapped[str | None] = mapped_column(String(255))
    avatar_url: Mapped[str | None] = mapped_column(String(2048))

    tokens: Mapped[list[ApiToken]] = relationship(
        back_populates="user", cascade="all, delete-orphan", passive_deletes=True
    )

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    def has_role(self, *roles: Role | str) -> bool:
        """Tell whether the user holds one of `roles`; admins hold every role."""
        return self.role == Role.ADMIN or self.role in {str(role) for role in roles}

    @property
    def is_imported(self) -> bool:
        """An author brought in by an import: shown by name, never signed in."""
        return (self.external_issuer or "").startswith("import:")

    @property
    def is_moderator(self) -> bool:
        return self.has_role(Role.MODERATOR)

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"


class ApiToken(Base):
    """A bearer token for scripts; only its SHA-256 is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship(back_populates="tokens")
