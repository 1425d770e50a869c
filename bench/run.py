#!/usr/bin/env python3
"""tc-run benchmarks: builds Release, runs each benchmark a few times, prints one markdown table of
tc-run's figure vs an anchor measured in the same run, and writes it to bench/results/<UTC>.md.

Usage: bench/run.py [--smoke] [--no-build] [--only SECTION[,SECTION...]] [--rounds N]
  --smoke: tiny sizes, one round (checks the harness, not the targets)
  --no-build: reuse the optimised build in $TC_BENCH_BUILD (default build-bench/)
  --only: run some sections: sandbox, generate, faults, engine, sample, proxy, data_match, suite, debezium (default: all)
  --rounds: repetitions per measurement (default 2; smoke 1)
  --out FILE: where to write the table (default bench/results/<UTC>.md)
The ratio column is tc-run / anchor; rows without an anchor show tc-run / target ("of target").
"""
import json, os, re, resource, shutil, socket, statistics, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.environ.get("TC_BENCH_BUILD", os.path.join(ROOT, "build-bench"))  # an existing optimised build may be reused
SMOKE = "--smoke" in sys.argv


def arg(name, default):
    return sys.argv[sys.argv.index(name) + 1] if name in sys.argv[:-1] else default


ROUNDS = int(arg("--rounds", 1 if SMOKE else 2))
SECTIONS = ["sandbox", "generate", "faults", "engine", "sample", "proxy", "data_match", "suite", "debezium"]
ONLY = arg("--only", ",".join(SECTIONS)).split(",")
for _s in ONLY:
    if _s not in SECTIONS:
        sys.exit(f"unknown section '{_s}' (sections: {', '.join(SECTIONS)})")
rows = []


def sh(args, **kw):
    p = subprocess.run(args, capture_output=True, text=True, **kw)
    if p.returncode != 0:
        sys.exit(f"{' '.join(args)}: exit {p.returncode}\n{p.stderr}")
    return p


def build():
    if "--no-build" in sys.argv:
        return
    sh(["cmake", "-S", ROOT, "-B", BUILD, "-DCMAKE_BUILD_TYPE=Release"])
    subprocess.run(["cmake", "--build", BUILD, "-j2"], check=True, stdout=subprocess.DEVNULL)


def tool(name):
    return os.path.join(BUILD, "runner", name)


def add(metric, ours, anchor, ratio, target, met):
    rows.append((metric, ours, anchor, ratio, target, "yes" if met else "NO"))


def wait_socket(path, timeout=30):
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        try:
            s = socket.socket(socket.AF_UNIX)
            s.settimeout(1)
            s.connect(path)
            if len(s.recv(8)) > 4:
                s.close()
                return
        except OSError:
            pass
        time.sleep(0.005)
    raise RuntimeError("server did not start: " + path)


def bench_sandbox(state):
    tk = tool("toolkit")
    sh([tk, "--state-dir", state, "up"])  # builds the template once (not measured)
    sh([tk, "--state-dir", state, "down"])
    cold, warm = [], []
    for _ in range(ROUNDS):
        shutil.rmtree(os.path.join(state, "sandbox"), ignore_errors=True)
        os.remove(os.path.join(state, "sandbox.json")) if os.path.exists(os.path.join(state, "sandbox.json")) else None
        t0 = time.monotonic(); sh([tk, "--state-dir", state, "up"]); cold.append(time.monotonic() - t0)
        sh([tk, "--state-dir", state, "down"])
        t0 = time.monotonic(); sh([tk, "--state-dir", state, "up"]); warm.append(time.monotonic() - t0)
        sh([tk, "--state-dir", state, "down"])
    # Anchor: a bare mariadbd on an existing (copied) data directory, started and polled the same way.
    datadir = os.path.join(state, "sandbox", "data")
    anchor = []
    for _ in range(ROUNDS):
        d = tempfile.mkdtemp(prefix="tc-bench-bare-")
        shutil.copytree(datadir, d + "/data")
        sock = d + "/s.sock"
        t0 = time.monotonic()
        p = subprocess.Popen(["mariadbd", "--no-defaults", "--user=root", "--datadir=" + d + "/data", "--socket=" + sock,
                              "--skip-networking", "--log-error=" + d + "/err.log", "--pid-file=" + d + "/pid"])
        wait_socket(sock)
        anchor.append(time.monotonic() - t0)
        p.terminate(); p.wait(); shutil.rmtree(d, ignore_errors=True)
    a = statistics.median(anchor)
    c, w = statistics.median(cold), statistics.median(warm)
    add("sandbox cold start (fresh data dir, seeded, accepting)", f"{c:.3f} s", f"{a:.3f} s bare mariadbd", f"{c/a:.2f}x", "<= 1 s", c <= 1.0)
    add("sandbox warm start (stopped sandbox restarted)", f"{w:.3f} s", f"{a:.3f} s bare mariadbd", f"{w/a:.2f}x", "<= 0.3 s", w <= 0.3)


