"""A real SMTP server for tests: aiosmtpd listening on 127.0.0.1 in a thread of the test process.

The app talks to it with smtplib over a real socket, exactly as it talks to a council's mail relay.
A message is in `messages` by the time the app's request has returned: the server answers the DATA
command only after the handler has stored it, and smtplib waits for that answer.
"""

import re
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller

LINK = re.compile(r"https?://\S+/set-password/\S+")


@dataclass
class MailServer:
    host: str
    port: int
    messages: list[EmailMessage] = field(default_factory=list)
    lock: threading.Condition = field(default_factory=threading.Condition)

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd's handler hook
        message = message_from_bytes(envelope.content, policy=policy.default)
        with self.lock:
            self.messages.append(message)  # type: ignore[arg-type]
            self.lock.notify_all()
        return "250 Message accepted for delivery"

    def wait_for(self, address: str, count: int = 1, timeout: float = 10) -> list[EmailMessage]:
        """Every message to `address` once there are `count` of them: for mail sent after a response has
        gone (a password reset link is made and sent once the page is delivered)."""
        with self.lock:
            arrived = self.lock.wait_for(lambda: len(self.to(address)) >= count, timeout)
        assert arrived, f"fewer than {count} emails to {address}; sent: {[m['To'] for m in self.messages]}"
        return self.to(address)

    def to(self, address: str) -> list[EmailMessage]:
        """Every message sent to `address`, oldest first."""
        with self.lock:
            return [m for m in self.messages if m["To"] == address]

    def last_link(self, address: str) -> str:
        """The set-password link in the newest message to `address`."""
        messages = self.to(address)
        assert messages, f"no email to {address}; sent: {[m['To'] for m in self.messages]}"
        body = messages[-1].get_content()
        match = LINK.search(body)
        assert match, body
        return match.group(0)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def running_mail_server() -> Iterator[MailServer]:
    """Start an SMTP server on a free local port; stop it afterwards."""
    server = MailServer(host="127.0.0.1", port=free_port())
    controller = Controller(server, hostname=server.host, port=server.port)
    controller.start()  # returns once the server answers
    try:
        yield server
    finally:
        controller.stop()


def closed_port() -> int:
    """A local port where nothing listens (a mail server that is down)."""
    return free_port()
