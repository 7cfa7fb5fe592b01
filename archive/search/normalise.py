"""Text normalisation shared by every search backend.

Indexing and querying both pass text through `tokens()`, so every backend sees the same plain
token stream: case-folded, without diacritics (Latin accents, Arabic harakat), with Arabic letter
variants unified (alef forms, taa marbuta, alef maqsura, tatweel), and with Chinese/Japanese runs
cut into overlapping character bigrams because those scripts put no spaces between words.
Doing it here, in Python, keeps SQLite FTS5, PostgreSQL and Elasticsearch in agreement and does
not depend on analyzers a cluster may lack (the osmem stand-in ignores `arabic_normalization`).
"""

from __future__ import annotations

import re
import unicodedata

# Arabic letters folded after NFKD has split off hamza/madda marks (which are combining marks).
_ARABIC_FOLD_PAIRS = (
    ("\u0629", "\u0647"),  # taa marbuta -> haa
    ("\u0649", "\u064a"),  # alef maqsura -> yaa
    ("\u0671", "\u0627"),  # alef wasla -> alef
    ("\u0640", ""),        # tatweel (kashida)
)

# Ideographs and kana: scripts written without spaces between words.
_CJK = (
    "\u3040-\u30ff"      # hiragana, katakana
    "\u3400-\u4dbf"      # CJK extension A
    "\u4e00-\u9fff"      # CJK unified ideographs
    "\uf900-\ufaff"      # compatibility ideographs
)
_CJK_RUN = re.compile(f"[{_CJK}]+")
_IS_CJK = re.compile(f"[{_CJK}]")
# A word is a run of letters, marks or digits; everything else separates words.
_WORD = re.compile(rf"[^\W_]+|[{_CJK}]+")


def _combining_class() -> re.Pattern:
    """A regex class of every combining mark of the Basic Multilingual Plane (accents, Arabic
    harakat, and the hamza and madda that NFKD splits off alef)."""
    ranges: list[tuple[int, int]] = []
    for cp in range(0x300, 0x10000):
        if unicodedata.combining(chr(cp)):
            if ranges and ranges[-1][1] == cp - 1:
                ranges[-1] = (ranges[-1][0], cp)
            else:
                ranges.append((cp, cp))
    return re.compile("[" + "".join(re.escape(chr(a)) + ("-" + re.escape(chr(b)) if b > a else "")
                                    for a, b in ranges) + "]+")


# A regex and four replace() calls: several times faster than str.translate with a table.
_MARKS = _combining_class()


def fold(text: str) -> str:
    """Case-fold and strip diacritics and Arabic letter variants, keeping the characters' order."""
    if text.isascii():
        return text.lower()
    # No NFC afterwards: index and query fold alike, so the decomposed form is never compared
    # with anything else (and the pass costs as much as the rest of the work).
    text = _MARKS.sub("", unicodedata.normalize("NFKD", text))
    for src, dst in _ARABIC_FOLD_PAIRS:
        if src in text:
            text = text.replace(src, dst)
    return text.casefold()


def _split_cjk(word: str) -> list[str]:
    """Cut a word into its non-CJK parts and CJK bigrams ("我的手表" -> 我的 的手 手表)."""
    out: list[str] = []
    pos = 0
    for m in _CJK_RUN.finditer(word):
        if m.start() > pos:
            out.append(word[pos:m.start()])
        run = m.group()
        if len(run) == 1:
            out.append(run)
        else:
            out.extend(run[i:i + 2] for i in range(len(run) - 1))
        pos = m.end()
    if pos < len(word):
        out.append(word[pos:])
    return out


def tokens(text: str) -> list[str]:
    """The normalised tokens of `text`, in order."""
    folded = fold(text or "")
    words = _WORD.findall(folded)
    if not _IS_CJK.search(folded):  # the common case: no word needs cutting
        return words
    result: list[str] = []
    for word in words:
        if _IS_CJK.search(word):
            result.extend(_split_cjk(word))
        else:
            result.append(word)
    return result


def normalise(text: str) -> str:
    """`tokens()` joined by single spaces: what the backends store and match."""
    return " ".join(tokens(text))


def is_cjk(token: str) -> bool:
    return bool(_IS_CJK.search(token))
