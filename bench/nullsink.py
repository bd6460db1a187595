#!/usr/bin/env python3
"""A null upload target for bench/upload.sh: reads every PUT body whole (1 MiB reads)
and answers like TikTok's upload URL, 206 (201 for the last byte) with
Content-Range: bytes 0-LAST/TOTAL, keeping the connection open. It stores and hashes
nothing, so a client's time against it is mostly the client's own cost: the ceiling of
each client, apart from any server. Prints the port it listens on, then serves."""
import re
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

RANGE = re.compile(r"bytes (\d+)-(\d+)/(\d+)")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_PUT(self):
        left = int(self.headers.get("Content-Length", "0"))
        buffer = memoryview(bytearray(1 << 20))
        while left:
            got = self.rfile.readinto(buffer[: min(left, len(buffer))])
            if not got:
                return
            left -= got
        match = RANGE.fullmatch(self.headers.get("Content-Range", ""))
        if not match:
            self.send_response(400)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        last, total = int(match.group(2)), int(match.group(3))
        self.send_response(201 if last == total - 1 else 206)
        self.send_header("Content-Range", f"bytes 0-{last}/{total}")
        self.send_header("Content-Length", "0")
        self.end_headers()


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
