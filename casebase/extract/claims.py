"""Claims about model use: who says that which party used whose model, how.

A claim is one source, in one place, putting forward one proposition
("xAI distilled OpenAI's models"): the same proposition asserted in a
complaint, denied in an answer and reported by a newspaper is three claims
joined on the proposition (see ../shared/gold/CLAIMS.md).

Two layers:

- the spaCy component ``casebase_claims`` reads one parsed text: it finds
  relation cues (its own lexicons), takes subject and object from the
  entities (``doc.ents``; ``Span._.canonical`` and ``Span._.owner`` where the
  pipeline sets them) and the dependency tree, the attribution from reporting
  frames, and negation and hedges. It sets ``Doc._.claims`` (plain dicts with
  offsets into the doc, no document provenance); a claim in the document's
  own voice has ``asserted_by`` None. Propositions asked about in questions go
  to ``Doc._.claim_questions`` (a transcript's answer makes them claims), and
  who sued whom to ``Doc._.claim_suits`` (the party "the complaint" stands for).
- ``extract_claims`` turns those records into `Claim`s of one `Document`:
  page and printed lines, the document's own voice (the filing party, the
  court, the article's author, the transcript's speaker), answers to
  questions in transcripts, and responses in an answer to a complaint.

Everything is rules over one parse: linear in the text, no re-parsing.
"""

from __future__ import annotations

import bisect
import hashlib
import re
from dataclasses import asdict, dataclass, field
from typing import Any, Iterable, Sequence

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from .. import aliases as _aliases
from ..records import Document

RELATIONS = ("distilled_from", "trained_on_outputs_of", "used_model", "accessed_api",
             "licensed", "misappropriated", "violated_terms")
POSTURES = ("alleged", "testified", "admitted", "denied", "found", "reported", "stated")


# --------------------------------------------------------------------------
# the record


@dataclass
class Claim:
    """One source, in one place, putting forward one proposition."""

    doc: str
    quote: str
    subject: str
    relation: str
    object: str
    student_model: str | None = None
    asserted_by: str = "author"
    posture: str = "reported"
    polarity: str = "affirmed"
    hedged: bool = False
    page: int | None = None
    line_start: int | None = None
    line_end: int | None = None
    page_end: int | None = None  # where the quote runs onto the next page
    char_start: int = 0
    char_end: int = 0
    id: str = ""
    cue: str = ""

    def __post_init__(self) -> None:
        if not self.id:
            self.id = claim_id(self)

    @property
    def proposition(self) -> str:
        """The key that joins claims of the same proposition across sources."""
        return f"{self.subject}|{self.relation}|{self.object}"

    def to_dict(self) -> dict[str, Any]:
        record = asdict(self)
        record["proposition"] = self.proposition
        return record


def claim_id(claim: Claim) -> str:
    """Stable across runs: the document, the span, who says what about whom."""
    key = "\x1f".join(str(x) for x in (
        claim.doc, claim.char_start, claim.char_end, claim.subject, claim.relation,
        claim.object, claim.asserted_by, claim.polarity))
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def group_propositions(claims: Iterable[Claim], canonical: Any = None) -> dict[str, list[Claim]]:
    """Claims by proposition: same subject, relation and object after alias mapping.

    `canonical` maps a name to its canonical form; by default the project's
    alias table (casebase/aliases.tsv) does, so "X.AI Corp." joins "xAI".
    """
    if canonical is None:
        table = _alias_table()
        canonical = (lambda name: _aliases.canonical(name, table)) if table is not None else None

    def norm(name: str | None) -> str:
        name = re.sub(r"[’']s\b", "", name or "").strip()
        return canonical(name) if canonical else name

    groups: dict[str, list[Claim]] = {}
    folded: dict[str, str] = {}
    for claim in claims:
        key = f"{norm(claim.subject)}|{claim.relation}|{norm(claim.object)}"
        key = folded.setdefault(key.lower(), key)
        groups.setdefault(key, []).append(claim)
    return groups


# --------------------------------------------------------------------------
# lexicons: the cue words of each relation and of attribution


DISTILL = {"distill", "distil"}
DISTILL_NOUNS = {"distillation"}
TRAIN = {"train", "pretrain", "finetune", "fine-tune", "retrain", "tune"}
USE = {"use", "utilize", "utilise", "employ", "leverage", "deploy", "integrate", "query",
       "rely", "build", "sell", "resell", "host", "distribute"}
ACCESS = {"access"}
EXTRACT = {"extract", "scrape", "harvest", "exfiltrate", "pull", "collect"}
EXTRACT_NOUNS = {"extraction", "scraping", "harvesting"}
LICENSE = {"license", "licence", "sublicense"}
LICENSEE = {"licensee", "sublicensee"}
MISAPPROPRIATE = {"misappropriate", "steal", "pilfer", "purloin", "plagiarize"}
MISAPPROPRIATE_NOUNS = {"misappropriation", "theft", "stealing"}
COPY = {"copy", "misuse", "clone", "replicate", "upload", "download", "take", "move",
        "transfer", "exfiltrate", "share", "disclose", "airdrop", "siphon", "divert"}
CODEISH = {"code", "codebase", "secret", "weight", "repository", "repo", "technology",
           "file", "information", "ip", "property", "model", "data", "document"}
CODE_NEEDS_MOD = {"information", "data", "file", "document", "property", "technology", "model"}
SECRET_MODS = {"confidential", "proprietary", "trade", "source", "secret", "intellectual",
               "internal", "sensitive", "entire"}
VIOLATE = {"violate", "breach", "break", "contravene", "infringe"}
VIOLATE_NOUNS = {"violation", "breach", "infringement"}
TERMS = {"term", "tos", "policy", "policies", "eula", "license", "licence"}
TRAIN_PURPOSE = TRAIN | DISTILL | {"build", "develop", "create", "improve", "bootstrap"}
API_WORDS = {"api", "apis", "endpoint", "account", "accounts", "interface"}

# Reporting frames: lemma -> posture.
FRAME_VERBS = {
    "allege": "alleged", "accuse": "alleged", "claim": "alleged", "contend": "alleged",
    "argue": "alleged", "assert": "alleged", "charge": "alleged", "say": "alleged",
    "call": "alleged", "complain": "alleged", "insist": "alleged", "maintain": "alleged",
    "suggest": "alleged", "seek": "alleged", "ask": "alleged", "believe": "alleged",
    "suspect": "alleged", "aver": "stated", "warn": "alleged", "tell": "stated",
    "testify": "testified", "admit": "admitted", "acknowledge": "admitted",
    "concede": "admitted", "confess": "admitted", "deny": "denied", "dispute": "denied",
    "find": "found", "conclude": "found", "hold": "found", "determine": "found",
    "rule": "found", "report": "reported", "state": "stated", "explain": "stated",
    "write": "stated", "note": "stated", "describe": "stated", "confirm": "stated",
    "announce": "stated", "disclose": "stated",
}
# Frames that take a clause; these need a clausal link to count (``find`` a
# thing is not a finding that).
CLAUSAL_ONLY = {"find", "hold", "determine", "rule", "note", "state", "write", "explain",
                "describe", "confirm", "seek", "ask", "tell", "announce", "disclose",
                "believe", "suspect", "warn", "maintain", "report"}
# Verb forms the tagger sometimes reads as nouns in pleading prose.
MISTAGGED_FRAMES = {"allege": "alleged", "alleges": "alleged", "contend": "alleged",
                    "contends": "alleged", "aver": "stated", "avers": "stated",
                    "testified": "testified", "testifies": "testified", "deny": "denied",
                    "denies": "denied", "admit": "admitted", "admits": "admitted"}
FRAME_NOUNS = {
    "report": "reported", "claim": "alleged", "allegation": "alleged",
    "accusation": "alleged", "evidence": "alleged", "assertion": "alleged",
    "statement": "stated", "testimony": "testified", "finding": "found",
    "admission": "admitted", "confession": "admitted", "denial": "denied",
    "suspicion": "alleged", "speculation": "alleged", "charge": "alleged",
    "contention": "alleged", "view": "stated", "complaint": "alleged",
}
HEDGE_WORDS = {"allegedly", "reportedly", "possibly", "apparently", "purportedly",
               "supposedly", "likely", "probably", "perhaps", "seemingly", "ostensibly",
               "partly", "partially"}
HEDGE_MODALS = {"may", "might", "could"}
HEDGE_VERBS = {"believe", "suspect", "appear", "seem", "speculate", "suggest"}
HEDGE_ADJ = {"alleged", "suspected", "possible", "apparent", "purported", "likely",
             "reported", "rumored", "potential"}
HEDGE_FRAME_NOUNS = {"claim", "suspicion", "speculation", "allegation", "accusation"}
SUPPRESS_NOUNS = {"allegation", "evidence", "indication", "claim", "suggestion", "showing",
                  "proof", "sign"}
ROLE_WORDS = {
    "plaintiff": "plaintiffs", "plaintiffs": "plaintiffs", "defendant": "defendants",
    "defendants": "defendants", "court": "court", "judge": "court",
    "complaint": "complaint", "suit": "complaint", "lawsuit": "complaint",
    "filing": "complaint", "fac": "complaint", "petition": "complaint",
    "counterclaim": "complaint", "counterclaims": "complaint",
}
PRESS_WORDS = {"report", "article", "story", "newspaper", "outlet"}
AGENT_NOUN_LINKS = {"link", "associate", "affiliate", "tie", "connect", "employ", "base"}
OBJECT_NOUN_LINKS = {"generate", "produce", "own", "develop", "make", "create", "power",
                     "base", "derive"}
ENT_LABELS = {"ORG", "PERSON", "AI_MODEL", "PRODUCT", "GPE", "NORP", "WORK_OF_ART"}
NOT_NAMES = {"api", "apis", "ai", "agi", "fac", "llc", "inc", "the court", "court", "ceo",
             "cto", "pbc", "ip", "q", "a", "board", "the board", "id", "gpu", "x"}
PRONOUNS = {"it", "its", "itself", "they", "their", "them", "theirs", "he", "his", "him",
            "she", "her"}
SELF_PRONOUNS = {"we", "our", "us", "i", "my", "me"}
GENERIC_SUBJECTS = {"company", "companies", "lab", "labs", "developer", "developers",
                    "user", "users", "anyone", "someone", "people", "firm", "firms",
                    "competitor", "competitors", "startup", "startups", "one", "others",
                    "hundred", "hundreds", "thousand", "thousands", "million", "millions",
                    "customer", "customers", "researcher", "researchers", "everyone"}
QUESTION_AUX = {"do", "does", "did", "is", "are", "was", "were", "have", "has", "had",
                "can", "could", "will", "would", "should", "may", "might"}
HYPOTHETICAL_MARKS = {"if", "whether", "unless"}


# --------------------------------------------------------------------------
# the component


def _register_extensions() -> None:
    for name in ("claims", "claim_questions", "claim_suits"):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)


_register_extensions()


@Language.factory("casebase_claims", default_config={"memory_sentences": 6})
def make_claim_finder(nlp: Language, name: str, memory_sentences: int) -> "ClaimFinder":
    return ClaimFinder(name, memory_sentences=memory_sentences)


