"""Bodies in and out of the auth and account endpoints."""

from __future__ import annotations

import marshmallow as ma

from blog.api.fields import CleanText
from blog.services.accounts import MIN_PASSWORD_LENGTH

PASSWORD = ma.validate.Length(min=MIN_PASSWORD_LENGTH, max=1024)


class RegisterSchema(ma.Schema):
    email = ma.fields.Email(required=True, validate=ma.validate.Length(max=254))
    password = ma.fields.String(required=True, load_only=True, validate=PASSWORD)
    display_name = CleanText(required=True, strict_name=True,
                             validate=ma.validate.Length(min=1, max=80))


class LoginSchema(ma.Schema):
    email = ma.fields.String(required=True, validate=ma.validate.Length(max=254))
    password = ma.fields.String(required=True, load_only=True,
                                validate=ma.validate.Length(max=1024))


class UserSchema(ma.Schema):
    id = ma.fields.Integer()
    display_name = ma.fields.String()
    role = ma.fields.String()


class MeSchema(UserSchema):
    email = ma.fields.String()
    created_at = ma.fields.DateTime()


class CsrfSchema(ma.Schema):
    csrf_token = ma.fields.String()


class TokenRequestSchema(ma.Schema):
    name = CleanText(required=True, validate=ma.validate.Length(min=1, max=80))


class TokenSchema(ma.Schema):
    token = ma.fields.String(metadata={"description": "Shown once; send as `Bearer <token>`."})
    name = ma.fields.String()


class PasswordChangeSchema(ma.Schema):
    current_password = ma.fields.String(required=True, load_only=True,
                                        validate=ma.validate.Length(max=1024))
    new_password = ma.fields.String(required=True, load_only=True, validate=PASSWORD)
