"""Plain dataclasses for what the content says; no geometry, no I/O."""