def bench_generate(state):
    tk = tool("toolkit")
    n = 20000 if SMOKE else 1000000
    sh([tk, "--state-dir", state, "up"])
    sock = json.load(open(os.path.join(state, "sandbox.json")))["socket"]
    client = ["mariadb", "-uroot", "-prootpassword", "-S", sock, "testdb"]
    gen = lambda *extra: json.loads(sh([tk, "--state-dir", state, "--json", "generate-data", "--count", str(n),
                                        *extra]).stdout)
    # Anchor: the reference toolkit's method, multi-row INSERTs through the mariadb client, of rows our generator
    # made (same lengths to parse and store), plus one client LOAD DATA of them from a file.
    sh(client + ["-e", "TRUNCATE users"])
    gen()
    made = [l.split("\t") for l in sh(client + ["--batch", "--raw", "--skip-column-names", "-e",
                                                 "SELECT name, email, status FROM users"]).stdout.split("\n") if l]
    assert len(made) == n, f"expected {n} generated rows, found {len(made)}"
    q = lambda v: "'" + v.replace("\\", "\\\\").replace("'", "\\'") + "'"
    d = tempfile.mkdtemp(prefix="tc-bench-gen-")
    with open(d + "/insert.sql", "w") as f:
        chunk = 100000
        for start in range(0, n, chunk):
            f.write("INSERT INTO users (name,email,status) VALUES ")
            f.write(",".join(f"({q(a)},{q(b)},{q(c)})" for a, b, c in made[start:start + chunk]))
            f.write(";\n")
    with open(d + "/rows.tsv", "w") as f:
        f.writelines(f"{a}\t{b}\t{c}\n" for a, b, c in made)
    del made
    ours, single, prepared, ref, load = [], [], [], [], []
    sessions = 0
    for _ in range(ROUNDS):  # each round measures everything once, so drifting load hits all alike
        for figures, extra in ((ours, []), (single, ["--connections", "1"]), (prepared, ["--method", "insert"])):
            sh(client + ["-e", "TRUNCATE users"])
            out = gen(*extra)
            figures.append(n / out["seconds"])
            sessions = out["connections"] if not extra else sessions
        sh(client + ["-e", "TRUNCATE users"])
        t0 = time.monotonic(); subprocess.run(client, stdin=open(d + "/insert.sql"), check=True); ref.append(n / (time.monotonic() - t0))
        sh(client + ["-e", "TRUNCATE users"])
        t0 = time.monotonic()
        sh(client + ["--local-infile=1", "-e", f"SET GLOBAL local_infile=1; LOAD DATA LOCAL INFILE '{d}/rows.tsv' INTO TABLE users (name,email,status)"])
        load.append(n / (time.monotonic() - t0))
    shutil.rmtree(d, ignore_errors=True)
    sh(client + ["-e", "TRUNCATE users"])
    o, r, l, pr = statistics.median(ours), statistics.median(ref), statistics.median(load), statistics.median(prepared)
    one = statistics.median(single)
    add(f"generate-data --count {n} (rows/s)",
        f"{o:,.0f} ({sessions} sessions; one session: {one:,.0f} = {one/r:.2f}x; --method insert: {pr:,.0f})",
        f"{r:,.0f} client INSERT; client LOAD DATA (one session) {l:,.0f}",
        f"{o/r:.2f}x", ">= 250k/s and >= 2x", o >= 250000 and o >= 2 * r)


