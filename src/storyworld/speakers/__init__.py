"""Helpers of the speakers stage (stages/speakers.py): mention index, speech tags, turn-taking."""
