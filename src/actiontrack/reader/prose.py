"""Commitments written as prose: "We will add …", "we'll stop …", 「…を導入します」「…してまいります」.

Teams often answer "what will we do?" in sentences instead of a list. Inside an action
section, each sentence that commits the team to something is an action; a sentence that
explains, regrets or describes is not. Outside one, only the strongest commitments count
(the reader reports where it found them), so a narrative's "we will see" stays prose.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from actiontrack.lazyre import lazy_regex

__all__ = [
    "Sentence", "commitments", "imperative", "introduces", "ja_sentence", "refers_back", "rejected", "sentences",
    "tracks", "under_way", "unquoted",
]


class Sentence(NamedTuple):
    start: int  # offset into the text given to `sentences`
    end: int  # one past its last character (its full stop included)
    text: str  # the sentence without its final full stop, whitespace collapsed
    done: bool = False  # a commitment already kept ("We have added …", 「…を導入しました」)


# Where an English sentence ends: a full stop, ? or ! before a space and a capital, a
# quote or a bracket, or the end; abbreviations ("e.g.", "i.e.", "etc.") do not end one.
_EN_END = lazy_regex(
    r"(?<!\be\.g)(?<!\bi\.e)(?<!\betc)(?<!\bvs)(?<!\bNo)[.!?](?=\s+(?:[\"'(\[A-Z0-9]|[^\x00-\x7f])|\s*$)")
_JA_END = lazy_regex(r"[。！？]|(?<![0-9０-９])．")  # "，．" is how some notices punctuate

_EN_STRONG = lazy_regex(
    r"\b(?:we|i|the team|our team|[A-Z][\w-]+ team)(?:\s+(?:will|shall|are going to|plan to|intend to|"
    r"are planning to|commit to|have committed to)\b|'ll\b|’ll\b)"
    # a reply in a thread leaves the subject out: "Will add the extension to the install script."
    r"|^will (?:be [a-z]+ing\b|(?!you\b|it\b|this\b|that\b|there\b|they\b|he\b|she\b|we\b|i\b|be\b)"
    r"(?![a-z]+ed\b)[a-z]+\b)"
    # "Cloud Platform will …", "The PSF will …": an organisation as the subject
    r"|^(?:[Tt]he )?(?-i:[A-Z][\w.-]*\s+[A-Z0-9][\w.-]*(?:\s+[A-Z0-9][\w.-]*){0,2}|[A-Z]{2,6})"
    r" will (?!not\b|be able\b|see\b|likely\b|probably\b)\w"
    # "The BeeGFS vendor will work on a bug fix", "t2bot.io will be adopting …": a named party
    # or a service written as its domain
    r"|^(?:[Tt]he )?(?:(?-i:[A-Z][\w.-]*) (?:vendor|provider|maintainers|developers|upstream|engineers)|"
    r"(?-i:[a-z0-9][\w-]*(?:\.[\w-]+){0,3}\.(?:io|com|org|net|dev|app|ai|xyz)))"
    r" will (?!not\b|be able\b|see\b|likely\b|probably\b|be (?:back|down|up|online|offline|unavailable)\b)\w"
    # one maintainer writing in the first person commits as a team does: "I'm moving back to …"
    r"|\b(?:we(?:'re|’re| are)|i(?:'m|’m| am)) (?:(?:now|also|currently|therefore|therefor|thus|so) ){0,2}"
    r"(?:adding|building|introducing|moving|hoping to|"
    r"changing|implementing|rolling out|working on|migrating|replacing|updating|improving|investigating|reviewing|"
    r"creating|setting up|putting|making|taking steps|going to|planning to|establishing|extending|switching|deploying|"
    r"enabling|mitigating this by|exploring|evaluating|"
    # work the team has started and not finished: "We're also looking at ways of monitoring for …"
    r"looking (?:at|into) (?:ways|options|how|whether|alternatives|moving|adding|improving)|"
    r"in the middle of (?:an? |the )?(?:ongoing )?(?:effort|project|migration|process) to)\b"
    r"|\bour (?:solution|plan|fix|remedy) (?:here |for this )?(?:is|will be) to \w"
    # "the first item on my to-do list is to put a new backup system in place"
    r"|\b(?:my|our) (?:to-?do|todo) list\b[^.]{0,40}?\b(?:is|will be) to \w"
    r"|\bwe(?:'ve|’ve| have) decided to (?!not\b)\w"
    # "To prevent such issues we have already planned some improvements and will apply them soon"
    r"|\bwe(?:'ve|’ve| have) (?:already |now )?planned (?:some |several |a few |further |more )?"
    r"(?:improvements|changes|fixes|measures|work)\b"
    r"|\b(?:going forwards?|moving forwards?|in the future|from now on),? (?:we|i)\b"
    r"|\bour next steps? (?:is|are|will be)\b",
    re.I,
)
_EN_PASSIVE = lazy_regex(
    r"\b(?:will|shall) (?:be|now be|also be) (?:added|created|implemented|updated|introduced|deployed|migrated|"
    r"documented|reviewed|changed|moved|set up|configured|enabled|disabled|removed|replaced|monitored|"
    r"tracked|automated|rotated|enforced|required|published|extended|expanded|hardened|audited|tested|"
    r"fixed|upgraded|restricted|revoked|scheduled|written|built|improved|issued|released|shipped|rolled out)\b",
    re.I,
)
_EN_WEAK = lazy_regex(
    r"\bwe (?:need|must|should|want|would like|hope|aim|expect) to\b|\bwe(?:'d| would) like to\b|"
    r"\bwe (?:likely |probably |also |still )?need (?:a|an|more|better|to)\b|"
    r"\b(?:need|needs) to be (?:added|fixed|changed|updated|documented|improved|reviewed|implemented)\b|"
    # "… which we should have deployed alone" is hindsight, a lesson: no commitment
    r"\b(?:will|shall)\b(?! not\b)|\b(?:should|must)\b(?! not\b| have\b|['’]ve\b|n['’]t\b)|"
    # a proposal or recommendation written under an action heading: "We could run scans
    # against …", "It would be useful to have …", "I recommend rotating …", "more could be done to …"
    r"\b(?:we|i) could\b(?! not\b| have\b|['’]ve\b|n['’]t\b)|"
    r"\bit would be (?:useful|good|nice|helpful|better|wise|worth) to\b|"
    # "It is necessary to monitor the task subsystem": the need, said impersonally
    r"\bit is (?:necessary|essential|crucial|vital|imperative) (?:for us )?to\b|"
    r"\b(?:i|we) (?:would |strongly )?(?:recommend|suggest|propose)\b|\bcould be (?:done|improved|added)\b",
    re.I,
)
_EN_PASSIVE_DONE = lazy_regex(
    r"\b(?:was|were|(?:has|have)(?: now| also| since| already){0,2} been|is now|are now)\s+(?:now\s+|also\s+)?"
    r"(?:added|updated|performed|written|completed|"
    r"changed|removed|deployed|fixed|rescoped|enabled|disabled|revoked|rotated|migrated|replaced|introduced|implemented|documented|"
    r"configured|increased|reduced|restricted|extended|patched|upgraded|rewritten|built|set up|put in place|"
    r"hardened|automated|moved|split|scheduled|created|published|reconfigured|tightened|limited|"
    r"made (?:read-only|private|immutable|mandatory|redundant))\b"
    # "Requested scopes are now resolved against …": how things work since the change
    r"|\b(?:is|are) now (?:always |also )?(?!used\b|based\b|located\b|called\b|known\b|restored\b|"
    r"recovered\b|resumed\b|stabili[sz]ed\b|resolved\b(?! (?:against|by|through|via|at|on)\b))[a-z]{3,}ed\b"
    # "SSH is no longer exposed to the internet": a state the team's change ended
    r"|\b(?:is|are) no longer (?:exposed|accessible|reachable|available|used|allowed|enabled|stored|shared)\b",
    re.I,
)
_EN_DONE = lazy_regex(
    r"\bwe (?:now|also now) have\b|"
    # how things run since the change: "We are now serving only the last 10 articles"
    r"\b(?:we|i)(?:'re|’re| are|'m|’m| am) now (?:only )?(?:serving|using|running|storing|keeping|sending|routing|"
    r"limiting|requiring|checking|enforcing|blocking|rejecting|caching|logging|monitoring|alerting)\b|"
    r"\b(?:we|i)(?:'ve|’ve| have)? (?:now |since |already |also )*(?:added|bumped|installed|shifted|"
    r"created|implemented|updated|introduced|deployed|"
    r"migrated|documented|changed|moved|set up|configured|enabled|disabled|removed|replaced|automated|"
    r"rotated|enforced|published|extended|expanded|hardened|fixed|upgraded|restricted|revoked|written|"
    r"built|put in place|put in|rolled out|shipped|released|merged|started|made|rescoped|reduced|increased|"
    r"turned on|turned off|switched|rewrote|reworked)\b",
    re.I,
)
# Under an action heading, work someone has started and not finished, whoever does it: "OSU is
# currently investigating options to avoid this", "The bot's code is being reviewed", "A project
# is also underway to replace the bridges". (Outside one it is news of the response: not read.)
_EN_ONGOING = lazy_regex(
    r"\b(?:is|are)\s+(?:(?:now|also|currently|still|actively)\s+){0,3}(?:investigating|exploring|evaluating|"
    r"working on|looking (?:at|into) (?:ways|options|how|whether|alternatives)|building out|developing|"
    r"implementing|migrating|rolling out|preparing|planning|undergoing)\b"
    r"|\b(?:is|are)\s+(?:(?:now|also|currently|still)\s+){0,3}being\s+(?:reviewed|implemented|put in place|"
    r"worked on|developed|built|rolled out|deployed|evaluated|rewritten|redesigned|migrated|added|improved)\b"
    r"|\b(?:is|are)\s+(?:also\s+)?(?:under ?way|in progress)\b",
    re.I,
)
# … unless the work is bringing the service back: "We are working on restoring access" is the response
_EN_RESTORING = lazy_regex(r"\b(?:restor(?:e|ing)|recover(?:y|ing)|bring(?:ing)? (?:it|them|the \w+) back)\b", re.I)
# … when the subject is the report's readers it is their doing, not the team's work ("Users are migrating")
_EN_READERS_SUBJECT = lazy_regex(r"^(?:you|your|users?|customers?|clients?|readers?|everyone)\b", re.I)
# An imperative sentence under an action heading: "Add retries to the uploader."
_EN_IMPERATIVE = lazy_regex(
    r"^(?:add|adopt|alert|automate|build|change|configure|create|define|deploy|disable|document|enable|"
    r"enforce|ensure|establish|extend|fix|implement|improve|increase|introduce|investigate|limit|migrate|"
    r"monitor|move|publish|reduce|refactor|remove|replace|require|restrict|review|revoke|rewrite|roll out|"
    r"rotate|run|schedule|set up|split|stop|switch|test|track|update|upgrade|use|validate|verify|write|"
    # the rest of the usual verbs of a follow-up ("Set alerts on the staging host to …")
    r"set|archive|assign|audit|back up|block|cap|clarify|consolidate|decommission|deprecate|design|detect|"
    r"encrypt|evaluate|expand|explore|harden|identify|instrument|integrate|isolate|notify|patch|pin|protect|"
    r"provision|rebuild|rename|restore|retire|separate|shorten|simplify|standardi[sz]e|throttle|tune)\b",
    re.I,
)
# Words that open an English sentence but are no bare verb, for `imperative(loose=True)`.
_NOT_VERBS = frozenset((
    "we", "i", "you", "they", "he", "she", "it", "our", "the", "a", "an", "this", "that", "these", "those",
    "there", "here", "in", "on", "at", "for", "with", "by", "from", "to", "of", "as", "if", "when", "while",
    "after", "before", "since", "because", "but", "and", "or", "so", "then", "also", "all", "some", "any", "no",
    "not", "each", "every", "one", "two", "many", "most", "more", "much", "such", "what", "which", "who", "how",
    "why", "where", "overall", "finally", "first", "second", "third", "lastly", "next", "now", "today",
    "unfortunately", "fortunately", "however", "moreover", "additionally", "furthermore", "its", "their", "my",
    "your", "his", "her", "both", "either", "neither", "other", "another", "same", "once", "until", "during",
    "without", "within", "about", "over", "under", "thanks", "thank", "please"
))
_FINITE = frozenset((
    "is", "are", "was", "were", "has", "had", "will", "would", "can", "could", "should", "may", "might", "must",
    "did", "does"
))


def imperative(sentence: str, *, loose: bool = False) -> bool:
    """Whether an English sentence opens with the verb of a follow-up ("Add retries to …").
    `loose`: any word that can be a bare verb opening it ("Have a response team on stand-by",
    "Know who …"), for a paragraph whose siblings open with the usual verbs."""
    if not sentence.isascii():
        return False
    if _EN_IMPERATIVE.match(sentence) is not None:
        return True
    first, _, rest = sentence.partition(" ")
    if not loose or not rest or not first.isalpha() or not first[:1].isupper():
        return False
    word = first.lower()
    if word in _NOT_VERBS or word.endswith(("s", "ed", "ing", "ly", "tion", "ment", "ness", "ity")):
        return False
    return rest.split(" ", 1)[0].lower() not in _FINITE


_EN_NOT = lazy_regex(
    r"\b(?:will not|won't|won’t|do not plan|decided not|not going to|no longer plan|"
    r"(?:will|'ll|’ll) (?:aim to |try to )?(?:provide|share|post|publish|give) (?:an? |further |more )?updates? "
    r"(?:on|about) (?:this|these|that|it|our progress|the (?:incident|investigation|situation|remaining))|"
    # a status page keeping its readers informed while the incident runs: "We will provide
    # additional updates as we learn more", "We'll share further information shortly"
    r"(?:will|'ll|’ll) (?:aim to |try to )?(?:provide|share|post|publish|give|send) (?:further|more|additional|"
    r"another) (?:updates?|information|details)|"
    r"\bwill (?:post |provide |share |send |give )?(?:an? |another |further |more )?updates? "
    r"(?:as|when|once|shortly|soon|again|here|in \d+|within|every|later|tomorrow)\b|"
    r"(?:will|'ll|’ll) (?:see|know|find out|keep you|update this|update you|post an update|be happy|be glad|"
    r"share more|let you know|continue to monitor|monitor the situation)|"
    # watching the system just restored is the response: "We will be monitoring this closely"
    r"(?:will|'ll|’ll) (?:be |continue )?(?:closely )?monitor(?:ing)? (?:this|it|things|the situation|closely)|"
    # what stays as it was is no change: "We will still update the cache on every deploy",
    # "Public access will remain suspended until …"
    r"(?:will|'ll|’ll) still (?!need\b|have to\b)|"
    r"\bwill (?:remain|stay|be kept) (?:temporarily )?(?:suspended|unavailable|offline|down|closed|disabled|paused|"
    r"read-only|in maintenance mode|as (?:is|it is|they are))\b|"
    r"(?:will|'ll|’ll|to) continue to "
    r"(?:take|do our best|be|work|monitor|invest|prioriti[sz]e|improve|strive|learn)|"
    # the document talking about itself: "We've published a postmortem that includes …",
    # "Here we will gather the issues …"
    r"(?:we|i)(?:'ve|’ve| have)? (?:now |also )?(?:published|posted|written|shared) (?:a|an|the|our|this)"
    r"(?: \w+){0,2} (?:postmortem|post-mortem|post mortem|report|write-?up|rca|analysis|blog post|status update)s?)"
    r"\b|^(?:here|below|in this (?:post|document|report|page|article|issue|thread|write-?up|postmortem)),? (?:we|i)\b"
    # an estimate or a guess, no work: "so this will take time", "we will probably never know"
    r"|\b(?:this|it|that) will (?:take|require) (?:some |more |a lot of )?(?:time|a while|longer)\b"
    r"|\bwill (?:probably |likely )?never (?:know|find out|be (?:sure|certain))\b"
    # what a course would take, no work: "if we roll back again, we will require their help"
    r"|\b(?:we|i) will require\b"
    # a forecast of how things will stand: "we'll be in a better position the next time"
    r"|(?:will|'ll|’ll) be (?:in an? (?:much |far )?(?:better|stronger|good) position|(?:much |far )?better "
    r"(?:prepared|placed|equipped|positioned))\b"
    # the post pointing at itself: "Read on to find out what happened and what we're going to do"
    r"|^read on\b|\bwhat (?:we|i)(?:'re|’re| are|'m|’m| am) going to do\b|\bwhat (?:we|i)(?: will|'ll|’ll) do\b"
    # the thread itself: "I'll close this issue", "Will reopen the ticket if it recurs"
    r"|\b(?:close|closing|reopen|re-open|keep) (?:this|the) (?:issue|ticket|thread|bug)\b",
    re.I,
)

_JA_COMMIT = lazy_regex(
    r"(?:いたします|致します|します|[てで]まいります|[てで]参ります|していきます|してゆきます|努めます|努めてまいります|"
    r"図ります|図ってまいります|行います|行ってまいります|実施します|進めます|進めてまいります|予定です|予定しております|"
    r"予定しています|計画しています|方針です|検討します|検討いたします|検討してまいります|徹底します|徹底いたします|"
    r"強化します|強化いたします|強化してまいります|取り?組みます|取り?組んでまいります|整備します|導入します|見直します|"
    r"改善します|対応します|対応いたします|対応してまいります|実施いたします|実施してまいります)$"
)
_JA_DONE = lazy_regex(
    r"(?:しました|いたしました|致しました|行いました|実施しました|導入しました|変更しました|追加しました|修正しました|"
    r"対応しました|完了しました|設定しました|適用しました|実施済みです|対応済みです|完了しております|"
    # the plain past of a change: 「…を確認するようにした」「…を実装した」
    r"ようにした|ことにした|(?:追加|変更|修正|導入|設定|実装|作成|更新|削除|適用|移行|無効化|有効化)した)$"
)
# A note in brackets closing a sentence (「…ようにした (`scripts/ping.ps1`)」): not its ending.
_JA_TRAILING_NOTE = lazy_regex(r"\s*[(（][^()（）]{1,120}[)）]$")
# In an action section, a sentence in the plain form ("…を作成する", "…に置く") or one that says
# the work is under way ("…を検討中です", "…と思います") is a commitment too.
# (「…はずです」「…ます」 are polite endings, not the plain form: "す" counts only after a stem.)
_JA_PLAIN = lazy_regex(r"(?:する|させる|できる|[^でだ]る|(?<![でま])す|[うくぐつぬぶむ]|行う|見直す|残す|置く|設ける)$")
_JA_PENDING = lazy_regex(r"(?:(?:検討|調査|準備|対応)しているところです|"
                         r"検討中です|調査中です|検討しております|調査しております|検討しています|調査しています|"
                         r"検討中|調査中|たいと思います|ようにします|ようにしたいと思います|予定)$")
# Under an action heading, work under way in the polite form, as "OSU is currently working on …"
# is: 「第二回線の敷設を進めています」「監視の見直しに取り組んでいます」「アラートの追加を準備中です」.
# (Not in closing paragraphs: there 「復旧作業を進めています」 is the response still running.)
_JA_ONGOING = lazy_regex(r"(?:進めています|進めております|進めているところです|取り?組んでいます|取り?組んでおります|"
                         r"準備中です|準備しています|実施中です|開発中です|構築中です|対応中です|作業中です)$")
# A measure the text itself says was turned down: "… it was rejected non-unanimously",
# 「…する案も出ましたが、今回は見送ることにしました」. A rejected measure is no action.
_REJECTED = lazy_regex(
    r"\b(?:it|this|that|which|the (?:idea|proposal|suggestion|option|recommendation|change))\s+"
    r"(?:was|were|has been|had been)\s+(?:\w+\s+)?(?:rejected|turned down|voted down|declined|ruled out)\b"
    r"|\b(?:we|the team)\s+(?:\w+\s+)?decided (?:against|not to)\b"
    # tried and taken out again: "Streaming the uploads was tried, then removed the same evening"
    r"|\b(?:(?:was|were|has been|had been) (?:tried|attempted)|we (?:tried|attempted) [^.;:]{1,80}?)"
    r"[,;]? (?:then|but|and|before being) (?:\w+ )?(?:removed|reverted|rolled (?:it |them )?back|dropped|"
    r"abandoned|undone|backed (?:it |them )?out|taken out)\b"
    r"|試(?:した|しました|みた|みました|行した|行しました)(?:が|けれど|ものの)[^。]{0,30}(?:元に戻|戻しました|戻した|取りやめ|中止|撤回)"
    r"|見送(?:る|り|ります|りました|った|ること)|不採用|採用しない|採用を見送|却下", re.I)


# A measure the team had long before the incident: "We have for several years enabled 2FA",
# 「以前から二要素認証を導入しています」. It is the state of things, not a change made after.
_STANDING = lazy_regex(
    r"^(?:we|the team|our team)\s+(?:have|has|had)\s+(?:for (?:several|many|a few|some|\d+) years|for years|"
    r"always|long)\b|\b(?:we|the team|our team) (?:have|has|had) (?:\w+ ){1,6}for (?:several|many|\d+) years\b"
    r"|^(?:以前から|従来から|かねてより|かねてから|もともと|元々)", re.I)


def rejected(text: str) -> bool:
    """Whether an item or sentence says its measure was turned down, or was in place long
    before the incident: either way no change the team commits to. (Every item is asked:
    the words the patterns need are looked for first, so most items cost a few scans.)"""
    if text.isascii():
        hinted = ("ject" in text or "decided" in text or "down" in text or "eclin" in text or "ruled" in text
                  or "tried" in text or "attempted" in text)
        if hinted and _REJECTED.search(text) is not None:
            return True
        return ("years" in text or "always" in text or "long" in text) and _STANDING.search(text) is not None
    if ("見送" in text or "採用" in text or "却下" in text or "試" in text) and _REJECTED.search(text) is not None:
        return True
    return text.startswith(("以前", "従来", "かねて", "もともと", "元々")) and _STANDING.search(text) is not None


# 「…するよう、…へ周知いたしました」: a purpose, as 「ように」 is; 「そのため、…を追加いたしました」 after
# the shortcoming it answers (a closing sentence opening so is the fix, not the response)
_JA_CUE = lazy_regex(r"ように|よう[、，]|防止|今後|再発|対策|改善|^そのため[、，]")


# Endings that commit whatever the sentence names: 「…に努めます」「…を調査中です」.
_JA_STRONG_END = (
    "てまいります", "て参ります", "でまいります", "努めます", "努めてまいります", "検討中です", "調査中です", "検討中",
    "調査中",
    "検討しております", "調査しております", "検討しています", "調査しています", "しているところです",
)


def _names_work(sentence: str, tail: str) -> bool:
    """Whether a closing sentence in the plain polite form says what work it commits to: an
    object (「…を導入します」), a subject matter (「…について」), a purpose (「再発防止のため」) or
    a word of remedial work (「…して対処したいと思います」). Without one, 「…します」 is a feeling or
    the moment's step (「ゾッとします」「一旦デプロイします」)."""
    if tail.endswith(_JA_STRONG_END):
        return True
    words = unquoted(sentence)
    return ("を" in words or "について" in words or _JA_CUE.search(words) is not None or (
        _JA_WORK.search(words) is not None)) and _JA_STOPGAP.search(words) is None


