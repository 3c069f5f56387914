#!/usr/bin/env python3
"""Compare trustlint's verdicts with the peer-tool labels in
../shared/corpus/peer-labels.tsv.

Each peer check is mapped to the trustlint rules that cover the same
concern; a label agrees when trustlint reports one of those rules on the
labelled resource (or, without a resource, in the file) exactly when the
peer expects a failure. Usage: scripts/peer_compare.py [tool ...] [--all]
(--all also prints agreeing rows)."""
import collections, json, os, subprocess, sys

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
corpus = os.path.join(root, "..", "shared", "corpus")
binary = os.environ.get("TL_BIN") or os.path.join(root, "target", "release", "trustlint")

# peer check -> trustlint rules covering the same concern
MAP = {
    "CKV_AWS_60": {"TL101"}, "CKV_AWS_61": {"TL102"},
    "CKV_AWS_358": {"TL401", "TL402"}, "CKV_AWS_393": {"TL401", "TL402"},
    "85138beb-ce7c-4ca3-a09f-e8fbcc57ddd7": {"TL103"},
    "09c35abf-5852-4622-ac7a-b987b331232e": {"TL103"},
    "e835bd0d-65da-49f7-b6d1-b646da8727e6": {"TL501"},
    # KICS labels role trust policies with AWS "*" under this query too.
    "bcdcbdc6-a350-4855-ae7c-d1e6436f7c97": {"TL501", "TL101"},
    "f80e3aa7-7b34-4185-954e-440a6894dde6": {"TL101"},
    "12b7e704-37f0-4d1e-911a-44bf60c48c21": {"TL101"},
    "F2": {"TL503"}, "F6": {"TL104"}, "W14": {"TL503"},
    "E3530": {"TL105", "TL002"},
    "is_internet_accessible": {"TL101", "TL104"},
    "NOTPRINCIPAL_WITH_ALLOW": {"TL104"},
    "MALFORMED": {"TL002"}, "MALFORMED_JSON": {"TL001"},
    "DUPLICATE_SID": {"TL002"}, "BAD_PATTERN_FOR_MFA": {"TL202"},
    "UNKNOWN_OPERATOR": {"TL203"}, "MISMATCHED_TYPE": {"TL203"},
}

args = [a for a in sys.argv[1:] if not a.startswith("--")]
show_all = "--all" in sys.argv
tools = set(args)
rows = []
with open(os.path.join(corpus, "peer-labels.tsv")) as f:
    next(f)
    for line in f:
        src, rel, tool, check, expected, meaning, resource = line.rstrip("\n").split("\t")
        if tools and tool not in tools:
            continue
        if check not in MAP and check != "(none)":
            continue  # permissions-policy checks outside trustlint's scope
        rows.append((src, rel, tool, check, expected, resource))

files = sorted({os.path.join(corpus, s, r) for s, r, *_ in rows})
out = subprocess.run([binary, "check", "--format", "json", "--fail-on", "never", *files],
                     capture_output=True, text=True)
found = collections.defaultdict(list)
for d in json.loads(out.stdout)["diagnostics"]:
    found[os.path.normpath(d["path"])].append((d["rule"], d["span"]["start"]["line"], d.get("resource") or ""))

def same_resource(peer, ours):
    if not peer or peer == "-" or peer.startswith("line "):
        return True
    peer = peer.split(".", 2)[-1] if peer.startswith("AWS::") else peer
    return ours == peer or ours.endswith("." + peer) or ours == "data." + peer or peer.endswith(ours)

agree = total = 0
for s, r, tool, check, expected, resource in rows:
    p = os.path.normpath(os.path.join(corpus, s, r))
    mine = [(rule, line, res) for rule, line, res in found[p] if same_resource(resource, res)]
    if check == "(none)":
        # The peer reports nothing: we agree when we report no trust finding.
        hit = [m for m in mine if m[0] != "TL001"]
        ok = not hit
    else:
        hit = [m for m in mine if m[0] in MAP[check]]
        ok = bool(hit) == (expected == "fail")
    total += 1
    agree += ok
    if show_all or not ok:
        ours = " ".join(sorted({f"{a}:{b}" for a, b, _ in mine})) or "(none)"
        print(f"{'agree' if ok else 'DIFFER':6} {tool:14} {check[:12]:12} {expected:4} {resource[:40]:40} {r[-60:]:60} {ours}")
print(f"\n{agree} of {total} labels agree")
