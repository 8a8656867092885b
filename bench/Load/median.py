"""Prints the median of each figure over the runs of each scenario in a results folder (files <label>-<n>.json)."""
import glob, json, os, statistics, sys
from collections import defaultdict

runs = defaultdict(list)
for path in sorted(glob.glob(os.path.join(sys.argv[1], "*.json"))):
    with open(path) as f:
        r = json.load(f)
    runs[r["label"] or os.path.basename(path)].append(r)

fields = ["answeredPerSecond", "ackP50Ms", "ackP95Ms", "ackP99Ms", "ackFromDueP99Ms", "overheadP50Ms", "overheadP95Ms", "overheadP99Ms",
          "peakRssMiB", "rssAtSampleMiB", "rssAtEndMiB", "lost", "duplicated", "outOfOrder", "failed"]
print("| scenario | runs | " + " | ".join(fields) + " |")
print("|" + "---|" * (len(fields) + 2))
for label, rs in runs.items():
    cells = []
    for f in fields:
        values = [r.get(f) for r in rs if isinstance(r.get(f), (int, float))]
        cells.append(f"{statistics.median(values):.2f}" if values else "-")
    print(f"| {label} | {len(rs)} | " + " | ".join(cells) + " |")
