"""Email channels: SMTP (smtplib), or instance/mail/ (and a line in the log) without a server.

A channel's `send(outgoing)` returns when the message was handed over, or raises
TemporaryFailure (retry later: server down, 4xx) or PermanentFailure (5xx: the address bounced).
"""

from __future__ import annotations

import contextlib
import logging
import smtplib
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage as MimeMessage
from email.utils import formatdate
from pathlib import Path

from flask import current_app

from config import INSTANCE_DIR

log = logging.getLogger(__name__)
#: CRLF line ends; headers folded only past RFC 5322's hard limit, so that List-Unsubscribe's
#: long URL stays one plain token (folding at 78 would MIME-encode it, which clients misread).
MAIL_POLICY = policy.SMTP.clone(max_line_length=998)


class DeliveryFailure(Exception):
    """The message could not be handed over."""


class TemporaryFailure(DeliveryFailure):
    """Try again later."""


class PermanentFailure(DeliveryFailure):
    """The server refused the message for good (a bounce)."""


@dataclass
class Outgoing:
    """A rendered email, ready for a channel."""

    to: str
    subject: str
    text: str
    html: str
    message_id: str
    headers: dict[str, str] = field(default_factory=dict)

    def to_mime(self, sender: str) -> MimeMessage:
        mime = MimeMessage(policy=MAIL_POLICY)
        mime["From"] = sender
        mime["To"] = self.to
        mime["Subject"] = self.subject
        mime["Date"] = formatdate(localtime=False)
        mime["Message-ID"] = self.message_id
        for name, value in self.headers.items():
            mime[name] = value
        mime.set_content(self.text)
        mime.add_alternative(self.html, subtype="html")
        return mime


class SmtpChannel:
    """Send over SMTP with one connection reused for a run of messages."""

    def __init__(self, config) -> None:
        self.host = config["MAIL_SERVER"]
        self.port = config["MAIL_PORT"]
        self.username = config["MAIL_USERNAME"]
        self.password = config["MAIL_PASSWORD"]
        self.use_tls = config["MAIL_USE_TLS"]
        self.timeout = config["MAIL_TIMEOUT_SECONDS"]
        self.sender = config["MAIL_DEFAULT_SENDER"]
        self._smtp: smtplib.SMTP | None = None

    def _connection(self) -> smtplib.SMTP:
        if self._smtp is None:
            smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
            if self.use_tls:
                smtp.starttls()
            if self.username:
                smtp.login(self.username, self.password)
            self._smtp = smtp
        return self._smtp

    def send(self, outgoing: Outgoing) -> None:
        try:
            self._connection().send_message(outgoing.to_mime(self.sender))
        except smtplib.SMTPRecipientsRefused as error:
            self.close()
            codes = [code for code, _ in error.recipients.values()]
            raise _failure_for(min(codes), str(error.recipients)) from error
        except smtplib.SMTPResponseException as error:
            self.close()
            raise _failure_for(error.smtp_code, str(error.smtp_error)) from error
        except (smtplib.SMTPException, OSError) as error:
            self.close()  # server down, connection lost, TLS refused: try again later
            raise TemporaryFailure(f"{type(error).__name__}: {error}") from error

    def close(self) -> None:
        if self._smtp is not None:
            with contextlib.suppress(smtplib.SMTPException, OSError):
                self._smtp.quit()
            self._smtp = None


def _failure_for(code: int, detail: str) -> DeliveryFailure:
    if 500 <= code < 600:
        return PermanentFailure(f"{code} {detail}")
    return TemporaryFailure(f"{code} {detail}")


class FileChannel:
    """Development default: write each email to a .eml file under instance/mail/, and one line
    (to, subject, file) to the log: bodies in the log pushed everything else off the screen."""

    def __init__(self, config) -> None:
        base = config.get("INSTANCE_PATH") or INSTANCE_DIR
        self.directory = Path(config.get("MAIL_FILE_DIR") or Path(base) / "mail")
        self.sender = config["MAIL_DEFAULT_SENDER"]

    def send(self, outgoing: Outgoing) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        name = "".join(c if c.isalnum() or c in "-." else "_" for c in outgoing.message_id)
        path = self.directory / f"{name.strip('_')}.eml"
        path.write_bytes(bytes(outgoing.to_mime(self.sender)))
        log.info("email to %s: %s (%s)", outgoing.to, outgoing.subject, path)

    def close(self) -> None:
        """Nothing to close."""


def channel_for_app():
    """Return the SMTP channel when MAIL_SERVER is set, else the log-and-file channel."""
    config = current_app.config
    return SmtpChannel(config) if config.get("MAIL_SERVER") else FileChannel(config)
