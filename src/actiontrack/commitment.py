"""What an action commits to: its predicate, its object, and what would show it done.

A phrase table fits the examples it was written from; a reviewer instead asks three
questions, and so does this module:
- the predicate: a change (add, replace, 導入, 設置), an improvement (improve, 強化, 見直し),
  an investigation (investigate, 検討), an effort or attitude (strive, 努める, 徹底), a
  reminder to people (remind, 周知, 注意喚起) or an open-ended activity (continue, 継続);
- its object: an artifact or mechanism (an alert, a test, a runbook, チェックリスト) or an
  abstract quality (reliability, visibility, 体制, 信頼性);
- a completion condition: a number or threshold, a named mechanism, a deliverable or a date.

A change of a named thing is verifiable; an improvement, investigation, effort or reminder
is verifiable only with a completion condition. Purpose clauses ("to improve visibility",
〜するため) are not commitments. The words are classified with small lexicons (one
per predicate class and language), never whole phrases, so an unseen object or a new
wording of the same predicate is judged the same way.

Cost: one tokenising scan of the head sentence per action (Japanese: one regex over the
text for predicate words), then a few dict look-ups: about the cost of the phrase rules'
key gates.
"""

from __future__ import annotations

import re
from typing import NamedTuple, Protocol

from actiontrack.lazyre import lazy_regex
from actiontrack.trie import trie_pattern


class Searcher(Protocol):
    """What the reader needs of the mechanism anchors: a search (a lazily compiled regex)."""

    def search(self, string: str, pos: int = ..., endpos: int = ...) -> re.Match[str] | None: ...


__all__ = ["Commitment", "Searcher", "analyse", "ja_care", "ja_object"]

# Predicate classes.
CHANGE = "change"
IMPROVE = "improve"
INVESTIGATE = "investigate"
EFFORT = "effort"
PERSON = "person"
ONGOING = "ongoing"


class Commitment(NamedTuple):
    """The head commitment of an action, and whether it names what would show it done."""

    kind: str  # CHANGE, IMPROVE, INVESTIGATE, EFFORT, PERSON or ONGOING
    start: int  # span of the predicate and its object in the text
    end: int
    obj: str  # the object words as written ("" when none)
    concrete: bool  # names a mechanism, artifact, deliverable or completion condition
    why: str  # what decided it: a short phrase for the message
    sentence: tuple[int, int] = (0, 0)  # the head sentence: the phrase rules read only it
    verb: str = ""  # the predicate's words as written ("Investigate", "look into", "見直し")
    by_details: bool = False  # a later sentence (the details) named the change
    guessed: bool = False  # the predicate is an unlisted word read as an imperative by its place


# --- English lexicons --------------------------------------------------------------------

def _split_words(words: str) -> list[str]:
    return words.split()


def _set(words: str) -> frozenset[str]:
    return frozenset(words.split())


def _forms(bases: str) -> dict[str, str]:
    """Every inflection of each base verb ("add" -> add, adds, added, adding)."""
    out: dict[str, str] = {}
    for base in bases.split():
        stem = base[:-1] if base.endswith("e") and not base.endswith("ee") else base
        double = base + base[-1] if re.fullmatch(r"[^aeiou]*[aeiou][bdgmnprt]", base) else base
        for form in (base, base + "s", base + "es", stem + "ed", base + "d", stem + "ing",
                     double + "ed", double + "ing", base[:-1] + "ies" if base.endswith("y") else base,
                     base[:-1] + "ied" if base.endswith("y") else base):
            out.setdefault(form, base)
    return out


_EN_CLASSES: dict[str, str] = {}
for _kind, _words in (
    (EFFORT, "strive endeavour endeavor try attempt aim seek encourage emphasise emphasize "
             "promote foster cultivate"),
    (PERSON, "remind communicate share inform tell educate train teach refamiliarize "
             "refamiliarise familiarize familiarise reiterate re-iterate ask urge advise "
             "recommend remember notice request"),
    (INVESTIGATE, "investigate explore research consider reconsider discuss evaluate assess "
                  "study analyse analyze spike debug think entertain brainstorm examine "
                  "review audit revisit rethink ponder reflect"),
    (IMPROVE, "improve enhance strengthen harden tighten optimise optimize refine streamline "
              "bolster boost increase reduce decrease minimise minimize maximise maximize "
              "expand simplify clarify mature evolve better lessen "
              "upgrade-process"),
    (ONGOING, "continue keep maintain pursue"),
):
    for _form, _base in _forms(_words).items():
        _EN_CLASSES[_form] = _kind
# Verbs that establish a fact are concrete when they name what they establish.
_EN_FIND = _forms("determine confirm identify establish verify reproduce quantify measure "
                  "find figure pin check test validate decide")
_EN_CHANGE = _forms(
    "add create build implement introduce set setup write document deploy enable disable remove "
    "delete drop replace migrate switch move use adopt upgrade downgrade pin bind configure fix "
    "update change rename rotate require enforce restrict limit block reject automate publish "
    "schedule run alert page send store split separate stop include make mirror revert restore "
    "backup apply assign allocate provision install uninstall patch raise lower cap purge clean "
    "cleanup archive delegate transfer register renew revoke disband destroy recreate rebuild "
    "redesign rewrite refactor rework reimplement port convert merge gate deprecate retire "
    "standardise standardize formalise formalize define draft publish post notify track log "
    "record report label tag flag mark annotate expose surface emit collect scan fuzz lint "
    "monitor watch isolate shard scale partition throttle buffer cache queue retry timeout "
    "encrypt sign hash audit-log whitelist allowlist denylist blacklist exclude ignore "
    "return hold give grant provide offer support allow permit prevent protect guard "
    "have need get obtain order buy procure hire staff plan design spin seed perform do "
    "establish open close file organise organize host reblog treat abolish avoid ban take develop "
    "propose enable extend accelerate prioritise prioritize release freeze halt suspend fire dismiss "
    "punish reprimand silence mute suppress swallow canary "
    "tune adjust modify tweak revise adapt alter mention approve address tackle solve"
)
_EN_CLASSES.update({form: CHANGE for form in _EN_CHANGE if form not in _EN_CLASSES})

# Multi-word predicates: first word -> {second word: class}.
_EN_PAIRS: dict[str, dict[str, str]] = {
    "look": {"into": INVESTIGATE, "at": INVESTIGATE, "for": INVESTIGATE},
    "dig": {"into": INVESTIGATE},
    "figure": {"out": INVESTIGATE},
    "find": {"out": INVESTIGATE, "a": INVESTIGATE, "ways": INVESTIGATE},
    "see": {"if": INVESTIGATE, "whether": INVESTIGATE, "how": INVESTIGATE},
    "focus": {"on": EFFORT, "more": EFFORT},
    "double": {"down": EFFORT},
    "think": {"about": INVESTIGATE, "through": INVESTIGATE},
    "follow": {"up": ONGOING},
    "make": {"sure": PERSON},
    "keep": {"an": EFFORT, "a": EFFORT, "in": PERSON},
    "pay": {"attention": EFFORT},
    "take": {"care": EFFORT},
    "work": {"with": ONGOING, "on": ONGOING, "toward": ONGOING, "towards": ONGOING},
    "raise": {"awareness": PERSON},
    "speed": {"up": IMPROVE},
    "put": {"more": EFFORT},
}
_PAIR_FORMS = {form: base for base in _EN_PAIRS for form, _ in _forms(base).items()}
# Words a sentence starts with before its predicate ("We will", "The team needs to").
_EN_LEAD = _set(
    "we we'll we're we've i i'll you they team teams our the a will would should shall must "
    "are is am 're also "
    "need needs to also now then going want wants plan plans intend intends can could may might "
    "please let's lets first finally immediately additionally further and all everyone "
    "eventually soon next additionally ideally likely probably definitely really still "
    "going gonna hope hopefully do don't not an therefore moreover furthermore addition "
    "in as well rest assured that entire it this these both resolve resolves today now recently "
    "yesterday since")
