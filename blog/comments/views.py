"""The article page's comment thread (rendered on the server) and what readers do on it.

Every action is a plain HTML form that works without JavaScript (blog/static/article.js makes
voting, copying links and posting nicer) and calls the same service functions as the JSON API.
"""

from __future__ import annotations

import time

import marshmallow as ma
from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge

from blog.api.pagination import Page
from blog.auth.security import current_user_or_none, login_required_api
from blog.comments.api import comment_limit, commenter_key, is_replay
from blog.comments.schemas import (
    MAX_BODY_LENGTH,
    CommentCreateSchema,
    CommentEditSchema,
    CommentListQuerySchema,
    FlagSchema,
    VoteSchema,
)
from blog.database import write_lock_at_first_write
from blog.extensions import limiter
from blog.models import CommentStatus, FlagReason, FollowLevel, FollowType, Post
from blog.services import comment_threads, comments, follows, posts, related, thread_cache
from blog.services.comments import EDITABLE_STATUSES
from blog.services.errors import ServiceError, ToxicityNudge
from blog.wording import wait_time

bp = Blueprint("comments", __name__)
PAGE_SIZE = 50
#: Replies shown under a comment before the rest fold behind "Show N more replies".
REPLIES_SHOWN = 3

FLAG_REASONS = {
    FlagReason.SPAM.value: "Spam or advertising",
    FlagReason.ABUSE.value: "Abusive or hateful",
    FlagReason.OFF_TOPIC.value: "Off topic",
    FlagReason.OTHER.value: "Something else",
}


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


@bp.app_template_global()
def edit_seconds_left(node: dict) -> float | None:
    """Seconds left for the signed-in author to edit a thread node; None when they cannot."""
    viewer = current_user_or_none()
    author = node.get("author")
    if viewer is None or author is None or author["id"] != viewer.id:
        return None
    if node["status"] not in EDITABLE_STATUSES:  # StrEnum members equal their values
        return None
    left = comments.edit_seconds_left(node["created_at"])
    return left if left > 0 else None


@bp.app_template_global()
def comment_flag_reasons() -> dict[str, str]:
    return FLAG_REASONS


@bp.app_template_global()
def replies_shown() -> int:
    return REPLIES_SHOWN


@bp.app_template_global()
def reply_count_below(nodes: list[dict]) -> int:
    """Count the comments in `nodes` and everything under them (for "Show 4 more replies")."""
    return sum(1 + reply_count_below(node["replies"]) for node in nodes)


# --- Posting ----------------------------------------------------------------------------------

def _posted(response) -> bool:
    """Only a comment made counts against the limit: a refused one (422, 413) does not."""
    return response.status_code < 400


def _too_fast(limit) -> object:
    """Answer a form over the limit with the article, the reader's text kept, and the wait."""
    wait = wait_time(limit.reset_at - time.time())
    post = posts.get_visible_post(request.view_args["slug"], current_user, with_author=False)
    message = f"You are commenting faster than we allow. Your text is kept: try again in {wait}."
    response = _form_again(post, _submitted_form(), {"body": [message]}, 429)
    return current_app.make_response(response)


#: The API's budget (scope "comment-post"), shared by the form; failed validations are free.
comment_form_rate_limit = limiter.shared_limit(
    comment_limit, scope="comment-post", key_func=commenter_key, exempt_when=is_replay,
    deduct_when=_posted, on_breach=_too_fast,
)


def _submitted_form() -> dict:
    return {"body": request.form.get("body", ""), "parent_id": request.form.get("parent_id"),
            "notify": request.form.get("notify"), "nudge_token": request.form.get("nudge_token")}


@bp.route("/posts/<slug>/comments", methods=["POST"])
@login_required_api
@comment_form_rate_limit
@write_lock_at_first_write
def post_comment(slug):
    """Post a comment or reply from the article page's form."""
    post = posts.get_visible_post(slug, current_user, with_author=False)
    try:
        form = _submitted_form()
    except RequestEntityTooLarge:
        too_long = f"Your comment is too long to send: at most {MAX_BODY_LENGTH:,} characters."
        return _form_again(post, {"body": ""}, {"body": [too_long]}, 413)
    try:
        data = CommentCreateSchema().load({
            "body": form["body"],
            "parent_id": int(form["parent_id"]) if (form["parent_id"] or "").isdigit() else None,
            "nudge_token": form["nudge_token"] or None,
        })
        comment = comments.create_comment(post, current_user, data["body"], data["parent_id"],
                                          nudge_token=data["nudge_token"])
    except ma.ValidationError as error:
        return _form_again(post, form, error.messages, 422)
    except ToxicityNudge as nudge:  # the same form again, with the token that sends it on
        return _form_again(post, {**form, "nudge_token": nudge.token},
                           nudge.messages_for("body"), 422)
    except ServiceError as error:
        return _form_again(post, form, error.messages_for("body"), error.status)
    if request.form.get("notify_shown"):
        _notify_of_replies(post, wanted=form["notify"] == "yes")
    if comment.status == CommentStatus.PENDING:
        flash("Thanks! Your comment will appear once a moderator has read it.", "info")
    return _back_to(comment)


