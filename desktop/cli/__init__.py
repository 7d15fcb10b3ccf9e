"""The command line: ``chat``, ``doctor``, ``bot``, ``profile``, ``sessions``, ``export``, ``simulator``.

``entry.main(argv)`` parses and runs a subcommand; each lives in its ``*_cmd`` module, sharing
``common`` (profiles, tokens, clients, exit codes) and ``render`` (printing a streamed turn).
Qt-free: imports the core, the API client and storage, never ``desktop.ui``.

This file stays this small on purpose: ``desktop.__main__`` reads ``SUBCOMMANDS`` to decide
between the window and the command line, and a window start must not import the CLI.
"""

SUBCOMMANDS = (
    "chat",
    "doctor",
    "bot",
    "conversations",
    "import",
    "profile",
    "sessions",
    "export",
    "simulator",
)
