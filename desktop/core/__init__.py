"""Qt-free domain: transcript reducer, chat sessions, profile doctor."""