def _notify_of_replies(post: Post, wanted: bool) -> None:
    """Honour the form's "Notify me of replies" box over the follow a comment makes."""
    follow = follows.find_follow(current_user, FollowType.POST, post.id)
    level = follow.level if follow is not None else None
    if wanted and level in (None, FollowLevel.MUTED.value):
        follows.follow_post(current_user, post, FollowLevel.REPLIES)
    elif not wanted and level == FollowLevel.REPLIES.value:
        follows.unfollow(current_user, FollowType.POST, post.id)


def _form_again(post: Post, form: dict, errors: dict, status: int):
    """Show the article again with the reader's text and what was wrong with it."""
    page = render_template(
        "posts/article.html", post=post, related=related.related_posts(post, limit=5),
        comment_form={**form, "errors": errors},
    )
    return page, status


def _back_to(comment, anchor: bool = True):
    """Redirect to the comment on its article page (303: the browser then GETs it)."""
    target = url_for("posts.article", slug=comment.post.slug,
                     _anchor=f"comment-{comment.id}" if anchor else "comments")
    return redirect(target, code=303)


def _refused(comment, error: ServiceError):
    flash(error.detail, "error")
    return _back_to(comment)


# --- One comment: vote, report, edit, delete -------------------------------------------------

@bp.route("/comments/<int:comment_id>/vote", methods=["POST"])
@login_required_api
def vote(comment_id):
    """Vote a comment up or down from its buttons; the same vote again takes it back."""
    comment = comments.get_comment(comment_id, current_user)
    try:
        value = request.form.get("value", "")
        data = VoteSchema().load({"value": int(value) if value in ("1", "-1", "0") else value})
        comments.vote(comment, current_user, data["value"])
    except ma.ValidationError:
        flash("Choose to vote up or down.", "error")
    except ServiceError as error:
        return _refused(comment, error)
    return _back_to(comment)


@bp.route("/comments/<int:comment_id>/flag", methods=["POST"])
@login_required_api
def flag(comment_id):
    """Report a comment to the moderators with a reason (and a note)."""
    comment = comments.get_comment(comment_id, current_user)
    try:
        data = FlagSchema().load({"reason": request.form.get("reason", ""),
                                  "note": request.form.get("note", "")})
        comments.flag_comment(comment, current_user, data["reason"], data["note"])
    except ma.ValidationError as error:
        flash("Choose why you are reporting this comment." if "reason" in error.messages
              else "Keep the note to 1,000 characters.", "error")
        return _back_to(comment)
    except ServiceError as error:
        return _refused(comment, error)
    flash("Thank you: the moderators will look at this comment.", "info")
    return _back_to(comment)


@bp.route("/comments/<int:comment_id>/edit", methods=["GET"])
@login_required_api
def edit_page(comment_id):
    """Show a comment's text in a form, with the time left to change it."""
    comment = comments.get_comment(comment_id, current_user)
    if not comments.can_edit(comment, current_user) or comment.status == CommentStatus.DELETED:
        flash("This comment can no longer be edited.", "error")
        return _back_to(comment)
    return render_template("comments/edit.html", comment=comment, body=comment.body,
                           seconds_left=_seconds_left(comment), errors={})


def _seconds_left(comment) -> float | None:
    if comment.author_id != current_user.id:
        return None  # a moderator, who has no window
    return max(0.0, comments.edit_seconds_left(comment.created_at))


@bp.route("/comments/<int:comment_id>/edit", methods=["POST"])
@login_required_api
@write_lock_at_first_write
def edit_submit(comment_id):
    """Save a comment's new text; a refusal keeps the text in the form."""
    comment = comments.get_comment(comment_id, current_user)
    body = request.form.get("body", "")
    try:
        data = CommentEditSchema().load({"body": body})
        comments.edit_comment(comment, current_user, data["body"])
    except ma.ValidationError as error:
        return _edit_again(comment, body, error.messages, 422)
    except ServiceError as error:
        return _edit_again(comment, body, error.messages_for("body"), error.status)
    flash("Your comment was changed.", "info")
    return _back_to(comment)


def _edit_again(comment, body: str, errors: dict, status: int):
    page = render_template("comments/edit.html", comment=comment, body=body,
                           seconds_left=_seconds_left(comment), errors=errors)
    return page, status


@bp.route("/comments/<int:comment_id>/delete", methods=["POST"])
@login_required_api
def delete(comment_id):
    """Delete a comment after the confirmation under its Delete button."""
    comment = comments.get_comment(comment_id, current_user)
    try:
        comments.delete_comment(comment, current_user)
    except ServiceError as error:
        return _refused(comment, error)
    flash("The comment was deleted.", "info")
    return _back_to(comment, anchor=False)
