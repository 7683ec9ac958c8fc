"""The maps a newcomer reads must hold: every path and module `ARCHITECTURE.md` names exists, and
the project's documents and code point to its own specification (`docs/DOMAIN.md`), never to a
file outside the repository."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("reconcile", "parsers", "store", "simulate", "jobs", "web", "tests", "bench")
BACKTICKED = re.compile(r"`([^`\n]+)`")
MODULE = re.compile(r"[a-z_]+(\.[a-z_]+)+")


def named_paths(text: str) -> list[str]:
    """Backticked tokens that name a file, folder or module of the project: they contain a slash,
    end in a file suffix, or are a dotted module of one of the packages. A placeholder (`<kind>`)
    ends the path: its folder must exist."""
    out = []
    for token in BACKTICKED.findall(text):
        if " " in token or token.startswith(("-", "[")):
            continue
        path = token.split("<", 1)[0]
        if "/" in path or re.search(r"\.(py|md|toml|csv|json)$", path):
            out.append(path)
        elif MODULE.fullmatch(token) and token.split(".")[0] in PACKAGES:
            out.append(token)
    return out


def exists(name: str) -> bool:
    if "/" not in name and MODULE.fullmatch(name) and not name.endswith((".py", ".md", ".toml")):
        base = ROOT.joinpath(*name.split("."))
        return base.with_suffix(".py").exists() or (base / "__init__.py").exists()
    if name in ("archive/", "rejected/", "inbox/"):  # the deployment's folders, made at run time
        return True
    return (ROOT / name).exists()


def test_every_path_architecture_md_names_exists() -> None:
    names = named_paths((ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8"))
    assert len(names) > 60  # the map names the modules on the way, not a handful
    missing = sorted({n for n in names if not exists(n)})
    assert missing == [], f"ARCHITECTURE.md names paths that do not exist: {missing}"


def test_every_path_and_worked_case_docs_domain_md_names_exists() -> None:
    names = named_paths((ROOT / "docs" / "DOMAIN.md").read_text(encoding="utf-8"))
    assert sum(n.startswith("tests/examples/") for n in names) > 5  # the worked figures' cases
    assert sorted({n for n in names if not exists(n)}) == []


def test_the_path_check_sees_a_missing_path() -> None:
    assert named_paths("see `reconcile/nothing_here.py` and `jobs.report` and `recon run`") == [
        "reconcile/nothing_here.py", "jobs.report"]
    assert named_paths("`tests/examples/<case>/case.toml`") == ["tests/examples/"]
    assert not exists("reconcile/nothing_here.py") and not exists("jobs.nothing") and exists("jobs.report")


def _project_texts() -> list[Path]:
    files = [ROOT / "README.md", ROOT / "ARCHITECTURE.md", ROOT / "RELIABILITY.md", *ROOT.glob("docs/*.md"),
             *ROOT.glob("mappings/**/*.toml"), *ROOT.glob("mappings/**/*.md"), *ROOT.glob("tests/examples/*/case.toml")]
    for pkg in PACKAGES:
        files += (ROOT / pkg).rglob("*.py")
    return [f for f in files if f.is_file()]


def test_no_document_or_comment_points_to_a_specification_outside_the_repository() -> None:
    outside = re.compile(r"\.\./shared/(DOMAIN|ARCHITECTURE)|shared/DOMAIN\.md")
    me = Path(__file__).resolve()
    hits = [f"{f.relative_to(ROOT)}:{i}" for f in _project_texts() if f.resolve() != me
            for i, line in enumerate(f.read_text(encoding="utf-8").splitlines(), 1) if outside.search(line)]
    assert hits == []


def cited_sections(text: str, headings: list[str]) -> list[str]:
    """The sections named after each `docs/DOMAIN.md` in a text ("docs/DOMAIN.md, Routes, Legs",
    "docs/DOMAIN.md (*Settlement, precisely*)", 'docs/DOMAIN.md "Lots"'); a name that is not a
    heading is returned as the text that follows, so the test can show it."""
    out = []
    for m in re.finditer(r"docs/DOMAIN\.md", text):
        tail = re.sub(r"\s*\n\s*(#\s*)?", " ", text[m.end():m.end() + 120])  # a comment wrapped over lines
        tail = re.sub(r"^[`,:(\s\"*]*(section\s+)?[*\"]?", "", tail)
        while tail[:1].isupper():
            h = next((h for h in headings if tail.lower().startswith(h)), None)
            if h is None:
                out.append(tail[:40])
                break
            out.append(h)
            nxt = re.match(r"[*\"]?\s*(,|/)\s*", tail[len(h):])
            tail = tail[len(h) + nxt.end():] if nxt else ""
    return out


def domain_headings() -> list[str]:
    text = (ROOT / "docs" / "DOMAIN.md").read_text(encoding="utf-8")
    found = {h.strip().lower() for h in re.findall(r"^#+ (.+)$", text, re.M)}
    found |= {re.sub(r"\s*\(.*\)$", "", h) for h in found}  # "book against bank (银行存款余额调节表)"
    return sorted(found, key=len, reverse=True)  # longest first: "settlement, precisely" before a prefix


def test_the_section_reader_reads_the_ways_the_code_cites_a_section() -> None:
    hs = ["settlement, precisely", "routes", "legs", "lots"]
    assert cited_sections("(docs/DOMAIN.md: Routes, Legs; docs/RULES.md)", hs) == ["routes", "legs"]
    assert cited_sections('as docs/DOMAIN.md ("Lots") ages them', hs) == ["lots"]
    assert cited_sections("`docs/DOMAIN.md` (section *Settlement, precisely*) is", hs) == ["settlement, precisely"]
    assert cited_sections("docs/DOMAIN.md's rule; docs/DOMAIN.md and more", hs) == []
    assert cited_sections("docs/DOMAIN.md, Legs / Nowhere: x", hs) == ["legs", "Nowhere: x"]
    assert cited_sections("# (docs/DOMAIN.md: Legs /\n# Lots)", hs) == ["legs", "lots"]


def test_code_and_data_cite_the_specification_by_its_path_in_the_repository() -> None:
    """A comment says `docs/DOMAIN.md, Lots`, not `DOMAIN, Lots`: a newcomer can open the former."""
    bare = re.compile(r"(?<![\w/])DOMAIN(?![\w.])")
    me = Path(__file__).resolve()
    hits = [f"{f.relative_to(ROOT)}:{i}" for f in _project_texts() if f.suffix in (".py", ".toml") and f.resolve() != me
            for i, line in enumerate(f.read_text(encoding="utf-8").splitlines(), 1) if bare.search(line)]
    assert hits == []


def test_every_section_of_docs_domain_md_that_the_project_cites_exists() -> None:
    headings = domain_headings()
    me = Path(__file__).resolve()
    cited = [(str(f.relative_to(ROOT)), c) for f in _project_texts() if f.name != "DOMAIN.md" and f.resolve() != me
             for c in cited_sections(f.read_text(encoding="utf-8"), headings)]
    assert len(cited) > 20
    missing = sorted((f, c) for f, c in cited if c not in headings)
    assert missing == [], f"sections cited but not headings of docs/DOMAIN.md: {missing}"
