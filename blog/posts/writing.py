"""The authors' writing pages: their posts, a form to write or edit one, preview and unpublish.

The form's fields are loaded with the API's schemas (PostWriteSchema for a new post,
PostPatchSchema for an edit) and saved by the same posts service, so a page and an API client
meet the same limits and rules.
"""

from __future__ import annotations

import marshmallow as ma
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import case, select

from blog.auth.security import roles_required
from blog.extensions import db
from blog.models import Post, PostStatus, Role
from blog.posts.schemas import PostPatchSchema, PostWriteSchema
from blog.services import posts
from blog.services.errors import ServiceError
from blog.services.sanitize import clean_post_html

bp = Blueprint("writing", __name__, url_prefix="/write")
#: The list shows this many posts, drafts first, then the latest changed.
LIST_LIMIT = 200
FIELDS = ("title", "summary", "tags", "body_html", "status")


@bp.route("")
@roles_required(Role.AUTHOR)
def my_posts():
    """List the author's posts (an admin's list holds everyone's)."""
    statement = select(Post).order_by(
        case((Post.status == PostStatus.DRAFT, 0), else_=1), Post.updated_at.desc(),
        Post.id.desc()).limit(LIST_LIMIT)
    if current_user.role != Role.ADMIN:
        statement = statement.where(Post.author_id == current_user.id)
    return render_template("writing/list.html", posts=db.session.scalars(statement).all())


@bp.route("/new", methods=["GET"])
@roles_required(Role.AUTHOR)
def new_post():
    """An empty form."""
    return render_template("writing/form.html", form={"status": "draft"}, post=None, errors={})


@bp.route("/new", methods=["POST"])
@roles_required(Role.AUTHOR)
def create_post():
    """Preview or save a new post."""
    form = submitted_form()
    if "preview" in request.form:
        return preview(form, None)
    try:
        data = PostWriteSchema().load(as_api_body(form))
        post = posts.create_post(current_user, data)
    except ma.ValidationError as error:
        return form_again(form, None, error.messages, 422)
    except ServiceError as error:
        return form_again(form, None, error.messages_for("form"), error.status)
    return saved(post)


@bp.route("/<slug>/edit", methods=["GET"])
@roles_required(Role.AUTHOR)
def edit_post(slug):
    """The form, filled with the post as it is."""
    post = editable_post(slug)
    form = {"title": post.title, "summary": post.summary, "body_html": post.body_html,
            "tags": ", ".join(tag.name for tag in post.tags), "status": post.status}
    return render_template("writing/form.html", form=form, post=post, errors={})


@bp.route("/<slug>/edit", methods=["POST"])
@roles_required(Role.AUTHOR)
def update_post(slug):
    """Preview or save changes to a post."""
    post = editable_post(slug)
    form = submitted_form()
    if "preview" in request.form:
        return preview(form, post)
    try:
        posts.update_post(post, current_user, PostPatchSchema().load(as_api_body(form)))
    except ma.ValidationError as error:
        return form_again(form, post, error.messages, 422)
    except ServiceError as error:  # the answer's status rolls the changes back
        return form_again(form, post, error.messages_for("form"), error.status)
    return saved(post)


@bp.route("/<slug>/unpublish", methods=["POST"])
@roles_required(Role.AUTHOR)
def unpublish_post(slug):
    """Take a published post back to draft: it leaves the front page, feeds and related lists."""
    post = editable_post(slug)
    posts.update_post(post, current_user, {"status": PostStatus.DRAFT.value})
    flash(f"“{post.title}” is a draft again: only you and the admins can see it.", "success")
    return redirect(url_for("writing.my_posts"), code=303)


def editable_post(slug: str) -> Post:
    """The post `slug` if the signed-in author may edit it: 404 if unseen, 403 if not theirs."""
    post = posts.get_visible_post(slug, current_user)
    if not posts.can_edit_post(post, current_user):
        abort(403)
    return post


def submitted_form() -> dict[str, str]:
    return {name: request.form.get(name, "") for name in FIELDS}


def as_api_body(form: dict[str, str]) -> dict:
    """The form as the API's body: tags are comma-separated names."""
    tags = [name.strip() for name in form["tags"].split(",") if name.strip()]
    return {**form, "tags": tags}


def preview(form: dict, post: Post | None):
    """Show the form again with the body as readers would see it; nothing is saved."""
    return render_template("writing/form.html", form=form, post=post, errors={},
                           preview_html=clean_post_html(form["body_html"]))


def form_again(form: dict, post: Post | None, errors: dict, status: int):
    """Show the form with the author's text and what was wrong with it."""
    messages = {field: list(flatten(value)) for field, value in errors.items()}
    return render_template("writing/form.html", form=form, post=post, errors=messages), status


def flatten(messages):
    """Marshmallow's messages for a list field come per item: {0: [...]}; yield the sentences."""
    if isinstance(messages, dict):
        for value in messages.values():
            yield from flatten(value)
    elif isinstance(messages, list):
        for value in messages:
            yield from flatten(value)
    else:
        yield str(messages)


def saved(post: Post):
    if post.status == PostStatus.PUBLISHED:
        flash("Published.", "success")
        return redirect(url_for("posts.article", slug=post.slug), code=303)
    flash("Saved as a draft.", "success")
    return redirect(url_for("writing.edit_post", slug=post.slug), code=303)
