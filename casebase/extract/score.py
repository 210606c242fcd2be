"""Score predicted model-use claims against a gold set, as ../shared/tools/score_claims.py does.

The product cannot import from ../shared at run time, so the matching rules
live here too (a test checks both give the same figures on the same input):
a prediction matches a gold claim in the same document when their quotes
overlap (one contains the other, or they share 60% of the shorter one's
words) and subject, relation, object and polarity agree after alias mapping
(strict), or with models counted as their owners and distillation and
training on outputs counted as one relation (relaxed). Each gold claim
matches at most one prediction, first come first served.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Iterable

# The scorer's own alias and owner tables (CLAIMS.md): kept as the shared
# scorer has them so that figures agree; the project's alias table is richer.
ALIASES = {
    "openai": "OpenAI", "openai, inc.": "OpenAI", "openai inc": "OpenAI", "openai opco": "OpenAI",
    "openai global": "OpenAI", "oai corporation": "OpenAI", "the chatgpt maker": "OpenAI",
    "xai": "xAI", "x.ai corp.": "xAI", "x.ai corp": "xAI", "x.ai": "xAI", "xai corp.": "xAI",
    "xai corp": "xAI", "xai holdings": "xAI",
    "musk": "Musk", "elon musk": "Musk", "mr. musk": "Musk",
    "microsoft": "Microsoft", "microsoft corp.": "Microsoft", "microsoft corporation": "Microsoft",
    "deepseek": "DeepSeek", "hangzhou deepseek": "DeepSeek",
    "deepseek-r1": "R1", "r1": "R1", "deepseek-v3": "V3", "v3": "V3",
    "gpt-4": "GPT-4", "gpt4": "GPT-4", "gpt-4o": "GPT-4o", "chatgpt": "ChatGPT",
    "grok": "Grok", "claude": "Claude", "anthropic": "Anthropic", "google": "Google",
    "gemini": "Gemini", "meta": "Meta", "llama": "Llama",
}
OWNER = {"GPT-4": "OpenAI", "GPT-4o": "OpenAI", "ChatGPT": "OpenAI", "o1": "OpenAI", "o3": "OpenAI",
         "Grok": "xAI", "Claude": "Anthropic", "R1": "DeepSeek", "V3": "DeepSeek",
         "Gemini": "Google", "Llama": "Meta"}
RELAXED_RELATION = {"trained_on_outputs_of": "distilled_from"}
FIELDS = ("asserted_by", "posture", "hedged")


def canon(name: Any) -> Any:
    if name is None:
        return None
    k = re.sub(r"[’']s\b", "", str(name)).strip().lower()
    return ALIASES.get(k, str(name).strip())


def words(text: str | None) -> list[str]:
    return re.findall(r"[a-z0-9]+", (text or "").lower())


def quotes_overlap(a: str | None, b: str | None) -> bool:
    na, nb = " ".join(words(a)), " ".join(words(b))
    if not na or not nb:
        return False
    if na in nb or nb in na:
        return True
    wa, wb = set(na.split()), set(nb.split())
    return len(wa & wb) >= 0.6 * min(len(wa), len(wb))


def key(claim: dict[str, Any], relaxed: bool) -> tuple:
    subj, obj, rel = canon(claim.get("subject")), canon(claim.get("object")), claim.get("relation")
    if relaxed:
        subj, obj = OWNER.get(subj, subj), OWNER.get(obj, obj)
        rel = RELAXED_RELATION.get(rel, rel)
    return (subj, rel, obj, claim.get("polarity", "affirmed"))


def match(gold: list[dict], pred: list[dict], relaxed: bool) -> list[tuple[dict, dict]]:
    used: set[int] = set()
    pairs = []
    for g in gold:
        for i, p in enumerate(pred):
            if i in used or p.get("doc") != g.get("doc"):
                continue
            if key(p, relaxed) == key(g, relaxed) and quotes_overlap(p.get("quote"), g.get("quote")):
                used.add(i)
                pairs.append((g, p))
                break
    return pairs


def prf(n_match: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = n_match / n_pred if n_pred else 0.0
    r = n_match / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return round(p, 3), round(r, 3), round(f, 3)


def score(gold: list[dict], pred: list[dict], only_docs_in_gold: bool = False) -> dict[str, Any]:
    """The shared scorer's figures (its --json line) for these gold and predicted claims."""
    if only_docs_in_gold:
        docs = {g["doc"] for g in gold}
        pred = [p for p in pred if p.get("doc") in docs]
    figures: dict[str, Any] = {"gold": len(gold), "pred": len(pred)}
    for mode in ("strict", "relaxed"):
        pairs = match(gold, pred, mode == "relaxed")
        p, r, f = prf(len(pairs), len(pred), len(gold))
        figures[mode] = {"precision": p, "recall": r, "f1": f, "matched": len(pairs)}
        if mode == "relaxed" and pairs:
            for name in FIELDS:
                same = sum(1 for g, q in pairs
                           if (canon(g.get(name)) if name == "asserted_by" else g.get(name))
                           == (canon(q.get(name)) if name == "asserted_by" else q.get(name)))
                figures[f"{name}_accuracy"] = round(same / len(pairs), 3)
        if mode == "relaxed":
            missed = [g for g in gold if all(g is not m for m, _ in pairs)]
            figures["missed"] = [f"{g['doc']}: {g['subject']} {g['relation']} {g['object']}"
                                 for g in missed][:20]
    return figures


def load_jsonl(path: str | Path) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def report(figures: dict[str, Any]) -> str:
    """The figures as the shared scorer prints them."""
    lines = []
    n_gold, n_pred = figures["gold"], figures["pred"]
    for mode in ("strict", "relaxed"):
        m = figures[mode]
        lines.append(f"{mode:8} P={m['precision']:.3f} R={m['recall']:.3f} F1={m['f1']:.3f} "
                     f"(matched {m['matched']} of {n_gold} gold, {n_pred} predicted)")
    for name in FIELDS:
        if f"{name}_accuracy" in figures:
            lines.append(f"{name:12} accuracy on matched pairs: {figures[name + '_accuracy']:.3f}")
    return "\n".join(lines)


def unmatched(gold: Iterable[dict], pred: list[dict], relaxed: bool = True) -> list[dict]:
    """Predictions no gold claim took: the false positives, for error analysis."""
    gold = list(gold)
    taken = {id(p) for _, p in match(gold, pred, relaxed)}
    return [p for p in pred if id(p) not in taken]
