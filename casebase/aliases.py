"""The alias table: one canonical name per party, person, model or court.

Users fix entity resolution by editing a plain TSV (alias, canonical, label,
owner), so the table, not code, decides that "X.AI Corp." is `xAI`. Lookups
are forgiving the way people write names: case, possessives, abbreviation
dots, hyphen-or-space, a leading "the", honorifics and corporate suffixes
(Inc., LLC, L.P., Corp., Corporation, Ltd.) all fold before the table is
consulted. A row whose alias equals its canonical name defines the entity's
label and owner (the owner of a model: GPT-4o -> OpenAI).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

DEFAULT_PATH = Path(__file__).with_name("aliases.tsv")
COLUMNS = ("alias", "canonical", "label", "owner")
MODEL_LABELS = ("AI_MODEL", "PRODUCT")

_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "‐": "-", "‑": "-", "–": "-", "—": "-"})
_POSSESSIVE = re.compile(r"(?:(?<=\w)'s|(?<=s)')$", re.I)
_ABBREVIATIONS = {"corp", "bros", "assn", "dept", "univ", "govt", "supp", "blvd", "prof", "corps", "admin"}
_EDGE = re.compile(r"^[\s\"'(\[{,;:*•-]+|[\s\"'\]},;:*•!?-]+$")
_CLOSE = re.compile(r"\)+$")
_LEADING_THE = re.compile(r"^the\s+", re.I)
_HONORIFIC = re.compile(
    r"^(?:(?:the\s+)?(?:hon(?:ora|o)?ble|hon\.)\s+|mr\.?|mrs\.?|ms\.?|dr\.?|prof\.?|professor|"
    r"(?:chief\s+|district\s+|magistrate\s+)?judge|justice|senator|sen\.|attorney)\s+",
    re.I,
)
_SUFFIX = re.compile(
    r"(?:,?\s+(?:inc|incorporated|llc|l\.l\.c|l\.\s?p|lp|llp|l\.l\.p|corp|corporation|ltd|limited|plc|pbc|p\.c|gmbh)\.?)+$",
    re.I,
)
_MODEL_DATE = re.compile(r"[- ](?:\d{4}-\d{2}-\d{2}|\d{8}|\d{4})$")
_ABBREV_DOT = re.compile(r"(?<=[a-z])\.")


@dataclass
class Alias:
    """One row of the table."""

    alias: str
    canonical: str
    label: str = ""
    owner: str = ""


@dataclass
class Aliases:
    """The table, indexed by folded alias."""

    rows: list[Alias] = field(default_factory=list)
    index: dict[str, Alias] = field(default_factory=dict)
    entities: dict[str, Alias] = field(default_factory=dict)  # canonical -> defining row
    resolved: dict[str, Alias | None] = field(default_factory=dict, repr=False)  # memo for resolve()

    def add(self, row: Alias) -> None:
        self.resolved.clear()
        self.rows.append(row)
        self.index[key(row.alias)] = row
        # Also under its folded form, so "Acme Widgets" finds a row written "Acme Widgets LLC".
        self.index.setdefault(key(fold_suffix(strip_honorific(clean(row.alias)))), row)
        if key(row.alias) == key(row.canonical) or row.canonical not in self.entities:
            self.entities[row.canonical] = row

    def lookup(self, name: str) -> Alias | None:
        return self.index.get(key(name))

    def label(self, canonical_name: str) -> str:
        row = self.entities.get(canonical_name)
        return row.label if row else ""


@lru_cache(maxsize=1 << 16)
def clean(name: str) -> str:
    """The surface name without edge punctuation, possessive or leading "the"."""
    s = " ".join(name.translate(_QUOTES).split())
    for _ in range(3):
        before = s
        s = _EDGE.sub("", s)
        if s.endswith(")") and s.count(")") > s.count("("):
            s = _CLOSE.sub("", s)  # keep the bracket of "§ 1962(a)", drop a stray one
        s = _POSSESSIVE.sub("", s)
        s = _strip_final_dot(s)
        s = _LEADING_THE.sub("", s)
        if s == before:
            break
    return s


def _strip_final_dot(s: str) -> str:
    """Drop a sentence-final period, not the one that ends "Corp." or "U.S."."""
    if not s.endswith(".") or s.endswith(".."):
        return s
    last = s.split()[-1]
    if last.count(".") == 1 and len(last) >= 5 and last[:-1].lower() not in _ABBREVIATIONS:
        return s[:-1]
    return s


@lru_cache(maxsize=1 << 16)
def key(name: str) -> str:
    """Fold a name for lookup: case, quotes, dots in abbreviations, hyphens."""
    s = clean(name).lower()
    s = _ABBREV_DOT.sub("", s)
    s = re.sub(r"[-_/]+", " ", s).replace(",", " ")
    return " ".join(s.split())


def strip_honorific(name: str) -> str:
    return _HONORIFIC.sub("", name, count=1)


def fold_suffix(name: str) -> str:
    """Drop corporate-form suffixes: "OpenAI, Inc." -> "OpenAI"."""
    folded = _SUFFIX.sub("", name).rstrip(" ,")
    return folded or name


def _variants(name: str):
    """Successively looser forms of a name, most specific first."""
    s = clean(name)
    yield s
    h = strip_honorific(s)
    yield h
    f = fold_suffix(h)
    yield f
    d = _MODEL_DATE.sub("", f)
    yield d


def resolve(name: str, aliases: Aliases) -> Alias | None:
    """The table row a name folds onto, or None."""
    if name in aliases.resolved:
        return aliases.resolved[name]
    found = None
    for v in _variants(name):
        found = aliases.lookup(v)
        if found is not None:
            break
    aliases.resolved[name] = found
    return found


def canonical(name: str, aliases: Aliases) -> str:
    """The canonical name for `name`; an unknown name is returned cleaned and folded."""
    row = resolve(name, aliases)
    if row is not None:
        return row.canonical
    *_, folded, _dated = _variants(name)
    return folded


def owner(name: str, aliases: Aliases) -> str | None:
    """Who owns a model or product: from the table, else from the longest known
    model name it starts with ("GPT-4T" -> "GPT-4" -> OpenAI, "Grok 5" -> xAI)."""
    row = resolve(name, aliases)
    if row is not None:
        entity = aliases.entities.get(row.canonical, row)
        return entity.owner or row.owner or None
    k = key(canonical(name, aliases))
    best: Alias | None = None
    best_len = 0
    for alias_key, r in aliases.index.items():
        entity = aliases.entities.get(r.canonical, r)
        if entity.label not in MODEL_LABELS or not (entity.owner or r.owner):
            continue
        if len(alias_key) > best_len and len(alias_key) >= 2 and k.startswith(alias_key):
            best, best_len = entity, len(alias_key)
    return (best.owner or None) if best else None


def load_aliases(path: str | Path | None = None) -> Aliases:
    """Read a TSV alias table; blank lines and lines starting with # are skipped."""
    path = Path(path) if path is not None else DEFAULT_PATH
    table = Aliases()
    for raw in path.read_text(encoding="utf-8").splitlines():
        row = _parse_row(raw)
        if row is not None:
            table.add(row)
    return table


