"""Online geocoding through geopy: Nominatim by default, any geopy provider by name.

Used only when the user switched online geocoding on. Only the location text is sent.
Requests are paced per host (Nominatim allows one per second), carry an identifying
User-Agent, time out, and are retried only when retrying can help: a timeout, a server
that is unavailable (5xx) or a rate limit (429, honouring Retry-After, with a capped
backoff). Any other failure comes back as ``failed``, never as "not found".
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from netplanner.domain.errors import NetPlannerError
from netplanner.domain.places import LocateResult, PlaceMatch
from netplanner.domain.ratelimit import RateLimiter, backoff_delay
from netplanner.settings import GeocodingSettings

log = logging.getLogger(__name__)

NOMINATIM = "nominatim"
DEFAULT_NOMINATIM_HOST = "nominatim.openstreetmap.org"
MAX_RESULTS = 5
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})


def user_agent(version: str, contact_email: str) -> str:
    """The User-Agent Nominatim's policy asks for: the app, its version and a contact."""
    contact = contact_email.strip() or "https://github.com/netplanner/netplanner"
    return f"NetPlanner/{version} ({contact})"


def _split_endpoint(endpoint: str) -> tuple[str, str]:
    """(scheme, domain-with-path) for geopy from a URL or a bare host."""
    text = endpoint.strip()
    if not text:
        return "https", DEFAULT_NOMINATIM_HOST
    if "://" not in text:
        text = "https://" + text
    parts = urlsplit(text)
    return parts.scheme or "https", (
        parts.netloc + parts.path.rstrip("/")
    ) or DEFAULT_NOMINATIM_HOST


def _build_geocoder(settings: GeocodingSettings, version: str) -> tuple[Any, str]:
    """A geopy geocoder for the settings, and the host it talks to.

    Options a provider does not take (an endpoint for a cloud-only service, say) are left
    out; the API key goes under whichever name the provider uses for it.
    """
    import inspect

    from geopy.adapters import URLLibAdapter
    from geopy.exc import GeocoderNotFound
    from geopy.geocoders import get_geocoder_for_service

    provider = (settings.provider or NOMINATIM).strip().lower()
    try:
        cls = get_geocoder_for_service(provider)
    except GeocoderNotFound as exc:
        raise NetPlannerError(
            f"The geocoding provider '{settings.provider}' in the settings is not one geopy knows."
        ) from exc
    accepted = set(inspect.signature(cls.__init__).parameters)
    wanted: dict[str, Any] = {
        "user_agent": user_agent(version, settings.contact_email),
        "timeout": settings.timeout_s,
        # geopy picks requests when it is installed, and requests' urllib3 retries 429s on
        # its own; the plain urllib adapter leaves every retry to our policy and its count.
        "adapter_factory": URLLibAdapter,
    }
    host = provider
    if settings.endpoint or provider == NOMINATIM:
        scheme, domain = _split_endpoint(settings.endpoint)
        host = domain.split("/")[0]
        wanted["scheme"] = scheme
        wanted["domain"] = domain
        if host.rsplit(":", 1)[0] in LOOPBACK_HOSTS:
            wanted["proxies"] = {}  # a local server is never reached through a proxy
    if settings.api_key:
        for name in ("api_key", "apikey", "key"):
            if name in accepted:
                wanted[name] = settings.api_key
                break
    return cls(**{k: v for k, v in wanted.items() if k in accepted}), host


def _retry_status(exc: BaseException) -> int | None:
    cause = exc.__cause__
    status = getattr(cause, "status_code", None)
    return int(status) if isinstance(status, int) else None


class OnlineGeocoder:
    """A ``PlaceLocator`` over a geopy provider, paced, with bounded retries.

    ``requests`` counts the calls sent to the service (each retry is a call).
    """

    def __init__(
        self,
        settings: GeocodingSettings,
        version: str,
        limiter: RateLimiter | None = None,
        max_attempts: int = 4,
        max_backoff: float = 30.0,
        sleep: Callable[[float], None] = time.sleep,
        geocoder: Any = None,
    ) -> None:
        self.settings = settings
        self.provider = (settings.provider or NOMINATIM).strip().lower()
        if geocoder is None:
            geocoder, self.host = _build_geocoder(settings, version)
        else:
            self.host = self.provider
        self._geocoder = geocoder
        self.limiter = limiter or RateLimiter(1.0)
        self.max_attempts = max(1, max_attempts)
        self.max_backoff = max_backoff
        self._sleep = sleep
        self.requests = 0

    def locate(self, text: str) -> LocateResult:
        """Ask the service about ``text`` alone; ``failed`` when it could not answer."""
        from geopy.exc import (
            GeocoderRateLimited,
            GeocoderServiceError,
            GeocoderTimedOut,
            GeocoderUnavailable,
        )

        query = text.strip()
        if not query:
            return LocateResult(query=text, best=None)
        for attempt in range(1, self.max_attempts + 1):
            self.limiter.acquire(self.host)
            self.requests += 1
            try:
                found = self._geocode(query)
            except GeocoderRateLimited as exc:
                wait = backoff_delay(attempt, exc.retry_after, cap=self.max_backoff)
                self.limiter.defer(self.host, wait)
                reason = f"rate limited (retry after {wait:g} s)"
            except (GeocoderTimedOut, GeocoderUnavailable) as exc:
                self._sleep(backoff_delay(attempt, cap=self.max_backoff))
                reason = f"{type(exc).__name__}: {exc}"
            except GeocoderServiceError as exc:
                status = _retry_status(exc)
                if status is None or status < 500:
                    log.warning("Geocoding %r failed: %s", query, exc)
                    return LocateResult(query=text, best=None, failed=True)
                self._sleep(backoff_delay(attempt, cap=self.max_backoff))
                reason = f"server error {status}"
            except (ValueError, KeyError, TypeError) as exc:  # an answer we cannot read
                log.warning("Geocoding %r gave an unreadable answer: %s", query, exc)
                return LocateResult(query=text, best=None, failed=True)
            else:
                matches = tuple(self._match(location) for location in found)
                return LocateResult(
                    query=text, best=matches[0] if matches else None, candidates=matches
                )
            log.info("Geocoding %r: attempt %d failed (%s)", query, attempt, reason)
        return LocateResult(query=text, best=None, failed=True)

    def _geocode(self, query: str) -> list[Any]:
        kwargs: dict[str, Any] = {"exactly_one": False}
        if self.provider == NOMINATIM:
            kwargs.update(limit=MAX_RESULTS, addressdetails=True, language="en")
        result = self._geocoder.geocode(query, **kwargs)
        if result is None:
            return []
        return list(result if isinstance(result, list) else [result])

    def _match(self, location: Any) -> PlaceMatch:
        raw_value = getattr(location, "raw", None)
        raw: dict[str, Any] = raw_value if isinstance(raw_value, dict) else {}
        address_value = raw.get("address")
        address: dict[str, Any] = address_value if isinstance(address_value, dict) else {}
        country = address.get("country_code")
        admin1 = address.get("state") or address.get("region")
        return PlaceMatch(
            name=str(location.address or raw.get("display_name") or ""),
            lat=float(location.latitude),
            lon=float(location.longitude),
            country_code=str(country).upper()[:2] if country else None,
            admin1=str(admin1) if admin1 else None,
            timezone=None,
            population=None,
            source=self.provider,
        )