# Words of remedial work that say what is committed to without an object: 「…して対処したいと思います」.
_JA_WORK = lazy_regex(r"対処|対応|修正|改修|導入|実施|追加|変更|見直|強化|整備|監視|自動化|二重化|冗長化|"
                      r"リリース|適用|移行|増強|検討|構築|作成|実装|検証|周知|教育|訓練")


# The moment's step of the response, not a change after it: 「一旦デプロイします」「暫定的に…」.
_JA_STOPGAP = lazy_regex(r"一旦|いったん|ひとまず|とりあえず|暫定的に|一時的に|取り急ぎ")


def _closing_ja(sentence: str) -> str | None:
    tail = sentence.rstrip("。．.！!　 ")
    if _JA_NOT.search(unquoted(sentence)):
        return None
    if _JA_COMMIT.search(tail) or _JA_PENDING.search(tail) or tail.endswith(("たいと思います", "させていただきます")):
        return "open" if _names_work(sentence, tail) else None
    if _JA_DONE.search(tail) and _JA_CUE.search(sentence):
        return "done"
    return None


# What makes a closing sentence that reports a change a follow-up: "… has been updated to fix
# this issue", "… so that it no longer …" (as 「再発防止」「今後」 do in _JA_CUE).
_EN_CUE = lazy_regex(r"\b(?:to (?:fix|prevent|avoid|address|mitigate|stop)|prevents?|so that|recurr\w*|"
                     r"in the future|going forward)\b", re.I)