class ClaimFinder:
    """Finds claim sentences and reads who did what with whose model."""

    def __init__(self, name: str = "casebase_claims", memory_sentences: int = 6) -> None:
        self.name = name
        self.memory_sentences = memory_sentences

    def __call__(self, doc: Doc) -> Doc:
        _Reader(doc, self.memory_sentences).run()
        return doc


@dataclass
class _Args:
    subject: Span | str | None = None
    object: Span | str | None = None
    student: Span | None = None
    extra: list[tuple[str, Any]] = field(default_factory=list)  # (relation, object)
    use_char: int | None = None  # the "use" a training claim was read through


class _Reader:
    """One pass over one Doc."""

    def __init__(self, doc: Doc, memory_sentences: int) -> None:
        self.doc = doc
        self.memory_sentences = memory_sentences
        self.ent_of: dict[int, Span] = {}
        self.ents = list(doc.ents)  # Doc.ents builds its spans anew on every read: read it once
        self.ent_starts = [e.start for e in self.ents]
        for ent in self.ents:
            if ent.label_ in ENT_LABELS and _plain(ent.text).lower() not in NOT_NAMES:
                for i in range(ent.start, ent.end):
                    self.ent_of[i] = ent
        self.claims: list[dict[str, Any]] = []
        self.questions: list[dict[str, Any]] = []
        self.suits: list[dict[str, Any]] = []
        self.memory: list[tuple[int, dict[str, Any]]] = []  # (sentence index, claim)
        self.last_subject: Span | None = None
        self.last_frame: tuple[str | None, str] | None = None
        self.colon_frame: tuple[str | None, str, int] | None = None  # asserter, posture, sent
        self.sent_index = 0
        self.current: list[dict[str, Any]] = []
        self.recent_models: list[tuple[int, Span]] = []
        self.salient = self._salient_orgs()

    def _sent_ents(self, sent: Span) -> list[Span]:
        lo = bisect.bisect_left(self.ent_starts, sent.start)
        hi = bisect.bisect_left(self.ent_starts, sent.end)
        return self.ents[lo:hi]

    # ---- driver

    def run(self) -> None:
        doc = self.doc
        for index, sent in enumerate(doc.sents):
            self.sent_index = index
            self._sentence(sent)
        doc._.claims = self.claims
        doc._.claim_questions = self.questions
        doc._.claim_suits = self.suits

    def _sentence(self, sent: Span) -> None:
        text = sent.text.strip()
        if _boundary(text):
            self.colon_frame = None
        question = _is_question(sent)
        found: list[dict[str, Any]] = []
        self.current = found
        frame_seen: tuple[str | None, str] | None = None
        for tok in sent:
            for relation, kind in _cues(tok):
                found.extend(self._read(tok, relation, kind, sent, question))
        for tok in sent:
            if tok.lemma_.lower() in {"sue", "countersue"} or (
                    tok.lemma_.lower() in {"file", "bring", "drag"} and tok.pos_ == "VERB"):
                who = self._agent_entity(tok)
                if who is not None:
                    self.suits.append({"start_char": tok.idx, "plaintiff": self._name(who)})
        trained_via = {r.get("use_char") for r in found if r["relation"] == "trained_on_outputs_of"}
        found = [r for r in found if not (r["relation"] == "used_model" and r["cue_char"] in trained_via)]
        found = _dedupe(found)
        for record in found:
            if question:
                self.questions.append(record)
            else:
                self.claims.append(record)
                self.memory.append((self.sent_index, record))
        # remember for the next sentences: subject, frames, colon frames
        root = sent.root
        self.last_subject = self._subject_entity(root)
        self.recent_models.extend((self.sent_index, e) for e in self._sent_ents(sent)
                                  if e.start in self.ent_of and self._is_model(e))
        del self.recent_models[:-20]
        frame_seen = self._sentence_frame(sent)
        if frame_seen is not None:
            self.last_frame = frame_seen
        opener = _follows_colon(sent)
        framed = self._sentence_frame(self.doc[sent.start:opener]) if opener is not None else None
        if framed is not None:
            # "Plaintiffs allege in the FAC as follows:" speaks for what comes next
            self.colon_frame = (framed[0], framed[1], self.sent_index)
        elif self.colon_frame and self.sent_index - self.colon_frame[2] > 12:
            self.colon_frame = None

    # ---- one cue

    def _read(self, cue: Token, relation: str, kind: str, sent: Span,
              question: bool) -> list[dict[str, Any]]:
        path = _path(cue)
        if not question and kind == "verb" and _hypothetical(cue, path):
            return []
        frame = self._frame(cue, path, sent)
        if frame == "suppress":
            return []
        args = self._args(cue, relation, kind, sent)
        if args is None:
            return []
        inherited = False
        if args.subject is None and kind == "verb" and _stated_subject(cue):
            return []  # "Hundreds of millions use ChatGPT": a subject, but no party
        if args.subject is None or args.object is None:
            if not (frame or args.subject is not None or args.object is not None):
                return []  # no argument and nobody asserting it: a definition or a topic
            prior = self._recall(relation, args)
            if prior is not None:
                inherited = True
                if args.subject is None:
                    args.subject = prior["subject"]
                if args.object is None:
                    args.object = prior["object"]
        if args.object is None and relation in {"licensed", "accessed_api", "violated_terms"}:
            args.object = self._salient_other(args.subject)
        if args.subject is None:
            return []
        if relation == "licensed" and not isinstance(args.object, str) and args.object is not None \
                and args.object.label_ not in {"ORG", "AI_MODEL", "PRODUCT", "GPE"}:
            args.object = None  # officers grant licences on their company's behalf
        if args.object is None and relation == "licensed":
            args.object = self._other_org(sent, args.subject, cue)
        if args.object is None:
            if relation == "licensed":
                args.object = ""  # the licensor is left to the document's context
            else:
                return []
        subject, student = self._subject_name(args.subject, args.student)
        obj = self._name(args.object) if not isinstance(args.object, str) else args.object
        if not subject or obj is None or subject.lower() == obj.lower():
            return []
        polarity = "negated" if _negated(cue, path) else "affirmed"
        asserted_by, posture = (frame[0], frame[1]) if frame else (None, None)
        if posture == "denied":
            polarity = "affirmed" if polarity == "negated" else "negated"
        hedged = self._hedged(cue, path, sent, frame, args)
        start, end = _clause_extent(sent)
        records = []
        for rel, o in [(relation, obj)] + [(r, self._name(x) if not isinstance(x, str) else x)
                                           for r, x in args.extra]:
            if o is None or o.lower() == subject.lower() or (not o and rel != "licensed"):
                continue
            records.append({
                "start_char": start, "end_char": end, "quote": _plain(self.doc.text[start:end]),
                "subject": subject, "relation": rel, "object": o,
                "student_model": student, "asserted_by": asserted_by, "posture": posture,
                "polarity": polarity, "hedged": hedged, "cue": cue.text,
                "cue_char": cue.idx, "inherited": inherited, "use_char": args.use_char,
            })
        return records

    # ---- arguments

    def _args(self, cue: Token, relation: str, kind: str, sent: Span) -> _Args | None:
        lemma = cue.lemma_.lower()
        a = _Args()
        if kind == "teacher":
            user = cue.head.head  # teacher <- as <- use
            a.subject = self._agent_entity(user)
            a.object = self._np_entity(_child(user, "dobj"))
            a.student = self._purpose_model(user) or self._model_in(_prep_object(cue, {"for", "of"}))
            return a
        if kind == "gerund":
            return self._gerund_args(cue, a)
        if kind == "verb":
            return self._verb_args(cue, relation, lemma, a)
        return self._noun_args(cue, relation, lemma, a)

    def _gerund_args(self, cue: Token, a: _Args) -> _Args | None:
        """A list item the parser breaks ("b. Licensing and/or furnishing OpenAI's GPT-4 and
        related technology exclusively to Microsoft;"): read it left to right."""
        doc = self.doc
        i = cue.i + 1
        while i < cue.sent.end and doc[i].text not in {";", ".", ":"}:
            ent = self.ent_of.get(i)
            if ent is not None and a.object is None and self._is_model(ent):
                a.object = ent
            if doc[i].lower_ == "to" and (i + 1) in self.ent_of and self.ent_of[i + 1].label_ == "ORG":
                a.subject = self.ent_of[i + 1]
                break
            i += 1
        return a if a.subject is not None and a.object is not None else None

    def _verb_args(self, cue: Token, relation: str, lemma: str, a: _Args) -> _Args | None:
        dobj = _child(cue, "dobj")
        if relation == "trained_on_outputs_of":
            source = _prep_object(cue, {"on", "using", "with", "from"})
            head = cue.head
            if source is None and cue.dep_ in {"xcomp", "advcl"} and head.lemma_.lower() in ACQUIRE \
                    and _child(head, "dobj") is not None:
                # "pay to license Reddit's content to train ChatGPT"
                source = _child(head, "dobj")
                a.subject = self._agent_entity(head)
                a.student = self._model_in(dobj)
            if source is None:
                use = _use_before(cue)
                if use is not None:  # "use of their content to train GPT models", parsed apart
                    head = use
                    if use.pos_ in {"VERB", "AUX"}:  # "used ChatGPT outputs to fine-tune Grok"
                        a.use_char = use.idx
                        source = _child(use, "dobj")
                        a.subject = self._agent_entity(use)
                        a.student = self._right_entity(cue, models_only=True)
            if source is None and (cue.dep_ in {"xcomp", "advcl", "acl"} or head.i != cue.head.i) \
                    and head.lemma_.lower() in USE:
                # "used OpenAI's outputs to train Grok", "OpenAI's use of their content to train"
                if head.pos_ in {"NOUN", "PROPN"}:
                    source = _prep_object(head, {"of"})
                    a.subject = self._possessor(head)
                else:
                    source = _child(head, "dobj")
                    a.subject = self._agent_entity(head)
                a.student = self._model_in(dobj)
            if source is None:
                return None
            group = self._their(source, a.subject)
            if group:
                a.object = group[0]  # "their content": each of the outlets named before
                a.extra.extend((relation, g) for g in group[1:])
            else:
                a.object = self._np_entity(source)
            if a.subject is None:
                a.subject = self._agent_entity(cue)
            if a.student is None:
                a.student = self._model_in(dobj) or self._purpose_model(cue)
            if cue.dep_ in {"acl", "amod"} and cue.head.i in self.ent_of and self._is_model(self.ent_of[cue.head.i]):
                # "LLaMA fine-tuned on GPT-3 data": the head is the tuned model
                base = self.ent_of[cue.head.i]
                student, owner = self._appos_student(cue.head)
                described = _child(cue.head, "appos")
                if student is None and described is not None and described.i in self.ent_of \
                        and self._is_model(self.ent_of[described.i]) and self._is_model(base):
                    # "Alpaca (LLaMA fine-tuned on ...)" parsed onto the outer name
                    student, base = base, self.ent_of[described.i]
                    owner = self._possessor(cue.head) or self._owner_span(student)
                if student is not None:
                    a.student = student
                    a.extra.append(("used_model", base))
                    a.subject = owner
                else:
                    a.student = base
                    a.subject = self._owner_span(base)
            return a
        if relation == "distilled_from":
            src = _prep_object(cue, {"from", "of"}) or dobj
            a.object = self._np_entity(src) if src is not None else self._right_entity(cue)
            a.subject = self._agent_entity(cue) if cue.pos_ in {"VERB", "AUX"} else None
            if a.subject is None and not _stated_subject(cue):
                a.subject = self._left_subject(cue)
            a.student = self._purpose_model(cue) or self._model_in(_prep_object(cue, {"into"}))
            if cue.dep_ in {"acl", "amod"} and cue.head.i in self.ent_of and self._is_model(self.ent_of[cue.head.i]):
                a.student = self.ent_of[cue.head.i]  # "R1, distilled from ..."
                a.subject = self._owner_span(a.student)
            return a
        if relation == "used_model" and _passive(cue) and lemma in {"integrate", "use", "deploy",
                                                                   "host", "access"}:
            # "OpenAI's coding model was integrated in GitHub's AI tool",
            # "the OpenAI models are accessed through Microsoft services"
            where = _prep_object(cue, {"in", "into", "through", "via", "by"})
            model = self._model_subject(_child(cue, "nsubjpass"))
            user = self._np_entity(where, depth=2) if where is not None else None
            if user is not None and self._is_model(user):
                user = self._owner_span(user) or None
            if user is None or model is None:
                return None
            a.subject, a.object = user, model
            return a
        if relation == "accessed_api" and _passive(cue):
            return None
        if relation == "used_model":
            if any(c.lemma_.lower() in TRAIN_PURPOSE and c.dep_ in {"xcomp", "advcl"}
                   for c in cue.children):
                return None  # "used X to train Y" is read at "train"
            if any(t.lower_ == "teacher" for t in cue.subtree):
                return None  # "used GPT-4 as the teacher" is read at "teacher"
            target = dobj
            if lemma in {"rely", "build"}:
                target = _prep_object(cue, {"on", "upon"})
            elif lemma == "integrate" and target is None:
                target = _prep_object(cue, {"with", "into"})
            if target is None:
                return None
            if _head_lemma(target) in {"access"} and _has_api(target):
                ent = self._np_entity(target) or self._api_target(target)
                if ent is None:  # the model reached through that access, said before
                    recent = self.current + [r for _, r in self.memory[-8:]]
                    ent = next((r["object"] for r in reversed(recent)
                                if r["relation"] == "accessed_api"), None)
                a.object = ent
            elif _head_lemma(target) in API_WORDS:
                return None  # read at the API cue
            else:
                ent = self._np_entity(target) or self._model_subject(target)
                if ent is None or not (self._is_model(ent) or _head_lemma(target) == "model"):
                    return None
                a.object = ent
            a.subject = self._agent_entity(cue)
            return a
        if relation == "accessed_api":
            if lemma in ACCESS:
                if dobj is None:
                    return None
                if not (_has_api(dobj) or (dobj.i in self.ent_of and self._is_model(self.ent_of[dobj.i]))):
                    return None
                a.object = self._np_entity(dobj)
            else:  # extract ... via X's API
                via = _prep_object(cue, {"via", "through", "from", "using"})
                if via is None or not _has_api(via):
                    return None
                a.object = self._np_entity(via)
            a.subject = self._agent_entity(cue)
            return a
        if relation == "licensed":
            to = _prep_object(cue, {"to"})
            for other in ([] if to is not None else list(cue.conjuncts)):
                to = to or _prep_object(other, {"to"})  # "licensed and/or furnished to Microsoft"
            to = to or _to_after(cue)
            licensee = self._np_entity(to) if to is not None else None
            if licensee is not None and not self._is_model(licensee) and not _is_tech(to):
                a.subject = licensee
                a.object = (self._model_in_list(dobj) or self._agent_entity(cue)
                            or self._owner_of_np(dobj))
            else:
                # "OpenAI's decision to license content from Reddit": the licensee
                a.subject = self._agent_entity(cue) or self._head_possessor(cue)
                a.object = self._np_entity(dobj) if dobj is not None else None
            return a
        if relation == "misappropriated":
            if lemma in COPY:
                if dobj is None or not _codeish(dobj):
                    return None
            a.subject = self._agent_entity(cue)
            target = dobj if dobj is not None else _prep_object(cue, {"from"})
            a.object = self._np_entity(target) if target is not None else None
            if a.object is not None and self._is_model(a.object) and self._owner_span(a.object):
                pass
            return a
        if relation == "violated_terms":
            if dobj is None or not self._terms(dobj):
                return None
            a.subject = self._agent_entity(cue)
            a.object = self._terms_owner(dobj) or self._model_owner_near(cue)
            return a
        return None

    def _terms(self, tok: Token) -> bool:
        """Terms of service or use, a usage policy, a model licence: "OpenAI's terms",
        "commercial terms", "terms of use"; not the terms of a gift or a statute."""
        if tok.lemma_.lower() not in TERMS:
            return False
        of = _prep_object(tok, {"of"})
        if of is not None:
            return of.lemma_.lower() in {"service", "use", "usage", "access"}
        mods = {c.lower_ for c in tok.children if c.dep_ in {"amod", "compound", "nmod"}}
        if mods & {"usage", "use", "service", "commercial", "api", "developer", "acceptable", "user"}:
            return True
        owner = self._possessor(tok)
        return owner is not None and (self._is_model(owner) or self._name(owner) in _model_makers())

    def _terms_owner(self, tok: Token) -> Span | str | None:
        owner = self._possessor(tok)
        if owner is not None and self._is_model(owner):
            return self._owner_span(owner) or owner
        return owner

    def _noun_args(self, cue: Token, relation: str, lemma: str, a: _Args) -> _Args | None:
        poss = self._possessor(cue)
        head = cue.head
        # "X's granting Y a license", "Y obtained a license": the verb that governs it
        if relation == "licensed":
            of = _prep_object(cue, {"of"})
            to = _prep_object(cue, {"to"})
            if lemma in LICENSEE:
                a.object = poss or (self._np_entity(of) if of is not None else None)
                if cue.dep_ in {"attr", "appos"}:
                    a.subject = self._subject_entity(head) if cue.dep_ == "attr" else self._entity(head)
                return a
            if cue.dep_ in {"dobj", "nsubjpass"} and head.lemma_.lower() in {
                    "give", "grant", "award", "provide", "issue", "extend", "sell"}:
                a.subject = self._entity(_child(head, "dative")) or self._np_entity(
                    _prep_object(head, {"to"}))
                a.object = self._agent_entity(head) or (self._np_entity(to) if to is not None else None)
                return a
            if cue.dep_ in {"dobj", "pobj"} and head.lemma_.lower() in {
                    "have", "hold", "obtain", "secure", "get", "receive", "acquire", "enjoy",
                    "retain", "keep", "negotiate", "want", "seek"}:
                a.subject = self._agent_entity(head)
                a.object = self._np_entity(to) if to is not None else None
                return a
            if to is None:
                to = _to_after(cue)  # "excluded from its license to Microsoft" parsed apart
            to_ent = self._np_entity(to) if to is not None else None
            holder = poss or self._modifier_entity(cue)  # "the Microsoft license"
            if to_ent is not None and not self._is_model(to_ent) and not _is_tech(to):
                a.subject, a.object = to_ent, holder  # "OpenAI's license to Microsoft"
            else:
                a.subject, a.object = holder, to_ent
            if a.subject is None:
                return None  # a licence with no holder: no claim
            return a
        if relation == "accessed_api":
            if lemma in EXTRACT_NOUNS:
                a.subject = poss or self._modifier_entity(cue) or self._np_entity(_prep_object(cue, {"by"}))
                via = _prep_object(cue, {"via", "through", "from", "of"})
                a.object = self._np_entity(via) if via is not None and _has_api(via) else None
                return a
            # "X's API access to Claude"
            a.subject = poss or self._governing_agent(cue)
            to = _prep_object(cue, {"to"})
            a.object = self._np_entity(to) if to is not None else None
            return a
        if relation == "used_model":
            # "Apple's exclusive ChatGPT integration", "integration of ChatGPT"
            model = self._modifier_entity(cue, models_only=True) or self._np_entity(
                _prep_object(cue, {"of", "with"}))
            if model is None or not self._is_model(model):
                return None
            a.subject = poss if poss != model else None
            a.object = model
            return a
        if relation in {"distilled_from", "misappropriated"}:
            a.subject = poss or self._np_entity(_prep_object(cue, {"by"})) or self._governing_agent(cue)
            src = _prep_object(cue, {"of", "from"})
            a.object = self._np_entity(src) if src is not None else None
            return a
        if relation == "violated_terms":
            of = _prep_object(cue, {"of"})
            if of is None:
                return a  # "called it a direct violation": only what was said before can fill it
            if not self._terms(of):
                return None  # a violation of a statute or a gift is not a breach of terms
            a.subject = self._governing_agent(cue) or poss
            a.object = self._terms_owner(of) or self._model_owner_near(cue)
            return a
        return None

    # ---- entity helpers

    def _entity(self, tok: Token | None) -> Span | None:
        if tok is None:
            return None
        if tok.i in self.ent_of:
            return self.ent_of[tok.i]
        if tok.lower_ in PRONOUNS:
            return self._resolve_pronoun(tok)
        return None

    def _np_entity(self, tok: Token | None, depth: int = 3) -> Span | None:
        """The most specific named party or model inside a noun phrase."""
        if tok is None:
            return None
        found = self._entity(tok)
        if found is not None:
            return found
        frontier = [tok]
        for _ in range(depth):
            nxt = []
            for t in frontier:
                for c in sorted(t.children, key=_child_rank):
                    if c.dep_ in {"relcl", "ccomp", "advcl", "punct", "cc", "det", "appos"}:
                        continue
                    if c.dep_ == "prep" and c.lower_ in {"like", "as", "including", "than",
                                                         "except", "unlike", "against",
                                                         "after", "before", "in", "at",
                                                         "for", "during", "within"}:
                        continue
                    if c.dep_ in {"acl", "amod"} and c.pos_ == "VERB" and c.lemma_.lower() not in (
                            OBJECT_NOUN_LINKS | AGENT_NOUN_LINKS):
                        continue
                    hit = self._entity(c)
                    if hit is not None:
                        return hit
                    nxt.append(c)
            frontier = nxt
        return None

    def _possessor(self, noun: Token) -> Span | None:
        p = _child(noun, "poss")
        if p is None and noun.dep_ == "compound":
            p = _child(noun.head, "poss")
        if p is None:
            # "OpenAI's API access" parsed with the possessive on the compound
            for c in noun.children:
                if c.dep_ == "compound":
                    p = _child(c, "poss") or p
        if p is None:
            # the parser sometimes hangs "X 's" off elsewhere: read it by position
            i = noun.left_edge.i
            if i >= 2 and self.doc[i - 1].lower_ in {"'s", "’s", "'", "’"} and (i - 2) in self.ent_of:
                return self.ent_of[i - 2]
        if p is None:
            return None
        return self._np_entity(p, depth=1)

    def _modifier_entity(self, noun: Token, models_only: bool = False) -> Span | None:
        """A party or model named in the words before a noun ("DeepSeek-linked ... extraction")."""
        for c in noun.children:
            if c.i > noun.i or c.dep_ not in {"compound", "amod", "nmod", "npadvmod", "nummod"}:
                continue
            for t in c.subtree:
                if t.i in self.ent_of and t.i < noun.i:
                    ent = self.ent_of[t.i]
                    if models_only and not self._is_model(ent):
                        continue
                    return ent
        return None

    def _bare_name(self, tok: Token) -> str | None:
        """A capitalised word in subject position that the recogniser missed ("Fraiture")."""
        if tok.i in self.ent_of or tok.i == tok.sent.start or not tok.text[:1].isupper():
            return None
        if tok.pos_ not in {"PROPN", "NOUN"} or tok.lower_ in NOT_NAMES or tok.lower_ in ROLE_WORDS:
            return None
        if any(c.dep_ in {"det", "compound", "amod", "poss"} for c in tok.children):
            return None
        return tok.text

    def _subject_entity(self, verb: Token) -> Span | None:
        # the subject nearest the verb: "MR. TOBEROFF: Microsoft is ..." parses with two
        subjects = [c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass", "csubj"}]
        if not subjects:
            return None
        return self._np_entity(min(subjects, key=lambda c: abs(verb.i - c.i)), depth=2)

    def _agent_entity(self, verb: Token, hops: int = 4) -> Span | None:
        """Who did it: the subject, the passive's agent, or the subject up the chain."""
        tok = verb
        for _ in range(hops):
            passive = any(c.dep_ in {"nsubjpass", "auxpass"} for c in tok.children)
            if passive:
                by = _prep_object(tok, {"by"})
                if by is not None:
                    return self._np_entity(by, depth=2)
                sp = _child(tok, "nsubjpass")
                ent = self._np_entity(sp, depth=1) if sp is not None else None
                return ent if ent is not None and self._is_model(ent) else None
            subj = _child(tok, "nsubj") or _child(tok, "csubj")
            if subj is None:  # "DeepSeek may have distilled": the parser hangs it on "have"
                for aux in tok.children:
                    if aux.dep_ in {"aux", "auxpass"} and aux.i < tok.i:
                        subj = _child(aux, "nsubj") or subj
            if subj is not None:
                if subj.lower_ in {"that", "which", "who"} and tok.dep_ == "relcl":
                    return self._np_entity(tok.head, depth=2)
                if subj.lower_ in SELF_PRONOUNS:
                    return None
                if subj.lemma_.lower() in GENERIC_SUBJECTS and subj.i not in self.ent_of:
                    return self._np_entity(subj, depth=3) if _linked(subj) else None
                return self._np_entity(subj, depth=3) or self._bare_name(subj)
            # a possessive before a gerund: "OpenAI's granting"
            if tok.tag_ == "VBG":
                i = tok.i
                if i >= 2 and self.doc[i - 1].lower_ in {"'s", "’s"} and (i - 2) in self.ent_of:
                    return self.ent_of[i - 2]
                poss = _child(tok, "poss")
                if poss is not None:
                    return self._np_entity(poss, depth=1)
            if tok.dep_ == "pcomp" and tok.head.dep_ == "prep" and tok.head.lower_ == "of":
                accuser = tok.head.head
                if accuser.lemma_.lower() in {"accuse", "suspect", "charge", "convict"}:
                    return self._np_entity(_child(accuser, "dobj"), depth=2)
            if tok.dep_ in {"xcomp", "conj", "advcl"} and tok.head.i != tok.i:
                tok = tok.head
                continue
            if tok.dep_ == "relcl":
                return self._np_entity(tok.head, depth=2)
            return None
        return None

    def _governing_agent(self, noun: Token) -> Span | None:
        """The agent of the verb a noun depends on: "trained ... in breach of",
        "admitted misappropriation"."""
        tok = noun
        for _ in range(4):
            head = tok.head
            if head.i == tok.i:
                return None
            if head.pos_ in {"VERB", "AUX"}:
                if head.lemma_.lower() in FRAME_VERBS and head.lemma_.lower() not in {
                        "admit", "confess", "acknowledge", "concede"}:
                    return None
                return self._agent_entity(head)
            if head.pos_ in {"NOUN", "PROPN"} and head.lemma_.lower() in FRAME_NOUNS.keys() | SUPPRESS_NOUNS:
                return None  # "evidence of distillation": the haver is not the doer
            if tok.dep_ not in {"pobj", "prep", "dobj", "compound", "conj", "appos"}:
                return None
            tok = head
        return None

    def _their(self, tok: Token | None, exclude: Any) -> list[Span]:
        """The parties a plural possessive points back to, with their conjuncts."""
        if tok is None:
            return []
        p = _child(tok, "poss")
        if p is None or p.lower_ not in {"their", "theirs"}:
            return []
        skip = (self._name(exclude) or "").lower() if exclude is not None else ""
        for i in range(p.i - 1, p.sent.start - 1, -1):
            ent = self.ent_of.get(i)
            if ent is None or ent.label_ not in {"ORG", "PERSON", "GPE", "NORP", "WORK_OF_ART"}:
                continue
            if (self._name(ent) or "").lower() == skip:
                continue
            root = ent.root
            members = [root] + list(root.conjuncts)
            group = []
            for m in sorted(members, key=lambda t: t.i):
                e = self.ent_of.get(m.i)
                if e is not None and (self._name(e) or "").lower() != skip and e not in group:
                    group.append(e)
            return group or [ent]
        return []

    def _model_subject(self, tok: Token | None) -> Span | str | None:
        """A model as a phrase names it: "GPT-4", "the OpenAI models" (-> OpenAI),
        "OpenAI's coding model" (-> the OpenAI model named just before), "those models"
        (-> whoever was just said to develop them)."""
        if tok is None:
            return None
        ent = self._np_entity(tok, depth=2)
        if ent is not None and self._is_model(ent):
            return ent
        if tok.lemma_.lower() != "model":
            return None
        if ent is not None:
            for index, recent in reversed(self.recent_models):
                if self.sent_index - index <= 2 and (self._name(self._owner_span(recent)) or "") == self._name(ent):
                    return recent
            return ent
        det = _child(tok, "det")
        if det is not None and det.lower_ in {"those", "these", "the"} and self.last_subject is not None \
                and self.last_subject.label_ == "ORG":
            return self.last_subject
        return None

    def _left_subject(self, cue: Token) -> Span | None:
        """The party just before a verb the parser misread ("Sacks said DeepSeek distilled
        knowledge ..."): only auxiliaries and adverbs may stand between."""
        i = cue.i - 1
        while i >= cue.sent.start:
            tok = self.doc[i]
            ent = self.ent_of.get(i)
            if ent is not None:
                return ent if ent.label_ in {"ORG", "PERSON", "AI_MODEL", "GPE"} else None
            if tok.pos_ in {"AUX", "ADV", "PART"} or tok.text in {"'", "‘", "’", "\"", "“", "”"}:
                i -= 1
                continue
            return None
        return None

    def _right_entity(self, cue: Token, models_only: bool = False, reach: int = 8) -> Span | None:
        """The first party or model named in the few words after a cue."""
        for i in range(cue.i + 1, min(cue.sent.end, cue.i + 1 + reach)):
            tok = self.doc[i]
            if tok.pos_ in {"VERB"} or tok.text in {";", ".", ":"}:
                return None
            ent = self.ent_of.get(i)
            if ent is not None and (not models_only or self._is_model(ent)):
                return ent
        return None

    def _model_in_list(self, tok: Token | None) -> Span | None:
        """The first model a licensed thing names ("its technology, including GPT-4 ...")."""
        if tok is None:
            return None
        for t in tok.subtree:
            ent = self.ent_of.get(t.i)
            if ent is not None and self._is_model(ent):
                return ent
        return None

    def _head_possessor(self, verb: Token) -> Span | None:
        """The possessor of the noun a verb complements: "OpenAI's decision to license"."""
        if verb.dep_ in {"acl", "xcomp"} and verb.head.pos_ in {"NOUN", "PROPN"}:
            return self._possessor(verb.head)
        return None

    def _purpose_model(self, verb: Token) -> Span | None:
        """The model built: "... to train Grok", "... to build R1"."""
        for c in verb.children:
            if c.dep_ in {"xcomp", "advcl"} and c.lemma_.lower() in TRAIN_PURPOSE | {"use"}:
                m = self._model_in(_child(c, "dobj"))
                if m is not None:
                    return m
        # "... distilled OpenAI's models to train Grok" with the purpose hung elsewhere
        doc = self.doc
        for i in range(verb.i + 1, min(verb.sent.end - 1, verb.i + 12)):
            if doc[i].text in {";", ".", ":"}:
                break
            if doc[i].lower_ == "to" and doc[i + 1].lemma_.lower() in TRAIN_PURPOSE:
                return self._right_entity(doc[i + 1], models_only=True, reach=4)
        return None

    def _model_in(self, tok: Token | None) -> Span | None:
        ent = self._np_entity(tok, depth=2) if tok is not None else None
        return ent if ent is not None and self._is_model(ent) else None

    def _appos_student(self, tok: Token) -> tuple[Span | None, Span | None]:
        """"Stanford's Alpaca (LLaMA fine-tuned on ...)": the model being described."""
        if tok.dep_ == "appos" and tok.head.i in self.ent_of:
            student = self.ent_of[tok.head.i]
            if self._is_model(student):
                owner = self._possessor(tok.head) or self._owner_span(student)
                return student, owner
        return None, None

    def _resolve_pronoun(self, tok: Token, same_sentence: bool = False) -> Span | str | None:
        word = tok.lower_
        want = {"PERSON"} if word in {"he", "his", "him", "she", "her"} else (
            {"ORG", "AI_MODEL", "PRODUCT", "GPE"} if word in {"it", "its", "itself"} else
            {"ORG", "PERSON", "GPE", "NORP"})
        sent_start = tok.sent.start
        # a possessive in the object names another party than the clause's subject
        # ("xAI violated its terms": OpenAI's, said before)
        skip = None
        if word in {"its", "their"}:
            verb = tok.head
            while verb.pos_ not in {"VERB", "AUX"} and verb.head.i != verb.i:
                verb = verb.head
            subj = _child(verb, "nsubj")
            if subj is not None and subj.i < tok.i:
                skip = self.ent_of.get(subj.i)
        for i in range(tok.i - 1, sent_start - 1, -1):
            ent = self.ent_of.get(i)
            if ent is not None and ent.label_ in want and not self._same_np(ent, tok) and ent != skip:
                return ent
        if not same_sentence and self.last_subject is not None and self.last_subject.label_ in want:
            return self.last_subject
        return None

    def _same_np(self, ent: Span, tok: Token) -> bool:
        return ent.root.head == tok.head and ent.root.dep_ == "conj"

    def _owner_span(self, ent: Span | None) -> Span | str | None:
        if ent is None:
            return None
        owner = ent._.owner if Span.has_extension("owner") else None
        return owner or None

    def _owner_of_np(self, tok: Token | None) -> Span | None:
        if tok is None:
            return None
        p = _child(tok, "poss")
        return self._np_entity(p, depth=1) if p is not None else None

    def _api_target(self, tok: Token) -> Span | None:
        to = _prep_object(tok, {"to"})
        return self._np_entity(to) if to is not None else None

    def _model_owner_near(self, cue: Token) -> Span | str | None:
        """For terms with no owner named: the owner of the model the clause is about."""
        clause = cue
        while clause.pos_ not in {"VERB", "AUX"} and clause.head.i != clause.i:
            clause = clause.head
        for t in clause.subtree:
            ent = self.ent_of.get(t.i)
            if ent is not None and self._is_model(ent):
                owner = self._owner_span(ent)
                if owner:
                    return owner
        return None

    def _is_model(self, ent: Span | str | None) -> bool:
        """An AI model, or a product of a company that makes AI models (Claude Code,
        not AirDrop)."""
        if ent is None or isinstance(ent, str):
            return False
        if ent.label_ == "AI_MODEL":
            return True
        owner = self._owner_span(ent)
        return ent.label_ == "PRODUCT" and bool(owner) and _name_of(owner) in _model_makers()

    def _name(self, ent: Span | str | None) -> str | None:
        if ent is None:
            return None
        if isinstance(ent, str):
            return ent
        name = None
        if Span.has_extension("canonical"):
            name = ent._.canonical
        if not name:
            name = re.sub(r"\s*[’']s?$", "", _plain(ent.text))
            if ent.label_ == "PERSON":
                name = _surname(name)
        elif ent.label_ == "PERSON" and " " in name:
            name = _surname(name)
        return name

    def _subject_name(self, subj: Span | str, student: Span | None) -> tuple[str | None, str | None]:
        """A model as the doer stands for its owner; the model is the student."""
        student_name = self._name(student) if student is not None else None
        if not isinstance(subj, str) and self._is_model(subj):
            owner = self._owner_span(subj)
            if owner:
                return self._name(owner), student_name or self._name(subj)
        return self._name(subj), student_name

    def _salient_orgs(self) -> list[str]:
        counts: dict[str, int] = {}
        for ent in self.ents:
            if ent.label_ == "ORG" and _plain(ent.text).lower() not in NOT_NAMES:
                name = self._name(ent)
                if name:
                    counts[name] = counts.get(name, 0) + 1
        owners = set()
        if Span.has_extension("owner"):
            for ent in self.ents:
                o = ent._.owner
                if o:
                    owners.add(o if isinstance(o, str) else self._name(o))
        return [n for n, _ in sorted(counts.items(), key=lambda kv: -kv[1]) if n in owners]

    def _other_org(self, sent: Span, subject: Span | str | None, cue: Token) -> Span | None:
        """The other organisation named in the sentence, nearest the cue."""
        name = (self._name(subject) or "").lower()
        best = None
        for ent in self._sent_ents(sent):
            if ent.label_ != "ORG" or ent.start not in self.ent_of or self._is_model(ent):
                continue
            if (self._name(ent) or "").lower() == name:
                continue
            if best is None or abs(ent.start - cue.i) < abs(best.start - cue.i):
                best = ent
        return best

    def _salient_other(self, subject: Span | str | None) -> str | None:
        name = self._name(subject) if subject is not None else None
        if name is None:
            return None
        objects = [r["object"] for _, r in self.memory[-20:] if r["object"]]
        for org in self.salient + objects[::-1]:
            if org.lower() != name.lower():
                return org
        return None

    def _recall(self, relation: str, args: _Args) -> dict[str, Any] | None:
        """An argument left unsaid is the one of the last claim of the same kind nearby."""
        family = {"distilled_from", "trained_on_outputs_of", "accessed_api"}
        recent = self.memory + [(self.sent_index, r) for r in self.current]
        for index, record in reversed(recent):
            if self.sent_index - index > self.memory_sentences:
                break
            same = record["relation"] == relation or (
                relation in family and record["relation"] in family)
            if same and record["object"] and record["subject"]:
                return record
        return None

    # ---- attribution

    def _frame(self, cue: Token, path: list[Token], sent: Span) -> tuple[str | None, str] | str | None:
        """(asserted_by, posture) of the innermost reporting frame; "suppress" where the
        frame says the thing is not said ("no allegation that", "does not allege")."""
        child = cue
        for head in path:
            lemma = head.lemma_.lower()
            if head.pos_ in {"NOUN", "PROPN"} and lemma in SUPPRESS_NOUNS and _child(head, "det") is not None \
                    and _child(head, "det").lower_ in {"no", "any"}:
                return "suppress"
            if head.pos_ in {"VERB", "AUX"} and lemma in FRAME_VERBS and _passive(head):
                child = head  # "X is reported to have ...": a hedge, not a source
                continue
            if head.pos_ in {"VERB", "AUX"} and lemma in FRAME_VERBS:
                if lemma in CLAUSAL_ONLY and child.dep_ not in {"ccomp", "xcomp", "advcl", "conj",
                                                                  "parataxis", "oprd"} \
                        and not (child.dep_ in {"dobj", "conj"} and _has_clause(child)):
                    child = head
                    continue
                if any(c.dep_ == "neg" for c in head.children) and lemma not in {"deny", "dispute"}:
                    return "suppress"
                if lemma in {"deny", "dispute"} and cue.pos_ in {"NOUN", "PROPN"}:
                    # "Musk contends and Defendants deny that the Microsoft license
                    # violates ...": the licence is common ground, the denial is of the rest
                    if head.dep_ == "conj" and head.head.lemma_.lower() in FRAME_VERBS:
                        head = head.head
                        lemma = head.lemma_.lower()
                    else:
                        child = head
                        continue
                who = self._frame_subject(head)
                if who is None and _has_subject(head):
                    child = head  # "Relief sought includes ...": not a source
                    continue
                posture = FRAME_VERBS[lemma]
                return self._posture(who, posture, head)
            if head.pos_ in {"NOUN", "PROPN"} and lemma in FRAME_NOUNS and child.dep_ in {
                    "acl", "prep", "ccomp", "relcl", "appos", "pobj"}:
                if lemma == "complaint" and child.dep_ != "acl":
                    child = head
                    continue
                who = self._noun_frame_subject(head)
                posture = FRAME_NOUNS[lemma]
                if who is None and lemma == "claim":
                    return None  # "claims that ...": a hedge, the document's own voice
                return self._posture(who, posture, head)
            child = head
        # "according to X", "per X"
        for tok in sent:
            if tok.lower_ == "per" and tok.dep_ == "prep" and tok.i < cue.i:
                pobj = _child(tok, "pobj")
                ent = self._np_entity(pobj, depth=1)
                if ent is None and pobj is not None and pobj.pos_ == "PROPN":
                    ent = pobj.text  # "Per WIRED": a source the recogniser did not know
                if ent is not None and (tok.head in path or tok.head == cue):
                    person = not isinstance(ent, str) and ent.label_ == "PERSON"
                    return (self._name(ent), "stated" if person else "reported")
            if tok.lower_ == "according" and tok.i + 1 < len(self.doc) and self.doc[tok.i + 1].lower_ == "to":
                pobj = _child(self.doc[tok.i + 1], "pobj") or _child(tok, "pobj")
                ent = self._np_entity(pobj, depth=2)
                if ent is not None and (tok.head in path or tok.head == cue or tok.head == sent.root):
                    return (self._name(ent), "reported" if ent.label_ != "PERSON" else "stated")
        # "Details the complaint's allegations: ..."
        for tok in sent:
            if tok.i >= cue.i:
                break
            if tok.text == ":" and tok.i > sent.start:
                framed = self._sentence_frame(self.doc[sent.start:tok.i])
                if framed is not None:
                    return framed
        if self.colon_frame is not None:
            return (self.colon_frame[0], self.colon_frame[1])
        return None

    def _sentence_frame(self, span: Span) -> tuple[str | None, str] | None:
        for tok in span:
            lemma = tok.lemma_.lower()
            if tok.pos_ not in {"VERB", "AUX"} and tok.lower_ in MISTAGGED_FRAMES:
                # "Plaintiffs allege ... as follows:" tagged as a noun with a compound
                lefts = [c for c in tok.lefts if c.pos_ in {"NOUN", "PROPN", "PRON"}]
                prev = self.doc[tok.i - 1] if tok.i > span.start else None
                who_tok = lefts[-1] if lefts else prev
                if who_tok is not None and who_tok.pos_ in {"NOUN", "PROPN", "PRON"}:
                    who = self._speaker(who_tok)
                    if who is not None:
                        return self._posture(who, MISTAGGED_FRAMES[tok.lower_], tok)
            if tok.pos_ in {"VERB", "AUX"} and lemma in FRAME_VERBS and lemma not in CLAUSAL_ONLY - {"state"}:
                who = self._frame_subject(tok)
                if who is not None:
                    return self._posture(who, FRAME_VERBS[lemma], tok)
            if tok.pos_ in {"NOUN", "PROPN"} and lemma in {"allegation", "complaint", "testimony",
                                                           "finding", "report"}:
                who = self._noun_frame_subject(tok)
                if who is not None:
                    return self._posture(who, FRAME_NOUNS[lemma], tok)
        return None

    def _frame_subject(self, verb: Token) -> str | None:
        tok = verb
        for _ in range(4):
            subj = _child(tok, "nsubj") or _child(tok, "nsubjpass")
            if subj is not None:
                return self._speaker(subj)
            if tok.dep_ in {"advcl", "xcomp", "conj", "acl"} and tok.head.i != tok.i:
                tok = tok.head
                continue
            return None
        return None

    def _noun_frame_subject(self, noun: Token) -> str | None:
        p = _child(noun, "poss")
        if p is not None:
            return self._speaker(p)
        for c in noun.children:
            if c.dep_ in {"compound", "nmod"} and c.i < noun.i:
                ent = self._np_entity(c, depth=1)
                if ent is not None:
                    return self._name(ent)
        by = _prep_object(noun, {"by", "from", "of"})
        if by is not None:
            ent = self._np_entity(by, depth=1)
            if ent is not None:
                return self._name(ent)
        if noun.lemma_.lower() in {"evidence", "proof"} and noun.head.pos_ in {"VERB", "AUX"}:
            return self._frame_subject(noun.head)
        role = ROLE_WORDS.get(noun.lower_)
        return role

    def _speaker(self, tok: Token) -> str | None:
        """A frame's subject as a name, a role ("court", "plaintiffs") or None."""
        word = tok.lower_
        if word in SELF_PRONOUNS:
            return None
        if word in {"it", "they", "he", "she"}:
            ent = self._resolve_pronoun(tok, same_sentence=True)
            if ent is not None:
                return self._name(ent)
            if self.last_frame is not None and self.last_frame[0]:
                return self.last_frame[0]
            ent = self._resolve_pronoun(tok)
            return self._name(ent) if ent is not None else None
        ent = self._np_entity(tok, depth=2)
        if word in ROLE_WORDS and (ent is None or tok.i not in self.ent_of):
            # "the OpenAI Defendants" names its party; "Plaintiffs" is a role
            if ent is not None and word in {"defendants", "defendant", "plaintiffs", "plaintiff"}:
                return self._name(ent)
            return ROLE_WORDS[word]
        if ent is not None:
            return self._name(ent)
        return None

    def _posture(self, who: str | None, posture: str, frame: Token) -> tuple[str | None, str]:
        if who == "court" and posture in {"alleged", "stated"}:
            posture = "found" if frame.lemma_.lower() in {"find", "conclude", "hold", "determine"} else "stated"
        if posture == "alleged" and who and frame.lemma_.lower() in PRESS_WORDS:
            posture = "reported"
        return (who, posture)

    # ---- modality

    def _hedged(self, cue: Token, path: list[Token], sent: Span,
                frame: Any, args: _Args) -> bool:
        if _hedge_tokens([cue] + _until_frame(path)):
            return True
        # the frame itself and what scopes over it (conjoined verbs share "allegedly")
        frame_tok = _frame_token(path)
        if frame_tok is not None:
            if frame_tok.lemma_.lower() in HEDGE_FRAME_NOUNS and _child(frame_tok, "poss") is None:
                return True
            if frame_tok.lemma_.lower() in HEDGE_VERBS:
                return True
            scope = [frame_tok] + ([frame_tok.head] if frame_tok.dep_ == "conj" else [])
            if _hedge_tokens(scope):
                return True
        # "people possibly linked to DeepSeek"
        subj = _child(cue, "nsubj")
        if subj is not None and any(t.lower_ in HEDGE_WORDS for t in subj.subtree):
            return True
        low = sent.text.lower()
        if "information and belief" in low:
            return True
        # "claims that X did": the document calls it a claim
        for head in path:
            if head.lemma_.lower() == "claim" and head.pos_ == "NOUN" and _child(head, "poss") is None:
                return True
        return False


# --------------------------------------------------------------------------
# token helpers


def _name_of(x: Any) -> str:
    return x if isinstance(x, str) else _plain(getattr(x, "text", str(x)))


_MAKERS: list[set[str]] = []


def _model_makers() -> set[str]:
    """Owners of at least one AI model in the alias table."""
    if not _MAKERS:
        table = _alias_table()
        rows = table.rows if table is not None else []
        _MAKERS.append({r.owner for r in rows if r.owner and (table.label(r.canonical) or r.label) == "AI_MODEL"})
    return _MAKERS[0]


def _cues(tok: Token) -> list[tuple[str, str]]:
    """The relations a token can signal, and whether as a verb or a noun."""
    lemma = tok.lemma_.lower()
    low = tok.lower_
    pos = tok.pos_
    out: list[tuple[str, str]] = []
    verbish = pos in {"VERB", "AUX"} or tok.tag_.startswith("VB")
    nounish = pos in {"NOUN", "PROPN"}
    if (verbish and (lemma in DISTILL or low.startswith("distill"))) or (
            low in {"distill", "distills", "distilled", "distilling", "distil", "distils"}
            and pos in {"PROPN", "NOUN", "ADJ"}):  # the tagger misreads these in questions and lists
        out.append(("distilled_from", "verb"))
    elif nounish and lemma in DISTILL_NOUNS:
        out.append(("distilled_from", "noun"))
    if low == "teacher" and tok.head.lower_ == "as" and tok.head.head.lemma_.lower() == "use":
        out.append(("distilled_from", "teacher"))
    fine_tune = low in {"tune", "tuned", "tuning", "tunes"} and tok.i > 1 and tok.doc[tok.i - 2].lower_ == "fine"
    if (verbish and (lemma in TRAIN or low.startswith(("fine-tun", "finetun")))) or fine_tune:
        if lemma != "tune" or fine_tune or any(c.lower_ == "fine" for c in tok.children):
            out.append(("trained_on_outputs_of", "verb"))
    if verbish and lemma in USE:
        out.append(("used_model", "verb"))
    elif nounish and lemma == "integration":
        out.append(("used_model", "noun"))
    if lemma in ACCESS and verbish:
        out.append(("accessed_api", "verb"))
        if _passive(tok):
            out.append(("used_model", "verb"))  # "the models are accessed through Microsoft services"
    elif lemma in ACCESS and nounish and _has_api(tok):
        out.append(("accessed_api", "noun"))
    if verbish and lemma in EXTRACT:
        out.append(("accessed_api", "verb"))
    elif nounish and lemma in EXTRACT_NOUNS and _has_api(tok):
        out.append(("accessed_api", "noun"))
    if lemma in LICENSE or lemma in LICENSEE or low.startswith(("licens", "licenc")):
        if verbish and low not in {"licensed"} or (low == "licensed" and tok.dep_ not in {"amod"}):
            if verbish:
                out.append(("licensed", "verb"))
        if nounish and not low.startswith("licensing"):
            out.append(("licensed", "noun"))
        if low == "licensing" and not verbish and tok.i + 1 < len(tok.doc) and tok.doc[tok.i + 1].lower_ in {
                "and", "and/or", "or", "its", "the", "openai"} | {t for t in ()}:
            out.append(("licensed", "gerund"))
    if verbish and lemma in MISAPPROPRIATE:
        out.append(("misappropriated", "verb"))
    elif nounish and lemma in MISAPPROPRIATE_NOUNS:
        out.append(("misappropriated", "noun"))
    if verbish and (lemma in COPY or low.startswith("reverse-engineer")):
        out.append(("misappropriated", "verb"))
    if low == "reverse" and tok.i + 1 < len(tok.doc) and tok.doc[tok.i + 1].lower_.startswith("engineer"):
        out.append(("misappropriated", "verb"))
    if verbish and lemma in VIOLATE:
        out.append(("violated_terms", "verb"))
    elif nounish and lemma in VIOLATE_NOUNS:
        out.append(("violated_terms", "noun"))
    return out


ACQUIRE = {"license", "licence", "buy", "acquire", "purchase", "obtain", "pay", "scrape", "collect"}


def _use_before(cue: Token) -> Token | None:
    """The "use" (noun or verb) whose phrase ends just before "to <cue>"."""
    doc = cue.doc
    j = cue.i - 1
    if j >= 2 and doc[j].text == "-" and doc[j - 1].lower_ == "fine":
        j -= 2  # "to fine-tune"
    if j < 1 or doc[j].lower_ != "to":
        return None
    tok = doc[j - 1]
    for _ in range(4):
        if tok.lemma_.lower() == "use" and tok.pos_ in {"NOUN", "VERB"}:
            return tok
        if tok.head.i == tok.i:
            return None
        tok = tok.head
    return None


def _to_after(cue: Token) -> Token | None:
    """The object of a "to" right after a noun phrase, wherever the parser hung it."""
    end = cue.right_edge.i + 1
    doc = cue.doc
    if end < len(doc) and doc[end].lower_ == "to" and end + 1 < len(doc):
        nxt = doc[end + 1]
        return nxt if nxt.pos_ in {"PROPN", "NOUN"} else None
    return None


def _child(tok: Token | None, dep: str) -> Token | None:
    if tok is None:
        return None
    for c in tok.children:
        if c.dep_ == dep:
            return c
    return None


def _prep_object(tok: Token | None, preps: set[str]) -> Token | None:
    if tok is None:
        return None
    for c in tok.children:
        if c.dep_ in {"prep", "agent"} and c.lower_ in preps:
            p = _child(c, "pobj") or _child(c, "pcomp")
            if p is not None:
                return p
    return None


def _head_lemma(tok: Token | None) -> str:
    return tok.lemma_.lower() if tok is not None else ""


def _has_api(tok: Token) -> bool:
    return any(t.lower_ in API_WORDS for t in tok.subtree) or any(
        c.lower_ in API_WORDS for c in tok.children)


def _is_tech(tok: Token | None) -> bool:
    return tok is not None and tok.lemma_.lower() in {"technology", "model", "models", "ip", "property",
                                                      "software", "code", "weights", "system"}


def _codeish(tok: Token) -> bool:
    """Code, trade secrets, weights, confidential or intellectual property (or a list with one)."""
    return any(_codeish_one(t) for t in [tok] + list(tok.conjuncts))


def _codeish_one(tok: Token) -> bool:
    lemma = tok.lemma_.lower()
    words = {t.lower_ for t in tok.subtree}
    if lemma in {"base", "codebase"} and ("code" in words or lemma == "codebase"):
        return True
    if lemma not in CODEISH:
        return False
    if lemma in CODE_NEEDS_MOD:
        return bool(words & SECRET_MODS)
    if lemma == "model":
        return "weights" in words
    return True


def _linked(tok: Token) -> bool:
    return any(t.lemma_.lower() in AGENT_NOUN_LINKS for t in tok.subtree)


def _child_rank(tok: Token) -> int:
    order = {"poss": 0, "compound": 1, "nmod": 2, "amod": 3, "npadvmod": 3, "pobj": 4, "prep": 5,
             "acl": 6, "conj": 7}
    return order.get(tok.dep_, 9)


def _path(tok: Token) -> list[Token]:
    out = []
    cur = tok
    while cur.head.i != cur.i:
        cur = cur.head
        out.append(cur)
    return out


def _is_frame(t: Token) -> bool:
    if t.pos_ in {"VERB", "AUX"} and t.lemma_.lower() in FRAME_VERBS:
        return not _passive(t)
    return t.pos_ == "NOUN" and t.lemma_.lower() in FRAME_NOUNS


def _until_frame(path: list[Token]) -> list[Token]:
    out = []
    for t in path:
        if _is_frame(t):
            break
        out.append(t)
    return out


def _frame_token(path: list[Token]) -> Token | None:
    for t in path:
        if _is_frame(t):
            return t
    return None


def _hedge_tokens(tokens: Sequence[Token]) -> bool:
    for t in tokens:
        if t.lemma_.lower() in HEDGE_VERBS and t.pos_ == "VERB":
            return True
        if t.lemma_.lower() in {"report", "allege", "say", "believe", "rumor", "suspect"} and _passive(t):
            return True
        for c in t.children:
            low = c.lower_
            if c.dep_ in {"advmod", "npadvmod"} and low in HEDGE_WORDS:
                return True
            if c.dep_ == "aux" and low in HEDGE_MODALS:
                return True
            if c.dep_ == "aux" and any(g.dep_ == "aux" and g.lower_ in HEDGE_MODALS for g in c.children):
                return True  # "may have distilled" parsed as may <- have <- distilled
            if c.dep_ == "amod" and low in HEDGE_ADJ:
                return True
    return False


def _stated_subject(verb: Token) -> bool:
    """The clause names its own subject (so an unnamed doer is not to be guessed)."""
    tok = verb
    for _ in range(3):
        if any(c.dep_ in {"nsubj", "nsubjpass", "csubj"} for c in tok.children):
            return True
        if tok.dep_ not in {"xcomp", "conj"} or tok.head.i == tok.i:
            return False
        tok = tok.head
    return False


def _passive(tok: Token) -> bool:
    return any(c.dep_ in {"auxpass", "nsubjpass"} for c in tok.children)


def _has_subject(tok: Token) -> bool:
    return any(c.dep_ in {"nsubj", "nsubjpass", "csubj"} for c in tok.children)


def _has_clause(tok: Token) -> bool:
    return any(c.dep_ in {"acl", "relcl", "ccomp"} for c in tok.children)


def _negated(cue: Token, path: list[Token]) -> bool:
    chain = [cue] + _until_frame(path)[:2]
    for t in chain:
        for c in t.children:
            if c.dep_ == "neg" or c.lower_ in {"never"}:
                return True
            if c.dep_ == "det" and c.lower_ == "no" and t.pos_ == "NOUN":
                return True
        if t.pos_ in {"VERB", "AUX"}:
            break
    return False


def _hypothetical(cue: Token, path: list[Token]) -> bool:
    for t in [cue] + _until_frame(path)[:3]:
        for c in t.children:
            if c.dep_ == "mark" and c.lower_ in HYPOTHETICAL_MARKS:
                return True
        if t.lemma_.lower() in {"allow", "permit", "prohibit", "forbid", "bar", "refrain", "avoid",
                                "promise", "pledge", "commit", "plan", "intend", "propose",
                                "consider", "threaten"} and t.i != cue.i:
            return True  # a rule, a promise or a plan, not an event
    return False


def _is_question(sent: Span) -> bool:
    text = sent.text.strip()
    if text.endswith("?"):
        return True
    words = [t for t in sent if not t.is_punct and not t.is_space]
    # "Q. Did xAI ..." / "Did xAI ..." without the mark
    while words and words[0].lower_ in {"q", "and", "so", "now", "okay", "well"}:
        words = words[1:]
    return bool(words) and words[0].lower_ in QUESTION_AUX and words[0].pos_ in {"AUX", "VERB"} \
        and len(words) > 1 and words[1].pos_ in {"PROPN", "PRON", "NOUN", "DET"}


def _boundary(text: str) -> bool:
    """Headings and section breaks end the scope of a "... as follows:" frame."""
    return bool(re.search(r"\*\s*\*\s*\*|(?:^|\s)(?:[IVX]+|[A-H])\.\s+[A-Z][A-Z ,]{3,}\b", text))


def _follows_colon(sent: Span) -> int | None:
    """The token index of a colon that opens what follows: "as follows:", or a
    colon that ends the sentence."""
    for tok in sent:
        if tok.text != ":":
            continue
        before = sent.doc[max(sent.start, tok.i - 2):tok.i].text.lower()
        if tok.i == sent.end - 1 or "follow" in before:
            return tok.i
    return None


def _clause_extent(sent: Span) -> tuple[int, int]:
    """The sentence, without its surrounding whitespace or a leading bullet."""
    text = sent.text
    start = sent.start_char + (len(text) - len(text.lstrip()))
    end = sent.end_char - (len(text) - len(text.rstrip()))
    m = re.match(r"[-•*]\s+", sent.doc.text[start:end])
    if m:
        start += m.end()
    return start, end


def _plain(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _surname(name: str) -> str:
    parts = [p for p in re.split(r"\s+", name.strip()) if p]
    while len(parts) > 1 and re.fullmatch(r"(jr|sr|ii|iii|iv|esq)\.?,?", parts[-1].lower()):
        parts.pop()
    return parts[-1].strip(",") if parts else name


def _dedupe(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One record per proposition, asserter and polarity within a sentence."""
    seen: dict[tuple, dict[str, Any]] = {}
    out = []
    for r in records:
        key = (r["start_char"], r["subject"].lower(), r["relation"], r["object"].lower(),
               r["asserted_by"], r["polarity"])
        if key in seen:
            continue
        seen[key] = r
        out.append(r)
    return out


# --------------------------------------------------------------------------
# the document layer: provenance and the document's own voice


_TABLE: list[Any] = []


def _alias_table() -> Any:
    """The project's alias table, read once (None if it cannot be read)."""
    if not _TABLE:
        try:
            _TABLE.append(_aliases.load_aliases())
        except OSError:
            _TABLE.append(None)
    return _TABLE[0]


def party_name(name: str | None) -> str | None:
    """A party as the claims name it: canonical from the alias table, a person by surname."""
    if not name or not name.strip():
        return None
    table = _alias_table()
    if table is not None:
        row = _aliases.resolve(name, table)
        if row is not None:
            return row.canonical
    name = re.sub(r"(?i),?\s+et\s+al\.?,?$", "", _plain(name)).strip(" ,.")
    if table is not None:
        folded = _aliases.canonical(name, table)
    else:
        folded = name
    words = folded.split()
    if 2 <= len(words) <= 4 and all(w[:1].isupper() for w in words) and not re.search(
            r"(?i)\b(inc|llc|corp|company|group|fund|capital|partners|university|times|news)\b", folded):
        return _surname(folded.title() if folded.isupper() else folded)
    return folded.title() if folded.isupper() else folded


_COURT_TITLE = re.compile(
    r"^\s*(?:\[?PROPOSED\]?\s+)?(?:AMENDED\s+)?"
    r"(?:ORDER|OPINION|MEMORANDUM\s+(?:OPINION|AND\s+ORDER|DECISION)|JUDGMENT|FINDINGS|DECISION)\b", re.I)
_FILER_TITLE = re.compile(
    r"^(.+?)[’']S?\s+(?:(?:FIRST|SECOND|THIRD)\s+)?(?:AMENDED\s+)?(?:VERIFIED\s+)?"
    r"(?:COUNTERCLAIMS?|ANSWER|COMPLAINT|MOTION|OPPOSITION|REPLY|BRIEF|NOTICE|RESPONSE|MEMORANDUM)", re.I)
_FILED_BY = re.compile(r"\b[Ff]iled by ([^.;()]+?)(?:\.\s|\.$|\(|;|$)")
_BY_LIST = re.compile(r"\b(?:COUNTERCLAIM|ANSWER|MOTION|OPPOSITION|REPLY)\b[^()]*?\bby ([^.;()]+?)(?:\.\s|\.$|\(|;|$)")
_SUIT_TITLE = re.compile(r"^(.*?)\s+(?:sues|countersues|drags|files suit|takes|hits)\b", re.I)
_RESPONSE = re.compile(r"\bRESPONSE:")
_PARAGRAPH_START = re.compile(r"(?m)^[ \t]*\d{1,3}\.[ \t]+\S")
_DENIAL = re.compile(r"RESPONSE:\s*Denied\b|\b(?:otherwise\s+)?deny\s+(?:the\s+|each\s+|all\s+|any\s+)?"
                     r"(?:remaining\s+)?allegations\b|\bdeny them\b", re.I)
_ANSWER_YES = re.compile(
    r"^(?:yes|yeah|yep|correct|right|that'?s (?:right|correct|true)|true|i did|it did|we did|they did"
    r"|partly|partially|in part|to some (?:extent|degree)|i believe so|i think so|probably|some(?:what)?)\b", re.I)
_ANSWER_NO = re.compile(
    r"^(?:no|nope|never|not (?:that i|to my)|incorrect|that'?s (?:not|false|wrong)|false|i did not|i didn'?t"
    r"|it did not|it didn'?t|we did not|we didn'?t|they did not|they didn'?t)\b", re.I)
_ANSWER_HEDGE = re.compile(
    r"\b(?:partly|partially|in part|to some (?:extent|degree)|i believe|i think|probably|may have"
    r"|might have|i understand|as far as i know|somewhat)\b", re.I)
_SPEAKER_PREFIX = re.compile(
    r"^\s*(?:Q|A|THE COURT|THE WITNESS|(?:MR|MS|MRS|DR)\.\s+[A-Z][A-Z'-]+|ATTORNEY\s+[A-Z][A-Z'-]+)\s*[.:]\s*")


@dataclass
class _Line:
    start: int
    end: int
    page: int
    number: int
    speaker: str | None


class _Voice:
    """Who speaks where no frame in the sentence says: the document's own voice."""

    def __init__(self, document: Document, docs: Sequence[Doc], title_doc: Doc | None) -> None:
        self.document = document
        meta = document.metadata or {}
        self.kind = document.kind
        title = document.title or ""
        label = str(meta.get("doc_label") or meta.get("heading") or "")
        parties = list(document.parties or [])
        self.plaintiff = party_name(parties[0]) if parties else None
        self.defendant = party_name(parties[1]) if len(parties) > 1 else None
        self.court_document = bool(_COURT_TITLE.match(title) or _COURT_TITLE.match(label))
        self.filer = self._filer(title, str(meta.get("docket_text") or ""), label)
        self.witness = self._witness(meta, title)
        # (page, line) where each witness took the stand, in order (trial transcripts)
        self.called = [((int(w["page"]), int(w["line"])), party_name(str(w["witness"])) or str(w["witness"]))
                       for w in meta.get("witnesses") or [] if isinstance(w, dict) and w.get("witness")]
        self.suer = self._suer(docs, title)
        self.title_orgs: list[str] = []
        if title_doc is not None:
            self.title_orgs = [n for n in (_ent_name(e) for e in title_doc.ents if e.label_ == "ORG") if n]
        counts: dict[str, int] = {}
        for d in docs:
            for e in d.ents:
                if e.label_ == "ORG":
                    n = _ent_name(e)
                    if n:
                        counts[n] = counts.get(n, 0) + 1
        self.orgs = [n for n, _ in sorted(counts.items(), key=lambda kv: -kv[1])]

    def _filer(self, title: str, docket: str, label: str) -> str | None:
        m = _FILER_TITLE.match(title)
        if m and not self.court_document:
            role = ROLE_WORDS.get(re.sub(r"[’']$", "", m.group(1).strip().lower()))
            name = self.role(role) if role in {"plaintiffs", "defendants"} else party_name(m.group(1))
            if name:
                return name
        m = _FILED_BY.search(docket) or _BY_LIST.search(docket)
        if m:
            for piece in re.split(r",\s+(?=[A-Z])", m.group(1)):
                name = party_name(piece)
                if name and not re.fullmatch(r"(?i)(l\.?l\.?c|l\.?p|inc|corp)\.?", name):
                    return name
        if re.search(r"(?i)complaint|petition", label + " " + title):
            return self.plaintiff
        return None

    @staticmethod
    def _witness(meta: dict, title: str) -> str | None:
        name = meta.get("deponent") or meta.get("witness")
        if not name:
            m = re.search(r"(?i)deposition of\s+(.+)$", title)
            name = m.group(1) if m else None
        return party_name(str(name)) if name else None

    @staticmethod
    def _suer(docs: Sequence[Doc], title: str) -> str | None:
        for d in docs:
            for suit in d._.claim_suits or []:
                if suit.get("plaintiff"):
                    return suit["plaintiff"]
        m = _SUIT_TITLE.match(title)
        if m:
            who = re.split(r"[’']s\s+", m.group(1))[-1]
            return party_name(who)
        return None

    def witness_at(self, line: _Line | None) -> str:
        """Who answers at a line: the last witness called before it, else the deponent."""
        if line is not None and line.page is not None:
            on_stand = [name for where, name in self.called if where <= (line.page, line.number)]
            if on_stand:
                return on_stand[-1]
        return self.witness or "witness"

    def role(self, role: str | None) -> str | None:
        """A role word a frame named ("plaintiffs", "the complaint") as a party."""
        if role == "plaintiffs":
            return self.plaintiff
        if role == "defendants":
            return self.defendant
        if role == "complaint":
            if self.kind == "article":
                return self.suer
            return self.plaintiff if self.filer != self.plaintiff else self.filer
        return role

    def own(self, line: _Line | None) -> tuple[str, str]:
        """(asserted_by, posture) of the document's own voice at a line."""
        if self.kind == "article":
            return "author", "reported"
        if self.kind == "transcript" and line is not None and line.speaker:
            speaker = line.speaker.upper().strip()
            if speaker in {"A", "THE WITNESS", "WITNESS"}:
                return self.witness_at(line), "testified"
            if speaker == "THE COURT":
                return "court", "stated"
            name = re.sub(r"^(?:MR|MS|MRS|DR|ATTORNEY)\.?\s+", "", speaker)
            return (party_name(name.title()) or name.title()), "stated"
        if self.court_document:
            return "court", "found"
        if self.filer:
            return self.filer, "alleged"
        return "author", "stated"


def _ent_name(ent: Span) -> str | None:
    name = ent._.canonical if Span.has_extension("canonical") else None
    if not name:
        name = re.sub(r"\s*[’']s?$", "", _plain(ent.text))
    if _plain(name).lower() in NOT_NAMES:
        return None
    return name


def _line_index(document: Document) -> list[_Line]:
    document.assign_offsets()
    return [_Line(l.char_start, l.char_end, p.number, l.number, l.speaker)
            for p in document.pages for l in p.lines]


def _lines_between(index: list[_Line], starts: list[int], start: int, end: int) -> list[_Line]:
    i = max(0, bisect.bisect_right(starts, start) - 1)
    out = []
    while i < len(index) and index[i].start < end:
        if index[i].end > start or index[i].start >= start:
            out.append(index[i])
        i += 1
    return out or ([index[i - 1]] if index and i else [])


def _aligner(text: str, sdoc: Doc, offset: int):
    """Map a char offset in the spaCy doc to one in the document text."""
    n = len(sdoc.text)
    window = text[offset:offset + n]
    if window.translate(_FLOW) == sdoc.text.translate(_FLOW):
        return lambda i: offset + i
    # whitespace-tolerant walk for texts that were reflowed
    table = [0] * (n + 1)
    j = offset
    src = sdoc.text
    for i, ch in enumerate(src):
        while j < len(text) and text[j].isspace() and not ch.isspace():
            j += 1
        table[i] = min(j, len(text))
        if j < len(text) and (text[j] == ch or (ch.isspace() and text[j].isspace())):
            j += 1
    table[n] = min(j, len(text))
    return lambda i: table[max(0, min(i, n))]


_FLOW = str.maketrans({"\n": " ", "\f": " ", "\r": " ", "\t": " "})


def extract_claims(document: Document, docs: Iterable[tuple[Doc, int]], *,
                   nlp: Language | None = None) -> list[Claim]:
    """The claims of one document, with provenance.

    `docs` are the pipeline's parses of the document's text as (Doc, char
    offset into `document.text`) pairs (casebase.nlp.chunks gives the
    pieces); each Doc must have run ``casebase_claims``. With `nlp` the
    title is parsed too, for context (the licensor a sentence leaves out).
    """
    pairs = [(d, off) for d, off in docs]
    sdocs = [d for d, _ in pairs]
    text = document.text
    index = _line_index(document)
    starts = [l.start for l in index]
    title_doc = nlp(document.title) if nlp is not None and document.title else None
    voice = _Voice(document, sdocs, title_doc)
    name = _base_name(document.path)
    out: list[Claim] = []
    questions: list[tuple[int, int, dict[str, Any]]] = []

    for sdoc, offset in pairs:
        to_doc = _aligner(text, sdoc, offset)
        for record in sdoc._.claims or []:
            start, end = to_doc(record["start_char"]), to_doc(record["end_char"])
            lines = _lines_between(index, starts, start, end)
            claim = _make_claim(name, text, start, end, lines, record, voice)
            if claim is not None:
                out.append(claim)
        for record in sdoc._.claim_questions or []:
            questions.append((to_doc(record["start_char"]), to_doc(record["end_char"]), record))

    if document.kind == "transcript":
        out.extend(_answers(name, text, index, starts, questions, voice))
    if len(_RESPONSE.findall(text)) >= 3:
        out = _answer_to_complaint(name, text, index, starts, out, voice)
    return _unique(out)


def _base_name(path: str) -> str:
    return re.split(r"[\\/]", path or "")[-1]


def _make_claim(name: str, text: str, start: int, end: int, lines: list[_Line],
                record: dict[str, Any], voice: _Voice) -> Claim | None:
    subject, obj = record["subject"], record["object"]
    if record["relation"] == "licensed" and not obj:
        others = [o for o in voice.title_orgs + voice.orgs if o.lower() != subject.lower()]
        if not others:
            return None
        obj = others[0]
    asserted_by, posture = record["asserted_by"], record["posture"]
    own_by, own_posture = voice.own(lines[0] if lines else None)
    if asserted_by is None:
        asserted_by = own_by
        posture = own_posture if posture in (None, "alleged") or own_posture == "testified" else posture
    else:
        asserted_by = voice.role(asserted_by) or own_by
        posture = posture or own_posture
    if asserted_by == "court" and posture in {"alleged", "stated"} and voice.court_document:
        posture = "found"
    if voice.kind == "article" and asserted_by == "author":
        posture = "reported"
    return Claim(
        doc=name, quote=_plain(text[start:end]), subject=subject, relation=record["relation"],
        object=obj, student_model=record.get("student_model"), asserted_by=asserted_by,
        posture=posture, polarity=record["polarity"], hedged=bool(record["hedged"]),
        page=lines[0].page if lines else None,
        line_start=lines[0].number if lines else None,
        line_end=lines[-1].number if lines else None,
        page_end=lines[-1].page if lines else None,
        char_start=start, char_end=end, cue=record.get("cue", ""))


def _answers(name: str, text: str, index: list[_Line], starts: list[int],
             questions: list[tuple[int, int, dict[str, Any]]], voice: _Voice) -> list[Claim]:
    """A witness's answer to a question about a proposition is the witness's claim."""
    out = []
    for q_start, q_end, record in questions:
        # the sentence may open with a heading ("BY MS. LEE:"): quote from the Q. turn
        k = max(0, bisect.bisect_right(starts, q_start) - 1)
        while k < len(index) and index[k].start < q_end and (index[k].speaker or "").upper() != "Q":
            k += 1
        if k < len(index) and q_start < index[k].start < q_end:
            q_start = index[k].start
        i = max(0, bisect.bisect_right(starts, q_end - 1) - 1)
        answer: list[_Line] = []
        j = i + 1
        while j < len(index) and len(answer) < 4:
            line = index[j]
            speaker = (line.speaker or "").upper()
            if speaker == "Q" or (answer and speaker not in {"A", "THE WITNESS", ""}):
                break
            if speaker in {"A", "THE WITNESS"}:
                answer.append(line)
            elif answer and not speaker:
                answer.append(line)
            elif not answer and speaker and "object" in text[line.start:line.end].lower():
                pass  # "ATTORNEY AGNOLUCCI: Object to form." and then the witness answers
            elif not answer and speaker:
                break  # the court or counsel takes over: no answer to read
            j += 1
        if not answer:
            continue
        reply = _SPEAKER_PREFIX.sub("", " ".join(text[l.start:l.end] for l in answer)).strip()
        if _ANSWER_YES.match(reply):
            polarity = "affirmed"
        elif _ANSWER_NO.match(reply):
            polarity = "negated"
        else:
            continue
        if record["polarity"] == "negated":
            polarity = "affirmed" if polarity == "negated" else "negated"
        first = reply.split(".")[0] if "." in reply[:200] else reply[:200]
        end = answer[0].start + len(text[answer[0].start:answer[0].end].rstrip())
        lines = _lines_between(index, starts, q_start, end)
        out.append(Claim(
            doc=name, quote=_plain(text[q_start:end]), subject=record["subject"],
            relation=record["relation"], object=record["object"],
            student_model=record.get("student_model"), asserted_by=voice.witness_at(answer[0]),
            posture="testified", polarity=polarity,
            hedged=bool(_ANSWER_HEDGE.search(first)) or bool(record["hedged"]),
            page=lines[0].page if lines else None,
            line_start=lines[0].number if lines else None,
            line_end=lines[-1].number if lines else None,
            page_end=lines[-1].page if lines else None,
            char_start=q_start, char_end=end, cue=record.get("cue", "")))
    return out


def _answer_to_complaint(name: str, text: str, index: list[_Line], starts: list[int],
                         claims: list[Claim], voice: _Voice) -> list[Claim]:
    """An answer repeats each paragraph of the complaint, then responds to it.

    The repeated paragraph is the plaintiff's allegation; "Denied." (or "otherwise
    deny the allegations") is the answering party's denial of each proposition
    in it that the response does not itself concede.
    """
    paragraph_starts = [m.start() for m in _PARAGRAPH_START.finditer(text)]
    responses = [m.start() for m in _RESPONSE.finditer(text)]
    segments = []  # (allegation start, response start, response end)
    for k, r in enumerate(responses):
        i = bisect.bisect_left(paragraph_starts, r) - 1
        a_start = paragraph_starts[i] if i >= 0 else r
        if segments and a_start < segments[-1][2]:
            a_start = segments[-1][2]
        nxt = bisect.bisect_right(paragraph_starts, r)
        r_end = paragraph_starts[nxt] if nxt < len(paragraph_starts) else len(text)
        if k + 1 < len(responses):
            r_end = min(r_end, responses[k + 1])
        segments.append((a_start, r, r_end))
    out = list(claims)
    plaintiff = voice.plaintiff
    claims = sorted(claims, key=lambda c: c.char_start)
    at = [c.char_start for c in claims]

    def within(lo: int, hi: int) -> list[Claim]:
        return claims[bisect.bisect_left(at, lo):bisect.bisect_left(at, hi)]

    # What the answering party says itself in any response, it concedes: a general
    # denial elsewhere does not take it back.
    conceded = set()
    for _, r_start, r_end in segments:
        for c in within(r_start, r_end):
            if c.polarity == "affirmed" and c.asserted_by == voice.filer:
                conceded.add((c.subject, c.relation, c.object))
                if c.posture in {"stated", "alleged"}:
                    c.posture = "admitted"
                    c.id = claim_id(c)
    for a_start, r_start, r_end in segments:
        alleged = within(a_start, r_start)
        for c in alleged:
            if c.asserted_by == voice.filer and plaintiff:
                c.asserted_by, c.posture = plaintiff, "alleged"
                c.id = claim_id(c)
        m = _DENIAL.search(text, r_start, r_end)
        if not m:
            continue
        s, e = _sentence_around(text, m.start(), r_start, r_end)
        lines = _lines_between(index, starts, s, e)
        for c in alleged:
            if c.polarity != "affirmed" or (c.subject, c.relation, c.object) in conceded:
                continue
            out.append(Claim(
                doc=name, quote=_plain(text[s:e]), subject=c.subject, relation=c.relation,
                object=c.object, student_model=c.student_model,
                asserted_by=voice.filer or "author", posture="denied", polarity="negated",
                hedged=False, page=lines[0].page if lines else None,
                line_start=lines[0].number if lines else None,
                line_end=lines[-1].number if lines else None,
                page_end=lines[-1].page if lines else None, char_start=s, char_end=e, cue="denied"))
    return out


def _sentence_around(text: str, pos: int, lo: int, hi: int) -> tuple[int, int]:
    """The sentence of `text` around `pos`, kept inside [lo, hi)."""
    start = lo
    for m in re.finditer(r"[.;]\s+(?=[A-Z])", text[lo:pos]):
        start = lo + m.end()
    m = re.search(r"[.](?=\s|$)", text[pos:hi])
    end = pos + m.end() if m else hi
    return start, end


def _unique(claims: list[Claim]) -> list[Claim]:
    seen = set()
    out = []
    for c in claims:
        k = (c.char_start, c.char_end, c.subject.lower(), c.relation, c.object.lower(),
             str(c.asserted_by).lower(), c.polarity)
        if k not in seen:
            seen.add(k)
            out.append(c)
    return out


def claims_for(document: Document, nlp: Language | None = None, batch_size: int = 8) -> list[Claim]:
    """Parse a document with the project pipeline and return its claims."""
    from .. import nlp as pipeline

    nlp = nlp or pipeline.load_pipeline()
    pieces = pipeline.chunks(document)
    docs = nlp.pipe((t for _, t in pieces), batch_size=batch_size)
    return extract_claims(document, zip(docs, (off for off, _ in pieces)), nlp=nlp)
