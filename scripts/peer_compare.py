#!/usr/bin/env python3
"""Compare trustlint's findings with the peer-tool labels in
../shared/corpus/peer-labels.tsv. Usage: scripts/peer_compare.py [tools...]
Prints, per labelled file, the peer verdict and the trustlint rules found."""
import collections, json, os, subprocess, sys

root = os.path.join(os.path.dirname(__file__), "..")
corpus = os.path.join(root, "..", "shared", "corpus")
binary = os.path.join(root, "target", "release", "trustlint")
tools = set(sys.argv[1:])
rows = []
with open(os.path.join(corpus, "peer-labels.tsv")) as f:
    next(f)
    for line in f:
        src, rel, tool, check, expected, meaning, resource = line.rstrip("\n").split("\t")
        if tools and tool not in tools:
            continue
        rows.append((src, rel, tool, check, expected, resource))
files = sorted({os.path.join(corpus, s, r) for s, r, *_ in rows})
out = subprocess.run([binary, "check", "--format", "json", "--fail-on", "never", *files],
                     capture_output=True, text=True)
found = collections.defaultdict(list)
for d in json.loads(out.stdout)["diagnostics"]:
    found[os.path.normpath(d["path"])].append((d["rule"], d["span"]["start"]["line"], d.get("resource")))
for s, r, tool, check, expected, resource in rows:
    p = os.path.normpath(os.path.join(corpus, s, r))
    ours = sorted({f"{rule}:{line}" + (f"@{res}" if res else "") for rule, line, res in found[p]})
    print(f"{tool:10} {check:32} {expected:4} {resource or '-':28} {r[-70:]:70} {' '.join(ours) or '(none)'}")
