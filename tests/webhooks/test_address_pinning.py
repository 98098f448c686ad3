"""Each attempt connects to the address its safety check resolved (DNS rebinding), while the
endpoint still sees its own name: in the Host header, and in TLS's SNI and certificate check."""

from __future__ import annotations

import socket
import ssl

import httpx
import pytest
import trustme
from sqlalchemy import select

from blog.delivery import webhooks as sender
from blog.delivery.webhooks import aimed_at
from blog.extensions import db
from blog.models import WebhookDelivery
from tests.notifications.helpers import run_worker
from tests.webhooks.conftest import Receiver, post_comment, register, serving

PUBLIC_ADDRESS = "93.184.215.14"


def test_a_host_re_pointed_after_the_check_is_not_called_there(app, monkeypatch, receiver,
                                                               reader_client, post):
    """DNS rebinding: the name answers a public address to the check, then the receiver's
    loopback address. The attempt connects to the checked address, never to the second one."""
    asked = []
    real = socket.getaddrinfo

    def rebinding_dns(host, port, *args, **kwargs):
        asked.append(host)
        if host == "hooks.rebind.test":
            address = PUBLIC_ADDRESS if asked.count(host) == 1 else "127.0.0.1"
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]
        if host == PUBLIC_ADDRESS:
            raise socket.gaierror("no route to the internet in tests")
        return real(host, port, *args, **kwargs)

    register(f"http://hooks.rebind.test:{receiver.server_port}/hooks", ["comment.created"])
    app.config["WEBHOOKS_ALLOW_PRIVATE"] = False
    post_comment(reader_client, post)
    monkeypatch.setattr(socket, "getaddrinfo", rebinding_dns)
    run_worker()
    assert receiver.requests == []  # a second lookup would have found the receiver
    assert asked == ["hooks.rebind.test", PUBLIC_ADDRESS]
    delivery = db.session.scalar(select(WebhookDelivery))
    assert delivery.status == "queued" and "ConnectError" in delivery.last_error


def test_a_request_aimed_at_the_checked_address_keeps_the_name_for_host_and_tls():
    url, host, extensions = aimed_at("https://hooks.example.com:8443/in?x=1", PUBLIC_ADDRESS)
    assert str(url) == f"https://{PUBLIC_ADDRESS}:8443/in?x=1"
    assert host == {"Host": "hooks.example.com:8443"}
    assert extensions == {"sni_hostname": "hooks.example.com"}
    assert aimed_at("http://[2001:db8::1]/in", "2001:db8::1")[1:] == ({}, {})
    by_name = "http://hooks.example.com/in"  # WEBHOOKS_ALLOW_PRIVATE: no address was checked
    assert aimed_at(by_name, None) == (httpx.URL(by_name), {}, {})


@pytest.fixture
def tls_receiver():
    """A receiver speaking HTTPS with a certificate for hooks.tls.test from a test CA."""
    authority = trustme.CA()
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert("hooks.tls.test").configure_cert(server_context)
    server = Receiver()
    server.socket = server_context.wrap_socket(server.socket, server_side=True)
    server.handle_error = lambda request, address: None  # the refused handshakes below
    with serving(server):
        yield server, authority


def test_a_pinned_https_request_checks_the_certificate_against_the_name(tls_receiver):
    server, authority = tls_receiver
    trusted = ssl.create_default_context()
    authority.configure_trust(trusted)
    port = server.server_port
    with httpx.Client(verify=trusted, timeout=5) as client:
        url, host, extensions = aimed_at(f"https://hooks.tls.test:{port}/hooks", "127.0.0.1")
        response = client.post(url, content=b"{}", headers=host, extensions=extensions)
        assert response.status_code == 200
        assert server.requests[0]["headers"]["host"] == f"hooks.tls.test:{port}"

        url, host, extensions = aimed_at(f"https://elsewhere.test:{port}/hooks", "127.0.0.1")
        with pytest.raises(httpx.ConnectError, match="certificate"):
            client.post(url, content=b"{}", headers=host, extensions=extensions)
    assert len(server.requests) == 1


def test_the_worker_sends_over_https_to_the_checked_address_under_the_endpoints_name(
        app, monkeypatch, tmp_path, tls_receiver, reader_client, post):
    """The sender's own path: its address check (here resolving both names to the receiver),
    its client trusting the system's CAs (here SSL_CERT_FILE, the test CA), the pinned request."""
    server, authority = tls_receiver
    port = server.server_port
    authority.cert_pem.write_to_path(str(tmp_path / "ca.pem"))
    monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "ca.pem"))
    app.config["WEBHOOKS_ALLOW_PRIVATE"] = True  # registered without resolving the names
    good = register(f"https://hooks.tls.test:{port}/hooks", ["comment.created"])
    impostor = register(f"https://elsewhere.test:{port}/hooks", ["comment.created"])
    post_comment(reader_client, post)
    app.config["WEBHOOKS_ALLOW_PRIVATE"] = False
    monkeypatch.setattr(sender, "check_url", lambda url: "127.0.0.1")

    stats = run_worker()

    assert (stats.webhooks_delivered, stats.webhooks_retried) == (1, 1)
    assert [request["headers"]["host"] for request in server.requests] == [
        f"hooks.tls.test:{port}"]
    by_endpoint = {d.endpoint_id: d for d in db.session.scalars(select(WebhookDelivery))}
    assert by_endpoint[good.id].status == "delivered"
    refused = by_endpoint[impostor.id]  # the certificate names hooks.tls.test only
    assert refused.status == "queued" and "certificate" in refused.last_error.lower()
