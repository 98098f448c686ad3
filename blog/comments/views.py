"""The article page's comment thread (rendered on the server) and its reply form."""

from __future__ import annotations

import marshmallow as ma
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from blog.api.pagination import Page
from blog.auth.security import current_user_or_none, login_required_api
from blog.comments.api import comment_rate_limit
from blog.comments.schemas import CommentCreateSchema, CommentListQuerySchema
from blog.database import write_lock_at_first_write
from blog.models import CommentStatus, Post
from blog.services import comment_threads, comments, posts, related, thread_cache
from blog.services.errors import ServiceError

bp = Blueprint("comments", __name__)
PAGE_SIZE = 50


@bp.app_template_global()
def comment_thread(post: Post) -> Page:
    """Return the page of `post`'s thread the article page asked for (`sort`, `cursor`)."""
    try:
        query = CommentListQuerySchema().load(request.args)
    except ma.ValidationError:
        query = {"sort": "oldest", "cursor": None}
    try:
        return _thread_page(post, query["sort"], query["cursor"])
    except ServiceError:
        return _thread_page(post, query["sort"], None)


def _thread_page(post: Post, sort: str, cursor: str | None) -> Page:
    """Return the page; an anonymous reader's comes from the memo, under the thread's version."""
    viewer = current_user_or_none()
    if viewer is not None:
        return comment_threads.thread_page(post, viewer, sort=sort, limit=PAGE_SIZE,
                                           cursor=cursor)
    key = ("article", post.id, post.comments_version, sort, cursor, PAGE_SIZE)
    return thread_cache.remembered(
        key, lambda: comment_threads.thread_page(post, None, sort=sort, limit=PAGE_SIZE,
                                                 cursor=cursor),
        size_of=page_size_estimate)


def page_size_estimate(page: Page) -> int:
    """Roughly the bytes a page of nodes holds: its HTML and a few hundred per comment."""
    def size(nodes: list[dict]) -> int:
        return sum(300 + len(node.get("body_html", "")) + size(node["replies"]) for node in nodes)

    return size(page.items)


@bp.route("/posts/<slug>/comments", methods=["POST"])
@login_required_api
@comment_rate_limit
@write_lock_at_first_write
def post_comment(slug):
    """Post a comment or reply from the article page's form."""
    post = posts.get_visible_post(slug, current_user, with_author=False)
    form = {"body": request.form.get("body", ""), "parent_id": request.form.get("parent_id")}
    try:
        data = CommentCreateSchema().load({
            "body": form["body"],
            "parent_id": int(form["parent_id"]) if (form["parent_id"] or "").isdigit() else None,
        })
        comment = comments.create_comment(post, current_user, data["body"], data["parent_id"])
    except ma.ValidationError as error:
        return _form_again(post, form, error.messages, 422)
    except ServiceError as error:
        return _form_again(post, form, error.errors or {"body": [error.detail]}, error.status)
    if comment.status == CommentStatus.PENDING:
        flash("Thanks! Your comment will appear once a moderator has read it.", "info")
    anchor = f"comment-{comment.id}"
    return redirect(url_for("posts.article", slug=post.slug, _anchor=anchor), code=303)


def _form_again(post: Post, form: dict, errors: dict, status: int):
    """Show the article again with the reader's text and what was wrong with it."""
    page = render_template(
        "posts/article.html", post=post, related=related.related_posts(post, limit=5),
        comment_form={**form, "errors": errors},
    )
    return page, status
