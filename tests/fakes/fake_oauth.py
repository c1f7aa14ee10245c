#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""A fake OAuth 2.0 provider speaking GitHub's and Google's protocols.

Authorization code flow with PKCE (S256 checked), a state passed through,
one use per code, client credentials checked. Endpoints:
  GET  /authorize?...&login_as=NAME   302 to redirect_uri?code=&state=
  POST /token                         {"access_token"} or 400 invalid_grant
  GET  /user, /user/emails            GitHub's shapes
  GET  /userinfo                      Google's OpenID Connect userinfo
Profiles (login_as): octo (GitHub, verified octo@example.org), mona
(Google, verified mona@example.org), eve (Google, unverified
mona@example.org). Prints "port N" and serves until killed.

Usage: fake_oauth.py CLIENT_ID CLIENT_SECRET
"""
import base64
import hashlib
import json
import secrets
import sys
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

CLIENT_ID, CLIENT_SECRET = sys.argv[1], sys.argv[2]
PROFILES = {
    'octo': {'id': 4242, 'login': 'octo', 'name': 'Octo Cat',
             'email': 'octo@example.org', 'verified': True, 'sub': 'g-octo'},
    'mona': {'id': 77, 'login': 'mona', 'name': 'Mona',
             'email': 'mona@example.org', 'verified': True, 'sub': 'g-mona'},
    'eve': {'id': 66, 'login': 'eve', 'name': 'Eve',
            'email': 'mona@example.org', 'verified': False, 'sub': 'g-eve'},
}
CODES = {}    # code -> (challenge, redirect_uri, profile)
TOKENS = {}   # access token -> profile
LOCK = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def send_json(self, status, doc):
        body = json.dumps(doc).encode()
        self.send_response(status)
        self.send_header('Content-Type', 'application/json')
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def profile(self):
        auth = self.headers.get('Authorization', '')
        with LOCK:
            return TOKENS.get(auth[7:]) if auth.startswith('Bearer ') else None

    def do_GET(self):
        url = urllib.parse.urlparse(self.path)
        q = dict(urllib.parse.parse_qsl(url.query))
        if url.path == '/authorize':
            if (q.get('client_id') != CLIENT_ID or
                    q.get('code_challenge_method') != 'S256' or
                    not q.get('code_challenge') or not q.get('state')):
                return self.send_json(400, {'error': 'invalid_request'})
            code = secrets.token_urlsafe(16)
            with LOCK:
                CODES[code] = (q['code_challenge'], q['redirect_uri'],
                               q.get('login_as', 'octo'))
            loc = q['redirect_uri'] + '?' + urllib.parse.urlencode(
                {'code': code, 'state': q['state']})
            self.send_response(302)
            self.send_header('Location', loc)
            self.send_header('Content-Length', '0')
            self.end_headers()
            return None
        p = self.profile()
        if p is None:
            return self.send_json(401, {'message': 'Bad credentials'})
        if url.path == '/user':
            return self.send_json(200, {'id': p['id'], 'login': p['login'],
                                        'name': p['name']})
        if url.path == '/user/emails':
            return self.send_json(200, [
                {'email': 'old@example.org', 'primary': False,
                 'verified': True},
                {'email': p['email'], 'primary': True,
                 'verified': p['verified']}])
        if url.path == '/userinfo':
            return self.send_json(200, {'sub': p['sub'], 'email': p['email'],
                                        'email_verified': p['verified'],
                                        'name': p['name']})
        return self.send_json(404, {'message': 'Not Found'})

    def do_POST(self):
        n = int(self.headers.get('Content-Length', '0'))
        form = dict(urllib.parse.parse_qsl(self.rfile.read(n).decode()))
        if self.path != '/token':
            return self.send_json(404, {'message': 'Not Found'})
        if (form.get('client_id') != CLIENT_ID or
                form.get('client_secret') != CLIENT_SECRET):
            return self.send_json(401, {'error': 'invalid_client'})
        with LOCK:
            entry = CODES.pop(form.get('code', ''), None)
        if entry is None or form.get('grant_type') != 'authorization_code':
            return self.send_json(400, {'error': 'invalid_grant'})
        challenge, redirect, login = entry
        digest = hashlib.sha256(form.get('code_verifier', '').encode())
        s256 = base64.urlsafe_b64encode(digest.digest()).rstrip(b'=').decode()
        if s256 != challenge or form.get('redirect_uri') != redirect:
            return self.send_json(400, {'error': 'invalid_grant'})
        token = secrets.token_urlsafe(24)
        with LOCK:
            TOKENS[token] = PROFILES[login]
        return self.send_json(200, {'access_token': token,
                                    'token_type': 'bearer'})


def main():
    import random
    while True:  # below 32768: the ephemeral range is not ours
        try:
            server = ThreadingHTTPServer(
                ('127.0.0.1', random.randint(20000, 32000)), Handler)
            break
        except OSError:
            continue
    print(f'port {server.server_address[1]}', flush=True)
    server.serve_forever()


if __name__ == '__main__':
    main()