# Work the team says it is doing now so that the failure does not return: "We're carrying out
# maintenance tonight to reduce the likelihood this issue returns".
_EN_DOING = lazy_regex(r"\b(?:we|i)(?:'re|’re| are|'m|’m| am) (?:now |also |currently )?[a-z]+ing\b", re.I)
_EN_PREVENTING = lazy_regex(
    r"\b(?:to|in order to|so as to) (?:prevent|avoid|stop|reduce the (?:likelihood|chance|risk))\b", re.I)


# … of the failure coming back, not of the incident going on ("to prevent further impact")
_EN_AGAIN = lazy_regex(r"\b(?:recurr\w*|again|returns?|repeats?|in the future|future (?:incidents?|outages?))\b",
                       re.I)


# A change reported made since the incident ("… has now been configured with a 24 hour delay",
# "the bug … is already patched"), and work on a change started and not finished ("A project is
# also underway to replace the bridges", "… are being put in place"): in closing paragraphs both
# are follow-ups, unless what they bring back is the service itself.
_EN_SINCE = lazy_regex(r"\b(?:(?:has|have) now (?:also )?been|(?:is|are) (?:now |also )?already)\s+"
                       r"(?!(?:re)?solved\b|restored\b|recovered\b|fixed\b|handled\b|closed\b)[a-z]+ed\b", re.I)