def bench_proxy_paths(state):
    """What a pipeline's own traffic loses through the proxy: the CDC read path (the binlog streamed by
    mariadb-binlog --raw, as a replica or Debezium reads it) and a snapshot read (SELECT of a large table),
    each through the proxy's public port and straight to the server's private port, in turns."""
    tk = tool("toolkit")
    sh([tk, "--state-dir", state, "up"])
    info = json.load(open(os.path.join(state, "sandbox.json")))
    ports = {"direct": info["private_port"], "proxy": info["public_port"]}
    admin = ["mariadb", "-uroot", "-prootpassword", "-S", info["socket"], "testdb"]
    n = 20000 if SMOKE else 1000000
    sh(admin + ["-e", "DROP TABLE IF EXISTS bench_snapshot"])
    sh([tk, "--state-dir", state, "generate-data", "--count", str(n), "--table", "bench_snapshot"])
    logs = [l.split("\t") for l in sh(admin + ["-N", "-e", "SHOW BINARY LOGS"]).stdout.split("\n") if l]
    first = logs[0][0]
    out = tempfile.mkdtemp(prefix="tc-bench-binlog-", dir="/dev/shm" if os.path.isdir("/dev/shm") else None)
    best = {"binlog": {}, "snapshot": {}}
    # The proxy thread's CPU per proxied read (the daemon process: its only busy thread is the proxy's io loop).
    daemon_pid = int(open(os.path.join(state, "daemon.pid")).read().split()[0])
    cpu = {"binlog": [], "snapshot": []}
    ticks = lambda: sum(int(v) for v in open(f"/proc/{daemon_pid}/stat").read().rsplit(")", 1)[1].split()[11:13])
    size = 0
    try:
        for _ in range(ROUNDS if SMOKE else max(ROUNDS, 3)):
            for path, port in ports.items():
                shutil.rmtree(out, ignore_errors=True); os.makedirs(out)
                t0, c0 = time.monotonic(), ticks()
                sh(["mariadb-binlog", "--read-from-remote-server", "--raw", "--to-last-log", "--protocol=TCP",
                    "-h127.0.0.1", f"-P{port}", "-uroot", "-prootpassword", f"--result-file={out}/", first])
                dt = time.monotonic() - t0
                size = sum(os.path.getsize(os.path.join(out, f)) for f in os.listdir(out))
                best["binlog"][path] = max(best["binlog"].get(path, 0), size / dt / 1e6)
                if path == "proxy":
                    cpu["binlog"].append((ticks() - c0) / os.sysconf("SC_CLK_TCK"))
                t0, c0 = time.monotonic(), ticks()
                subprocess.run(["mariadb", "--protocol=TCP", "-h127.0.0.1", f"-P{port}", "-uroot", "-prootpassword",
                                "--quick", "--batch", "--raw", "--skip-column-names", "testdb", "-e",
                                "SELECT * FROM bench_snapshot"], check=True, stdout=subprocess.DEVNULL)
                best["snapshot"][path] = max(best["snapshot"].get(path, 0), n / (time.monotonic() - t0))
                if path == "proxy":
                    cpu["snapshot"].append((ticks() - c0) / os.sysconf("SC_CLK_TCK"))
    finally:
        shutil.rmtree(out, ignore_errors=True)
        sh(admin + ["-e", "DROP TABLE IF EXISTS bench_snapshot"])
    b, s_ = best["binlog"], best["snapshot"]
    add(f"fault proxy, CDC read: binlog stream ({size / 1e6:.0f} MB, mariadb-binlog --raw)",
        f"{b['proxy']:.0f} MB/s (proxy CPU {statistics.median(cpu['binlog']):.2f} s per read)",
        f"direct {b['direct']:.0f} MB/s", f"{b['proxy'] / b['direct']:.2f}x", ">= 95 %",
        b["proxy"] >= 0.95 * b["direct"])
    add(f"fault proxy, snapshot read: SELECT {n:,} rows (mariadb --quick)",
        f"{s_['proxy']:,.0f} rows/s (proxy CPU {statistics.median(cpu['snapshot']):.2f} s per read)",
        f"direct {s_['direct']:,.0f} rows/s", f"{s_['proxy'] / s_['direct']:.2f}x", ">= 95 %",
        s_["proxy"] >= 0.95 * s_["direct"])


