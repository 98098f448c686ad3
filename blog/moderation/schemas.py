"""Bodies in and out of the moderation endpoints."""

from __future__ import annotations

import marshmallow as ma

from blog.api.fields import CleanText, Id, StrictBoolean
from blog.api.schemas import PageQuerySchema, PostRefSchema, UserRefSchema, page_schema
from blog.services.moderation_decisions import MAX_BULK, Decision
from blog.services.moderation_queue import Queue, QueueSort

REASON_MAX = 1000
REASON = CleanText(load_default="", multiline=True, validate=ma.validate.Length(
    max=REASON_MAX, error=f"Keep it to {REASON_MAX:,} characters."))
ACTION = ma.fields.String(required=True,
                          validate=ma.validate.OneOf([decision.value for decision in Decision]))
EXCERPT_LENGTH = 200
SEARCH_MAX = 200


def excerpt(text: str | None, length: int = EXCERPT_LENGTH) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


class QueueQuerySchema(PageQuerySchema):
    status = ma.fields.String(load_default=Queue.PENDING.value,
                              validate=ma.validate.OneOf([queue.value for queue in Queue]))
    post = ma.fields.String(load_default=None, metadata={"description": "A post's id or slug"})
    sort = ma.fields.String(load_default=QueueSort.OLDEST.value,
                            validate=ma.validate.OneOf([sort.value for sort in QueueSort]),
                            metadata={"description": "oldest first, or the highest toxicity "
                                                     "score first"})
    q = ma.fields.String(load_default="", validate=ma.validate.Length(
                             max=SEARCH_MAX, error=f"Keep it to {SEARCH_MAX} characters."),
                         metadata={"description": "Words in the comment or its author's name "
                                                  "or email"})


class ParentSchema(ma.Schema):
    id = ma.fields.Integer()
    status = ma.fields.String()
    excerpt = ma.fields.Function(lambda comment: excerpt(comment.body))


class ModerationFlagSchema(ma.Schema):
    reason = ma.fields.String()
    note = ma.fields.String()
    created_at = ma.fields.DateTime()
    user = ma.fields.Nested(UserRefSchema, attribute="flagger", allow_none=True)


class QueueAuthorSchema(UserRefSchema):
    """The author with what a moderator weighs: their record and the age of their account."""

    approved_count = ma.fields.Integer()
    rejected_count = ma.fields.Integer()
    spam_count = ma.fields.Integer()
    banned = ma.fields.Boolean()
    joined_at = ma.fields.DateTime()


def _author(item) -> dict | None:
    user = item.comment.author
    if user is None:
        return None
    return QueueAuthorSchema().dump({
        "id": user.id, "display_name": user.display_name, "joined_at": user.created_at,
        "approved_count": item.stats.approved, "rejected_count": item.stats.rejected,
        "spam_count": item.stats.spam, "banned": item.stats.banned,
    })


class ModeratedCommentSchema(ma.Schema):
    """A comment as moderators see it, whatever its status."""

    id = ma.fields.Integer()
    status = ma.fields.String()
    parent_id = ma.fields.Integer(allow_none=True)
    author = ma.fields.Nested(UserRefSchema, allow_none=True)
    body = ma.fields.String()
    body_html = ma.fields.String()
    created_at = ma.fields.DateTime()
    edited_at = ma.fields.DateTime(allow_none=True)
    signals = ma.fields.List(ma.fields.String())
    toxicity = ma.fields.Float(allow_none=True, metadata={
        "description": "The offline toxicity score, 0..1 (null: never scored)"})
    flag_count = ma.fields.Integer()
    post = ma.fields.Nested(PostRefSchema)


class QueueItemSchema(ma.Schema):
    id = ma.fields.Integer(attribute="comment.id")
    status = ma.fields.String(attribute="comment.status")
    body = ma.fields.String(attribute="comment.body")
    body_html = ma.fields.String(attribute="comment.body_html")
    created_at = ma.fields.DateTime(attribute="comment.created_at")
    edited_at = ma.fields.DateTime(attribute="comment.edited_at", allow_none=True)
    signals = ma.fields.List(ma.fields.String(), attribute="comment.signals")
    toxicity = ma.fields.Float(attribute="comment.toxicity", allow_none=True, metadata={
        "description": "The offline toxicity score, 0..1 (null: never scored)"})
    flag_count = ma.fields.Integer(attribute="comment.flag_count")
    post = ma.fields.Nested(PostRefSchema, attribute="comment.post")
    parent = ma.fields.Nested(ParentSchema, attribute="comment.parent", allow_none=True)
    author = ma.fields.Function(_author, metadata={"description": "The author and their record"})
    flags = ma.fields.List(ma.fields.Nested(ModerationFlagSchema))


QueuePageSchema = page_schema(QueueItemSchema, "ModerationQueuePage")


class DecisionSchema(ma.Schema):
    action = ACTION
    reason = REASON


class BulkDecisionSchema(DecisionSchema):
    ids = ma.fields.List(Id(), required=True,
                         validate=ma.validate.Length(min=1, max=MAX_BULK))


class BulkResultSchema(ma.Schema):
    done = ma.fields.List(ma.fields.Integer())
    failed = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.String(),
                            metadata={"description": "Why each id failed, by id"})


class LogEntrySchema(ma.Schema):
    id = ma.fields.Integer()
    created_at = ma.fields.DateTime()
    action = ma.fields.String()
    moderator = ma.fields.Nested(UserRefSchema, allow_none=True,
                                 metadata={"description": "null when the system acted"})
    comment_id = ma.fields.Integer(allow_none=True)
    post_id = ma.fields.Integer(allow_none=True)
    user = ma.fields.Nested(UserRefSchema, allow_none=True)
    user_id = ma.fields.Integer(allow_none=True)
    status_before = ma.fields.String(allow_none=True)
    status_after = ma.fields.String(allow_none=True)
    reason = ma.fields.String()
    detail = ma.fields.String()


LogPageSchema = page_schema(LogEntrySchema, "ModerationLogPage")


class BanSchema(ma.Schema):
    reason = REASON
    until = ma.fields.AwareDateTime(load_default=None, allow_none=True, default_timezone=None)
    shadow = StrictBoolean(load_default=False)


class BanOutSchema(ma.Schema):
    user = ma.fields.Nested(UserRefSchema)
    reason = ma.fields.String()
    until = ma.fields.DateTime(allow_none=True)
    shadow = ma.fields.Boolean()
    created_at = ma.fields.DateTime()
    moderator_id = ma.fields.Integer(allow_none=True)


class PremoderationSchema(ma.Schema):
    premoderate = StrictBoolean(required=True)
