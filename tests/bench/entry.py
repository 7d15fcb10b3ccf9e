"""How the benches start Coze Desktop as a user does: the ``coze-desktop`` console script.

The script pip writes (``.venv/bin/coze-desktop``) is::

    import sys
    from desktop.__main__ import main
    sys.argv[0] = sys.argv[0].removesuffix('.exe')
    sys.exit(main())

``real_entry`` prefers that script, next to ``sys.executable``, when it imports the same
``desktop`` package as this checkout (an installed copy of another checkout would measure other
code); otherwise it runs the same four lines with ``python -c``. Either way interpreter start,
``desktop.__main__`` and everything it imports count, as they do for a user. ``frozen_entry``
is the PyInstaller bundle, when one has been built.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import desktop

ROOT = Path(__file__).resolve().parents[2]
SCRIPT_MIRROR = (
    "import sys\n"
    "from desktop.__main__ import main\n"
    "sys.argv[0] = 'coze-desktop'\n"
    "sys.exit(main())\n"
)


def child_env(**extra: str) -> dict[str, str]:
    """The environment of a measured child: this checkout first on the path, bytecode cached
    (as an installed app runs from .pyc files), no token from the caller's shell."""
    env = dict(os.environ, PYTHONPATH=str(ROOT), **extra)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.pop("COZE_API_TOKEN", None)
    return env


def _imports_this_checkout(python: str, env: dict[str, str]) -> bool:
    """Whether ``python`` (the script's interpreter), run from elsewhere, imports our package."""
    with tempfile.TemporaryDirectory() as elsewhere:
        found = subprocess.run(
            [python, "-c", "import desktop; print(desktop.__file__)"],
            env=env, cwd=elsewhere, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
    return found.stdout.strip() == str(Path(desktop.__file__).resolve())


def real_entry(env: dict[str, str]) -> tuple[list[str], str]:
    """The command that starts ``coze-desktop`` (arguments follow) and a label saying which."""
    script = Path(sys.executable).with_name("coze-desktop")
    if script.is_file():
        first = script.read_text(encoding="utf-8", errors="replace").splitlines()[:1]
        python = first[0][2:].strip() if first and first[0].startswith("#!") else sys.executable
        if _imports_this_checkout(python, env):
            return [str(script)], f"console script {script} (imports {ROOT / 'desktop'})"
        reason = f"{script} imports another desktop package"
    else:
        reason = f"no console script next to {sys.executable}"
    return [
        sys.executable,
        "-c",
        SCRIPT_MIRROR,
    ], f"python -c <the console script's lines> ({reason})"


def frozen_entry(path: str | None = None) -> Path | None:
    """The frozen app (``dist/coze-desktop/coze-desktop`` of this checkout, or ``path``)."""
    candidate = Path(path).resolve() if path else ROOT / "dist" / "coze-desktop" / "coze-desktop"
    return candidate if candidate.is_file() and os.access(candidate, os.X_OK) else None
