"""Benchmark: colouring a code block, tree-sitter (``render.syntax_tree``) against Pygments.

    QT_QPA_PLATFORM=offscreen python -m tests.bench.bench_highlight [--lines 40] [--rounds 30]

For every language with a grammar, a block of ``--lines`` lines of typical code is turned into
the per-line format spans the chat's code blocks apply (``highlighter.TokenSpans``): once by its
tree-sitter grammar (the app's path) and once by Pygments (the path before, and still the one
for other languages), alternating, in one process. Both are warmed first (grammar, lexer and
style loaded): what is timed is the work per block. The figure is the median of ``--rounds``
and the ratio tree-sitter / Pygments; a block of the bench_render answer's Python comes first.
"""

from __future__ import annotations

import argparse
import os
import time
from statistics import median

SNIPPETS = {
    "python": "    total += item_{i} * {k}  # step {i}",
    "javascript": "  const v{i} = items.map((x) => x * {k}); // step {i}",
    "typescript": "  const v{i}: number[] = items.map((x: number) => x * {k}); // step {i}",
    "tsx": '  const v{i} = <Item key="{i}" count={{{k}}} />; // step {i}',
    "cpp": "    std::vector<int> v{i} = compute<int>(items, {k}); // step {i}",
    "bash": 'echo "step {i}" && grep -n "x{k}" "$FILE" | wc -l  # step {i}',
    "go": '\tv{i} := fmt.Sprintf("%d", x*{k}) // step {i}',
    "rust": "    let v{i}: u32 = items.iter().map(|x| x * {k}).sum(); // step {i}",
    "java": "        int v{i} = helper.compute(items, {k}); // step {i}",
    "c": "    int v{i} = compute(items, {k}); /* step {i} */",
    "yaml": "key{i}:\n  name: value {i}\n  count: {k}",
}


def block(lang: str, lines: int) -> str:
    snippet = SNIPPETS[lang]
    return "\n".join(snippet.format(i=i, k=i % 9 + 1) for i in range(lines)) + "\n"


def spans_seconds(code: str, lang: str, tree: bool) -> float:
    from desktop.ui.chat.render.highlighter import TokenSpans

    spans = TokenSpans(code, lang, False)
    if not tree:
        spans._grammar = lambda: None  # type: ignore[method-assign]  # Pygments' path
    start = time.perf_counter()
    while not spans.step(start + 60.0):
        pass
    took = time.perf_counter() - start
    assert (spans._tree is not None) == tree  # the path asked for was the one taken
    return took


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    from PySide6.QtWidgets import QApplication

    from desktop.ui.chat.render import syntax_tree

    _app = QApplication.instance() or QApplication([])
    print(f"{'language':<11} {'chars':>6} {'tree-sitter ms':>15} {'Pygments ms':>12} {'ratio':>6}")
    ratios = []
    for lang in syntax_tree.GRAMMARS:
        code = block(lang, args.lines)
        spans_seconds(code, lang, True), spans_seconds(code, lang, False)  # warm both
        tree, pyg = [], []
        for _ in range(args.rounds):
            tree.append(spans_seconds(code, lang, True))
            pyg.append(spans_seconds(code, lang, False))
        ratio = median(tree) / median(pyg)
        ratios.append(ratio)
        print(
            f"{lang:<11} {len(code):>6} {median(tree) * 1000:>15.3f} "
            f"{median(pyg) * 1000:>12.3f} {ratio:>5.2f}x"
        )
    print(f"median ratio over {len(ratios)} languages: {median(ratios):.2f}x (lower is faster)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
