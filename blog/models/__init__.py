"""The models, imported here so that `db.metadata` knows every table."""

from blog.models.base import Base, UTCDateTime, utcnow
from blog.models.comment import Comment, CommentFlag, CommentStatus, CommentVote, FlagReason
from blog.models.follow import Follow, FollowLevel, FollowType
from blog.models.moderation import Ban, ModerationAction, ModerationLogEntry, PostModeration
from blog.models.notification import (
    EmailPreference,
    Event,
    EventKind,
    Notification,
    NotificationKind,
    NotificationPreferences,
)
from blog.models.post import Post, PostStatus, Tag, post_tags
from blog.models.related import PostTerms, RelatedPost
from blog.models.subscription import (
    EmailMessage,
    EmailSubscription,
    EmailSuppression,
    MessageKind,
    MessageStatus,
    SubscriptionStatus,
    subscription_tags,
)
from blog.models.user import ApiToken, Role, User
from blog.models.webhook import (
    DeliveryStatus,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
    WebhookFormat,
)

__all__ = [
    "ApiToken",
    "Ban",
    "Base",
    "Comment",
    "CommentFlag",
    "CommentStatus",
    "CommentVote",
    "DeliveryStatus",
    "EmailMessage",
    "EmailPreference",
    "EmailSubscription",
    "EmailSuppression",
    "Event",
    "EventKind",
    "FlagReason",
    "ModerationAction",
    "ModerationLogEntry",
    "Follow",
    "FollowLevel",
    "FollowType",
    "MessageKind",
    "MessageStatus",
    "Notification",
    "NotificationKind",
    "NotificationPreferences",
    "Post",
    "PostModeration",
    "PostStatus",
    "PostTerms",
    "RelatedPost",
    "Role",
    "SubscriptionStatus",
    "Tag",
    "UTCDateTime",
    "User",
    "WebhookDelivery",
    "WebhookEndpoint",
    "WebhookEvent",
    "WebhookFormat",
    "post_tags",
    "subscription_tags",
    "utcnow",
]