_EN_UNDERWAY = lazy_regex(
    r"\b(?:project|effort|work|plan|migration)s? (?:is|are) (?:also |now |currently )?(?:under ?way|in progress)\b"
    r"|\b(?:is|are) (?:also |now |currently )?being (?:put in place|implemented|built|developed|rolled out)\b", re.I)


def _closing_en(sentence: str) -> str | None:
    if _says_done(sentence) and _EN_CUE.search(sentence):
        return "done"
    if _EN_RESTORING.search(sentence) is None and not _EN_NOT.search(sentence):
        if _EN_SINCE.search(sentence) and not rejected(sentence):
            return "done"
        if _EN_UNDERWAY.search(sentence) and not _EN_READERS_SUBJECT.match(sentence):
            return "open"
    if _EN_DOING.search(sentence) and _EN_PREVENTING.search(sentence) and _EN_AGAIN.search(sentence) and (
            not _EN_NOT.search(sentence)):
        return "open"
    return None


# Sentences that end like a commitment but are courtesy, apology or request.
_JA_NOT = lazy_regex(r"(?:お詫び|おわび|お願い(?!する)|ご迷惑|ご不便|ご理解|ご協力|ご了承|ご容赦|心より|深く|申し上げ|"
                     r"(?:お知らせ|ご報告|ご案内)(?:いたします|致します)|ございます|"
                     # the thread itself: 「本件は閉じさせていただきます」
                     r"(?:閉じ|クローズ)させて|クローズ(?:いたします|致します|します)|"
                     # news for the readers while it runs: 「復旧したらこのページを更新します」
                     r"(?:この|本)(?:ページ|記事|お知らせ)[^。]{0,12}(?:更新|追記)|"
                     # the service brought back is the response: 「…は順次復旧される予定です」
                     r"復旧(?:される|する|させる|できる)?(?:予定|見込み)|復旧(?:いた|致)?します|"
                     r"(?:本件|この(?:issue|イシュー|チケット))[^。]{0,12}(?:閉じ|クローズ))", re.I)


