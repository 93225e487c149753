#!/usr/bin/env python3
"""Tests of `agglo serve` (apps/server) against a real server on loopback.

usage: run_server_tests.py AGGLO WORKSPACE

Every refusal the contract names gets its status and a JSON error body, and the workspace is
byte-for-byte the same afterwards: bad JSON (400), unknown operation (400, code 103),
unknown option (400, code 100), a bad value (400, code 101), an oversized request (413), a
missing token (401) and a wrong one (403), path traversal through a job option (403) and
through the static files (403/404, never the file), too many jobs (429), a cancelled job,
a job past the time limit, a job on invalid input (failed, kind input). A job's result
equals the CLI's output for the same options. Prints 'N passed, M failed'.
"""
import csv
import hashlib
import http.client
import json
import os
import subprocess
import sys
import tempfile
import time

AGGLO, WORKSPACE = sys.argv[1], os.path.abspath(sys.argv[2])
ROOT = os.path.dirname(WORKSPACE)
passed, failed = 0, 0


def check(name, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print(f"ok   {name}")
    else:
        failed += 1
        print(f"FAIL {name} {detail}")


def digest(path):
    return hashlib.sha256(open(path, "rb").read()).hexdigest()


def listing(root):
    out = []
    for d, _, files in os.walk(root):
        out += [os.path.relpath(os.path.join(d, f), root) for f in files]
    return sorted(out)


class Server:
    def __init__(self, *extra):
        self.proc = subprocess.Popen([AGGLO, "serve", "--workspace", WORKSPACE, "--port", "0", *extra],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.url = self.proc.stdout.readline().strip()
        token_line = self.proc.stdout.readline().strip()
        assert self.url.startswith("listening on http://127.0.0.1:"), self.url
        assert token_line.startswith("token: "), token_line
        self.token = token_line.split(" ", 1)[1]
        self.port = int(self.url.rsplit(":", 1)[1])

    def request(self, method, path, body=None, token=None, headers=None, raw=False):
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        h = dict(headers or {})
        if token is not None:
            h["Authorization"] = f"Bearer {token}"
        if body is not None and not isinstance(body, (bytes, str)):
            body = json.dumps(body)
            h["Content-Type"] = "application/json"
        c.request(method, path, body=body, headers=h)
        r = c.getresponse()
        data = r.read()
        c.close()
        if raw:
            return r.status, data, r
        try:
            return r.status, json.loads(data) if data else None
        except ValueError:
            return r.status, data

    def job(self, operation, options, token=True):
        return self.request("POST", "/api/jobs", {"operation": operation, "options": options}, token=self.token if token else None)

    def wait(self, job_id, until=("done", "failed", "cancelled"), timeout=300):
        t0 = time.time()
        while time.time() - t0 < timeout:
            s, j = self.request("GET", f"/api/jobs/{job_id}")
            if j["state"] in until:
                return j
            time.sleep(0.1)
        raise TimeoutError(job_id)

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        return self.proc.returncode


def is_error(body, status_kind=None, code=None):
    if not isinstance(body, dict) or "error" not in body:
        return False
    e = body["error"]
    if not all(k in e for k in ("code", "kind", "message")) or not e["message"]:
        return False
    return (status_kind is None or e["kind"] == status_kind) and (code is None or e["code"] == code)


# A long job: many short Pólya-urn runs, so the engine polls for cancellation often.
LONG = {"model": "polya", "steps": 20000, "replicates": 200000}

before_hash, before_files = digest(WORKSPACE), listing(ROOT)
srv = Server("--max-jobs", "2", "--max-body", "4096", "--job-timeout", "4")
try:
    s, schema = srv.request("GET", "/api/schema")
    names = [o["name"] for o in schema["operations"]]
    check("schema lists the registry", s == 200 and "cluster-map" in names and "simulate" in names, names[:5])
    check("schema hides front ends", "serve" not in names and "demo" not in names)
    cm = next(o for o in schema["operations"] if o["name"] == "cluster-map")
    emp = next(o for o in cm["options"] if o["name"] == "employment")
    check("schema options come from the option descriptions", emp["required"] and emp["type"] == "path", emp)

    s, layers = srv.request("GET", "/api/layers")
    by = {l["name"]: l for l in layers["layers"]}
    check("layers listed", s == 200 and "region_polygons" in by and "cluster_map" in by, list(by)[:8])
    s, data, r = srv.request("GET", "/api/layers/region_polygons", raw=True)
    gj = json.loads(data)
    check("geometry layer is GeoJSON", s == 200 and gj["type"] == "FeatureCollection"
          and len(gj["features"]) == by["region_polygons"]["features"]
          and gj["features"][0]["geometry"]["type"] in ("MultiPolygon", "Polygon")
          and r.getheader("Content-Type").startswith("application/geo+json"))
    s, rows = srv.request("GET", "/api/layers/cluster_map")
    check("attribute layer is JSON rows", s == 200 and isinstance(rows, list) and len(rows) == by["cluster_map"]["features"]
          and {"region", "cluster", "lq", "strong"} <= set(rows[0]))
    s, body = srv.request("GET", "/api/layers/no_such_layer")
    check("unknown layer 404", s == 404 and is_error(body))
    s, body = srv.request("GET", "/api/layers/..%2F..%2F..%2Fetc%2Fpasswd")
    check("layer name is no path (404)", s == 404 and is_error(body))

    for path in ("/../../../../etc/passwd", "/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/assets/../../../../../etc/passwd",
                 "/..%2f..%2f..%2f..%2fetc%2fpasswd"):
        s, data, _ = srv.request("GET", path, raw=True)
        check(f"static traversal refused {path}", s in (400, 403, 404) and b"root:" not in data, (s, data[:80]))
    s, body = srv.request("GET", "/api/nothing")
    check("unknown endpoint 404 JSON", s == 404 and is_error(body))

    ok_opts = {"employment": "inputs/employment.csv", "clusters": "inputs/industries.csv"}
    s, body = srv.job("cluster-map", ok_opts, token=False)
    check("missing token 401", s == 401 and is_error(body, "auth"), (s, body))
    s, body = srv.request("POST", "/api/jobs", {"operation": "cluster-map", "options": ok_opts}, token="wrong" + srv.token[5:])
    check("wrong token 403", s == 403 and is_error(body, "auth"), (s, body))
    s, body = srv.request("POST", "/api/jobs", {"operation": "cluster-map"}, headers={"Authorization": "Basic abc"})
    check("other auth scheme 403", s == 403 and is_error(body))
    s, body = srv.request("POST", "/api/jobs", '{"operation": "cluster-map", "options": {', token=srv.token,
                          headers={"Content-Type": "application/json"})
    check("bad JSON 400", s == 400 and is_error(body, "usage"), (s, body))
    s, body = srv.job("no-such-op", {})
    check("unknown operation 400 code 103", s == 400 and is_error(body, "usage", 103), (s, body))
    s, body = srv.job("demo", {})
    check("front-end operation refused", s == 400 and is_error(body, "usage", 103), (s, body))
    s, body = srv.job("cluster-map", {**ok_opts, "bogus": 1})
    check("unknown option 400 code 100", s == 400 and is_error(body, "usage", 100), (s, body))
    s, body = srv.job("cluster-map", {"clusters": "inputs/industries.csv"})
    check("missing option 400 code 102", s == 400 and is_error(body, "usage", 102), (s, body))
    s, body = srv.job("survey initiatives", {"file": "../../../../etc/passwd"})
    check("a file named by a text option is held to the workspace (403)", s == 403 and is_error(body, "forbidden"), (s, body))
    s, body = srv.job("opportunities", {"exports": "inputs/exports.csv", "location": "x", "top": "many"})
    check("bad value 400 code 101", s == 400 and is_error(body, "usage", 101), (s, body))
    s, body = srv.request("POST", "/api/jobs", {"operation": "cluster-map", "options": {**ok_opts, "pad": "x" * 5000}}, token=srv.token)
    check("oversized request 413", s == 413 and is_error(body, "limit"), (s, body))
    for bad in ("../../../../etc/passwd", "/etc/passwd", "inputs/../../../etc/passwd", "PG:dbname=x"):
        s, body = srv.job("cluster-map", {"employment": bad, "clusters": "inputs/industries.csv"})
        check(f"path outside workspace 403 ({bad})", s == 403 and is_error(body, "forbidden"), (s, body))
    s, body = srv.job("opportunities", {"exports": "inputs/exports.csv", "location": "x", "graph": "inputs/g.json"})
    check("writing options refused 403", s == 403 and is_error(body), (s, body))

    # A job through the registry equals the CLI.
    s, body = srv.job("cluster-map", ok_opts)
    check("job accepted 201", s == 201 and "id" in body, (s, body))
    job = srv.wait(body["id"])
    check("job done", job["state"] == "done", job.get("error"))
    t = job["result"]["tables"]["cluster_map"]
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "cm.csv")
        subprocess.run([AGGLO, "cluster-map", "--employment", f"{ROOT}/inputs/employment.csv", "--clusters",
                        f"{ROOT}/inputs/industries.csv", "-o", out, "--quiet"], check=True)
        cli = list(csv.DictReader(open(out)))
    li = t["columns"].index("lq")
    ri, ci = t["columns"].index("region"), t["columns"].index("cluster")
    same = len(cli) == len(t["rows"]) and all(
        r[ri] == c["region"] and r[ci] == c["cluster"] and abs(r[li] - float(c["lq"])) <= 1e-12 * max(1, abs(r[li]))
        for r, c in zip(t["rows"], cli))
    check("job result equals the CLI's output", same, (len(cli), len(t["rows"])))
    check("job reproduces as a command", job["command"].startswith("agglo cluster-map --clusters ") and "agglo.cluster_map(" in job["python"], job["command"])

    s, body = srv.job("cluster-map", {"employment": "inputs/edges.csv", "clusters": "inputs/industries.csv"})
    job = srv.wait(body["id"])
    check("invalid input fails with kind input", job["state"] == "failed" and job["error"]["kind"] == "input"
          and job["error"]["code"] >= 200 and job["error"]["code"] < 300, job.get("error"))

    # Limits: two long jobs fill the queue; the third is refused; cancel both.
    s1, j1 = srv.job("simulate", LONG)
    s2, j2 = srv.job("simulate", LONG)
    s3, j3 = srv.job("simulate", LONG)
    check("too many jobs 429", s1 == 201 and s2 == 201 and s3 == 429 and is_error(j3, "limit"), (s1, s2, s3, j3))
    srv.wait(j1["id"], until=("running",))
    s, body = srv.request("DELETE", f"/api/jobs/{j2['id']}")
    check("cancel needs the token 401", s == 401 and is_error(body))
    s, body = srv.request("DELETE", f"/api/jobs/{j2['id']}", token=srv.token)
    check("queued job cancelled at once", s == 200 and body["state"] == "cancelled", body)
    # Progress as server-sent events while it runs.
    c = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=30)
    c.request("GET", f"/api/jobs/{j1['id']}/events")
    r = c.getresponse()
    first = r.readline()
    check("events stream progress", r.status == 200 and r.getheader("Content-Type").startswith("text/event-stream")
          and first.startswith(b"event: "), first[:60])
    c.close()
    s, body = srv.request("DELETE", f"/api/jobs/{j1['id']}", token=srv.token)
    job = srv.wait(j1["id"])
    check("running job cancelled", s == 200 and job["state"] == "cancelled", job["state"])
    s, body = srv.request("DELETE", "/api/jobs/0123456789abcdef", token=srv.token)
    check("unknown job 404", s == 404 and is_error(body))
    s, j4 = srv.job("simulate", LONG)
    job = srv.wait(j4["id"], timeout=60)
    check("job past --job-timeout fails with a time-out", job["state"] == "failed" and job["error"]["kind"] == "timeout", job.get("error"))
    s, body = srv.job("cluster-map", ok_opts)
    job = srv.wait(body["id"])
    check("server works after cancellations", job["state"] == "done")
finally:
    rc = srv.stop()
check("server stops cleanly on SIGTERM", rc == 0, rc)
check("workspace unchanged", digest(WORKSPACE) == before_hash)
check("no file added or removed in the workspace folder", listing(ROOT) == before_files, set(listing(ROOT)) ^ set(before_files))

# Refusals at start: a non-loopback host and a missing workspace.
r = subprocess.run([AGGLO, "serve", "--workspace", WORKSPACE, "--host", "0.0.0.0", "--port", "0"], capture_output=True, text=True, timeout=30)
check("non-loopback host refused (exit 2)", r.returncode == 2 and "loopback" in r.stderr, r.stderr)
r = subprocess.run([AGGLO, "serve", "--workspace", "/nonexistent/w.gpkg", "--port", "0"], capture_output=True, text=True, timeout=30)
check("missing workspace (exit 4)", r.returncode == 4, (r.returncode, r.stderr))

print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
