"""Schemas shared by several features."""

from __future__ import annotations

import marshmallow as ma

from blog.urls import MAX_ID, post_url  # noqa: F401  (MAX_ID: schemas bound ids with it)


class QuerySchema(ma.Schema):
    """Query strings ignore parameters they do not know (cache busters, tracking tags)."""

    class Meta:
        unknown = ma.EXCLUDE


class PageQuerySchema(QuerySchema):
    limit = ma.fields.Integer(load_default=20, validate=ma.validate.Range(min=1, max=100))
    cursor = ma.fields.String(load_default=None, validate=ma.validate.Length(max=500))


class UserRefSchema(ma.Schema):
    """A user as others see them: never an email."""

    id = ma.fields.Integer()
    display_name = ma.fields.String()
    badge = ma.fields.String(allow_none=True, metadata={
        "description": "In a thread: \"author\" for the post's author, \"staff\" for "
                       "moderators and admins, else null"})


class PostRefSchema(ma.Schema):
    """A post as other resources name it: its slug, title and page."""

    slug = ma.fields.String()
    title = ma.fields.String()
    url = ma.fields.Function(post_url, metadata={"description": "The post's page"})


class TagSchema(ma.Schema):
    slug = ma.fields.String()
    name = ma.fields.String()


def page_schema(item_schema: type[ma.Schema], name: str) -> type[ma.Schema]:
    """Make the `{"items": [...], "next_cursor": ...}` envelope for `item_schema`."""
    return ma.Schema.from_dict(
        {
            "items": ma.fields.List(ma.fields.Nested(item_schema)),
            "next_cursor": ma.fields.String(allow_none=True),
        },
        name=name,
    )