def find_probe_ms(text):
    """The probe's time in the (possibly several) JSON documents `network --json` prints."""
    dec, i, found = json.JSONDecoder(), 0, None
    def walk(v):
        nonlocal found
        if isinstance(v, dict):
            if "probe" in v and isinstance(v["probe"], dict):
                for k, x in v["probe"].items():
                    if k.endswith("ms") and isinstance(x, (int, float)) and found is None:
                        found = x
            for x in v.values():
                walk(x)
        elif isinstance(v, list):
            for x in v:
                walk(x)
    while i < len(text):
        if text[i].isspace():
            i += 1
            continue
        obj, i = dec.raw_decode(text, i)
        walk(obj)
    return found


def bench_faults(state):
    tk = tool("toolkit")
    sh([tk, "--state-dir", state, "up"])
    down, up = [], []
    for _ in range(ROUNDS * 3):
        text = sh([tk, "--state-dir", state, "--json", "network", "--down", "--type", "reject"]).stdout
        ms = find_probe_ms(text)
        if ms is not None:
            down.append(float(ms))
        t0 = time.monotonic(); sh([tk, "--state-dir", state, "network", "--up"]); up.append((time.monotonic() - t0) * 1000)
    dm = statistics.median(down) if down else None
    d = f"{dm:.2f} ms" if down else "n/a (probe time not in --json output)"
    u = statistics.median(up)
    add("fault actuation: --down to probe sees refusal", d, "-", f"{dm/50:.3f}x of target" if down else "n/a",
        "<= 50 ms", bool(down) and dm <= 50)
    add("fault actuation: --up to a successful query (command incl. verification)", f"{u:.1f} ms", "-",
        f"{u/50:.2f}x of target", "<= 50 ms", u <= 50)


