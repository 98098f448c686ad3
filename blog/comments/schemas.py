"""Bodies in and out of the comment endpoints."""

from __future__ import annotations

import marshmallow as ma

from blog.api.fields import CleanText, Id, ShortStrings, StrictInteger
from blog.api.schemas import (
    PageQuerySchema,
    PostRefSchema,
    QuerySchema,
    UserRefSchema,
    page_schema,
)
from blog.models import FlagReason
from blog.services.comment_threads import SORTS
from blog.services.comments import MAX_BODY_LENGTH

BODY = CleanText(
    required=True, multiline=True,
    validate=[ma.validate.Length(min=1, error="Write your comment before posting."),
              ma.validate.Length(max=MAX_BODY_LENGTH,
                                 error=f"Keep your comment to {MAX_BODY_LENGTH:,} characters.")],
    error_messages={"required": "Write your comment before posting."},
    metadata={"description": "Plain text with readers' markup (1..10000 characters, trimmed)"},
)


class CommentListQuerySchema(PageQuerySchema):
    sort = ma.fields.String(load_default="oldest", validate=ma.validate.OneOf(list(SORTS)))


class CommentCountsQuerySchema(QuerySchema):
    post = ShortStrings(200, load_default=list,
                        metadata={"description": "A post's slug, repeated"})
    url = ShortStrings(2048, load_default=list,
                       metadata={"description": "A canonical URL, repeated (keyed as sent)"})


class CommentCreateSchema(ma.Schema):
    body = BODY
    parent_id = Id(load_default=None, allow_none=True)
    nudge_token = ma.fields.String(
        load_default=None, allow_none=True, validate=ma.validate.Length(max=500),
        metadata={"description": "The `nudge_token` of a 422 toxicity nudge: sends the same "
                                 "text on to the moderators (MODERATION_TOXICITY_NUDGE)"})


class CommentEditSchema(ma.Schema):
    body = BODY


class VoteSchema(ma.Schema):
    value = StrictInteger(required=True,
                          validate=ma.validate.OneOf([1, -1, 0]))


class FlagSchema(ma.Schema):
    reason = ma.fields.String(required=True,
                              validate=ma.validate.OneOf([reason.value for reason in FlagReason]))
    note = CleanText(load_default="", multiline=True, validate=ma.validate.Length(max=1000))


class CommentFieldsSchema(ma.Schema):
    """What every comment shows; a placeholder has `deleted: true` and no body or author."""

    id = ma.fields.Integer()
    parent_id = ma.fields.Integer(allow_none=True)
    author = ma.fields.Nested(UserRefSchema, allow_none=True)
    body_html = ma.fields.String()
    created_at = ma.fields.DateTime()
    edited_at = ma.fields.DateTime(allow_none=True)
    score = ma.fields.Integer()
    reply_count = ma.fields.Integer()
    status = ma.fields.String()
    deleted = ma.fields.Boolean()


class ThreadCommentSchema(CommentFieldsSchema):
    my_vote = ma.fields.Integer(metadata={"description": "Signed-in readers only"})
    replies = ma.fields.List(ma.fields.Nested(lambda: ThreadCommentSchema()))


class CommentSchema(CommentFieldsSchema):
    post = ma.fields.Nested(PostRefSchema)
    url = ma.fields.String()
    depth = ma.fields.Integer()
    body = ma.fields.String(metadata={"description": "The text as written (author, moderators)"})


class VoteResultSchema(ma.Schema):
    score = ma.fields.Integer()
    my_vote = ma.fields.Integer()


class FlagResultSchema(ma.Schema):
    comment_id = ma.fields.Integer()
    reason = ma.fields.String()
    created_at = ma.fields.DateTime(allow_none=True)


CommentPageSchema = page_schema(ThreadCommentSchema, "CommentPage")