_QUOTED = lazy_regex(r"「[^「」\n]{0,200}」")


def unquoted(text: str) -> str:
    """The words outside 「…」: "ask the audience 「…お願いします」" quotes a courtesy, it makes none."""
    return _QUOTED.sub("「」", text) if "「" in text else text


# 「これは…対応済みです」「これで…なくなるはずです」: a sentence about the one before it.
# 「※通知文には…を載せる」: a note on the sentence before it, as a footnote mark says.
_JA_ANAPHORA = ("これ", "それ", "この対応", "この変更", "この設定", "この仕組み", "※")


# "To track it we've created a card", "We've filed an issue for this": the ticket of the
# commitment before it, not a change of its own.
_TRACKING = lazy_regex(
    r"\b(?:we|i)(?:'ve|’ve| have)? (?:now |also )?(?:created|opened|filed|raised|logged) (?:a|an)(?: \w+){0,2} "
    r"(?:card|ticket|issue|bug|task|jira)s?\b(?! (?:template|type|form))", re.I)


def tracks(sentence: str) -> bool:
    """Whether a sentence only says a ticket was opened for what the one before it commits to."""
    if "<" in sentence:  # "we've created <a href=…>a card</a>" in a post written in HTML
        sentence = _TAG.sub("", sentence)
    return sentence.isascii() and _TRACKING.search(sentence) is not None


