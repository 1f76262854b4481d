"""The client's address as django-axes should see it behind the load balancers.

gunicorn listens on loopback behind the balancer, so ``REMOTE_ADDR`` is the
balancer's address for every user: the lockout of (username, address) would
then lock a username for everybody, and anyone could keep an officer out with
five wrong passwords. Each trusted proxy appends the address it received the
request from to ``X-Forwarded-For``; with ``PORTAL_PROXY_COUNT`` proxies the
client is the ``PORTAL_PROXY_COUNT``-th address from the right. Addresses
further left were written by the client and are never trusted. (django-axes'
own ``AXES_IPWARE_*`` settings need django-ipware, which is not installed.)
"""

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """Return the address the outermost trusted proxy saw, or ``REMOTE_ADDR`` without proxies."""
    remote = request.META.get("REMOTE_ADDR")
    count = settings.PORTAL_PROXY_COUNT
    if count <= 0:
        return remote
    forwarded = [
        address.strip()
        for address in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if address.strip()
    ]
    return forwarded[-count] if len(forwarded) >= count else remote
