"""Bodies of the email subscription endpoint."""

from __future__ import annotations

import marshmallow as ma

from blog.api.fields import CleanText


class SubscribeSchema(ma.Schema):
    email = ma.fields.Email(required=True, validate=ma.validate.Length(max=254))
    tags = ma.fields.List(
        CleanText(validate=ma.validate.Length(min=1, max=60)),
        load_default=list, validate=ma.validate.Length(max=20),
        metadata={"description": "Tag names or slugs; none: every new post"},
    )


class AcceptedSchema(ma.Schema):
    status = ma.fields.String()
    detail = ma.fields.String()
