"""Hub-side figures of a measured window from two /metrics scrapes (start, end): the webhook's request durations
(ASP.NET Core's http.server.request.duration histogram, route /webhooks/telegram; its buckets are coarse, so the figure
is the share of requests the hub finished within 5 and 10 ms), the GC pause time and the number of collections.
Usage: hub-window.py metrics-start.txt metrics-end.txt window-seconds"""
import re, sys

def parse(path):
    d = {}
    for line in open(path):
        if line.startswith("#") or not line.strip():
            continue
        m = re.match(r"([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)", line)
        if m:
            d[(m.group(1), m.group(2) or "")] = float(m.group(3))
    return d

a, b = parse(sys.argv[1]), parse(sys.argv[2])
window = float(sys.argv[3])
delta = lambda k: b.get(k, 0.0) - a.get(k, 0.0)
buckets = {}
for (name, labels) in b:
    if name == "http_server_request_duration_seconds_bucket" and 'http_route="/webhooks/telegram"' in labels:
        le = re.search(r'le="([^"]+)"', labels).group(1)
        buckets[le] = buckets.get(le, 0.0) + delta((name, labels))
total = buckets.get("+Inf", 0.0)
parts = []
if total > 0:
    parts.append(f"{total:.0f} webhooks, {100 * buckets.get('0.005', 0) / total:.1f} % within 5 ms, {100 * buckets.get('0.01', 0) / total:.1f} % within 10 ms")
pause = sum(delta(k) for k in b if "gc_pause_time" in k[0])
collections = sum(delta(k) for k in b if k[0].endswith("gc_collections_total"))
parts.append(f"GC pauses {1000 * pause:.0f} ms in {collections:.0f} collections over {window:.0f} s")
print("; ".join(parts))
