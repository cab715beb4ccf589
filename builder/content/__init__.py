"""Content files (YAML) -> validated model dataclasses, every error located."""
