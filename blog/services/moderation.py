"""The moderation pipeline: one function decides every new or edited comment.

Each rule that fires adds a named signal. Hard rules (pre-moderation, spam words and domains,
shadow bans) apply to everybody; soft rules (new account, links, suspect words, repeats) are
waived for trusted users. The outcome is `spam` if a spam rule fired, else `pending` if a hold
rule fired, else `approved`. Every threshold and list comes from the MODERATION_* settings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import bindparam, func, literal, select

from blog.extensions import db
from blog.models import (
    Ban,
    Comment,
    CommentFlag,
    CommentStatus,
    ModerationAction,
    PostModeration,
    Role,
    User,
    utcnow,
)
from blog.services import events, moderation_log, moderation_rules, spam_checks, sql, toxicity
from blog.services.comment_status import change_status
from blog.services.errors import Forbidden, ToxicityNudge
from blog.services.subscriptions import InvalidToken, make_token, read_token


class Signal:
    """The names of the signals, as moderators and the API see them."""

    PREMODERATE_ALL = "premoderate_all"
    PREMODERATE_POST = "premoderate_post"
    SHADOW_BAN = "shadow_ban"
    BANNED_WORD = "banned_word"
    BLOCKED_DOMAIN = "blocked_domain"
    NEW_ACCOUNT = "new_account"
    TOO_MANY_LINKS = "too_many_links"
    SUSPECT_WORD = "suspect_word"
    REPEAT = "repeat"
    TRUSTED = "trusted"
    READER_FLAGS = "reader_flags"
    TOXICITY = "toxicity"
    AKISMET_SPAM = "akismet_spam"
    SPAM_CHECK_UNAVAILABLE = "spam_check_unavailable"


SPAM_SIGNALS = frozenset({Signal.SHADOW_BAN, Signal.BANNED_WORD, Signal.BLOCKED_DOMAIN,
                          Signal.AKISMET_SPAM})
#: Held whoever wrote it: trust is earned by an author, toxicity is a property of this text.
#: A spam check that could not be asked holds the comment too: never published unchecked.
HARD_HOLD_SIGNALS = frozenset({Signal.PREMODERATE_ALL, Signal.PREMODERATE_POST, Signal.TOXICITY,
                               Signal.SPAM_CHECK_UNAVAILABLE})
SOFT_HOLD_SIGNALS = frozenset({
    Signal.NEW_ACCOUNT, Signal.TOO_MANY_LINKS, Signal.SUSPECT_WORD, Signal.REPEAT,
})
#: Statuses a moderator (or readers' flags) put a comment in; an edit does not undo them.
DECIDED_STATUSES = frozenset({
    CommentStatus.FLAGGED, CommentStatus.REJECTED, CommentStatus.SPAM, CommentStatus.DELETED,
})


@dataclass
class Assessment:
    """What the pipeline decided for a comment, and the named signals that led there."""

    status: CommentStatus
    signals: list[str] = field(default_factory=list)


def _setting(name: str):
    return current_app.config[f"MODERATION_{name}"]


@dataclass(frozen=True)
class Standing:
    """What the rules need to know of a commenter, and of the post, read in one query."""

    banned: bool = False
    ban_shadow: bool = False
    ban_until: datetime | None = None
    post_premoderated: bool = False
    #: Approved comments, counted up to the highest threshold that looks at them.
    approved: int = 0
    recent_spam: bool = False
    #: The same text (by `text_key`) from the commenter within the repeat window.
    repeat: bool = False


def commenter_standing(user_id: int | None, post_id: int | None, *,
                       text_key: str | None = None, comment_id: int | None = None) -> Standing:
    """Read `user_id`'s ban, approved comments, recent spam and, given the `text_key` of a text
    (of the comment `comment_id`, when it exists), whether they wrote it lately; and whether
    `post_id` is premoderated. One statement: each part an indexed lookup that stops early."""
    if user_id is None:
        return Standing(post_premoderated=post_premoderated(post_id))
    now = utcnow()
    repeat_window = _setting("REPEAT_WINDOW_SECONDS")
    row = _STANDING.first({
        "user_id": user_id, "post_id": post_id, "now": now,
        "approved_cap": max(_setting("TRUSTED_APPROVED"), _setting("NEW_USER_APPROVED"), 1),
        "spam_since": now - timedelta(days=_setting("TRUSTED_SPAM_DAYS")),
        # No key matches NULL: the rule is off, or there is no text to compare.
        "text_key": text_key if repeat_window > 0 else None,
        "repeat_since": now - timedelta(seconds=max(repeat_window, 0)),
        "comment_id": comment_id if comment_id is not None else 0,  # ids start at 1
    })
    ban_user, ban_shadow, ban_until, premoderated, approved, recent_spam, repeat = row
    return Standing(
        banned=ban_user is not None and Ban.in_force(ban_until, now),
        ban_shadow=bool(ban_shadow), ban_until=ban_until,
        post_premoderated=bool(premoderated), approved=approved, recent_spam=bool(recent_spam),
        repeat=bool(repeat),
    )


def _capped_count(*conditions, cap):
    """count(*) of the author's comments matching `conditions`, stopping at `cap` rows."""
    rows = select(literal(1)).select_from(Comment).where(*conditions).limit(cap).subquery()
    return select(func.count()).select_from(rows).scalar_subquery()


