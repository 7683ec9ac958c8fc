"""Adapters: one module per statement *format*, each turning bytes into the core's `Statement`.

Bank specifics live in `mappings/banks/*.toml`, never in code. `parsers.registry` lists the
formats in the order content sniffing tries them.
"""