def _parse_row(raw: str) -> Alias | None:
    if not raw.strip() or raw.lstrip().startswith("#"):
        return None
    cells = [c.strip() for c in raw.split("\t")]
    if [c.lower() for c in cells[:2]] == ["alias", "canonical"]:
        return None  # header
    cells += [""] * (4 - len(cells))
    alias, canon, label, own = cells[:4]
    if not alias:
        return None
    return Alias(alias, canon or alias, label, own)


def _format_row(row: Alias) -> str:
    return "\t".join((row.alias, row.canonical, row.label, row.owner))


def _rewrite(path: Path, edit) -> None:
    """Apply `edit(row) -> row | None` to every data row, keeping comments and order."""
    out = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        row = _parse_row(raw)
        if row is None:
            out.append(raw)
            continue
        new = edit(row)
        if new is not None:
            out.append(_format_row(new))
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


def merge(path: str | Path, a: str, b: str) -> None:
    """Make `b` (and everything that was an alias of it) an alias of `a`.

    Models owned by `b` become owned by `a`. Writes the file in place.
    """
    path = Path(path)
    table = load_aliases(path)
    target = canonical(a, table)
    source = canonical(b, table)
    if key(target) == key(source):
        raise ValueError(f"'{b}' is already an alias of '{target}'")
    target_row = table.entities.get(target)
    label = target_row.label if target_row else (table.label(source) or "")

    def edit(row: Alias) -> Alias:
        if row.canonical == source:
            row = Alias(row.alias, target, label or row.label, row.owner)
        if row.owner == source:
            row = Alias(row.alias, row.canonical, row.label, target)
        return row

    _rewrite(path, edit)
    added = []
    if target_row is None and table.lookup(target) is None:
        added.append(Alias(target, target, label))
    if table.lookup(b) is None:
        added.append(Alias(clean(b), target, label))
    if added:
        with open(path, "a", encoding="utf-8") as f:
            for row in added:
                f.write(_format_row(row) + "\n")


def split(path: str | Path, alias: str) -> None:
    """Let `alias` stand alone: it becomes its own canonical name.

    A row `alias -> alias` is written (not merely deleted) so that suffix or
    possessive folding cannot pull it back onto the old entity.
    """
    path = Path(path)
    table = load_aliases(path)
    row = resolve(alias, table)
    name = clean(alias)
    if row is None or key(row.canonical) == key(name):
        raise ValueError(f"'{alias}' is not an alias of another entity")
    entity = table.entities.get(row.canonical, row)
    k = key(name)
    found = False

    def edit(r: Alias) -> Alias:
        nonlocal found
        if key(r.alias) == k:
            found = True
            return Alias(r.alias, name, r.label or entity.label, r.owner or entity.owner)
        return r

    _rewrite(path, edit)
    if not found:
        with open(path, "a", encoding="utf-8") as f:
            f.write(_format_row(Alias(name, name, entity.label, entity.owner)) + "\n")