_user_id, _post_id = bindparam("user_id"), bindparam("post_id")
_STANDING = sql.DriverStatement(select(
    select(Ban.user_id).where(Ban.user_id == _user_id).scalar_subquery(),
    select(Ban.shadow).where(Ban.user_id == _user_id).scalar_subquery(),
    select(Ban.until).where(Ban.user_id == _user_id).scalar_subquery(),
    select(PostModeration.premoderate).where(PostModeration.post_id == _post_id)
    .scalar_subquery(),
    _capped_count(Comment.author_id == _user_id, Comment.status == CommentStatus.APPROVED.value,
                  cap=bindparam("approved_cap")),
    _capped_count(Comment.author_id == _user_id, Comment.status == CommentStatus.SPAM.value,
                  Comment.created_at >= bindparam("spam_since"), cap=1),
    # The repeat rule, on (author_id, text_key, created_at).
    _capped_count(Comment.author_id == _user_id, Comment.text_key == bindparam("text_key"),
                  Comment.created_at >= bindparam("repeat_since"),
                  Comment.status != CommentStatus.DELETED.value,
                  Comment.id != bindparam("comment_id"), cap=1),
))


def ensure_may_comment(user: User, standing: Standing | None = None) -> None:
    """Raise Forbidden if `user` may not comment at all (banned; a shadow ban lets them).

    `standing` is the user's, when the caller read it already (`commenter_standing`).
    """
    if standing is None:
        standing = commenter_standing(user.id, None)
    if not standing.banned or standing.ban_shadow:
        return
    until = f" until {standing.ban_until:%Y-%m-%d %H:%M} UTC" if standing.ban_until else ""
    raise Forbidden(f"You are banned from commenting{until}.")


def assess_comment(comment: Comment, *, is_edit: bool = False,
                   standing: Standing | None = None) -> Assessment:
    """Decide the status of a new or edited comment, with the signals that explain it.

    `standing` is the author's, read with the comment's text key, when the caller read it
    already (`commenter_standing`).
    """
    with db.session.no_autoflush:
        author = comment.author or (db.session.get(User, comment.author_id)
                                    if comment.author_id else None)
        if standing is None:
            standing = commenter_standing(author.id if author else None, comment.post_id,
                                          text_key=comment.text_key, comment_id=comment.id)
        signals = _signals(comment, author, standing, is_edit=is_edit)
    trusted = Signal.TRUSTED in signals
    if not (is_edit or trusted or signals & SPAM_SIGNALS):
        signals |= _external_signals(comment, author)
    if signals & SPAM_SIGNALS or _toxic_enough_for_spam(comment):
        status = CommentStatus.SPAM
    elif signals & HARD_HOLD_SIGNALS or (signals & SOFT_HOLD_SIGNALS and not trusted):
        status = CommentStatus.PENDING
    else:
        status = CommentStatus.APPROVED
    if is_edit and comment.status in DECIDED_STATUSES:
        status = CommentStatus(comment.status)
    return Assessment(status, sorted(signals))


#: What a reader is told when the score would hold their comment and the nudge is on.
NUDGE_MESSAGE = ("This comment may come across as hostile, so it would wait for a moderator. "
                 "Rephrase it if you like, or send it again as it is.")
NUDGE_MAX_AGE_SECONDS = 24 * 3600
NUDGE_PURPOSE = "toxicity-nudge"


def nudge_if_toxic(comment: Comment, assessment: Assessment, author: User,
                   nudge_token: str | None) -> None:
    """Refuse, once, a comment the toxicity score holds, so that its author may rephrase it
    (MODERATION_TOXICITY_NUDGE); raise ToxicityNudge with a token for this author and text.

    Sent again with that token and the same text, it goes on to the queue: the token is signed
    with SECRET_KEY (nothing is stored) and names the author and the text's key, so a changed
    text is scored, and nudged, afresh.
    """
    if not _setting("TOXICITY_NUDGE") or Signal.TOXICITY not in assessment.signals:
        return
    if assessment.status == CommentStatus.APPROVED:
        return
    expected = {"u": author.id, "t": comment.text_key}
    if nudge_token:
        try:
            if read_token(NUDGE_PURPOSE, nudge_token, max_age=NUDGE_MAX_AGE_SECONDS) == expected:
                return
        except InvalidToken:
            pass
    raise ToxicityNudge(NUDGE_MESSAGE, make_token(NUDGE_PURPOSE, expected))


def _signals(comment: Comment, author: User | None, standing: Standing, *,
             is_edit: bool) -> set[str]:
    signals: set[str] = set()
    if _setting("PREMODERATE_ALL"):
        signals.add(Signal.PREMODERATE_ALL)
    if standing.post_premoderated:
        signals.add(Signal.PREMODERATE_POST)
    if standing.banned and standing.ban_shadow:
        signals.add(Signal.SHADOW_BAN)
    signals |= _text_signals(comment)
    if author is not None:
        signals |= _author_signals(comment, author, standing, is_edit=is_edit)
    return signals


