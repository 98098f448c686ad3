"""The models, imported here so that `db.metadata` knows every table."""

from blog.models.base import Base, UTCDateTime, utcnow
from blog.models.comment import Comment, CommentFlag, CommentStatus, CommentVote, FlagReason
from blog.models.post import Post, PostStatus, Tag, post_tags
from blog.models.related import PostTerms, RelatedPost
from blog.models.user import ApiToken, Role, User

__all__ = [
    "ApiToken",
    "Base",
    "Comment",
    "CommentFlag",
    "CommentStatus",
    "CommentVote",
    "FlagReason",
    "Post",
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