_TAG = lazy_regex(r"<[^<>\n]{0,200}>")


# "This upgrade will be conducted within the day", "It will take a week": the work the sentence
# before it names, said again with when or how, not work of its own.
_EN_ANAPHORA = lazy_regex(
    r"(?:this|that|it)(?: (?:upgrade|change|migration|fix|work|move|switch|update|rollout|process|effort|project))?"
    r" (?:will|should|is going to|would) (?:be (?:conducted|done|carried out|completed|finished|rolled out|deployed)|"
    r"take|happen|start|begin|require)\b", re.I)


def refers_back(sentence: str) -> bool:
    """Whether a sentence opens by pointing at the one before it (its detail, not an action)."""
    if sentence[:1] in "TtIi" and sentence.isascii():
        return _EN_ANAPHORA.match(sentence) is not None
    return sentence.startswith(_JA_ANAPHORA)


def under_way(sentence: str) -> bool:
    """「…について調査中です」「対処を検討中です」: work on it has started and is not done."""
    tail = sentence.rstrip("。．.！!　 ")
    return _JA_PENDING.search(tail) is not None and _JA_NOT.search(unquoted(sentence)) is None


def ja_sentence(text: str) -> bool:
    """Whether Japanese words end as a sentence does (「…と呼びかける」「…します。」), not as a
    label (「再発防止策」「アクション」)."""
    tail = text.rstrip("　 ")
    if tail.endswith(("。", "．")):
        return True
    return bool(_JA_PLAIN.search(tail) or _JA_COMMIT.search(tail) or _JA_DONE.search(tail))


