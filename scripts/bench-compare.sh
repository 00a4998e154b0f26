#!/bin/sh
# The side-by-side comparisons of BENCHMARKS.md: swr-top's decoding against python3 and jq on the
# same 10,000-job bodies, and its poll round against curl on the simulator of the release binary.
#   scripts/bench-compare.sh [RESULTS]
# RESULTS is the benchmark package's stored run as JMH JSON (default
# Benchmarks/.benchmarkBaselines/current.jmh.json, written by `make bench`); swr-top's medians and
# the ratios come from it. Without it, only the peers' figures are printed.
# SWR_TOP names the binary whose `sim` serves curl (default: the release build, built if missing).
# Prints markdown lines for BENCHMARKS.md.
set -eu
cd "$(dirname "$0")/.."
results=${1:-Benchmarks/.benchmarkBaselines/current.jmh.json}
binary=${SWR_TOP:-}
if [ -z "$binary" ]; then
    for candidate in .build/release/swr-top .build-release/release/swr-top; do
        [ -x "$candidate" ] && binary=$candidate && break
    done
fi
if [ -z "$binary" ]; then
    swift build -c release --product swr-top
    binary=.build/release/swr-top
fi
for tool in python3 jq curl; do
    command -v "$tool" >/dev/null 2>&1 || { echo "$tool is needed (apt-get install $tool)" >&2; exit 2; }
done
exec python3 - "$binary" "$results" <<'PY'
import json, os, re, statistics, subprocess, sys, tempfile, time

binary, results_path = sys.argv[1], sys.argv[2]


def human(seconds):
    if seconds >= 1:
        return "%.2f s" % seconds
    if seconds >= 1e-3:
        return "%.2f ms" % (seconds * 1e3)
    return "%.1f µs" % (seconds * 1e6)


def timed(command, **kwargs):
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kwargs)
    return time.perf_counter() - start


# swr-top's medians of wall clock (seconds) by benchmark name, from the benchmark package's
# stored run exported as JMH JSON (`benchmark baseline read current --format jmh`).
ours = {}
if os.path.exists(results_path):
    with open(results_path) as f:
        for element in json.load(f):
            name = element.get("benchmark", "").split(".", 1)[-1]
            for metric, values in element.get("secondaryMetrics", {}).items():
                if "wall clock" in metric.lower():
                    ours[name] = values["scorePercentiles"]["50.0"] / 1e6  # microseconds
else:
    print("(no benchmark results at %s: `make bench` writes them; only the peers are measured)" % results_path, file=sys.stderr)

notes = []
workdir = tempfile.mkdtemp(prefix="swr-top-compare-")

# --- decoding: the same bodies as Benchmarks/.../Fixtures.swift writes -----------------------
def body(count, official):
    parts = []
    for i in range(count):
        id = 100000 + i
        if official:
            state = ["Successful", "Failed", "Building", "success"][i % 4]
            parts.append('{"id":%d,"service":"jenkins_build","service_id":2865,"region_name":"","resource_type":"image","resource":"swr/tomcat:1.%d","duration":"%d","state":"%s","progress":"%d","pkg":null,"creator_id":"c6993164847244928091da9e86fb723f","creator_name":"f00355482","created_at":"2018-12-15T12:33:45.459407Z","log_num":1}' % (id, i % 100, i % 900, state, i % 101))
        else:
            status = ["Successful", "Failed", "Building", "Waiting"][i % 4]
            parts.append('{"id":"%d","duration":%d,"progress":%d,"status":"%s","resource":"swr/tomcat:1.%d","creator_name":"f00355482","created_at":"2018-12-15T12:33:45.459407Z"}' % (id, i % 900, i % 101, status, i % 100))
    return "[" + ",".join(parts) + "]"


python_decode = r'''
import json, sys, time
times = []
for _ in range(int(sys.argv[2])):
    t = time.perf_counter()
    d = json.load(open(sys.argv[1]))
    n = sum(1 for j in d if (j.get("state") or j.get("status")) and str(j.get("id"))
            and int(j.get("progress") or 0) >= 0 and int(j.get("duration") or 0) >= 0)
    times.append(time.perf_counter() - t)
times.sort()
print(times[len(times) // 2])
'''
script = os.path.join(workdir, "decode.py")
with open(script, "w") as f:
    f.write(python_decode)

for official in (True, False):
    shape = "official example shape" if official else "documented shape"
    path = os.path.join(workdir, "official.json" if official else "documented.json")
    with open(path, "w") as f:
        f.write(body(10000, official))
    size_kib = os.path.getsize(path) // 1024
    python = float(subprocess.run([sys.executable, script, path, "15"], check=True, capture_output=True, text=True).stdout)
    jq_runs = [timed(["jq", "map(.id) | length", path]) for _ in range(9)]
    jq_start = [timed(["jq", "length"], input=b"[]") for _ in range(9)]
    jq = statistics.median(jq_runs)
    jq_work = max(0.0, jq - statistics.median(jq_start))
    mine = ours.get("decode 10,000 jobs (%s)" % shape)
    line = "decode (%s, %d KiB): python3 json.load + field access %s in-process" % (shape, size_kib, human(python))
    if mine:
        line += " → swr-top (%s) is %.1f× faster" % (human(mine), python / mine)
    notes.append(line)
    line = "decode (%s): jq %s per run, %s without its start-up" % (shape, human(jq), human(jq_work))
    if mine:
        line += " → swr-top is %.1f× faster than jq's work alone" % (jq_work / mine)
    notes.append(line)

# --- a poll round: curl, one process per request, against the release binary's simulator ----
server = subprocess.Popen([binary, "sim", "--port", "0", "--pipelines", "100"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
try:
    url = token = None
    deadline = time.time() + 30
    while time.time() < deadline and (url is None or token is None):
        line = server.stdout.readline()
        if not line:
            break
        match = re.search(r"listening on (http://\S+)", line)
        if match:
            url = match.group(1)
        match = re.search(r"^token: (\S+)", line)
        if match:
            token = match.group(1)
    if url is None or token is None:
        sys.exit("the simulator did not start: %s sim" % binary)
    loop = ("for p in $(seq 1024 1123); do for s in 0 1 2; do "
            "curl -s -o /dev/null -H 'X-Auth-Token: %s' %s/v3/manage/pipelines/$p/stages/$s/jobs; done; done" % (token, url))
    total = timed(["sh", "-c", loop])
    per_request = total / 300
    mine = ours.get("poll round: 500 stages against the simulator on loopback (8 at a time)")
    line = "poll round: curl in a shell loop takes %s per request (%s for 500)" % (human(per_request), human(per_request * 500))
    if mine:
        line += " → swr-top's round (%s) is %.1f× faster" % (human(mine), per_request * 500 / mine)
    notes.append(line)
finally:
    server.terminate()
    server.wait(timeout=10)

for note in notes:
    print("- " + note)
PY