def _text_signals(comment: Comment) -> set[str]:
    signals = set()
    text = comment.body or ""
    comment.toxicity = toxicity.score(text)
    if _reaches(comment.toxicity, "TOXICITY_HOLD") or _toxic_enough_for_spam(comment):
        signals.add(Signal.TOXICITY)
    if moderation_rules.matching_words(text, _setting("BANNED_WORDS")):
        signals.add(Signal.BANNED_WORD)
    if moderation_rules.matching_words(text, _setting("SUSPECT_WORDS")):
        signals.add(Signal.SUSPECT_WORD)
    hosts = moderation_rules.find_links(text, comment.body_html or "")
    if len(hosts) > _setting("MAX_LINKS"):
        signals.add(Signal.TOO_MANY_LINKS)
    if moderation_rules.blocked_hosts(hosts, _setting("BLOCKED_DOMAINS")):
        signals.add(Signal.BLOCKED_DOMAIN)
    return signals


def _external_signals(comment: Comment, author: User | None) -> set[str]:
    """Ask the configured spam checks (blog.services.spam_checks); none: no call. Trusted
    authors, edits and comments the local rules already mark spam are not sent."""
    found = set()
    for verdict in spam_checks.verdicts(comment, author).values():
        if verdict == spam_checks.Verdict.SPAM:
            found.add(Signal.AKISMET_SPAM)
        elif verdict == spam_checks.Verdict.UNKNOWN:
            found.add(Signal.SPAM_CHECK_UNAVAILABLE)
    return found


def _reaches(score: float | None, threshold_setting: str) -> bool:
    """Whether `score` reaches the threshold named (a threshold of 0 is off)."""
    threshold = _setting(threshold_setting)
    return bool(threshold) and score is not None and score >= threshold


def _toxic_enough_for_spam(comment: Comment) -> bool:
    return _reaches(comment.toxicity, "TOXICITY_SPAM")


def _author_signals(comment: Comment, author: User, standing: Standing, *,
                    is_edit: bool) -> set[str]:
    signals = set()
    if is_trusted(author, standing):
        signals.add(Signal.TRUSTED)
    elif (not (is_edit and comment.status == CommentStatus.APPROVED)
          and standing.approved < _setting("NEW_USER_APPROVED")):
        # An approved comment's edit is not held for its author's newness.
        signals.add(Signal.NEW_ACCOUNT)
    if standing.repeat:
        signals.add(Signal.REPEAT)
    return signals


def post_premoderated(post_id: int | None) -> bool:
    if post_id is None:
        return False
    return bool(db.session.scalar(
        select(PostModeration.premoderate).where(PostModeration.post_id == post_id)
    ))


def is_trusted(user: User, standing: Standing) -> bool:
    """Tell whether `user` is trusted: staff, or enough approved comments and no recent spam."""
    if user.has_role(Role.AUTHOR, Role.MODERATOR):
        return True
    return standing.approved >= _setting("TRUSTED_APPROVED") and not standing.recent_spam


def shown_as_published(comment: Comment, viewer: User | None) -> bool:
    """Tell whether `viewer` should see `comment` as published: a shadow-banned author does."""
    return (comment.status == CommentStatus.SPAM and viewer is not None
            and comment.author_id == viewer.id and Signal.SHADOW_BAN in (comment.signals or []))


def open_flag_count(comment: Comment) -> int:
    """Count the distinct readers whose flags on `comment` no moderator has cleared."""
    return db.session.scalar(
        select(func.count(func.distinct(CommentFlag.user_id)))
        .where(CommentFlag.comment_id == comment.id, CommentFlag.cleared_at.is_(None))
    ) or 0


def flag_recorded(comment: Comment) -> None:
    """Take an approved comment out of public view once enough readers flagged it."""
    if comment.status != CommentStatus.APPROVED:
        return
    if open_flag_count(comment) < _setting("FLAG_THRESHOLD"):
        return
    before = change_status(comment, CommentStatus.FLAGGED)
    comment.signals = sorted({*(comment.signals or []), Signal.READER_FLAGS})
    moderation_log.record(ModerationAction.FLAG_THRESHOLD, None, comment=comment,
                          before=before, after=comment.status)
    events.comment_flagged(comment)
    db.session.flush()


def set_post_premoderation(post, premoderate: bool, moderator: User) -> PostModeration:
    """Hold (or stop holding) every new comment on `post` for a moderator."""
    setting = db.session.get(PostModeration, post.id) or PostModeration(post_id=post.id)
    setting.premoderate = premoderate
    db.session.add(setting)
    moderation_log.record(ModerationAction.PREMODERATE_POST, moderator, post_id=post.id,
                          detail=f"{post.slug}: {'on' if premoderate else 'off'}")
    db.session.flush()
    return setting
