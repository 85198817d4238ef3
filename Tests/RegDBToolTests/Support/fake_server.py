#!/usr/bin/env python3
"""A scripted HTTP server on 127.0.0.1 for discovery tests.

    fake_server.py ROUTES.json

ROUTES maps a path to what to answer:
    {"/system_stats": {"file": "/abs/path.json"},
     "/models": {"status": 404},
     "/slow": {"delay": 5, "body": "{}"},
     "/huge": {"huge": 100000000},
     "/broken": {"close": true},
     "/v1/models": {"body": "{...}", "require_header": ["Authorization", "Bearer x"]},
     "/moved": {"redirect": "http://elsewhere/x"},
     "/ssh": {"raw": "SSH-2.0-OpenSSH_9.2\\r\\n"},
     "/catalog.json": {"file": "/abs/catalog.json", "etag": true, "content_type": "application/json"}}
Unknown paths answer 404. Prints "PORT <n>" on the first line of stdout once
listening, then serves until its stdin closes (the test ends) or it is killed.
Every request is logged to stderr as "GET /path Authorization=<present|absent>"
(and " If-None-Match=<etag>" when the request is conditional). A route with
"etag" answers with the sha256 of its body as ETag, and 304 to a request whose
If-None-Match is that ETag; the file is read again at every request, so a test
may change it between two.
"""
import gzip
import hashlib
import json
import os
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ROUTES = json.load(open(sys.argv[1]))


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):
        path = self.path.split("?")[0]
        condition = self.headers.get("If-None-Match")
        sys.stderr.write(f"GET {path} Authorization={'present' if self.headers.get('Authorization') else 'absent'}"
                         + (f" If-None-Match={condition}" if condition else "") + "\n")
        sys.stderr.flush()
        route = ROUTES.get(path)
        if route is None:
            return self.answer(404, b'{"error": "not found"}')
        if "delay" in route:
            time.sleep(route["delay"])
        if "redirect" in route:
            self.send_response(302)
            self.send_header("Location", route["redirect"])
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if "raw" in route:
            # Not HTTP at all: what a server of another protocol says on connect.
            self.wfile.write(route["raw"].encode())
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_RDWR)
            self.connection.close()
            return
        if route.get("close"):
            self.connection.shutdown(socket.SHUT_RDWR)
            self.connection.close()
            return
        needed = route.get("require_header")
        if needed and self.headers.get(needed[0]) != needed[1]:
            return self.answer(401, b'{"error": "unauthorized"}')
        if "huge" in route:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(route["huge"]))
            self.end_headers()
            chunk = b" " * 65536
            sent = 0
            try:
                while sent < route["huge"]:
                    self.wfile.write(chunk)
                    sent += len(chunk)
            except (BrokenPipeError, ConnectionResetError):
                pass
            return
        if "file" in route:
            with open(route["file"], "rb") as f:
                body = f.read()
            if route["file"].endswith(".gz"):
                body = gzip.decompress(body)  # a recorded answer kept compressed in the repository
        else:
            body = route.get("body", "").encode()
        etag = None
        if route.get("etag"):
            etag = '"' + hashlib.sha256(body).hexdigest() + '"'
            if condition == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
        self.answer(route.get("status", 200), body, etag=etag, content_type=route.get("content_type", "application/json"))

    def answer(self, status, body, etag=None, content_type="application/json"):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        if etag:
            self.send_header("ETag", etag)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass


# Loopback unless a test asks for the address a host name resolves to (FAKE_SERVER_HOST).
server = ThreadingHTTPServer((os.environ.get("FAKE_SERVER_HOST", "127.0.0.1"), 0), Handler)
server.daemon_threads = True
print(f"PORT {server.server_address[1]}", flush=True)
threading.Thread(target=server.serve_forever, daemon=True).start()
sys.stdin.read()  # until the test closes our stdin
server.shutdown()
