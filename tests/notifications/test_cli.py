"""`flask notifications work --once` drains what is due and says what it did."""

from tests.notifications.helpers import make_comment


def test_work_once_drains_and_reports(runner, post, reader, other_reader, mailbox, smtp):
    parent = make_comment(post, reader)
    make_comment(post, other_reader, parent=parent)
    result = runner.invoke(args=["notifications", "work", "--once"])
    assert result.exit_code == 0, result.output
    assert "notifications 1, emails sent 1" in result.output
    assert len(mailbox.messages) == 1
    again = runner.invoke(args=["notifications", "work", "--once"])
    assert "events 0, notifications 0, emails sent 0" in again.output
