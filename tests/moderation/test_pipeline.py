"""The pipeline: every rule, the signal it adds, and the status that follows."""

from __future__ import annotations

from datetime import timedelta

import pytest

from blog.extensions import db
from blog.models import Ban, Comment, CommentStatus, PostModeration, Role, utcnow
from blog.services.comments import edit_comment
from blog.services.errors import Forbidden
from blog.services.moderation import assess_comment, ensure_may_comment, shown_as_published
from tests.factories import make_user
from tests.moderation.factories import make_comment

APPROVED, PENDING, SPAM = CommentStatus.APPROVED, CommentStatus.PENDING, CommentStatus.SPAM


def draft(post, user, body="A fair point about the bridge.") -> Comment:
    """A new comment as the comments feature hands it to the pipeline (not yet flushed)."""
    return Comment(post_id=post.id, author_id=user.id, author=user, body=body,
                   body_html=f"<p>{body}</p>")


def with_approved(post, user, count):
    for _ in range(count):
        make_comment(post, user, status=APPROVED, minutes_ago=3 * 24 * 60)
    return user


@pytest.fixture
def regular(post):
    """A reader past the new-account rule but not yet trusted (2 approved comments)."""
    return with_approved(post, make_user(display_name="Regular Reader"), 2)


@pytest.fixture
def trusted(post):
    return with_approved(post, make_user(display_name="Trusted Reader"), 5)


def test_a_regular_readers_plain_comment_is_approved_without_signals(post, regular):
    assessment = assess_comment(draft(post, regular))
    assert (assessment.status, assessment.signals) == (APPROVED, [])


@pytest.mark.parametrize(("approved", "status", "signals"), [
    (0, PENDING, ["new_account"]),
    (1, PENDING, ["new_account"]),
    (2, APPROVED, []),
])
def test_a_new_accounts_first_comments_are_held(post, approved, status, signals):
    user = with_approved(post, make_user(), approved)
    assessment = assess_comment(draft(post, user))
    assert (assessment.status, assessment.signals) == (status, signals)


def test_the_new_account_threshold_is_configurable(app, post, reader):
    app.config["MODERATION_NEW_USER_APPROVED"] = 0
    assert assess_comment(draft(post, reader)).status == APPROVED


def test_the_site_wide_switch_holds_every_comment(app, post, trusted):
    app.config["MODERATION_PREMODERATE_ALL"] = True
    assessment = assess_comment(draft(post, trusted))
    assert assessment.status == PENDING
    assert "premoderate_all" in assessment.signals


def test_a_premoderated_post_holds_every_comment_even_from_trusted_users(post, trusted):
    db.session.add(PostModeration(post_id=post.id, premoderate=True))
    db.session.commit()
    assessment = assess_comment(draft(post, trusted))
    assert assessment.status == PENDING
    assert "premoderate_post" in assessment.signals


@pytest.mark.parametrize(("links", "status"), [(2, APPROVED), (3, PENDING)])
def test_more_links_than_the_limit_hold(post, regular, links, status):
    body = " ".join(f"https://site{n}.example.org/page" for n in range(links))
    assessment = assess_comment(draft(post, regular, body))
    assert assessment.status == status
    assert ("too_many_links" in assessment.signals) is (status == PENDING)


def test_the_link_limit_is_configurable(app, post, regular):
    app.config["MODERATION_MAX_LINKS"] = 0
    assessment = assess_comment(draft(post, regular, "see https://example.org"))
    assert (assessment.status, assessment.signals) == (PENDING, ["too_many_links"])


def test_a_link_to_a_blocked_domain_marks_spam(app, post, trusted):
    app.config["MODERATION_BLOCKED_DOMAINS"] = ["pills.example"]
    assessment = assess_comment(draft(post, trusted, "cheap at https://shop.pills.example/x"))
    assert assessment.status == SPAM
    assert "blocked_domain" in assessment.signals


def test_a_banned_word_marks_spam_even_for_trusted_users(app, post, trusted):
    app.config["MODERATION_BANNED_WORDS"] = ["viagra"]
    assessment = assess_comment(draft(post, trusted, "Buy VIÁGRA today"))
    assert assessment.status == SPAM
    assert "banned_word" in assessment.signals


def test_a_suspect_word_holds(app, post, regular):
    app.config["MODERATION_SUSPECT_WORDS"] = ["idiot"]
    app.config["MODERATION_TOXICITY_HOLD"] = 0  # the score holds this text too: the rule alone
    assessment = assess_comment(draft(post, regular, "Only an Idiot would build that."))
    assert (assessment.status, assessment.signals) == (PENDING, ["suspect_word"])


def test_words_inside_other_words_do_not_match(app, post, regular):
    app.config["MODERATION_BANNED_WORDS"] = ["ass"]
    app.config["MODERATION_SUSPECT_WORDS"] = ["hell"]
    assessment = assess_comment(draft(post, regular, "A first-class bridge. Hello, Shell!"))
    assert (assessment.status, assessment.signals) == (APPROVED, [])


def test_the_same_text_again_within_a_day_is_held(post, regular):
    make_comment(post, regular, "Great  reporting, thank you!", minutes_ago=60)
    assessment = assess_comment(draft(post, regular, "great reporting, thank you!"))
    assert (assessment.status, assessment.signals) == (PENDING, ["repeat"])


def test_the_same_text_as_a_comment_a_moderator_deleted_is_not_a_repeat(post, regular):
    make_comment(post, regular, "Great reporting, thank you!", minutes_ago=60,
                 status=CommentStatus.DELETED)
    assert assess_comment(draft(post, regular, "great reporting, thank you!")).status == APPROVED


