"""Every corpus file read through the registry, by content, as the inbox reads it: each usable
file read right (where a peer parser is wrong, the standard decides), each MALFORMED one refused."""

from __future__ import annotations

from bench.conformance import main
from tests.corpus import require_corpus


def test_every_corpus_file_is_read_right_or_refused_with_a_reason_through_content_sniffing() -> None:
    require_corpus()
    assert main() == 0
