"""The main window: its actions and menus, the chat/dialog/log flows, the first frame, the
welcome page, the services it is handed, and the hidden screenshot scenes.

The flows work against ``host.WindowHost`` (the few window members they use), never the whole
``MainWindow``. May import every other ``desktop.ui`` package and the Qt-free core; nothing in
``desktop.ui`` imports it except ``desktop.app`` (the composition root).
"""
