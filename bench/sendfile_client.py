"""An upload client that costs the machine as little as possible, so the figures measure the server: it sends file
bytes with sendfile(2) (from the page cache straight into the socket, no copy through the client) over one
keep-alive HTTP/1.1 connection.

    python3 bench/sendfile_client.py tus URL TOKEN FILE CHUNK_BYTES    creates a tus upload at URL, PATCHes it in chunks
    python3 bench/sendfile_client.py multipart URL TOKEN FILE          one multipart/form-data POST (field "video")
    python3 bench/sendfile_client.py raw URL FILE                      one PUT of the file (for bench/loopback_sink.py)

Prints the seconds from opening the connection to the last answer (so the interpreter's start-up is not counted), and
the CPU seconds (user + system) the client spent in that time.
Exits non-zero, with the server's answer, on any unexpected status.
"""
import base64
import os
import socket
import sys
import time
from urllib.parse import urlsplit


class Connection:
    def __init__(self, url: str):
        parts = urlsplit(url)
        self.host = parts.netloc
        self.sock = socket.create_connection((parts.hostname, parts.port or 80))
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.reader = self.sock.makefile("rb")

    def request(self, method, path, headers, body_parts=()):
        """Sends a request whose body is a list of bytes and (file, offset, count) pieces; returns (status, headers)."""
        length = sum(len(p) if isinstance(p, bytes) else p[2] for p in body_parts)
        head = [f"{method} {path} HTTP/1.1", f"Host: {self.host}", f"Content-Length: {length}"]
        head += [f"{k}: {v}" for k, v in headers.items()]
        self.sock.sendall(("\r\n".join(head) + "\r\n\r\n").encode())
        for part in body_parts:
            if isinstance(part, bytes):
                self.sock.sendall(part)
            else:
                file, offset, count = part
                while count > 0:
                    sent = os.sendfile(self.sock.fileno(), file.fileno(), offset, count)
                    if sent == 0:
                        sys.exit("the server closed the connection mid-body")
                    offset += sent
                    count -= sent
        status_line = self.reader.readline().decode()
        status = int(status_line.split()[1])
        answer = {}
        while (line := self.reader.readline().decode().strip()):
            key, _, value = line.partition(":")
            answer[key.strip().lower()] = value.strip()
        body = self.reader.read(int(answer.get("content-length", "0")))
        if status >= 300:
            sys.exit(f"{method} {path}: {status} {body[:300]!r}")
        return status, answer


def tus(url, token, path, chunk):
    size = os.path.getsize(path)
    conn = Connection(url)
    auth = {"Authorization": f"Bearer {token}", "Tus-Resumable": "1.0.0"}
    name = base64.b64encode(os.path.basename(path).encode()).decode()
    _, answer = conn.request("POST", urlsplit(url).path, {**auth, "Upload-Length": size, "Upload-Metadata": f"filename {name}"})
    location = urlsplit(answer["location"]).path
    with open(path, "rb") as file:
        offset = 0
        while offset < size:
            count = min(chunk, size - offset)
            headers = {**auth, "Upload-Offset": offset, "Content-Type": "application/offset+octet-stream"}
            _, answer = conn.request("PATCH", location, headers, [(file, offset, count)])
            offset = int(answer["upload-offset"])


def multipart(url, token, path):
    boundary = "clipjury-bench-boundary"
    name = os.path.basename(path)
    before = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"video\"; filename=\"{name}\"\r\n"
              "Content-Type: application/octet-stream\r\n\r\n").encode()
    after = f"\r\n--{boundary}--\r\n".encode()
    with open(path, "rb") as file:
        headers = {"Authorization": f"Bearer {token}", "Content-Type": f"multipart/form-data; boundary={boundary}"}
        Connection(url).request("POST", urlsplit(url).path, headers, [before, (file, 0, os.path.getsize(path)), after])


def raw(url, path):
    with open(path, "rb") as file:
        Connection(url).request("PUT", urlsplit(url).path or "/", {}, [(file, 0, os.path.getsize(path))])


if __name__ == "__main__":
    mode, args = sys.argv[1], sys.argv[2:]
    started, cpu = time.monotonic(), os.times()
    if mode == "tus":
        tus(args[0], args[1], args[2], int(args[3]))
    elif mode == "multipart":
        multipart(*args)
    elif mode == "raw":
        raw(*args)
    else:
        sys.exit(__doc__)
    spent = os.times()
    print(f"{time.monotonic() - started:.6f} {spent.user + spent.system - cpu.user - cpu.system:.3f}")
