"""The compare view: one question asked of 2-4 bots, their answers side by side.

``CompareView`` holds one ``CompareColumn`` per bot (a ``desktop.ui.chat`` ``ChatView`` under a
header with the answer's figures and a Stop button), laid out as columns, or as tabs when the
window is too narrow for them, above one shared composer. ``ComparePicker`` is the dialog that
picks the bots. Like every widget package it runs no async code: the window's compare flow
feeds it the controller's turns and acts on its intents.
"""