def sentences(text: str) -> list[Sentence]:
    """Split prose into sentences (English and Japanese), with their offsets in `text`."""
    out: list[Sentence] = []
    start = 0
    length = len(text)
    ja = not text.isascii()
    # The next end of each kind is kept until the cut passes it: searching both afresh after
    # every cut rescans to the end of the text for the kind that has no more ends (quadratic).
    end_ja = _JA_END.search(text) if ja else None
    end_en = _EN_END.search(text)
    while start < length:
        if end_ja is not None and end_ja.start() < start:
            end_ja = _JA_END.search(text, start)
        if end_en is not None and end_en.start() < start:
            end_en = _EN_END.search(text, start)
        ends = [m for m in (end_ja, end_en) if m is not None]
        if not ends:
            break
        stop = min(ends, key=lambda m: m.start()).end()
        _append(out, text, start, stop)
        start = stop
    if start < length:
        _append(out, text, start, length)
    return out


def _append(out: list[Sentence], text: str, start: int, stop: int) -> None:
    while start < stop and text[start].isspace():
        start += 1
    words = " ".join(text[start:stop].split())
    if words:
        out.append(Sentence(start, stop, words.rstrip(".。")))


# What makes a sentence of a report's opening a follow-up: it says the work is there so that the
# failure does not come back ("… to ensure that major outages do not happen", "… to reduce the
# impact of similar incidents in the future").
_EN_PREVENTS = lazy_regex(
    r"\b(?:to (?:prevent|avoid|stop|reduce (?:the )?(?:impact|chance|likelihood|risk))|"
    r"to ensure\b[^.]{0,60}?(?:\b(?:not|never|no longer)\b|n['’]t\b)|"
    r"(?:from )?happen(?:ing)? again|recurr\w*|(?:similar|future) (?:incidents?|outages?))\b", re.I)


def _opening_en(sentence: str) -> str | None:
    if not _english(sentence) or _EN_NOT.search(sentence) or _EN_PREVENTS.search(sentence) is None:
        return None
    if _EN_STRONG.search(sentence) or _EN_PASSIVE.search(sentence):
        return "open"
    if _EN_ONGOING.search(sentence) and not _EN_READERS_SUBJECT.match(sentence) and (
            _EN_RESTORING.search(sentence) is None):
        return "open"
    return None


def commitments(text: str, *, in_action_section: bool, closing: bool = False, done_too: bool = False,
                opening: bool = False) -> list[Sentence]:
    """The sentences of `text` that commit the team to an action (or say one was taken).

    In an action section, modal and imperative sentences count too; elsewhere only a
    strong "we will" / 「〜してまいります」 does. `closing` reads the closing paragraphs of a
    document without an action section, where a Japanese notice states its measures as
    「〜を導入します」「〜を検討中です」「〜するようにいたしました」. `done_too` keeps, outside
    an action section, the sentences that say the team did something ("we've documented …").
    `opening` reads the first paragraphs of such a document, where a summary may say what is being
    done so that it does not happen again: only such sentences, nothing else, count there.
    """
    found: list[Sentence] = []
    for sentence in sentences(text):
        words = _unlinked(sentence.text)
        if opening:
            kind = _opening_en(words) if len(words) <= 600 else None
            if kind is not None:
                found.append(sentence._replace(done=False))
            continue
        kind = _commitment(words, in_action_section)
        if kind is None and done_too and _says_done(words):
            kind = "done"
        if kind is None and closing:
            kind = _closing_en(words) if _english(words) else _closing_ja(words)
        if kind is not None:
            found.extend(_clauses(text, sentence, kind, in_action_section))
    return found


# Where a sentence joins two clauses that each have their subject: "…, and an explicit test … has
# been written", "…; we will also …". Only a few per sentence are looked at.
_CLAUSE_JOIN = lazy_regex(r",?\s+(?:and|but)\s+(?=(?:we|i|an?|the|our|this|they)\s)|;\s+", re.I)


def _clauses(text: str, sentence: Sentence, kind: str, in_action_section: bool) -> list[Sentence]:
    """A sentence reporting several changes made, each clause with its own subject ("The mitigation
    has been performed, and a test for the full flow has been written"), or a change made and one
    to come ("We now serve only ten articles, but we will enforce stricter limits"), is that many
    actions; one whose other clauses explain or qualify it stays one, and so does a plan of two."""
    whole = [sentence._replace(done=kind == "done")]
    if len(sentence.text) < 40 or not sentence.text.isascii():
        return whole
    cuts: list[tuple[int, int]] = []
    for join in _CLAUSE_JOIN.finditer(text, sentence.start, sentence.end):
        cuts.append((join.start(), join.end()))
        if len(cuts) > 3:
            return whole
    if not cuts:
        return whole
    parts: list[Sentence] = []
    start = sentence.start
    for cut_start, cut_end in [*cuts, (sentence.end, sentence.end)]:
        words = " ".join(text[start:cut_start].split()).rstrip(".")
        plain = _unlinked(words)
        part_kind = (_commitment(plain, in_action_section) or ("done" if _says_done(plain) else None)
                     ) if len(words) >= 8 else None
        if part_kind is None:
            return whole
        parts.append(Sentence(start, cut_start, words, part_kind == "done"))
        start = cut_end
    if not any(part.done for part in parts):
        return whole  # a plan of two clauses ("X will be updated … and we intend to …") is often one
    return parts


