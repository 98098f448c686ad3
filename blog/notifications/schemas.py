"""Bodies in and out of the notification endpoints."""

from __future__ import annotations

import marshmallow as ma

from blog.api.fields import Id, StrictBoolean
from blog.api.schemas import PageQuerySchema, PostRefSchema, UserRefSchema, page_schema
from blog.delivery.render import notification_url


class NotificationQuerySchema(PageQuerySchema):
    unread = ma.fields.Boolean(load_default=False, metadata={"description": "Only unread ones"})


class CommentRefSchema(ma.Schema):
    id = ma.fields.Integer()
    parent_id = ma.fields.Integer(allow_none=True)
    excerpt = ma.fields.Function(lambda comment: (comment.body or "")[:200])


class NotificationSchema(ma.Schema):
    id = ma.fields.Integer()
    kind = ma.fields.String(metadata={
        "description": "reply, comment, post, moderation, or webhook (to admins)"})
    reason = ma.fields.String(metadata={
        "description": "reply, thread, author, tag, moderation, admin"})
    decision = ma.fields.Function(lambda n: n.detail or None,
                                  metadata={"description": "approve or reject (moderation)"})
    created_at = ma.fields.DateTime()
    read_at = ma.fields.DateTime(allow_none=True)
    actor = ma.fields.Nested(UserRefSchema, allow_none=True)
    post = ma.fields.Nested(PostRefSchema, allow_none=True)
    comment = ma.fields.Method("get_comment", allow_none=True)
    url = ma.fields.Function(notification_url)

    def get_comment(self, notification):
        comment = notification.comment
        if comment is None or notification.kind == "post":
            return None
        return CommentRefSchema().dump(comment)


NotificationPageSchema = page_schema(NotificationSchema, "NotificationPage")


class UnreadCountSchema(ma.Schema):
    count = ma.fields.Integer()


class MarkReadSchema(ma.Schema):
    ids = ma.fields.List(Id(), validate=ma.validate.Length(max=500))
    all = StrictBoolean()

    @ma.validates_schema
    def check_one_of(self, data, **kwargs):
        if not data.get("all") and not data.get("ids"):
            raise ma.ValidationError("Give `ids` or `all: true`.", field_name="ids")
