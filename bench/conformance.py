"""The conformance table over ../shared/corpus: each file read through the registry (content
sniffing, as the inbox does), beside expected.json. Prints a markdown table.

    .venv/bin/python bench/conformance.py
"""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from parsers import registry
from parsers.base import ReadContext
from reconcile.errors import ParseError
from tests.corpus import CORPUS, expected, malformed

BANKS = Path(__file__).resolve().parents[1] / "mappings" / "banks"
# Where the peer parser is known wrong, the standard decides: the raw-reference figures.
BY_STANDARD = {
    "mt940/wolph__betterplace_sepa_mt9401.sta": (97, "-9269135.90"),
    "mt940/fruitl00p__Zetb_sample": (8, "-3743.91"),
    "mt940/ocabsi__test-sns.940": (8, "-1715.68"),
    "mt940/wolph__ASNB_0708271685_09022020_164516.940.txt": (8, "56.94"),
    "ofx/ofxgo__wellsfargo.qfx": (1, "-12.34"),
    "ofx/ofxparse__ofx-v102-empty-tags.ofx": (1, "12.34"),
    "ofx/asgrim__ofxdata-selfclose.ofx": (5, "585.00"),
}
# Refused on purpose: amounts with digits beyond the fen, and an OFX error response.
REFUSED = {"ofx/ofxgo__moneymrkt1_v203.ofx": "sub-fen amounts", "ofx/ofxparse__error_message.ofx": "error response"}


def main() -> int:
    if not (CORPUS / "expected.json").exists():
        print(f"corpus not found at {CORPUS}")
        return 0
    rows, bad = [], 0
    for name, exp in sorted(expected().items()):
        data = (CORPUS / name).read_bytes()
        want = BY_STANDARD.get(name) or (exp["n_transactions"], exp["sum_amount"])
        try:
            sts = registry.read_bytes(data, ReadContext(file_name=Path(name).name, banks_dir=BANKS))
            n = sum(len(s.lines) for s in sts)
            total = Decimal(sum(ln.amount_fen for s in sts for ln in s.lines)) / 100
            got = f"{n} / {total}"
            if name in malformed() or name in REFUSED:
                verdict = "WRONG: should be refused"
            elif n == want[0] and Decimal(str(want[1])) == total:
                verdict = "read right" + (" (standard, peer wrong)" if name in BY_STANDARD else "")
            else:
                verdict = "WRONG"
        except ParseError as exc:
            got = "refused: " + exc.render().replace("|", "/")[:90]
            verdict = ("refused (MALFORMED)" if name in malformed() else
                       f"refused ({REFUSED[name]})" if name in REFUSED else "WRONG: refused")
        except Exception as exc:  # the table must show any traceback-class failure, not die on it
            got, verdict = f"{type(exc).__name__}: {exc}"[:90], "WRONG: exception"
        bad += verdict.startswith("WRONG")
        shown = "MALFORMED" if name in malformed() else f"{want[0]} / {want[1]}"
        rows.append(f"| {name} | {shown} | {got} | {verdict} |")
    print("| file | expected n / Σ | got n / Σ | verdict |\n|---|---|---|---|")
    print("\n".join(rows))
    print(f"\n{len(rows)} files, {len(rows) - bad} as the standard says, {bad} wrong")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
