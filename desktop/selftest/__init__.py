"""``coze-desktop --self-test``: checks an installed copy (window, translations, history
database, keyring, a demo chat) and writes a JSON report.

``runner`` holds the report and its options; ``checks`` builds the real app through
``desktop.app`` and runs each check. Dispatched from ``desktop.__main__``: the app never imports
this package.
"""