def test_a_text_changed_in_place_is_compared_by_its_new_words(post, regular):
    earlier = make_comment(post, regular, "Great reporting, thank you!", minutes_ago=60)
    earlier.body = "The bridge opens in May."
    db.session.commit()
    assessment = assess_comment(draft(post, regular, "the bridge opens in may."))
    assert (assessment.status, assessment.signals) == (PENDING, ["repeat"])
    assert assess_comment(draft(post, regular, "Great reporting, thank you!")).status == APPROVED


def test_an_edit_to_new_words_is_not_a_repeat_of_the_old_ones(post, regular):
    earlier = make_comment(post, regular, "Great reporting, thank you!", minutes_ago=1)
    edit_comment(earlier, regular, "Something else entirely")
    db.session.commit()
    assert assess_comment(draft(post, regular, "Great reporting, thank you!")).status == APPROVED


def test_the_same_text_after_the_window_is_not_a_repeat(post, regular):
    make_comment(post, regular, "Great reporting, thank you!", minutes_ago=25 * 60)
    assert assess_comment(draft(post, regular, "Great reporting, thank you!")).status == APPROVED


def test_another_users_same_text_is_not_a_repeat(post, regular, other_reader):
    make_comment(post, other_reader, "Great reporting, thank you!", minutes_ago=5)
    assert assess_comment(draft(post, regular, "Great reporting, thank you!")).status == APPROVED


def test_trusted_users_are_approved_despite_soft_rules(app, post, trusted):
    app.config["MODERATION_SUSPECT_WORDS"] = ["idiot"]
    body = "idiot " + " ".join(f"https://s{n}.example.org" for n in range(4))
    assessment = assess_comment(draft(post, trusted, body))
    assert assessment.status == APPROVED
    assert assessment.signals == ["suspect_word", "too_many_links", "trusted"]


def test_recent_spam_takes_trust_away(post, trusted):
    make_comment(post, trusted, "spam I sent", status=SPAM, minutes_ago=10 * 24 * 60)
    assert "trusted" not in assess_comment(draft(post, trusted)).signals


def test_spam_older_than_the_trust_window_is_forgiven(post, trusted):
    make_comment(post, trusted, "old spam", status=SPAM, minutes_ago=31 * 24 * 60)
    assert "trusted" in assess_comment(draft(post, trusted)).signals


def test_the_trust_threshold_is_configurable(app, post, regular):
    app.config["MODERATION_TRUSTED_APPROVED"] = 2
    assert "trusted" in assess_comment(draft(post, regular)).signals


@pytest.mark.parametrize("role", [Role.AUTHOR, Role.MODERATOR, Role.ADMIN])
def test_staff_are_trusted(post, role):
    assessment = assess_comment(draft(post, make_user(role=role)))
    assert (assessment.status, assessment.signals) == (APPROVED, ["trusted"])


def ban(user, *, shadow=False, until=None):
    db.session.add(Ban(user_id=user.id, shadow=shadow, until=until, reason="test"))
    db.session.commit()


def test_banned_users_may_not_comment(reader):
    ban(reader)
    with pytest.raises(Forbidden, match="banned"):
        ensure_may_comment(reader)


def test_a_timed_ban_refuses_until_it_ends(reader):
    ban(reader, until=utcnow() + timedelta(hours=1))
    with pytest.raises(Forbidden, match="banned from commenting until"):
        ensure_may_comment(reader)


def test_a_timed_ban_expires_by_itself(reader):
    ban(reader, until=utcnow() - timedelta(seconds=1))
    ensure_may_comment(reader)  # no error: the ban is over


def test_unbanned_users_may_comment(reader):
    ensure_may_comment(reader)


def test_shadow_banned_users_comments_are_stored_as_spam_but_shown_to_them(post, trusted,
                                                                           other_reader):
    ban(trusted, shadow=True)
    ensure_may_comment(trusted)  # no refusal: they must not notice
    comment = draft(post, trusted)
    assessment = assess_comment(comment)
    assert assessment.status == SPAM
    assert "shadow_ban" in assessment.signals
    comment.status, comment.signals = assessment.status, assessment.signals
    assert shown_as_published(comment, trusted)
    assert not shown_as_published(comment, other_reader)
    assert not shown_as_published(comment, None)


def test_an_expired_shadow_ban_no_longer_marks_spam(post, regular):
    ban(regular, shadow=True, until=utcnow() - timedelta(minutes=1))
    assert assess_comment(draft(post, regular)).status == APPROVED


def test_an_edit_that_adds_links_sends_an_approved_comment_back_to_the_queue(post, reader):
    with_approved(post, reader, 1)  # still new: their comments are held ...
    comment = make_comment(post, reader, "Moderator approved this one.", status=APPROVED)
    comment.body = "Now with links: " + " ".join(f"https://x{n}.example.org" for n in range(3))
    assessment = assess_comment(comment, is_edit=True)
    assert (assessment.status, assessment.signals) == (PENDING, ["too_many_links"])


def test_an_innocent_edit_of_an_approved_comment_stays_approved(post, reader):
    comment = make_comment(post, reader, "Typo in thsi one.", status=APPROVED)
    comment.body = "Typo in this one."
    assert assess_comment(comment, is_edit=True).status == APPROVED


def test_an_edit_is_not_a_repeat_of_itself(post, regular):
    comment = make_comment(post, regular, "Same words.", status=APPROVED)
    assert "repeat" not in assess_comment(comment, is_edit=True).signals


@pytest.mark.parametrize("status", [CommentStatus.REJECTED, CommentStatus.SPAM,
                                    CommentStatus.FLAGGED])
def test_an_edit_never_undoes_a_decision(post, trusted, status):
    comment = make_comment(post, trusted, "Rude words.", status=status)
    comment.body = "Polite words."
    assert assess_comment(comment, is_edit=True).status == status
