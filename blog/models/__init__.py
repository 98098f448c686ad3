"""The models, imported here so that `db.metadata` knows every table."""

from blog.models.base import Base, UTCDateTime, utcnow
from blog.models.comment import Comment, CommentFlag, CommentStatus, CommentVote, FlagReason
from blog.models.moderation import Ban, ModerationAction, ModerationLogEntry, PostModeration
from blog.models.post import Post, PostStatus, Tag, post_tags
from blog.models.related import PostTerms, RelatedPost
from blog.models.user import ApiToken, Role, User

__all__ = [
    "ApiToken",
    "Ban",
    "Base",
    "Comment",
    "CommentFlag",
    "CommentStatus",
    "CommentVote",
    "FlagReason",
    "ModerationAction",
    "ModerationLogEntry",
    "Post",
    "PostModeration",
    "PostStatus",
    "PostTerms",
    "RelatedPost",
    "Role",
    "Tag",
    "User",
    "UTCDateTime",
    "post_tags",
    "utcnow",
]
