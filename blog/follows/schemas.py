"""Bodies in and out of the follow and preference endpoints."""

from __future__ import annotations

import marshmallow as ma

from blog.api.fields import StrictBoolean
from blog.models import EmailPreference, FollowLevel, FollowType
from blog.urls import absolute_url, post_url


class FollowPostSchema(ma.Schema):
    level = ma.fields.String(
        load_default=FollowLevel.ALL.value,
        validate=ma.validate.OneOf([level.value for level in FollowLevel]),
        metadata={"description": "all: every new comment; replies: replies to me; "
                                 "muted: nothing from this thread, not even replies"},
    )


class FollowSchema(ma.Schema):
    type = ma.fields.Function(lambda follow: follow.type.value)
    #: The post's or tag's slug, or the author's user id.
    target = ma.fields.Method("get_target")
    name = ma.fields.Method("get_name")
    url = ma.fields.Method("get_url")
    level = ma.fields.String()
    created_at = ma.fields.DateTime()

    def get_target(self, follow):
        if follow.type == FollowType.AUTHOR:
            return follow.author_id
        return follow.target.slug

    def get_name(self, follow) -> str:
        if follow.type == FollowType.POST:
            return follow.target.title
        if follow.type == FollowType.AUTHOR:
            return follow.target.display_name
        return follow.target.name

    def get_url(self, follow) -> str | None:
        if follow.type == FollowType.POST:
            return post_url(follow.target)
        if follow.type == FollowType.TAG:
            return absolute_url("posts.tag_page", slug=follow.target.slug)
        return None


class FollowListSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(FollowSchema))


class PreferencesSchema(ma.Schema):
    email = ma.fields.String(
        validate=ma.validate.OneOf([choice.value for choice in EmailPreference]),
        metadata={"description": "immediate, daily (one digest a day) or off; in-app always"},
    )
    auto_follow = StrictBoolean(
        metadata={"description": "Commenting on a post follows it at level `replies`"}
    )