_EN_MODAL = _set("should will must shall would")
_EN_MODAL_TO = _set("need needs has have had want wants plan plans going intend intends ought")
_EN_SKIP_AFTER_MODAL = _set("be been also not now then always further")
_EN_ATTITUDE_ADJ = _set(
    "careful cautious vigilant mindful diligent attentive rigorous thorough proactive "
    "responsible disciplined aware conscious alert")
_EN_COMPARATIVE = _set(
    "better faster quicker stronger clearer easier improved more greater higher lower "
    "smoother safer tighter less simpler smarter sturdier leaner")
# Adjectives that leave an object unspecified ("better monitoring", "proper testing").
_EN_VAGUE_ADJ = _set(
    "dedicated temporary better improved more proper adequate sufficient appropriate different enhanced stronger "
    "further greater necessary relevant needed suitable good robust reliable extra "
    "additional increased proactive holistic comprehensive systematic")
# Objects that point at the incident, not at a thing to change ("Fix the problem behind it").
_EN_GENERIC = _set(
    "problem problems issue issues it this that incident incidents thing things gap gaps "
    "weakness weaknesses cause causes failure failures outage outages error errors mistake "
    "mistakes behind underlying root same such similar kind type class everything anything "
    "something what happened situation case cases fix fixes first final fast quick "
    "permanent occurring happening again future recurrence recurring reoccurring occur happen "
    "ever from mitigation mitigations")
# Objects that name a quality or an area, not an artifact.
_EN_ABSTRACT = _set(
    "reliability resilience robustness stability visibility observability quality security "
    "safety performance availability monitoring alerting testing tests coverage "
    "practices communication communications coordination "
    "collaboration awareness culture knowledge understanding way ways approach approaches "
    "strategy strategies measures measure actions action steps improvements improvement "
    "changes safeguards controls handling validation checks reviews review logging logs "
    "tooling tools efforts effort care attention focus discipline governance oversight "
    "management operations ownership accountability support training capability "
    "capabilities solution solutions options mechanisms things stuff work")
# A clause boundary inside an English sentence: purpose and condition clauses stop the object.
_EN_BOUNDARY = _set(
    "to so that in because which when if as since while until unless whenever where "
    "for by with via through")
_EN_DELIVER = _forms(
    "decide write document report propose produce publish share-findings summarise summarize "
    "list file open create implement fix design draft deliver recommend choose select pick")
# Option questions: investigating a remedy's possibility is not a deliverable.
_EN_OPTION = lazy_regex(
    r"\b(?:if|whether) (?:we|it|there|they|you|this|that|the team)\b.{0,30}?"
    r"\b(?:can|could|should|want|need|is a way|are ways|would|might|makes sense|worth)\b|"
    r"\bhow (?:we|to|can|could|best)\b|\b(?:ways|options|possibilit\w*|alternatives|approaches) "
    r"(?:to|for|of)\b|\bpossible\b|\bpotential (?:ways|options|solutions)\b",
    re.ASCII,
)
# A factual question about the incident: establishing it is a deliverable.
_EN_FACT = lazy_regex(
    r"\b(?:why|which|how many|how much|how long|how often|when|what caused|what happened|"
    r"root causes?|the cause|causes? of|caused by|whether .{0,60}?\b(?:caus\w*|because|due to))\b",
    re.ASCII,
)
_EN_DATE = lazy_regex(r"\bby (?:\d|end of|the end|q[1-4]|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|"
                      r"monday|tuesday|wednesday|thursday|friday|next)|\b\d{4}-\d\d-\d\d\b|"
                      r"\b(?:within|in) \d+ (?:days?|weeks?|months?)\b|\buntil\b", re.ASCII)
# Names that make an object concrete: code, identifiers, versions, acronyms, quoted names.
_EN_NAMED = lazy_regex(r"`[^`]+`|\"[^\"]{2,}\"|'[^'\s][^']{1,40}'|\b[a-z]+_[a-z0-9_]+\b|"
                       r"\b\w+\.\w+\b|\b[A-Z][a-z]+[A-Z]\w*|\b[A-Z0-9]{2,}s?\b|\b\w*\d\w*\b")
