"""Bodies in and out of the post endpoints."""

from __future__ import annotations

import marshmallow as ma

from blog.api.fields import CleanText, StrictBoolean
from blog.api.schemas import (
    MAX_ID,
    PageQuerySchema,
    PostRefSchema,
    QuerySchema,
    TagSchema,
    UserRefSchema,
    page_schema,
)
from blog.models import PostStatus
from blog.urls import post_url

TAG_NAME = CleanText(strict_name=True, validate=ma.validate.Length(min=1, max=60))


class PostListQuerySchema(PageQuerySchema):
    tag = ma.fields.String(load_default=None, metadata={"description": "A tag's slug"})
    author = ma.fields.Integer(load_default=None, validate=ma.validate.Range(min=1, max=MAX_ID),
                               metadata={"description": "An author's id"})
    url = ma.fields.String(load_default=None, validate=ma.validate.Length(min=1, max=2048),
                           metadata={"description": "A canonical URL (normalised): the post "
                                     "of that article, as a one-item list, or none"})


class RelatedQuerySchema(QuerySchema):
    limit = ma.fields.Integer(load_default=5, validate=ma.validate.Range(min=1, max=10))


class PostPatchSchema(ma.Schema):
    """Any field of a post; absent fields stay as they are."""

    title = CleanText(validate=ma.validate.Length(min=1, max=300))
    summary = CleanText(multiline=True, validate=ma.validate.Length(max=2000))
    body_html = ma.fields.String(validate=ma.validate.Length(max=200_000))
    tags = ma.fields.List(TAG_NAME, validate=ma.validate.Length(max=20))
    status = ma.fields.String(validate=ma.validate.OneOf([status.value for status in PostStatus]))
    comments_open = StrictBoolean()
    canonical_url = ma.fields.String(
        allow_none=True, validate=ma.validate.Length(min=1, max=2048),
        metadata={"description": "The article's address on the host site (unique; normalised)"})


class PostWriteSchema(PostPatchSchema):
    """A new post: a title is required, the rest has defaults."""

    title = CleanText(required=True, validate=ma.validate.Length(min=1, max=300))
    summary = CleanText(load_default="", multiline=True, validate=ma.validate.Length(max=2000))
    body_html = ma.fields.String(load_default="", validate=ma.validate.Length(max=200_000))
    tags = ma.fields.List(TAG_NAME, load_default=list, validate=ma.validate.Length(max=20))
    status = ma.fields.String(
        load_default=PostStatus.DRAFT.value,
        validate=ma.validate.OneOf([status.value for status in PostStatus]),
    )
    comments_open = StrictBoolean(load_default=True)


class ThreadSchema(ma.Schema):
    """The page a thread belongs to, as the embed sends it."""

    url = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=2048),
                           metadata={"description": "The article's address (normalised)"})
    title = CleanText(required=True, validate=ma.validate.Length(min=1, max=300))


class RelatedItemSchema(PostRefSchema):
    score = ma.fields.Float(allow_none=True)
    reason = ma.fields.String()


class RelatedListSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(RelatedItemSchema))


class PostSchema(ma.Schema):
    slug = ma.fields.String()
    title = ma.fields.String()
    summary = ma.fields.String()
    author = ma.fields.Nested(UserRefSchema)
    tags = ma.fields.List(ma.fields.Nested(TagSchema))
    status = ma.fields.String()
    published_at = ma.fields.DateTime(allow_none=True)
    updated_at = ma.fields.DateTime()
    comment_count = ma.fields.Integer()
    url = ma.fields.Function(post_url)
    canonical_url = ma.fields.String(allow_none=True)


class PostDetailSchema(PostSchema):
    body_html = ma.fields.String()
    comments_open = ma.fields.Boolean()
    related = ma.fields.List(ma.fields.Nested(PostRefSchema), attribute="related_links",
                             dump_default=list)


PostPageSchema = page_schema(PostSchema, "PostPage")
