#!/usr/bin/env python3
"""schemathesis against the running server's own OpenAPI document, as each role.

Starts the debug binary on a fresh SQLite database (no media workers), makes an admin, a contest that is open with
a group (its entry saved) and a juror, then runs schemathesis once per role (anonymous, group, juror, admin) with the
role's bearer token, checking that no answer is a 5xx and every answer matches its documented schema. Exits non-zero
on any failure. Usage: run.py BINARY [max examples per operation, default 15]."""

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

BIN = sys.argv[1]
EXAMPLES = sys.argv[2] if len(sys.argv) > 2 else "15"
TOOLS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../target/tools/venv/bin/schemathesis")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def call(base, method, path, token=None, body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(base + path, data=data, method=method)
    if data is not None:
        req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", "Bearer " + token)
    with urllib.request.urlopen(req) as res:
        raw = res.read()
        try:
            return json.loads(raw or b"null"), res.headers
        except ValueError:
            return raw.decode(errors="replace"), res.headers


def main():
    work = tempfile.mkdtemp(prefix="clipjury-schemathesis-")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite://{work}/clipjury.db",
        "CLIPJURY_MEDIA__DIR": f"{work}/media",
        "CLIPJURY_SERVER__LISTEN": f"127.0.0.1:{port}",
        "CLIPJURY_SERVER__WEB_DIR": "/nonexistent-web-dir",
        "CLIPJURY_WORKER__IN_PROCESS": "false",
        "CLIPJURY_AUTH__LOGIN_ATTEMPTS_PER_MINUTE": "100000",
        "CLIPJURY_LOG_LEVEL": "error",
    }
    password = "schemathesis password 1234"
    subprocess.run([BIN, "admin", "create", "--email", "admin@example.org"], input=password + "\n",
                   text=True, env=env, check=True, capture_output=True)
    server = subprocess.Popen([BIN, "serve"], env=env)
    try:
        for _ in range(200):
            try:
                call(base, "GET", "/healthz")
                break
            except OSError:
                time.sleep(0.1)
        admin, _ = call(base, "POST", "/api/auth/login", body={"email": "admin@example.org", "password": password})
        admin = admin["token"]
        contest, _ = call(base, "POST", "/api/contests", admin, {"title": "Schemathesis", "key_messages": ["K"]})
        cid = contest["id"]
        call(base, "POST", f"/api/contests/{cid}/transitions", admin, {"to": "open"})
        group, _ = call(base, "POST", f"/api/contests/{cid}/participants", admin, {"role": "group", "name": "G"})
        juror, _ = call(base, "POST", f"/api/contests/{cid}/participants", admin, {"role": "juror", "name": "J"})
        tokens = {}
        for name, p in [("group", group), ("juror", juror)]:
            _, headers = call(base, "POST", "/api/invites/redeem", body={"token": p["invite"]["token"]})
            cookie = headers.get("Set-Cookie", "")
            tokens[name] = cookie.split("clipjury_session=", 1)[1].split(";", 1)[0]
        call(base, "PUT", f"/api/contests/{cid}/submission", tokens["group"],
             {"title": "T", "key_message": "K", "consent_confirmed": True})
        sub, _ = call(base, "GET", f"/api/contests/{cid}/submission", tokens["group"])
        config = os.path.join(work, "schemathesis.toml")
        with open(config, "w") as f:
            # Real ids, so requests reach the code behind the access checks instead of stopping at 404.
            f.write("[parameters]\n")
            for key, value in [("contest_id", cid), ("participant_id", group["id"]), ("submission_id", sub["id"]),
                               ("entry_id", sub["id"]), ("juror_id", juror["id"])]:
                f.write(f'"path.{key}" = "{value}"\n')
        env["SCHEMATHESIS_HOOKS"] = os.path.join(os.path.dirname(os.path.abspath(__file__)), "hooks.py")
        failed = []
        # The admin goes last: its run may sign the admin out (logout ends every admin session).
        for role, token in [("anonymous", None), ("group", tokens["group"]), ("juror", tokens["juror"]),
                            ("admin", admin)]:
            # Logout is left out: it would end the admin's session in the middle of the admin's own run.
            cmd = [TOOLS, "--config-file", config, "run", f"{base}/api/openapi.json",
                   "--exclude-path", "/api/auth/logout", "--checks", "not_a_server_error,response_schema_conformance",
                   "--max-examples", EXAMPLES, "--phases", "examples,coverage,fuzzing", "--seed", "20261203",
                   "--workers", "2", "--no-color", "--suppress-health-check", "all",
                   "--generation-database", "none"]
            if token:
                cmd += ["-H", f"Authorization: Bearer {token}"]
            print(f"== schemathesis as {role}", flush=True)
            started = time.monotonic()
            if subprocess.run(cmd, env=env).returncode != 0:
                failed.append(role)
            print(f"== {role}: {time.monotonic() - started:.0f} s", flush=True)
            if server.poll() is not None:
                sys.exit(f"the server exited during the {role} run")
        if failed:
            sys.exit("schemathesis found failures as: " + ", ".join(failed))
    finally:
        server.terminate()
        server.wait()
        shutil.rmtree(work, ignore_errors=True)


main()