_EN_TOKEN = lazy_regex(r"[a-z0-9](?:[a-z0-9'_./-]*[a-z0-9])?", re.ASCII)
_EN_SENTENCE = lazy_regex(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(`])|\n+|;\s+|\s[-—–]\s")
_EN_LABEL = lazy_regex(r"^\s*([^:.]{1,60}?):\s+(?=\S)")


# A token: (word, start, end). A plain tuple: a NamedTuple costs a Python call per word.
_Token = tuple[str, int, int]


_PUNCT = ".,;:()[]{}\"'`!?*<>"


def _tokens(low: str, start: int, end: int) -> list[_Token]:
    """The words of low[start:end] with their spans (str.split: twice as fast as a regex)."""
    out: list[_Token] = []
    pos, find = start, low.find
    for raw in low[start:end].split()[:_MAX_TOKENS]:
        at = find(raw, pos)
        pos = at + len(raw)
        word = raw.strip(_PUNCT)
        if word:
            lead = len(raw) - len(raw.lstrip(_PUNCT))
            out.append((word, at + lead, at + lead + len(word)))
    return out


_MAX_TOKENS = 48  # the head and its object come first; a long description adds nothing


def _sentences(text: str) -> list[tuple[int, int]]:
    if "\n" not in text and ". " not in text and "? " not in text and "! " not in text and (
            "; " not in text and " - " not in text and " — " not in text and " – " not in text):
        return [(0, len(text))]  # the common case: a one-sentence title
    spans: list[tuple[int, int]] = []
    pos = 0
    for found in _EN_SENTENCE.finditer(text):
        if found.start() > pos:
            spans.append((pos, found.start()))
        pos = found.end()
    if pos < len(text):
        spans.append((pos, len(text)))
    return spans


def _head(tokens: list[_Token]) -> tuple[int, str] | None:
    """The index and class of a sentence's predicate, or None when it has none we know."""
    n = len(tokens)
    i = 0
    while i < n and _pair(tokens, i) is None:
        word = tokens[i][0]
        if word == "do" and i + 1 < n and tokens[i + 1][0] in ("everything", "whatever", "all", "our", "what"):
            return i, EFFORT  # "we will do everything possible"
        if word in _EN_MODAL_TO and i + 1 < n and tokens[i + 1][0] == "to":
            i += 2
            continue
        if word in ("need", "needs") and i + 1 < n:
            return i, CHANGE  # "We need an incident response process"
        if word in _EN_HAVE:  # "We have (already) updated …": the participle is the predicate
            k = i + 1
            while k < n and (tokens[k][0] in _EN_SKIP_AFTER_MODAL or tokens[k][0].endswith("ly")
                             or tokens[k][0] in ("already", "since", "just", "recently")):
                k += 1
            if k < n and tokens[k][0] in _EN_CLASSES and tokens[k][0].endswith(("ed", "en", "ut", "de")):
                i = k
                break
        if word not in _EN_LEAD:
            break
        i += 1
    if i < n and not (i and tokens[i - 1][0] in _EN_DETERMINER):  # "A check was added": a noun
        found = _classify(tokens, i)
        if found is not None:
            return i, found
        if tokens[i][0] in _EN_COMPARATIVE:
            return i, IMPROVE  # "Better alerting on CPU load", "Faster deployment revert"
    if i < n and tokens[i][0] in _EN_NOMINAL:
        return i, _EN_NOMINAL[tokens[i][0]]  # "Removal of the auto refresh", "Review of …"
    if (i == 0 and n > 2 and tokens[1][0] in _EN_OBJECT_START and tokens[0][0] not in _EN_NOT_VERB
            and not tokens[0][0].endswith("ly")):
        return 0, _GUESSED  # an imperative of a verb we do not list: "Snapshot the volume", "Re-submit all jobs"
    for j in range(i, min(n, i + 4)):  # "New hardware installation will reduce …"
        if tokens[j][0] in _EN_NOMINAL and j + 1 < n and tokens[j + 1][0] in _EN_MODAL:
            return j, _EN_NOMINAL[tokens[j][0]]
    for j in range(i, min(n - 1, i + 14)):  # "The prepuller should be fixed", "Admins should …"
        word = tokens[j][0]
        if word in _EN_MODAL or (word in _EN_MODAL_TO and tokens[j + 1][0] == "to"):
            k = j + 1 if word in _EN_MODAL else j + 2
            while k < n and tokens[k][0] in _EN_SKIP_AFTER_MODAL:
                if tokens[k][0] == "be" and k + 1 < n:
                    quality = _be(tokens, k + 1)
                    if quality is not None:
                        return k, quality
                k += 1
            if k < n:
                found = _classify(tokens, k)
                if found is not None:
                    return k, found
                if tokens[k][0] in _EN_COMPARATIVE:
                    return k, IMPROVE  # "needs to more closely mirror mainnet"
            break
        following = tokens[j + 1][0]
        if word in _EN_BE and following in _EN_CLASSES and following.endswith(("ed", "en", "ing")):
            # "is exploring" keeps its class; "were accelerated" is a done change
            return j + 1, _EN_CLASSES[following] if following.endswith("ing") else CHANGE
        if word in _EN_BE and following in ("been", "also", "already", "now", "since", "recently"):
            k = j + 1  # "has (also) been disabled and removed"
            while k < n - 1 and tokens[k][0] in ("been", "also", "already", "now", "since", "recently"):
                k += 1
            if tokens[k][0] in _EN_CLASSES and tokens[k][0].endswith(("ed", "en", "ut", "de")):
                return k, IMPROVE if _EN_CLASSES[tokens[k][0]] == IMPROVE else CHANGE
    for j in range(i, min(n, i + 5)):  # "Git configuration review": a noun phrase headed by a predicate
        if tokens[j][0] in _EN_NOMINAL and j > i and (j + 1 == n or tokens[j + 1][0] in _EN_BOUNDARY):
            return j, _EN_NOMINAL[tokens[j][0]]
    for j in range(max(i, 1), min(n, i + 5)):  # "Dedicated monitoring added to detect …": no 'be'
        word = tokens[j][0]
        if (word.endswith("ed") and _EN_CLASSES.get(word) == CHANGE and _EN_CHANGE.get(word, word) != word
                and tokens[j - 1][0] not in _EN_DETERMINER):
            return j, CHANGE
    return None


_EN_HAVE = _set("have has had 've")
_GUESSED = "change?"  # a change whose verb no lexicon lists
_EN_OBJECT_START = _set("the a an all our this these every each any")
_EN_NOT_VERB = _set("of for in on at by with from to and or but if when as is are was were")
_EN_BY_PEOPLE = _set("closely personally carefully actively diligently attentively")
_EN_WATCH = _set("monitor watch check verify review inspect look observe track")
_EN_WATCH_FORMS = _forms(" ".join(_EN_WATCH))


def _forms_base(word: str) -> str:
    return _EN_WATCH_FORMS.get(word, "")
_EN_BE_PASSIVE = _set("is are was were been be being")


_PARTICIPLE = ("ed", "en", "ut", "de")


def _passive(tokens: list[_Token], i: int) -> bool:
    """The predicate is a participle after 'be' ("have been applied") or after its subject alone."""
    word = tokens[i][0]
    if not word.endswith(("ed", "en", "ut", "de")) or i == 0:
        return False
    if tokens[i - 1][0] in _EN_BE_PASSIVE:
        return True
    # "Dedicated monitoring added to detect …" (no object follows), not "The team added a check"
    k = i + 1
    while k < len(tokens) and tokens[k][0].endswith("ly"):
        k += 1  # "Temporary fixes deployed immediately during …"
    return tokens[i - 1][0] not in _EN_LEAD and (k == len(tokens) or tokens[k][0] in _EN_BOUNDARY
                                                 or tokens[k][0] in ("and", "during", "after"))


def _subject(tokens: list[_Token], i: int) -> list[_Token]:
    """The noun phrase before a passive predicate, without lead words, modals and 'be'."""
    j = i
    while j > 0 and (tokens[j - 1][0] in _EN_BE or tokens[j - 1][0] in _EN_MODAL
                     or tokens[j - 1][0] in _EN_SKIP_AFTER_MODAL or tokens[j - 1][0].endswith("ly")):
        j -= 1
    out = [t for t in tokens[:j] if t[0] not in _EN_LEAD or t[0] in ("the", "a", "our")]
    for k, token in enumerate(out):  # "The process by which …": the phrase stops at a clause word
        if token[0] in _EN_BOUNDARY:
            return out[:k]
    return out


def _content(tokens: list[_Token], i: int, low: str, end: int) -> bool:
    """After a modify verb: says how it changes ("to run migrations first", "to 30 s", "with …").

    A clause of purpose or outcome ("to catch these errors", "to better handle …", "for quicker
    mitigation") says why, not what: it is no content."""
    if _measured(low[tokens[i][2] : end]):
        return True
    for k in range(i + 1, len(tokens) - 1):
        word, following = tokens[k][0], tokens[k + 1][0]
        if word in ("with", "by", "so") or (word == "to" and following not in _EN_PURPOSE_VERB
                                            and following not in _UNSPECIFIC
                                            and following not in _EN_COMPARATIVE):
            return not (word == "so" and following not in ("that", "it", "they"))
        if word == "that" and tokens[k - 1][0] == "so":
            return True
    return False




_EN_BE = _set("is are was were has have had been be being")
_EN_DETERMINER = _set("a an the this these our all")
_EN_NOMINAL = {
    **dict.fromkeys(_set("removal introduction creation implementation addition migration deployment "
                         "adoption automation replacement installation configuration enforcement "
                         "separation isolation rotation restriction setup upgrade"), CHANGE),
    **dict.fromkeys(_set("investigation review analysis audit exploration evaluation assessment "
                         "research study analyses investigations reviews audits"), INVESTIGATE),
    **dict.fromkeys(_set("improvement improvements enhancement enhancements strengthening"), IMPROVE),
}


def _be(tokens: list[_Token], k: int) -> str | None:
    """After 'be': an attitude ('more careful'), a wish ('more resilient'), a priority."""
    if _is_attitude(tokens, k):
        return EFFORT
    if (k + 1 < len(tokens) and tokens[k][0] in _EN_BY_PEOPLE
            and _forms_base(tokens[k + 1][0]) in _EN_WATCH):
        return PERSON  # "will be closely monitoring the load"
    words = [t[0] for t in tokens[k : k + 3]]
    if words and words[0] in ("more", "less"):
        return IMPROVE
    if "priority" in words or "priority" in [t[0] for t in tokens[k + 3 : k + 5]]:
        return EFFORT
    return None


def _is_attitude(tokens: list[_Token], k: int) -> bool:
    """'(more|extra) careful', 'more rigorous': an attitude after 'be'."""
    while k < len(tokens) and tokens[k][0] in ("more", "extra", "very", "especially", "even", "much"):
        k += 1
    return k < len(tokens) and tokens[k][0] in _EN_ATTITUDE_ADJ


def _pair(tokens: list[_Token], i: int) -> str | None:
    """A two-word predicate ('look into', 'work closely with': adverbs may come between)."""
    second = _EN_PAIRS.get(_PAIR_FORMS.get(tokens[i][0], ""))
    if not second:
        return None
    k = i + 1
    while k < len(tokens) and k < i + 3 and (tokens[k][0].endswith("ly") or tokens[k][0] == "very"):
        k += 1
    return second.get(tokens[k][0]) if k < len(tokens) else None


def _classify(tokens: list[_Token], i: int) -> str | None:
    word = tokens[i][0]
    pair = _pair(tokens, i)
    if pair is not None:
        return pair
    if word == "be":
        return _be(tokens, i + 1)
    if word == "take" and any(t[0] == "look" for t in tokens[i + 1 : i + 4]):
        return EFFORT  # "take a closer look"
    if word in ("try", "tries") and i + 1 < len(tokens):
        follows = tokens[i + 1][0]
        return EFFORT if follows in ("to", "our", "harder", "hard") else (
            INVESTIGATE if follows in ("if", "whether", "and") else CHANGE)
    if word in ("conduct", "conducting", "conducted", "perform", "performing", "undertake", "undertaking"):
        for token in tokens[i + 1 : i + 8]:  # "conducting a full root cause analysis": the noun decides
            if token[0] in _EN_NOMINAL:
                return _EN_NOMINAL[token[0]]
    if word in _EN_LIGHT:  # "make improvements to the status page": the noun is the predicate
        for token in tokens[i + 1 : i + 4]:
            if _EN_NOMINAL.get(token[0]) == IMPROVE:
                return IMPROVE
            if token[0] not in _STOP and token[0] not in _EN_VAGUE_ADJ:
                break
    if word in ("regular", "regularly", "periodic", "periodically", "ongoing", "continuous", "continuously"):
        return ONGOING  # "Regular monitoring … should be implemented"
    if word in ("start", "begin") and i + 1 < len(tokens) and tokens[i + 1][0].endswith("ing"):
        return ONGOING  # "Start writing after-action reports for future outages"
    if word.startswith("re-") and word[3:] in _EN_CLASSES:
        return _EN_CLASSES[word[3:]]
    if word in _EN_BY_PEOPLE and i + 1 < len(tokens) and _forms_base(tokens[i + 1][0]) in _EN_WATCH:
        return PERSON  # "will be closely monitoring database load": people watching, no mechanism
    if word in ("always", "never") and i + 1 < len(tokens):
        return PERSON  # a rule for people to remember: "Always run a highstate after …"
    if word in ("ensure", "ensures", "ensuring"):
        return _ensure(tokens, i)
    return _EN_CLASSES.get(word) or ("find" if word in _EN_FIND else None)


def _ensure(tokens: list[_Token], i: int) -> str:
    """'Ensure that we/everyone …' relies on people; 'ensure adequate X' names no change."""
    rest = [t[0] for t in tokens[i + 1 : i + 4]]
    if rest and rest[0] == "that":
        rest = rest[1:]
    if rest and rest[0] in ("we", "everyone", "engineers", "developers", "people", "reviewers",
                             "operators", "staff", "all", "each", "every", "you", "they"):
        return PERSON
    if rest and rest[0] in _EN_VAGUE_ADJ:
        return IMPROVE
    return CHANGE


def _object(tokens: list[_Token], i: int) -> list[_Token]:
    """The predicate's object: the words after it up to a purpose or condition clause."""
    j = i + 1
    if _pair(tokens, i) is not None:
        j += 1
    out: list[_Token] = []
    for token in tokens[j:]:
        if token[0] in _EN_BOUNDARY and out:
            break
        if token[0] == "and" and len(out) >= 2:
            break
        out.append(token)
    return out


def _fast_change(text: str, low: str, start: int, end: int) -> Commitment | None:
    """The common case, cheaply: 'Add a CI test that …', 'We will write a runbook for …'.

    The sentence's words (one str.split) after the lead words: when the first is a plain
    change verb and its object, up to a purpose or condition word, names something, the
    sentence is a concrete change. Anything else (None) takes the full reading below."""
    words = low[start:end].split()
    i, n = 0, len(words)
    while i < n and words[i] in _EN_LEAD_FAST:
        i += 1
    if i >= n - 1:
        return None
    verb = words[i].strip(_PUNCT)
    # a plain change verb: not one read specially, nor a modify verb ("We updated our runbooks":
    # the full reading asks whether it says how), nor a noun after a determiner ("Our monitoring …")
    if verb not in _EN_FAST_VERBS or words[i][-1] in ",;:" or (i and words[i - 1] in _EN_DETERMINER):
        return None
    obj: list[str] = []
    stop = ""
    for raw in words[i + 1 : i + 1 + _MAX_TOKENS]:
        bare = raw.strip(_PUNCT)
        if obj and (bare in _EN_BOUNDARY or (bare == "and" and len(obj) >= 2)):
            stop = raw
            break
        obj.append(bare)
        if raw[-1] in ",;(":
            break
    if not _EN_VAGUE_ADJ.isdisjoint(obj[:3]) or _UNSPECIFIC.issuperset(obj) or ("of" in obj and _generic_head(obj)):
        return None
    at = low.find(verb, start, end)
    # the commitment ends where its purpose or condition clause starts
    cut = low.find(" " + stop + " ", at, end) if stop else -1
    return Commitment(CHANGE, at, cut if cut > 0 else end, " ".join(obj), True, "names the change",
                      (start, end), text[at : at + len(verb)])


# Verbs the full reading treats specially (pairs, 'be', 'try to', 'make sure', 'need', …).
_EN_SPECIAL = _set("be try tries start begin always never ensure ensures ensuring take keep make have has "
                   "need needs look dig figure find think follow pay work raise speed put do")
_EN_LEAD_FAST = _EN_LEAD - {"need", "needs"}


def _named(text: str, start: int, end: int) -> bool:
    return _EN_NAMED.search(text, start, end) is not None


# Leading clauses and labels read past before the main clause ("To help, after the fix, we …"):
# real sentences have two or three; a line of "to a, to a, …" must neither recurse without
# bound (RecursionError) nor copy the sentence once per clause.
_MAX_LEADS = 8


def _sentence_verdict(
    text: str, low: str, start: int, end: int, anchors: Searcher, leads: int = 0
) -> Commitment | None:
    """The commitment of one sentence (a leading 'Label:' is read past), or None."""
    sentence = low[start:end]
    if ":" not in sentence and not sentence.rstrip().endswith("?"):
        fast = _fast_change(text, low, start, end)
        if fast is not None:
            return fast
    comma = sentence.find(", ") if leads < _MAX_LEADS else -1
    if comma > 0 and sentence.split(None, 1)[0] in _EN_FRONT:
        # "To help reduce the impact, we tuned our monitors …": the main clause follows the comma
        inner = _sentence_verdict(text, low, start + comma + 2, end, anchors, leads + 1)
        if inner is not None:
            return inner
    label = _EN_LABEL.match(low, start, end) if ":" in sentence and leads < _MAX_LEADS else None
    if label is not None and len(label[1].split()) <= 6:
        inner = _sentence_verdict(text, low, label.end(), end, anchors, leads + 1)
        if inner is not None:
            return inner
    tokens = _tokens(low, start, end)
    head = _head(tokens)
    if tokens and tokens[0][0] in _EN_ASK and low[start:end].rstrip().endswith("?"):
        head = None  # "Can teams use containerised DBs?": a question, not a commitment
    if head is None:
        if low[start:end].rstrip().endswith("?") and tokens:  # "Can teams use containerised DBs?"
            return Commitment(INVESTIGATE, start, _clause_end(low, start, end), "", False,
                              "is an open question")
        return None
    i, kind = head
    guessed = kind == _GUESSED
    if guessed:
        kind = CHANGE
    if i and kind in (CHANGE, IMPROVE) and tokens[i][0].endswith(_PARTICIPLE) and _passive(tokens, i):
        # "Mitigation measures have been applied to reduce …": the subject is what changed
        subject = _subject(tokens, i)
        if subject:
            words = [t[0].removesuffix("'s") for t in subject]  # "our monitoring system's sensitivity"
            concrete = not all(_unspecific(w) for w in words) and _EN_NOMINAL.get(words[-1]) != IMPROVE and not (
                kind == IMPROVE or (tokens[i][0] in _EN_MODIFY_PARTICIPLE and words[-1] in _EN_CONTAINER))
            concrete = concrete or _named(text, subject[0][1], subject[-1][2]) or _content(tokens, i, low, end)
            return Commitment(kind, subject[0][1], tokens[i][2], text[subject[0][1] : subject[-1][2]], concrete,
                              "names the change" if concrete else "names no specific change",
                              verb=text[tokens[i][1] : tokens[i][2]])
    obj = _object(tokens, i)
    obj_start = obj[0][1] if obj else tokens[i][2]
    obj_end = obj[-1][2] if obj else tokens[i][2]
    pred = tokens[i][1]
    rest = low[tokens[i][2] : end]

    def mechanism() -> bool:  # the anchor regex is the costliest scan: run it only when it decides
        return anchors.search(low, pred, end) is not None

    words = [t[0] for t in obj]
    what = text[obj_start:obj_end]
    if kind == "find":
        concrete = not _EN_OPTION.search(rest) and bool(words)
        return Commitment(INVESTIGATE, pred, _clause_end(low, tokens[i][2], end), what, concrete,
                          "names the question" if concrete else "asks whether a remedy is possible")
    if kind == CHANGE:
        # "better monitoring", "more documentation": a vague adjective on an area or a
        # deliverable; "additional alert notifications" names the thing added
        vague_adj = (not _EN_VAGUE_ADJ.isdisjoint(words[:3]) and not (
            _EN_ABSTRACT.isdisjoint(words) and _EN_DELIVERABLE.isdisjoint(words))) or (
            bool(words) and words[-1] in ("better", "closely", "more"))  # "Monitor the queue better"
        abstract = bool(words) and all(_unspecific(w) for w in words)
        abstract = abstract or _generic_head(words)
        verb = tokens[i][0]
        modify = verb in _EN_MODIFY and bool(words) and (_EN_SYSTEM.issuperset(words) or words[-1] in _EN_CONTAINER)
        if modify:
            # "We updated our auto-scaling configuration", "changed our monitoring rules to catch
            # these errors": a modify verb on a container says that it changes, not how; the
            # container being a runbook or an alert does not say what is in it
            abstract = not _content(tokens, i, low, end)
            if abstract and not _named(text, obj_start, obj_end):
                return Commitment(CHANGE, pred, obj_end, what, False, "names no specific change")
        if verb in ("make", "makes", "making") and not _EN_COMPARATIVE.isdisjoint(words):
            # "Make site failover easier, less manual", "Make the deploy pipeline more robust":
            # the change is a quality the object should gain; naming the object (a pipeline,
            # a mechanism) does not say how. Only a means, a trigger, a number or a name does.
            named = (_named(text, obj_start, obj_end) or _EN_BY_MEANS.search(low, obj_end, end) is not None
                     or _EN_TRIGGER.search(low, obj_end, end) is not None or any(c.isdigit() for c in rest))
            if not named:
                return Commitment(CHANGE, pred, obj_end, what, False, "names a quality, not a change")
            abstract = True
        concrete = (not (vague_adj or abstract) or mechanism() or _named(text, obj_start, obj_end)
                    or (not vague_adj and _does(tokens, i + len(obj) + 1))  # "safety layers … to split traffic"
                    or _EN_BY_MEANS.search(low, obj_end, end) is not None  # "fixed this by raising the limits"
                    or (bool(words) and words[-1] in _EN_FIX_NOUN and _fix_target(tokens, i + len(obj) + 1))
                    or _EN_TRIGGER.search(low, obj_end, end) is not None or _delivers(tokens, i, low))
        return Commitment(CHANGE, pred, obj_end, what, concrete,
                          "names the change" if concrete else "names no specific change", guessed=guessed)
    if kind == INVESTIGATE:
        # A question alone ("investigate why the cache was cleared", "the root cause of X") is
        # no deliverable: the corpus's labellers and LABELLING.md agree the outcome must be stated.
        deliverable = (_delivers(tokens, i, low) or _EN_DATE.search(rest) is not None
                       or _EN_BOUNDED.search(rest) is not None
                       or tokens[i][0].endswith("ed")  # "we audited all deployments": done
                       or (tokens[i][0] in _EN_AUDIT and _EN_TARGET.search(low, tokens[i][2], end) is not None))
        return Commitment(INVESTIGATE, pred, _clause_end(low, tokens[i][2], end), what, deliverable,
                          "no stated outcome")
    if kind == IMPROVE:  # "Improve the deploy pipeline": the pipeline is the object, not the change
        after = anchors.search(low, obj_end, end) is not None
        concrete = (after or _delivers(tokens, i, low) or _measured(low[obj_end:end])
                    or _EN_CODE.search(text, obj_end, end) is not None
                    or (tokens[i][0] in _EN_QUANTITY and bool(words) and not _UNSPECIFIC.issuperset(words)
                        and _EN_OUTCOME.isdisjoint(words)))
        return Commitment(IMPROVE, pred, obj_end, what, concrete, "names no change")
    if kind == ONGOING:
        concrete = (_EN_DATE.search(rest) is not None or mechanism() or _EN_BOUNDED.search(rest) is not None
                    or _delivers(tokens, i, low))
        return Commitment(ONGOING, pred, obj_end, what, concrete, "has no completion condition")
    if kind == PERSON and _EN_OUTSIDE.search(low, pred, end):  # "Inform affected users": a notice
        return Commitment(CHANGE, pred, obj_end, what, True, "tells the people affected")
    # An effort anchored to any mechanism ("keep an eye on lag with an alert at 60 s") is
    # concrete; a reminder only when it is written into the work (not "check the dashboard").
    means = (mechanism() if kind == EFFORT else _MEANS.search(low, pred, end) is not None
             or not _EN_ARTIFACT.isdisjoint(words)) or _delivers(tokens, i, low)
    return Commitment(kind, pred, obj_end, what, means,
                      "names an attitude" if kind == EFFORT else "relies on people remembering")


_EN_ASK = _set("can could should shall do does did is are will would how what why when where "
                    "who which may might must")
# A schedule with a bound or a scope in numbers: "weekly for the first month", "the last 30 days".
_EN_BOUNDED = lazy_regex(r"\b(?:daily|weekly|monthly|quarterly|every (?:day|week|month|sprint|release))\b"
                         r".{0,40}?\b(?:for|until|through)\b|\b\d+ (?:days?|weeks?|months?|hours?)\b", re.ASCII)
# Nouns that are deliverables when named, and vague only with "more", "better", "proper"
_EN_DELIVERABLE = _set("documentation docs guidance guide process processes procedure procedures "
                       "runbooks playbooks tests capacity")
# What a reminder or a share can hand over: telling people about an artifact is verifiable
_EN_ARTIFACT = _set("report reports document documents doc runbook runbooks guide write-up writeup "
                    "summary post-mortem postmortem rca faq checklist template slides")
# An adjustment of a named quantity ("Increase size of edge proxy VMs") is a change
_EN_QUANTITY = _set("increase increases increased increasing reduce reduces reduced reducing decrease "
                    "decreased lower lowered raise raised expand expanded extend extended")
# What a change achieves rather than what it changes: "Reduce the time taken from fix to release"
# sets a goal (the size of the VMs or the pool is a setting, and changing it is a change).
_EN_OUTCOME = _set("time times latency duration downtime delay delays error errors failures risk impact toil "
                   "mttr mttd outages incidents likelihood chance noise exposure "
                   "awareness visibility reliability resilience stability robustness availability confidence")
# What an audit or review looks for: "Audit the fleet for a configuration mismatch"
_EN_TARGET = lazy_regex(r"\bfor (?:a |an |any |all )?(?!the\b|future|improvements?|issues|problems)"
                        r"[a-z0-9-]+ [a-z0-9-]+", re.ASCII)
# Verbs that modify something already there, and objects that only name the area:
# "updated our documentation", "changed our monitoring rules" do not say what changed.
_EN_MODIFY = _set("update updates updated updating change changes changed changing adjust adjusts "
                  "adjusted adjusting modify modified tweak tweaked tune tuned revise revised adapt adapted "
                  "rework reworked")
# The fast path's verbs: a plain change, not read specially and not a modify verb.
_EN_FAST_VERBS = frozenset(w for w, kind in _EN_CLASSES.items() if kind == CHANGE) - _EN_SPECIAL - _EN_MODIFY
_EN_SYSTEM = _set(
    "the a an all any of on in for and some other this that these those existing current overall "
    "general internal new configuration config configurations rules rule policy policies "
    "documentation docs system systems "
    "software setup settings process processes monitoring alerting code infrastructure logic algorithm "
    "thresholds parameters procedures approach strategy tooling our their its auto-scaling autoscaling "
    "monitors alerts dashboards pipeline pipelines")
# Words a fronted purpose, time or condition clause starts with ("To prevent this, we …").
_EN_FRONT = _set("to in for after following moving going since once until with given based because "
                 "due as when whenever if while from during")
_EN_LIGHT = _set("make makes made making implement implements implemented implementing apply applies applied "
                 "applying deliver delivers delivered delivering ship ships shipped shipping introduce "
                 "introduced deploy deployed")
_EN_FIX_NOUN = _set("fix fixes patch patches bugfix hotfix")


def _fix_target(tokens: list[_Token], k: int) -> bool:
    """'a fix for parsing deposit logs', 'a fix to the directory service': what it fixes is named."""
    if k >= len(tokens) - 1 or tokens[k][0] not in ("for", "to", "in"):
        return False
    rest = [t[0] for t in tokens[k + 1 : k + 5]]
    if rest[0] in _EN_PURPOSE_VERB or (rest[0] in _EN_CLASSES and tokens[k][0] == "to"):
        return False  # "a fix to avoid the same issue": a purpose
    return not all(_unspecific(w) or w in _EN_BOUNDARY for w in rest)


_EN_BY_MEANS = lazy_regex(r"\bby (?!the\b|a\b|an\b|our\b)\w+ing\b", re.ASCII)
_EN_MODIFY_PARTICIPLE = _set("updated changed adjusted modified tweaked tuned revised adapted reworked")
# Whole things a modify verb touches without saying how: "updated our runbooks".
_EN_CONTAINER = _EN_SYSTEM | _set(
    "runbook runbooks playbook playbooks software subsystem subsystems layer layers sensitivity "
    "threshold monitor monitors alert rules workflow workflows procedure tooling service services "
    "scripts script templates template documentation docs guide guides page pages wiki")
# Verbs of a purpose clause: what the change is for, not what it is.
_EN_PURPOSE_VERB = _set(
    "prevent avoid catch detect handle improve help allow ensure provide reduce increase address "
    "mitigate support reflect account better more make take minimise minimize maximise maximize "
    "enable protect guard stop keep limit")
_EN_AUDIT = _set("audit audits auditing review reviews reviewing scan scanning inspect inspecting")
# Code-ish names: `x`, snake_case, dotted.names, CamelCase
_EN_CODE = lazy_regex(r"`[^`]+`|\b[a-z]+_[a-z0-9_]+\b|\b\w+\.\w+\b|\b[A-Z][a-z]+[A-Z]\w*")
# A condition clause naming the trigger: "Have alerting for when pods stay Pending".
_EN_TRIGGER = lazy_regex(r"\b(?:when|whenever|if|once)\b(?: \w+){2,}", re.ASCII)
# A question an investigation answers about the incident itself.
_EN_QUESTION = lazy_regex(r"\b(?:why|the reason|root cause|the cause|what caused|how many|how much|which)\b",
                          re.ASCII)
# People outside the team: telling them is a communication, not a reminder.
_EN_OUTSIDE = lazy_regex(r"\b(?:users?|customers?|clients?|public|subscribers|affected|regulators?|"
                         r"authorities|partners|vendors?|upstream)\b", re.ASCII)


# What turns a reminder or an effort into a mechanism: it is written into the work or automated.
# (An alert or a dashboard the people are reminded to look at is not one.)
_MEANS = lazy_regex(
    r"\b(?:check-?lists?|templates?|run-?books?|playbooks?|scripts?|automat\w*|auto-\w+|ci|"
    r"pre-?commit|hooks?|lint\w*|codeowners|onboarding|wiki|handbook|guide|guidelines|"
    r"(?:unit|integration|regression|e2e|smoke|automated|ci) tests?|tests? (?:that|which)|"
    r"checks? (?:that|which)|fails? (?:when|if)|blocks? (?:the )?(?:merge|deploy|release)|"
    r"written|documented|document|channel)\b|#[a-z][\w-]+",
    re.ASCII,
)
_STOP = _set("the a an our all any of on in for and more some other its their this that these "
                  "those existing current overall general internal new")
_EN_MEASURED = lazy_regex(r"\bfrom \S+ to \S+|\bto (?:\d|at least|at most|under|below|above)|"
                          r"\b\d+(?:\.\d+)?\s?(?:%|x|ms|s\b|seconds?|minutes?)", re.ASCII)
_CLAUSE_END = lazy_regex(r"[,;:()]|\s[-—–]\s")


def _clause_end(low: str, start: int, end: int) -> int:
    found = _CLAUSE_END.search(low, start, end)
    return (found.start() if found else end) if low[end - 1 : end] != "." else (
        found.start() if found else end - 1)


def _unspecific(word: str) -> bool:
    return word in _UNSPECIFIC


_UNSPECIFIC = _EN_ABSTRACT | _EN_VAGUE_ADJ | _STOP | _EN_GENERIC


def _does(tokens: list[_Token], k: int) -> bool:
    """A clause 'to <change verb> <named thing>' after the object: what the change does."""
    while k + 2 < len(tokens) and not (tokens[k][0] == "to" and tokens[k + 1][0] in _EN_CLASSES):
        k += 1  # past "to the router" to "to reject …"
    if k + 2 >= len(tokens):
        return False
    verb = tokens[k + 1][0]
    if _EN_CLASSES.get(verb) != CHANGE or verb in _EN_PURPOSE_VERB or verb in _EN_SPECIAL:
        return False
    rest = [t[0] for t in tokens[k + 2 : k + 6]]
    return not all(_unspecific(w) for w in rest)


def _generic_head(words: list[str]) -> bool:
    """'the root cause of the delays': the head noun before 'of' points at the incident only."""
    if "of" not in words:
        return False
    before = words[: words.index("of")]
    return bool(before) and all(_unspecific(w) for w in before) and not _EN_GENERIC.isdisjoint(before)


def _measured(rest: str) -> bool:
    return _EN_MEASURED.search(rest) is not None


def _delivers(tokens: list[_Token], i: int, low: str) -> bool:
    """A later '…, and <deliverable verb> <a named thing>' or 'by adding …' in the sentence."""
    for k in range(i + 2, len(tokens)):
        word = tokens[k][0]
        prev = tokens[k - 1]
        joined = prev[0] in ("and", "&", "then", "by", "with", "via") or "," in low[prev[2] : tokens[k][1]]
        if word == "make" and k + 1 < len(tokens) and tokens[k + 1][0] == "sure":
            continue
        if joined and (word in _EN_DELIVER or _EN_CLASSES.get(word) == CHANGE):
            obj = [t[0] for t in _object(tokens, k)]
            if (obj and obj[0] not in _EN_BOUNDARY and _EN_VAGUE_ADJ.isdisjoint(obj[:3])
                    and not all(_unspecific(w) for w in obj)):
                return True
    return False


def analyse_en(text: str, low: str, anchors: Searcher) -> Commitment | None:
    """The head commitment of an English action: its first sentence that has a predicate.

    When it is not concrete, a later sentence that commits to a concrete change (details
    such as "Alert when queue depth > 1000 for 5 min") makes the whole action concrete;
    a later sentence never makes a concrete head vague."""
    head: Commitment | None = None
    for start, end in _sentences(text):
        found = _sentence_verdict(text, low, start, end, anchors)
        if found is None:
            continue
        if head is None:
            head = found if found.verb else found._replace(sentence=(start, end),
                                                            verb=_first_word(text, found.start))
            if found.concrete:
                return head
        elif text[start:end].rstrip().endswith("?"):
            continue  # "… - maybe need another test?": a question names nothing done
        elif found.concrete and found.kind in (CHANGE, INVESTIGATE):
            return head._replace(concrete=True, why="the details name the change", by_details=True)
        elif anchors.search(low, start, end):
            return head._replace(concrete=True, why="the details name the mechanism", by_details=True)
    return head


def _first_word(text: str, start: int) -> str:
    found = _FIRST_WORD.match(text, start)
    return found[0] if found else ""


_FIRST_WORD = lazy_regex(r"[\w'-]+(?: (?:into|out|up|sure|about)\b)?")


def ja_care(text: str) -> bool:
    """A care word (もっと, 十分に, 慎重に): the commitment is an attitude, whatever its verb.

    Asked only when a finding's message is written, not on every reading."""
    return _JA_CARE.search(text) is not None


def is_japanese(text: str) -> bool:
    return not text.isascii() and _JA_SCRIPT.search(text) is not None


def first_sentence(text: str) -> tuple[int, int]:
    """The title's head sentence: the phrase rules read only this."""
    if is_japanese(text):
        stop = text.find("。")
        return (0, stop + 1) if 0 <= stop < len(text) - 1 else (0, len(text))
    spans = _sentences(text)
    return spans[0] if spans else (0, len(text))


_last: tuple[str, Commitment | None] = ("\0", None)


def analyse(text: str, anchors: Searcher) -> Commitment | None:
    """The head commitment of ``text``, read as Japanese when it holds Japanese script.

    The last result is kept: the vague-action rule and the tag suggestions ask in turn."""
    global _last
    if _last[0] == text:
        return _last[1]
    if is_japanese(text):
        found = analyse_ja(text, anchors)
    else:
        low = text.lower()
        if len(low) != len(text):
            low = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
        found = analyse_en(text, low, anchors)
    _last = (text, found)
    return found


# --- Japanese ----------------------------------------------------------------------------
_JA_SCRIPT = lazy_regex(r"[\u3040-\u30ff\u4e00-\u9fff]")
_JA_SENTENCE = lazy_regex(r"[^。\n]+[。]?")
# Predicate words (stems, so every conjugation matches) and their class. Light verbs
# (実施, 行う, 図る, 進める, 講じる, 取り組む, 対応) take the class of the verbal noun
# before them: 研修を実施 is training, 見直しを行い an improvement.
_JA_WORDS: dict[str, str] = {}
for _kind, _words in (
    (EFFORT, "努め 努力 全力 万全 期す 期して 期し 心がけ 心掛け 心がけ 意識向上 意識を高め 意識付け 意識づけ "
             "注意する 注意して 注意を払 慎重 留意 細心 気をつけ 気を付け 反省し 反省して 反省を 最優先 "
             "信頼回復 尽力 徹底 徹底的 厳正を期 なるべく できる限り 可能な限り 極力"),
    (IMPROVE, "強化 改善 見直し 見直す 見直 向上 充実 拡充 高度化 精緻化 厳格化 適正化 最適化 再構築 "
              "多様化 加速化 増強 整備 推進 底上げ 高め 厳しく 一層 適切な構築 分散化 効率化 迅速化 "
              "早期化 明確化 活性化 安定化 健全化 実効性 "
              "をより 短縮 削減 低減 軽減"),  # 「…をより堅牢にする」: a quality to gain, as "make … more robust"
    (INVESTIGATE, "検討 調査 検証 究明 点検 総点検 再点検 精査 分析 洗い出 評価 追及 再検証 調査中 検討中 "
                  "対策を練"),
    (PERSON, "周知 注意喚起 指導 啓発 啓蒙 教育 研修 訓練 徹底させ 指示 依頼 要請 "
             "再確認 照合 共有"),
    (ONGOING, "引き続き 継続的"),
    (CHANGE, "導入 追加 設置 新設 作成 開発 策定 構築 実装 変更 修正 廃止 停止 分離 統合 移行 増設 増員 "
             "設定 明記 記載 記入 義務付け 義務化 必須化 無効化 自動化 確立 立ち上げ 配置 常駐 公表 報告 "
             "用意 一元化 一本化 制限 禁止 限定 付与 削除 更新 切り替え 切替 置き換え 交換 設け 定め "
             "決め 作る 作り 確保 採用 適用 呼びかけ 呼び掛け 表示 返却 保管 送信 求め 認めない 受け付けない 改修 "
             "完了 済み 解消 提出 管理する 管理し 一括 処分 謝罪 改める 改め やめ "
             "確認する 確認を行 確認し 取得 突合 申請 貼付 掲示 掲載 発表 配布 送付 回収 搭載 実現 "
             "運用に変更 体制を講じ "
             "確認済 撤廃 縮小 終了 分割 遮断 暗号化 二重化 冗長化 多重化 可視化 設け 準備"),
):
    for _w in _words.split():
        _JA_WORDS.setdefault(_w, _kind)
_JA_LIGHT = ("実施", "行う", "行い", "行っ", "行な", "図る", "図り", "図っ", "進め", "講じ", "取り組", "取組",
             "対応", "行って")
# A word inside a compound noun is no predicate: 送付先, 報告内容, 検討委員会, 実施状況.
# A word followed by の is a modifier (改善の方向性, 利用者対応の改善点).
_JA_PREDICATE = lazy_regex(trie_pattern((*_JA_WORDS, *_JA_LIGHT), False))
# The check that a predicate word does not run on into a noun is done in Python: as a
# lookahead on each of the trie's 250 leaves, its character class took 0.3 s to compile.
_JA_NOUNISH = lazy_regex(r"[\u4e00-\u9fff\u30a0-\u30ff]")
# A predicate followed by these is the purpose, not the commitment ("強化するため、…").
_JA_PURPOSE = lazy_regex(r"[^、。]{0,6}?(?:ため|ように|よう[に、\u4e00-\u9fff\u30a0-\u30ff]|"
                         r"に向け|を目的|べく|できるよう)|"
                         r"(?:の)?(?:に|へ)(?:向け|取り組|取組|努め|全力|万全|最優先|尽力)")
# Nouns that name an area or a quality, not a thing to change.
_JA_ABSTRACT = tuple(
    _split_words(
    "体制 態勢 対策 措置 防止策 再発防止策 施策 取組 取り組み 管理 取扱い 取り扱い 取扱 運用 "
    "方法 手法 方策 在り方 あり方 意識 信頼性 品質 安全性 安全 信頼 対応 環境 連携 協力 "
    "周知 広報 セキュリティ ガバナンス 統制 コンプライアンス 業務 事務 処理 事務処理 教訓 "
    "改善策 再発防止 有効性 リスク 改善点 機能 状況 事項 内容 強化 改善 徹底 教育 指導 "
    "チェック 稼働 安定稼働 システムの一部 "
))
_JA_GENERIC = _set("システム 同システム 両システム 当該システム")
# Things a change can name: artifacts, mechanisms, organisations, settings (a trie: one
# branch per character instead of eighty alternatives at every position).
_JA_THING = lazy_regex(trie_pattern(
    _split_words(
    "チェックリスト チェックシート 手順書 マニュアル 要領 規程 規定 ツール プログラム スクリプト "
    "ソフトウェア ソフトウエア サーバ 委員会 推進室 推進部 部署 組織 部門 担当者 責任者 チーム "
    "認証 パスワード 暗証番号 カメラ 印刷機 鍵 装置 設備 アラート 通知 メール BCC ファイル "
    "計画 報告書 データ 画面 仕組み 機械 封筒 台帳 システムを 試験 テスト 手順 仕様 設定 "
    "項目 "
), False) + r"|[A-Za-z0-9０-９]{2,}|「[^」]+」|[0-9０-９]")


_JA_NEGATED = lazy_regex(
                    r"(?:が|を)?(?:でき|し|され|さ)?(?:ていません|ていない|ません|なかった|られない|できない)")


_JA_NEGATED_FIRST = frozenset("がをでしされさて")
_JA_NOT_AFTER_NOUN = frozenset(("期す", "期して", "期し"))
_JA_AFTER_GATE = _JA_NEGATED_FIRST | {"は"}  # "て" is in both: 改めて, 〜ていません


def _ja_abstract(obj: str) -> bool:
    """The object names an area or a quality (管理体制の強化), not a thing to change."""
    return obj in _JA_GENERIC or obj.endswith(_JA_ABSTRACT)


# What shows an investigation, a training or an improvement done.
_JA_OUTCOME = lazy_regex(r"特定|結果|報告|判断|決定|結論|方針|までに|提案|可否|かどうか|取りまとめ|まとめ")
_JA_DONE = lazy_regex(r"^(?:し|を)?(?:しました|いたしました|した(?![いら])|済み?|してきた|てきた|ってきた|きた|"
                      r"を完了|完了|た(?:[。、]|$))")
_JA_BARE = lazy_regex(r"(?:対策|措置|取組|取り組み|改善策|再発防止策)[。]?$")
_JA_QUESTION = lazy_regex(r"かどうか|なぜ|原因を特定")
_JA_SCOPE = lazy_regex(r"を対象に|に向けた|全職員|全社員|全教職員|年[0-9０-９一二]回|毎年|毎月|四半期|"
                       r"(?<![0-9０-９])[0-9０-９]+月|定期的")  # a digit run starts a match once, not at every digit
def _ja_modifier(text: str, pos: int, end: int) -> bool:
    """The predicate ending at ``pos`` is a purpose or modifies a noun, not a commitment."""
    ahead = text[pos : pos + 12]
    if any(cue in ahead for cue in _JA_PURPOSE_CUES) and _JA_PURPOSE.match(text, pos, end):
        return True
    return ahead[:1] in "すしさで" and _JA_RELATIVE.match(text, pos, end) is not None


_JA_PURPOSE_CUES = ("ため", "よう", "向け", "目的", "べく", "取り組", "取組", "努め", "全力", "万全", "最優先", "尽力")
# A predicate in a relative clause modifies the noun after it ("事業を実施している医療機関").
_JA_RELATIVE = lazy_regex(
                     r"(?:する|した|している|していた|される|された|できる|させる)[\u4e00-\u9fff\u30a0-\u30ff]")
_JA_HABIT = lazy_regex(r"場合は|場合も|際は|際には|時は|ときは|たびに|都度|逐一|毎回|常に")
_JA_CARE = lazy_regex(r"もっと|より一層|入念|念入り|十分に|充分に|慎重に|しっかり|確実に|細心|厳重に|厳格に|"
                      r"適切に|万全")
_JA_CLAUSE = lazy_regex(r"[、。，,\n]|とともに|と共に|及び|および|ならびに|並びに")


class _Clause(NamedTuple):
    kind: str
    start: int  # where the clause's object starts
    pred: int  # where the predicate starts
    end: int  # where the predicate ends


def _ja_clauses(text: str, start: int, end: int) -> list[_Clause]:
    """The commitment clauses of a sentence: each predicate word that is not a purpose."""
    clauses: list[_Clause] = []
    boundary = start
    last: _Clause | None = None
    breaks = [m.end() for m in _JA_CLAUSE.finditer(text, start, end)]
    for found in _JA_PREDICATE.finditer(text, start, end):
        word = found[0]
        after = text[found.end() : found.end() + 1]
        if after and (after == "の" or _JA_NOUNISH.match(after)) and _JA_NOUNISH.match(word[-1]):
            continue  # 送付先, 報告内容, 改善の方向性: part of a noun, not a predicate
        if after in _JA_AFTER_GATE or word in _JA_NOT_AFTER_NOUN:
            if word in _JA_NOT_AFTER_NOUN and found.start() > start and _JA_NOUNISH.match(text[found.start() - 1]):
                continue  # 同期する, 時期: the tail of a noun (万全を期す is the predicate)
            if (word == "改め" and after == "て") or (after == "は" and _JA_NOUNISH.match(word[-1])):
                continue  # 改めて is an adverb; 「変更は、」 is the topic, not the predicate
            if after in _JA_NEGATED_FIRST and _JA_NEGATED.match(text, found.end(), end):
                continue  # 「実施できていません」: a statement of what is not done, no commitment
        while breaks and breaks[0] <= found.start():
            boundary = breaks.pop(0)
        kind = _JA_WORDS.get(word)
        if kind is None:  # a light verb: the class of the noun right before it
            if last is not None and found.start() - last.end <= 3:
                clauses[-1] = last = last._replace(end=found.end())
                continue
            kind = CHANGE if word in ("実施", "行う", "行い", "行っ", "行な", "行って", "対応", "講じ") else EFFORT
        if _ja_modifier(text, found.end(), end):
            continue
        if last is not None and found.start() - last.end <= 1 and last.start == boundary:
            # "研修徹底", "管理の強化の徹底": the later word is the predicate of the earlier
            clauses[-1] = last = _Clause(_stronger(last.kind, kind), last.start, last.pred, found.end())
            continue
        stop = found.end()
        if word == "をより" and (quality := _JA_QUALITY.match(text, stop, end)) is not None:
            stop = quality.end()  # the phrase quoted is 「…をより堅牢に」, the quality included
        last = _Clause(kind, boundary, found.start(), stop)
        clauses.append(last)
    return clauses


_JA_QUALITY = lazy_regex(r"[^、。をがは]{1,10}?(?:に|く)")


def _stronger(first: str, second: str) -> str:
    """Of two stacked predicates, the vaguer class wins: 研修徹底 is an effort."""
    order = (EFFORT, PERSON, ONGOING, IMPROVE, INVESTIGATE, CHANGE)
    return first if order.index(first) < order.index(second) else second


def ja_object(obj: str) -> str:
    """A clause's object as a hint names it: without the purpose before it."""
    return _ja_purpose_cut(obj) if "ように" in obj or "ため" in obj or obj[-1:] == "的" else obj


def _ja_purpose_cut(obj: str) -> str:
    """A clause's object, after any purpose before it: 「二度と…ないように全庁的に確認する」."""
    cut = max(obj.rfind("ように"), obj.rfind("ため"))
    obj = obj[cut:].lstrip("ようにため、") if cut >= 0 else obj
    return "" if obj.endswith("的") else obj  # 「全庁的に」 is an adverb, not an object


def _ja_concrete(text: str, clause: _Clause, end: int, anchors: Searcher) -> bool:
    raw = text[clause.start : clause.pred].rstrip("をのにがはへと・")
    after = text[clause.end : end]
    if clause.kind in (CHANGE, INVESTIGATE, IMPROVE, PERSON) and _JA_DONE.match(after):
        return True  # "機能を改善した", "緊急点検を行ってきた": a done follow-up can be checked
    if _JA_CARE.search(text, clause.start, clause.end):
        return False  # "確認を入念に行う": an attitude, whatever the verb
    if clause.kind == CHANGE and _JA_HABIT.search(text, clause.start, clause.pred) and (
            text[clause.pred : clause.end].startswith("確認")):
        return False  # "〜する場合は…を確認する": a check each time, relying on people
    if clause.kind == PERSON and anchors.search(text, clause.start, clause.end):
        return True  # "チェックリストを確認する": the check is written down
    if clause.kind == CHANGE:
        if _JA_THING.search(raw):
            return True
        # 「二度とこういうことのないように全庁的に確認する」: the purpose is no object, nor an adverb
        obj = _ja_purpose_cut(raw) if "ように" in raw or "ため" in raw or raw[-1:] == "的" else raw
        return bool(obj) and not _ja_abstract(obj)
    if clause.kind == INVESTIGATE:  # what it produces comes after it; the question inside it
        return (_JA_OUTCOME.search(text, clause.end, end) is not None
                or _JA_QUESTION.search(text, clause.start, clause.pred) is not None)
    if clause.kind == PERSON and text[clause.pred : clause.end].startswith(("研修", "教育", "訓練")):
        return _JA_SCOPE.search(text, clause.start, clause.end) is not None
    if clause.kind == IMPROVE:
        return bool(re.search(r"[0-9０-９]", raw + after[:10]))
    return False


def analyse_ja(text: str, anchors: Searcher) -> Commitment | None:
    """The commitment of a Japanese action: concrete when any clause commits to a concrete
    change, else its first vague clause; None when no predicate is known."""
    sentences = [m.span() for m in _JA_SENTENCE.finditer(text)] if "。" in text or "\n" in text else []
    sentences = sentences or [(0, len(text))]
    first: Commitment | None = None
    for start, end in sentences:
        for clause in _ja_clauses(text, start, end):
            concrete = _ja_concrete(text, clause, end, anchors)
            if not concrete and first is not None:
                continue  # only the first vague clause is reported
            obj = text[clause.start : clause.pred].rstrip("をのにがはへと・")  # a hint cuts its purpose off
            found = Commitment(clause.kind, clause.start, clause.end, obj, concrete,
                               "names the change" if concrete else "names no mechanism", (start, end),
                               verb=text[clause.pred : clause.end])
            if concrete:
                return found._replace(by_details=first is not None)
            if first is None:
                first = found
    if first is None and (bare := _JA_BARE.search(text)) is not None:  # "通信障害の長期化を防ぐための対策"
        return Commitment(IMPROVE, 0, len(text), text, False, "names no measure", (0, len(text)),
                          verb=bare[0].rstrip("。"))
    return first
