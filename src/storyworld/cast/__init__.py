"""Helpers shared by the mentions and cast stages: word lists, name keys, mention features."""
