"""The docs tree for a site engine that runs no hooks (Zensical): the same plan, as files.

Each docs page gets its markers filled in and every generated file is added, so the engine
builds the same pages the MkDocs hook makes (docs/site.md, "Other engines"). The HTML goes in
as raw HTML blocks that Python-Markdown passes through untouched (see ``as_block``).
"""

from __future__ import annotations

import functools
import re
import shutil
from collections.abc import Callable, Mapping
from pathlib import Path

from portplan.site.markers import drop_unbuilt, find_markers, replace_markers
from portplan.site.parts import PageParts, Part, PartKind
from portplan.site.plan import Site, generated_files, marker_parts
from portplan.site.shadowed import Shadows
from portplan.site.source import SiteError

# A line of an HTML part that starts with anything but a tag could be read by a Markdown
# preprocessor that runs before raw HTML is set aside (fenced code, snippets): registry text
# with a newline then "```" would become code. A newline in text is the same as "&#10;".
_LOOSE_NEWLINE = re.compile(r"\n(?!<)")


def as_block(html: str) -> str:
    """``html`` as a raw HTML block: every line starts with a tag; the DOM is unchanged.

    >>> as_block('<p title="a\\nb">x\\n```\\ny</p>\\n<p>z</p>')
    '<p title="a&#10;b">x&#10;```&#10;y</p>\\n<p>z</p>'
    """
    return _LOOSE_NEWLINE.sub("&#10;", html.strip("\n"))


def page_markdown(parts: PageParts) -> str:
    """A generated page as one Markdown text, each HTML part a raw HTML block."""
    return PageParts.of([p if p.kind is PartKind.MARKDOWN else Part(p.kind, as_block(p.text))
                         for p in parts.parts], title=parts.title).markdown()


def fill_markers(site: Site, src: str, markdown: str) -> tuple[str, list[str]]:
    """A docs page with its markers replaced by their HTML; the names of unknown markers."""
    markdown = drop_unbuilt(markdown)
    if "portplan:" not in markdown:
        return markdown, []
    used = find_markers(markdown)
    known = marker_parts(site, site.link_base(src), used)
    unknown = [name for name in used if name not in known]
    filled = replace_markers(markdown, {name: functools.partial(_block, make)
                                        for name, make in known.items()})
    return filled, unknown


def _block(make: Callable[[], Part]) -> str:
    return as_block(make().text)


def staged_docs(site: Site, docs: Mapping[str, Path], plan: Path | None = None
                ) -> tuple[dict[str, str | Path], list[str], list[str]]:
    """Every file of the staged docs (text, or a file to copy) by path; warnings and notes
    to show.

    ``docs`` are the user's docs files by path; ``plan`` is the Markdown plan the registry was
    imported from. A docs file where portplan generates one is a SiteError, as in the MkDocs
    build; so is one with a generated page's URL, but for the plan, which is left out.
    """
    out: dict[str, str | Path] = {}
    warnings: list[str] = []
    notes: list[str] = []
    shadows = Shadows.of(docs, plan, directory_urls=site.settings.directory_urls)
    table_pages = []
    for src, path in sorted(docs.items()):
        if not src.endswith(".md"):
            out[src] = path
            continue
        text, unknown = fill_markers(site, src, path.read_text("utf-8"))
        known = ", ".join(marker_parts(site, ""))
        warnings += [f"{src}: unknown marker <!-- portplan:{name} -->; known: {known}"
                     for name in unknown]
        if "table" in find_markers(drop_unbuilt(path.read_text("utf-8"))):
            table_pages.append(src)
        out[src] = text
    for generated in generated_files(site):
        if generated.src in docs:
            raise SiteError(f"docs/{generated.src} exists, but portplan generates that file; "
                            "remove it")
        if (left_out := shadows.left_out(generated.src)) is not None:
            del out[left_out]
            notes.append(Shadows.message(left_out, generated.src))
        content = generated.content
        out[generated.src] = page_markdown(content) if isinstance(content, PageParts) \
            else content
    if not table_pages:
        warnings.append("no docs page contains <!-- portplan:table -->, so the port table is "
                        "not shown; add the marker to docs/index.md")
    return out, warnings, notes


def write_tree(root: Path, files: Mapping[str, str | Path]) -> int:
    """Make ``root`` hold exactly ``files``, writing only what changed; the number written.

    An engine's live server then rebuilds only for real changes.
    """
    written = 0
    for src, content in files.items():
        target = root / src
        data = content.read_bytes() if isinstance(content, Path) else content.encode("utf-8")
        if target.is_file() and target.read_bytes() == data:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        written += 1
    wanted = {root / src for src in files}
    for path in sorted(root.rglob("*"), reverse=True):  # files before their folders
        if path.is_file() and path not in wanted:
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    return written


def docs_files(docs_dir: Path) -> dict[str, Path]:
    """The files of a docs folder by their path inside it (``/`` separated)."""
    return {p.relative_to(docs_dir).as_posix(): p for p in sorted(docs_dir.rglob("*"))
            if p.is_file()}


def clear(root: Path) -> None:
    shutil.rmtree(root, ignore_errors=True)
