"""A small but real OpenID Connect provider on loopback, for the single sign-on tests: the
authorization code flow with PKCE, RS256-signed id_tokens (PyJWT), a JWKS endpoint and
userinfo. The sign-in page is a form (email, "used multi-factor") that a browser fills in;
what it then claims can be bent per test (an unverified email, another issuer...)."""

from __future__ import annotations

import base64
import hashlib
import html
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlparse

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

CLIENT_ID = "sro-program"
CLIENT_SECRET = "loopback-secret"


@dataclass
class Provider:
    email_verified: bool = True
    issuer_override: str | None = None
    audience_override: str | None = None
    codes: dict = field(default_factory=dict)
    tokens: dict = field(default_factory=dict)
    sign_ins: int = 0

    def __post_init__(self):
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Provider:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def settings(self) -> dict:
        return {
            "OIDC_OP_ISSUER": self.url,
            "OIDC_OP_AUTHORIZATION_ENDPOINT": f"{self.url}/authorize",
            "OIDC_OP_TOKEN_ENDPOINT": f"{self.url}/token",
            "OIDC_OP_USER_ENDPOINT": f"{self.url}/userinfo",
            "OIDC_OP_JWKS_ENDPOINT": f"{self.url}/jwks",
            "OIDC_RP_CLIENT_ID": CLIENT_ID,
            "OIDC_RP_CLIENT_SECRET": CLIENT_SECRET,
            "SSO_ENABLED": True,
            "SSO_PROVIDER_NAME": "Loopback District ID",
        }

    # --- What the endpoints do ------------------------------------------------------------

    def approve(self, params: dict, email: str, mfa: bool) -> str:
        """The user signed in here: a one-time code for the client, and where to send it."""
        code = secrets.token_urlsafe(16)
        self.codes[code] = {
            "email": email,
            "amr": ["pwd", "mfa"] if mfa else ["pwd"],
            "nonce": params.get("nonce"),
            "redirect_uri": params["redirect_uri"],
            "code_challenge": params.get("code_challenge"),
        }
        self.sign_ins += 1
        return f"{params['redirect_uri']}?{urlencode({'code': code, 'state': params['state']})}"

    def exchange(self, form: dict) -> dict | None:
        grant = self.codes.pop(form.get("code", ""), None)
        if grant is None or form.get("client_id") != CLIENT_ID or form.get("client_secret") != CLIENT_SECRET:
            return None
        if form.get("redirect_uri") != grant["redirect_uri"]:
            return None
        verifier = form.get("code_verifier", "")
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        if grant["code_challenge"] and challenge != grant["code_challenge"]:
            return None
        now = int(time.time())
        claims = {
            "iss": self.issuer_override or self.url,
            "sub": hashlib.sha256(grant["email"].encode()).hexdigest()[:20],
            "aud": self.audience_override or CLIENT_ID,
            "iat": now,
            "exp": now + 300,
            "nonce": grant["nonce"],
            "email": grant["email"],
            "email_verified": self.email_verified,
            "amr": grant["amr"],
        }
        access_token = secrets.token_urlsafe(16)
        self.tokens[access_token] = claims
        id_token = jwt.encode(claims, self.key, algorithm="RS256", headers={"kid": "loopback-1"})
        return {"access_token": access_token, "token_type": "Bearer", "expires_in": 300, "id_token": id_token}

    def jwks(self) -> dict:
        jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
        return {"keys": [{**jwk, "kid": "loopback-1", "alg": "RS256", "use": "sig"}]}

    def userinfo(self, authorization: str) -> dict | None:
        claims = self.tokens.get(authorization.removeprefix("Bearer ").strip())
        if claims is None:
            return None
        return {k: claims[k] for k in ("sub", "email", "email_verified")}


SIGN_IN_PAGE = """<!doctype html><html lang="en"><head><title>Loopback District ID</title></head>
<body><main><h1>Loopback District ID</h1><form method="post" action="/authorize">
<label for="email">Email</label> <input id="email" name="email" type="email">
<label><input name="mfa" type="checkbox" value="1"> Used a security key</label>
{hidden}<button type="submit">Continue</button></form></main></body></html>"""


def _handler(provider: Provider):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # quiet
            pass

        def _send(self, status: int, body: bytes = b"", content_type: str = "application/json", **headers):
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def _json(self, data, status=200):
            self._send(status, json.dumps(data).encode())

        def _form(self) -> dict:
            length = int(self.headers.get("Content-Length", 0))
            return {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}

        def do_GET(self):
            url = urlparse(self.path)
            if url.path == "/authorize":
                params = {k: v[0] for k, v in parse_qs(url.query).items()}
                hidden = "".join(
                    f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
                    for k, v in params.items()
                )
                return self._send(
                    200, SIGN_IN_PAGE.format(hidden=hidden).encode(), "text/html; charset=utf-8"
                )
            if url.path == "/jwks":
                return self._json(provider.jwks())
            if url.path == "/userinfo":
                info = provider.userinfo(self.headers.get("Authorization", ""))
                return self._json(info) if info else self._json({"error": "invalid_token"}, 401)
            self._send(404)

        def do_POST(self):
            form = self._form()
            if self.path == "/authorize":
                location = provider.approve(form, form.pop("email", ""), form.pop("mfa", "") == "1")
                return self._send(302, b"", "text/plain", Location=location)
            if self.path == "/token":
                tokens = provider.exchange(form)
                return self._json(tokens) if tokens else self._json({"error": "invalid_grant"}, 400)
            self._send(404)

    return Handler
