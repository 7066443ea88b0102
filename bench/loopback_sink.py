"""The least any HTTP server must do to take an upload: receive one request body over loopback into a 1 MiB buffer
and answer 204. With an output file it also writes the body there (through the page cache) and fsyncs it before it
answers. bench/upload.mjs sends it the same file with bench/sendfile_client.py: without a file the time is what the
loopback socket alone costs on this machine, with one it is the least a server that stores an upload durably costs.

    python3 bench/loopback_sink.py PORT [OUTPUT_FILE]     (prints "ready", serves one request, exits)
"""
import os
import socket
import sys


def main() -> None:
    port = int(sys.argv[1])
    path = sys.argv[2] if len(sys.argv) > 2 else os.devnull
    server = socket.socket()
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", port))
    server.listen(1)
    print("ready", flush=True)
    conn, _ = server.accept()
    head = b""
    while b"\r\n\r\n" not in head:
        piece = conn.recv(4096)
        if not piece:
            sys.exit("connection closed before the headers ended")
        head += piece
    head, body = head.split(b"\r\n\r\n", 1)
    lines = head.decode("latin-1").split("\r\n")
    length = next(int(v) for k, _, v in (h.partition(":") for h in lines[1:]) if k.strip().lower() == "content-length")
    if any(h.lower().startswith("expect:") for h in lines[1:]):
        conn.sendall(b"HTTP/1.1 100 Continue\r\n\r\n")
    buf = bytearray(1 << 20)
    view = memoryview(buf)
    with open(path, "wb") as out:
        out.write(body)
        left = length - len(body)
        while left > 0:
            n = conn.recv_into(buf, min(left, len(buf)))
            if n == 0:
                sys.exit("connection closed before the body ended")
            out.write(view[:n])
            left -= n
        out.flush()
        if path != os.devnull:
            os.fsync(out.fileno())
    conn.sendall(b"HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n")
    conn.close()


if __name__ == "__main__":
    main()
