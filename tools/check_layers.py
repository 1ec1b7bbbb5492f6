#!/usr/bin/env python3
"""Checks the source tree's layer order (docs/architecture.md).

Every C or assembly file of the hypervisor belongs to a layer by its
folder. A file may include headers of its own layer or of lower ones, never
of a higher one; the files of one layer include each other without a
cycle (a .c and its .h count as one unit); inline assembly lives only in
include/arch/. Prints one line per violation and exits 1 if there is any.
tests/ and tools/ are leaves outside the layers.
"""
import os
import re
import sys

# Lowest first. The longest matching prefix decides a file's layer.
LAYERS = [
    ("include/", "definitions: POWER registers and instructions, the PAPR ABI"),
    ("hv/lib/", "portable libraries"),
    ("hv/config/", "what the hypervisor is told: firmware device tree, bundle"),
    ("hv/mm/", "memory: allocator, memory map, HPT engine"),
    ("drivers/", "hardware the hypervisor drives"),
    ("hv/papr/", "the pseries platform's portable models"),
    ("hv/virtio/", "the virtio core: virtqueues, the virtio-pci transport (portable)"),
    ("hv/", "the core: CPUs, partitions, vCPUs, exits, scheduler (hv/arch: its POWER part)"),
    ("hcall/", "guest calls: hcalls and RTAS services"),
    ("shm/ blk/ net/", "device models"),
    ("boot/", "entry from firmware and interrupts, the boot sequence"),
]
SKIP = ("tests/", "tools/", "build/", "cache/", ".git/")
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)
ASM = re.compile(r"\b(__asm__|asm)\s*(volatile|__volatile__)?\s*\(")


def layer_of(path):
    best = None
    for rank, (prefixes, _) in enumerate(LAYERS):
        for prefix in prefixes.split():
            if path.startswith(prefix) and (best is None or len(prefix) > best[1]):
                best = (rank, len(prefix))
    return None if best is None else best[0]


def sources(root):
    for d, subdirs, files in os.walk(root):
        rel = os.path.relpath(d, root)
        rel = "" if rel == "." else rel + "/"
        subdirs[:] = [s for s in subdirs if not (rel + s + "/").startswith(SKIP)]
        for f in files:
            if f.endswith((".c", ".h", ".S")):
                yield rel + f


def resolve(path, inc, present):
    for cand in (inc, "include/" + inc, os.path.normpath(os.path.join(os.path.dirname(path), inc))):
        if cand in present:
            return cand
    return None


def unit(path):
    return re.sub(r"\.(c|h|S)$", "", path)


def find_cycles(edges):
    index, low, stack, on, cycles, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                cycles.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(edges):
        if v not in index:
            visit(v)
    return cycles


def check(root):
    files = sorted(sources(root))
    present = set(files)
    problems, edges = [], {}
    for path in files:
        rank = layer_of(path)
        if rank is None:
            problems.append("%s: in no layer; add its folder to tools/check_layers.py" % path)
            continue
        text = open(os.path.join(root, path), errors="replace").read()
        if not path.startswith("include/arch/") and not path.endswith(".S"):
            for n, line in enumerate(text.splitlines(), 1):
                if ASM.search(line):
                    problems.append("%s:%d: inline assembly outside include/arch/" % (path, n))
        edges.setdefault(unit(path), set())
        for inc in INCLUDE.findall(text):
            target = resolve(path, inc, present)
            if target is None:
                continue
            if unit(target) != unit(path):
                edges[unit(path)].add(unit(target))
            trank = layer_of(target)
            if trank is not None and trank > rank:
                problems.append('%s: includes "%s", a higher layer (%s above %s)' %
                                (path, inc, LAYERS[trank][1], LAYERS[rank][1]))
    for cycle in find_cycles(edges):
        problems.append("include cycle: " + " -> ".join(cycle))
    return files, problems


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    files, problems = check(root)
    for p in problems:
        print(p)
    print("layers: %d files, %d problem(s)" % (len(files), len(problems)))
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
