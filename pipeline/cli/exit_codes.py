"""The exit codes of every command (`errors.py` says which error gives which).

A module of its own so that a command can name a code without importing the library modules
whose errors `errors.py` words.
"""

USAGE_OR_DATA = 2
RESULT_FAILS = 1
INTERRUPTED = 130
