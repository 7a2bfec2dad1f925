#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The shape of src/, as TAP: no two files call each other in a circle (through the
functions and tables each defines), no headers include each other in a circle, and no
source file is longer than 900 lines. Calls are found by name: an identifier used in one
file and defined (not static) in another is a call of it."""
import os
import re
import sys

MAX_LINES = 900


def strip(text):
    text = re.sub(r'/\*.*?\*/', '', text, flags=re.S)
    text = re.sub(r'//[^\n]*', '', text)
    return re.sub(r'"(\\.|[^"\\])*"', '""', text)


def sources(root):
    for d, _, files in os.walk(root):
        for f in sorted(files):
            if (f.endswith('.c') and not f.endswith('.bpf.c')) or \
               (f.endswith('.h') and not f.endswith('.skel.h')):
                yield os.path.join(d, f)


def cycles(graph):
    """Strongly connected components of more than one node (Tarjan, iterative)."""
    index, low, on, stack, out, counter = {}, {}, set(), [], [], [0]
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter[0]
        counter[0] += 1
        stack.append(root)
        on.add(root)
        while work:
            v, it = work[-1]
            for w in it:
                if w not in index:
                    index[w] = low[w] = counter[0]
                    counter[0] += 1
                    stack.append(w)
                    on.add(w)
                    work.append((w, iter(sorted(graph[w]))))
                    break
                if w in on:
                    low[v] = min(low[v], index[w])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[v])
                if low[v] == index[v]:
                    comp = []
                    while True:
                        w = stack.pop()
                        on.discard(w)
                        comp.append(w)
                        if w == v:
                            break
                    if len(comp) > 1:
                        out.append(sorted(comp))
    return out


def main():
    root = sys.argv[1]
    files = list(sources(root))
    rel = {p: os.path.relpath(p, root) for p in files}
    text = {p: strip(open(p, encoding='utf-8', errors='replace').read()) for p in files}
    cfiles = [p for p in files if p.endswith('.c')]
    defined = {}
    for p in cfiles:
        for m in re.finditer(r'^(?!static\b)[A-Za-z_][\w \*]*?\b(\w+)\s*\([^;{]*\)\s*\{',
                             text[p], re.M):
            defined.setdefault(m.group(1), p)
        for m in re.finditer(r'^(?!static\b)(?:const )?(?:struct \w+|\w+)[\w \*]*?\b(\w+)'
                             r'(?:\[\w*\])?\s*=\s*\{', text[p], re.M):
            defined.setdefault(m.group(1), p)
    calls = {p: set() for p in cfiles}
    why = {}
    for p in cfiles:
        for w in set(re.findall(r'\b([A-Za-z_]\w*)\b', text[p])):
            q = defined.get(w)
            if q and q != p:
                calls[p].add(q)
                why.setdefault((p, q), w)
    heads = {os.path.basename(p): p for p in files if p.endswith('.h')}
    incl = {p: set() for p in files if p.endswith('.h')}
    for p in incl:
        for h in re.findall(r'#include "([^"]+)"', open(p).read()):
            q = heads.get(os.path.basename(h))
            if q and q != p:
                incl[p].add(q)
    print('1..3')
    bad = cycles(calls)
    if bad:
        print('not ok 1 - files call each other in a circle')
        for comp in bad:
            edges = ['%s -> %s (%s)' % (rel[a], rel[b], why[(a, b)])
                     for a in comp for b in sorted(calls[a]) if b in comp]
            print('# circle: ' + '; '.join(edges))
    else:
        print('ok 1 - no two files of src/ call each other in a circle (%d files)' % len(cfiles))
    bad = cycles(incl)
    if bad:
        print('not ok 2 - headers include each other in a circle: ' +
              '; '.join(' '.join(rel[p] for p in comp) for comp in bad))
    else:
        print('ok 2 - no headers of src/ include each other in a circle')
    long = ['%s (%d)' % (rel[p], open(p).read().count('\n')) for p in cfiles
            if open(p).read().count('\n') > MAX_LINES]
    if long:
        print('not ok 3 - source files over %d lines: %s' % (MAX_LINES, ', '.join(long)))
    else:
        print('ok 3 - no source file of src/ is over %d lines' % MAX_LINES)


if __name__ == '__main__':
    main()