def bench_engine(state):
    n = 1000 if SMOKE else 10000
    sh([tool("toolkit"), "--state-dir", state, "up"])
    d = tempfile.mkdtemp(prefix="tc-bench-engine-")
    def scenario(steps):
        p = f"{d}/s{steps}.yaml"
        with open(p, "w") as f:
            f.write(f"id: BENCH-{steps}\ntitle: no-op steps\nsteps:\n" + "  - sleep: 0\n" * steps + "checks:\n  - sleep: 0\n")
        return p
    sock = json.load(open(os.path.join(state, "sandbox.json")))["socket"]
    dsn = f"mysql://root:rootpassword@localhost/testdb?socket={sock}"
    def run(path):
        # A fresh wrapper process per run, so ru_maxrss is tc-run's alone (not an earlier mariadbd child's).
        wrapper = ("import resource,subprocess,sys,time;t=time.monotonic();"
                   "subprocess.run(sys.argv[1:],check=True,stdout=subprocess.DEVNULL,stderr=subprocess.DEVNULL);"
                   "print(time.monotonic()-t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
        out = sh([sys.executable, "-c", wrapper, tool("tc-run"), path, "-q", "--source", dsn, "--state-dir", state,
                  "--reports", d + "/reports"]).stdout.split()
        return float(out[0]), int(out[1])
    one = [run(scenario(1)) for _ in range(ROUNDS)]
    base = statistics.median(t for t, _ in one)
    base_rss = max(m for _, m in one)
    times, rss = [], 0
    for _ in range(ROUNDS):
        t, m = run(scenario(n)); times.append(t); rss = max(rss, m)
    per = (statistics.median(times) - base) / n * 1e6
    shutil.rmtree(d, ignore_errors=True)
    add(f"engine overhead per no-op step ({n} steps)", f"{per:.1f} us", f"{base*1000:.0f} ms for a 1-step run",
        f"{per/50:.2f}x of target", "<= 50 us/step", per <= 50)
    add(f"engine peak resident memory ({n} steps)", f"{rss/1024:.1f} MB", f"{base_rss/1024:.1f} MB for a 1-step run",
        f"{rss/base_rss:.2f}x", "< 50 MB", rss / 1024 < 50)


CPU_PY = r"""
import os, sys
# CPU seconds (user + system) of the mariadbd processes of one state dir: the source sandbox and the replica.
state, out = sys.argv[1], sys.argv[2]
tick = os.sysconf("SC_CLK_TCK")
total = 0.0
for pid in filter(str.isdigit, os.listdir("/proc")):
    try:
        cmd = open(f"/proc/{pid}/cmdline", "rb").read().split(b"\0")
        if not cmd[0].endswith(b"mariadbd") or not any(state.encode() in c for c in cmd):
            continue
        f = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
        total += (int(f[11]) + int(f[12])) / tick
    except (OSError, IndexError):
        pass
open(out, "w").write(f"{total}\n")
"""


def bench_sample():
    # The sample step's cost on the servers at every: 1s on a table of N rows: the CPU the source and the replica
    # use over a window with a sample running, minus the same window without one (the anchor, measured alternately).
    # Its exact counts (COUNT(*) at its start, end and fault changes) are one-off costs outside the window.
    n = 20000 if SMOKE else 1000000
    window = 4 if SMOKE else 30
    d = tempfile.mkdtemp(prefix="tc-bench-sample-")
    state, tk = f"{d}/state", tool("toolkit")
    sh([tk, "--state-dir", state, "up"])
    sh([tk, "--state-dir", state, "generate-data", "--count", str(n)])
    with open(f"{d}/cpu.py", "w") as f:
        f.write(CPU_PY)
    def run(sampled, i):
        tag = f"{'s' if sampled else 'b'}{i}"
        rec = ("  - {id: rec, sample: {table: users, every: 1s}, background: true}\n" if sampled else "")
        stop = "  - stop: rec\n" if sampled else ""
        path = f"{d}/{tag}.yaml"
        with open(path, "w") as f:
            f.write(f"id: BENCH-SAMPLE-{tag}\ntitle: sampling cost\ntarget: replica\n"
                    "preconditions:\n  - wait: {until: {pipeline: status, expect: running}, timeout: 600s, every: 250ms}\n"
                    "  - converges: {table: users, timeout: 900s}\n"
                    # The window starts after the sample's exact COUNT(*)s of its start and ends before those
                    # of its end: what is measured is the steady cost of one sample a second.
                    f"steps:\n{rec}  - sleep: 3s\n  - exec: python3 {d}/cpu.py {state} {d}/{tag}.before\n"
                    f"  - sleep: {window}s\n  - exec: python3 {d}/cpu.py {state} {d}/{tag}.after\n{stop}"
                    "checks:\n  - exec: \"true\"\n")
        sh([tool("tc-run"), path, "--state-dir", state, "--reports", f"{d}/reports", "-q"])
        return float(open(f"{d}/{tag}.after").read()) - float(open(f"{d}/{tag}.before").read())
    run(False, "warm")  # the replica's initial copy of the N rows, not measured
    base, sampled = [], []
    for i in range(max(ROUNDS, 2)):
        base.append(run(False, i))
        sampled.append(run(True, i))
    subprocess.run([tk, "--state-dir", state, "down"], capture_output=True)
    shutil.rmtree(d, ignore_errors=True)
    b, s = statistics.median(base), statistics.median(sampled)
    cost = max(0.0, s - b) / window * 100  # % of one core
    add(f"sample every 1s on a {n:,}-row table: CPU on source + replica, steady ({window} s window)",
        f"{s / window * 100:.2f} % of a core (+{cost:.2f} %)", f"{b / window * 100:.2f} % without sampling",
        f"{cost / 2:.2f}x of target", "<= +2 % of one core", cost <= 2.0)


def test_env():
    # Smoke: the test benchmarks shrink their sizes (64 MiB bulk, 20k rows) when this is set.
    return dict(os.environ, TC_BENCH_SMOKE="1") if SMOKE else os.environ


def bench_proxy():
    # The proxy and data_match benchmarks live with their tests (they need the same servers); run them here.
    best_rtt, best_tp = None, None
    for _ in range(ROUNDS):
        out = subprocess.run([os.path.join(BUILD, "tests", "test_proxy"), "-tc=benchmark*"], capture_output=True,
                             text=True, env=test_env()).stdout
        m = re.search(r"round trip\s+direct ([\d.]+) us, proxy ([\d.]+) us \(\+([-\d.]+) us\), "
                      r"bare relay ([\d.]+) us .*socat ([\d.]+) us", out)
        t = re.search(r"throughput\s+direct ([\d.]+) MB/s, proxy ([\d.]+) MB/s \(([\d.]+) %\), "
                      r"bare relay ([\d.]+) MB/s \(([\d.]+) %\), socat ([\d.]+) MB/s", out)
        if m and (best_rtt is None or float(m[3]) < float(best_rtt[3])):
            best_rtt = m
        if t and (best_tp is None or float(t[3]) > float(best_tp[3])):
            best_tp = t
    m, t = best_rtt, best_tp
    if m:
        add("fault proxy added round trip", f"{float(m[3]):+.1f} us",
            f"direct {float(m[1]):.1f} us; bare splice relay {float(m[4]):.1f} us; socat {float(m[5]):.1f} us",
            f"{float(m[2])/float(m[1]):.2f}x direct", "<= 25 us", float(m[3]) <= 25)
    if t:
        add("fault proxy bulk throughput", f"{float(t[2]):.0f} MB/s ({float(t[2]) / float(t[4]):.2f}x the bare relay)",
            f"direct {float(t[1]):.0f} MB/s; bare splice relay {float(t[4]):.0f} MB/s ({float(t[5]):.0f} %); "
            f"socat {float(t[6]):.0f} MB/s",
            f"{float(t[3])/100:.2f}x", ">= 95 %", float(t[3]) >= 95)


def bench_data_match():
    out = subprocess.run([os.path.join(BUILD, "tests", "test_checks"), "-tc=*benchmark*", "--no-skip", "-s"],
                         capture_output=True, text=True, env=test_env()).stdout
    m = re.search(r"(\d+) ms one after the other, (\d+) ms at the same time; data_match: (\d+) ms", out)
    if m:
        seq, par, ours = map(int, m.groups())
        add(f"data_match, {'20k' if SMOKE else '1M'} users rows each side", f"{ours} ms",
            f"CHECKSUM TABLE {seq} ms sequential / {par} ms parallel",
            f"{ours/max(seq,1):.2f}x / {ours/max(par,1):.2f}x", "<= 1.5x", ours <= 1.5 * seq)


def bench_suite():
    # A folder of 8 runs that mostly wait (as runs on a pipeline do): --jobs 2 against --jobs 1, each in private
    # state dirs; then merge over 1,000 result.json files against reading them with Python's json module.
    d = tempfile.mkdtemp(prefix="tc-bench-suite-")
    wait = "1s" if SMOKE else "4s"
    with open(f"{d}/s.yaml", "w") as f:
        f.write("id: BENCH-SUITE\ntitle: runs that wait\nmatrix:\n  n: [1, 2, 3, 4, 5, 6, 7, 8]\n"
                f"steps:\n  - toolkit: status\n  - sleep: {wait}\nchecks:\n  - toolkit: status\n")
    def run(jobs):
        t = time.monotonic()
        subprocess.run([tool("tc-run"), "run", f"{d}/s.yaml", "--jobs", str(jobs), "--state-dir", f"{d}/state{jobs}",
                        "--reports", f"{d}/r{jobs}", "-q"], capture_output=True, text=True)
        return time.monotonic() - t
    run(2)  # warm: each job state dir builds its seeded template once
    one = statistics.median(run(1) for _ in range(ROUNDS))
    two = statistics.median(run(2) for _ in range(ROUNDS))
    for j in (1, 2):
        subprocess.run([tool("toolkit"), "--state-dir", f"{d}/state{j}", "down"], capture_output=True)
        for k in (1, 2):
            subprocess.run([tool("toolkit"), "--state-dir", f"{d}/state{j}/job-{k}", "down"], capture_output=True)
    add("suite of 8 runs, --jobs 2", f"{two:.1f} s", f"--jobs 1 {one:.1f} s", f"{two/one:.2f}x", "<= 0.6x",
        two / one <= 0.6)
    # merge: 1,000 copies of a real result.json under distinct run folders.
    sample = None
    for root, _, files in os.walk(f"{d}/r1"):
        if "result.json" in files:
            sample = json.load(open(os.path.join(root, "result.json")))
            break
    n = 100 if SMOKE else 1000
    for i in range(n):
        sample["variant"] = f"v{i}"
        os.makedirs(f"{d}/many/run{i}", exist_ok=True)
        with open(f"{d}/many/run{i}/result.json", "w") as f:
            json.dump(sample, f)
    t = time.monotonic()
    subprocess.run([tool("tc-run"), "merge", f"{d}/many", "--out", f"{d}/merged"], capture_output=True)
    merge = time.monotonic() - t
    t = time.monotonic()
    for i in range(n):
        json.load(open(f"{d}/many/run{i}/result.json"))
    anchor = time.monotonic() - t
    shutil.rmtree(d, ignore_errors=True)
    add(f"merge of {n} result files", f"{merge*1000:.0f} ms", f"json.load of the same files {anchor*1000:.0f} ms",
        f"{merge/max(anchor, 1e-6):.2f}x", "<= 5 s", merge <= 5)


def bench_debezium():
    # The debezium target: engine start to streaming (anchor: the replica target, created the same way), and change
    # events applied per second through the fault proxy against the same engine reading the server directly.
    d = tempfile.mkdtemp(prefix="tc-bench-dbz-")
    tk = tool("toolkit")
    def pipeline_ready(target, state):
        sh([tk, "--state-dir", state, "up"])
        t = time.monotonic()
        sh([tk, "--state-dir", state, "pipeline", "start", "--target", target])
        while json.loads(sh([tk, "--state-dir", state, "--json", "pipeline", "status", "--target", target]).stdout
                         )["state"] != "running":
            if time.monotonic() - t > 120:
                sys.exit(f"{target} pipeline not running after 120 s")
            time.sleep(0.05)
        return time.monotonic() - t
    starts, anchors = [], []
    for i in range(ROUNDS):
        starts.append(pipeline_ready("debezium", f"{d}/s{i}"))
        anchors.append(pipeline_ready("replica", f"{d}/r{i}"))
        for st in (f"{d}/s{i}", f"{d}/r{i}"):
            subprocess.run([tk, "--state-dir", st, "down"], capture_output=True)
    st, an = statistics.median(starts), statistics.median(anchors)
    add("debezium engine start to streaming (fresh state dir)", f"{st:.2f} s", f"replica target {an:.2f} s",
        f"{st/an:.2f}x", "<= 30 s", st <= 30)
    # Events per second: a scenario that writes N rows and waits until the destination has them all.
    n = 5000 if SMOKE else 100000
    state = f"{d}/flow"
    sh([tk, "--state-dir", state, "up"])
    private = json.load(open(os.path.join(state, "sandbox.json")))["private_port"]
    def flow(props):
        path = f"{d}/flow.yaml"
        with open(path, "w") as f:
            f.write("id: BENCH-DBZ\ntitle: events per second\n"
                    f"target: {{type: debezium, properties: {json.dumps(props)}}}\n"
                    "preconditions:\n  - wait: {until: {pipeline: status, expect: running}, timeout: 120s, every: 100ms}\n"
                    "  - converges: {table: users, timeout: 120s}\n"
                    "  - sql: {connection: source, query: 'SELECT COUNT(*) AS n FROM users'}\n    capture: {n0: row.n}\n"
                    f"steps:\n  - toolkit: generate-data --count {n}\n"
                    "  - wait: {until: {converges: {table: users, timeout: 1s}}, timeout: 600s, every: 100ms}\n"
                    "    observe: applied\n"
                    "checks:\n  - rows_match: {table: users}\n")
        out = sh([tool("tc-run"), path, "--state-dir", state, "--reports", f"{d}/reports", "-q"]).stdout
        res = json.load(open(re.search(r"  (\S+)/execution-log\.md", out)[1] + "/result.json"))
        secs = [s["duration_ms"] for s in res["steps"] if s["phase"] == "steps"]
        return n / (sum(secs) / 1000)
    proxied = statistics.median(flow({}) for _ in range(ROUNDS))
    direct = statistics.median(flow({"database.port": private}) for _ in range(ROUNDS))
    subprocess.run([tk, "--state-dir", state, "down"], capture_output=True)
    shutil.rmtree(d, ignore_errors=True)
    add(f"debezium change events applied, {n} inserts through the fault proxy", f"{proxied:,.0f} rows/s",
        f"direct to the server {direct:,.0f} rows/s", f"{proxied/direct:.2f}x", ">= 0.9x", proxied >= 0.9 * direct)


def main():
    build()
    state = tempfile.mkdtemp(prefix="tc-bench-state-")
    try:
        if "sandbox" in ONLY:
            bench_sandbox(state)
        if "generate" in ONLY:
            bench_generate(state)
        if "faults" in ONLY:
            bench_faults(state)
        if "engine" in ONLY:
            bench_engine(state)
        if "proxy" in ONLY:
            bench_proxy_paths(state)
    finally:
        subprocess.run([tool("toolkit"), "--state-dir", state, "down"], capture_output=True)
        shutil.rmtree(state, ignore_errors=True)
    if "proxy" in ONLY:
        bench_proxy()
    if "sample" in ONLY:
        bench_sample()
    if "data_match" in ONLY:
        bench_data_match()
    if "suite" in ONLY:
        bench_suite()
    # Not in --smoke: in the sanitized CI tree the engine streamed but the status poll never saw it running within
    # 120 s (not understood yet; the full Release bench measures it).
    if "debezium" in ONLY and not SMOKE:
        bench_debezium()
    head = "| metric | tc-run | anchor (same run) | ratio | target | met |\n|---|---|---|---|---|---|\n"
    table = head + "".join("| " + " | ".join(r) + " |\n" for r in rows)
    machine = f"{os.cpu_count()} cores, {os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB, load {os.getloadavg()[0]:.1f}"
    text = f"# tc-run benchmarks {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}{' (smoke)' if SMOKE else ''}\n\nMachine: {machine}\n\n{table}"
    print(text)
    out = arg("--out", os.path.join(ROOT, "bench", "results", time.strftime("%Y%m%dT%H%M%SZ", time.gmtime()) + ".md"))
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    with open(out, "w") as f:
        f.write(text)


if __name__ == "__main__":
    main()