_CJK = lazy_regex(r"[\u3040-\u30ff\u3400-\u9fff\uff01-\uff5e]")
# A Markdown link inside a sentence ("We are [going to look](https://…) into …"): its words are
# the sentence's, its address is not. Bounded both sides, so a run of brackets costs linear time.
_INLINE_LINK = lazy_regex(r"\[([^\[\]\n]{1,300})\]\([^()\s\[\]]{1,500}\)")


def _unlinked(sentence: str) -> str:
    return _INLINE_LINK.sub(r"\1", sentence) if "](" in sentence else sentence


def _english(sentence: str) -> bool:
    """English is read as English with typographic quotes too ("we’re working on …")."""
    return sentence.isascii() or _CJK.search(sentence) is None


def _says_done(sentence: str) -> bool:
    """"We've documented a new process …", 「…を導入しました」: the team says it did something."""
    if len(sentence) < 8 or len(sentence) > 600 or sentence.endswith((":", "：")) or rejected(sentence):
        return False
    if _english(sentence):
        return not _EN_NOT.search(sentence) and bool(_EN_DONE.search(sentence) or _EN_PASSIVE_DONE.search(sentence))
    return not _JA_NOT.search(sentence) and bool(_JA_DONE.search(sentence.rstrip("。．.！!　 ")))


# A sentence whose work is the list after it: "The team will carry out the following actions to
# improve on-call", "We will take the steps below", 「以下の対策を実施してまいります」. Its colon may
# come a sentence later ("… Those are:"), so the words say it, not the punctuation; a colon after
# the words ("We will add the following alerts: disk, CPU") names the work in the sentence itself.
_FORWARD = lazy_regex(
    r"\b(?:the following(?: \w+){0,2}? (?:actions?|steps|measures|changes|improvements|items|tasks|"
    r"follow-?ups|remediations|work)\b|as follows\b|(?:actions|steps|measures|changes|improvements|tasks|"
    r"follow-?ups) (?:listed |outlined |described |detailed )?below\b|(?:listed|outlined|described|detailed) below\b)"
    r"(?![^:]*:)"
    r"|(?:以下|下記|次)の(?:[^。、：:]{0,8})?(?:対策|施策|取り?組み|措置|改善策?|アクション|項目)(?![^。：:]*[：:])",
    re.I)


def introduces(sentence: str) -> bool:
    """Whether a sentence points at the list after it for its work instead of naming any."""
    if sentence.isascii():
        if "follow" not in sentence and "below" not in sentence:
            return False
    elif "以下" not in sentence and "下記" not in sentence and "次の" not in sentence:
        return False
    return _FORWARD.search(sentence) is not None


def _commitment(sentence: str, in_action_section: bool) -> str | None:
    if len(sentence) < 8 or len(sentence) > 600 or sentence.endswith((":", "：")):
        return None  # an introduction to the list that follows is not an action itself
    if rejected(sentence) or introduces(sentence):
        return None
    if _english(sentence):
        if _EN_NOT.search(sentence):
            return None
        if _EN_STRONG.search(sentence) or _EN_PASSIVE.search(sentence):
            return "open"
        if sentence.endswith("?") and not in_action_section:
            return None
        if in_action_section and (_EN_WEAK.search(sentence) or _EN_IMPERATIVE.match(sentence)):
            return "open"
        if in_action_section and _EN_ONGOING.search(sentence) and not _EN_READERS_SUBJECT.match(sentence) and (
                _EN_RESTORING.search(sentence) is None):
            return "open"
        if in_action_section and (_EN_DONE.search(sentence) or _EN_PASSIVE_DONE.search(sentence)):
            return "done"
        return None
    tail = sentence.rstrip("。．.！!　 ")
    if tail.endswith((")", "）")):
        tail = _JA_TRAILING_NOTE.sub("", tail)
    if _JA_NOT.search(unquoted(sentence)):
        return None
    if _JA_COMMIT.search(tail):
        # 「…へ切り替えてまいります」「…を整えてまいります」: any verb going on into the future
        return "open" if in_action_section or tail.endswith(("てまいります", "て参ります", "でまいります", "努めます",
                                                              "予定です")) else None
    if in_action_section and _JA_DONE.search(tail):
        return "done"
    if in_action_section and (_JA_PLAIN.search(tail) or _JA_PENDING.search(tail) or tail.endswith(_JA_PROPOSAL)
                              or (_JA_ONGOING.search(tail) and "復旧" not in sentence)):
        return "open"
    return None


# A proposal under an action heading (「…を二重化すべき」「…があると望ましい」), as "we could …" is.
_JA_PROPOSAL = ("べき", "べきです", "べきである", "望ましい", "望ましいです", "とよい", "と良い", "ほうがよい",
                "方がよい", "方が良い", "とよいです", "と良いです",
                # what the team says it must do, as "we need to …" is: 「…を検討していかねばなりません」
                "ねばなりません", "ねばならない", "なければなりません", "なければならない", "なくてはなりません",
                "なくてはならない", "必要があります", "必要がある")
