"""Which rules govern a value: path expressions weighed against a concrete path (spec §2.3).

A concrete path is a tuple of fragments: ``"$"``, then object keys (``str``) and array indices
(``int``); XML adds element names, ``"@attr"`` and ``"#text"``. Every rule whose expression fits
a prefix of the path is a candidate; the product of its token weights ranks it (names and
indices 2, wildcards 1), ties go to the expression with more tokens. A rule written at an
ancestor applies *cascaded*. Selections are cached per path, so a body with many array items
pays for rule selection once per distinct path shape... and once per index otherwise.
"""

from collections.abc import Mapping
from typing import Final

from accord.matching.matchers import CompiledRules, compile_rules
from accord.pact.model import RuleList
from accord.pact.rules import ROOT, STAR, STAR_INDEX, PathToken, parse_path_expression

Fragment = str | int
ConcretePath = tuple[Fragment, ...]

_NO_MATCH: Final = (0, 0)


def _token_weight(token: PathToken, fragment: Fragment) -> int:
    if token == STAR:
        return 1
    if token == STAR_INDEX:
        return 1 if isinstance(fragment, int) else 0
    if isinstance(token, int):
        return 2 if isinstance(fragment, int) and fragment == token else 0
    if isinstance(fragment, int):
        # the reference parses ``.0`` as a name that still matches index 0
        return 2 if token == str(fragment) else 0
    return 2 if token == fragment else 0


def _weigh(tokens: tuple[PathToken, ...], path: ConcretePath) -> tuple[int, int]:
    """(weight, fragments consumed); weight 0 when the expression does not fit."""
    if len(tokens) > len(path):
        return _NO_MATCH
    weight = 1
    for token, fragment in zip(tokens, path, strict=False):
        w = _token_weight(token, fragment)
        if w == 0:
            return _NO_MATCH
        weight *= w
    return weight, len(tokens)


def _weigh_xml(tokens: tuple[PathToken, ...], path: ConcretePath) -> tuple[int, int]:
    """Like :func:`_weigh`, but ``[*]`` may also match no fragment: XML paths carry no indices,
    yet rules written as ``$.animals[*].alligator`` must still reach every ``alligator``."""
    best = _NO_MATCH

    def walk(ti: int, pi: int, weight: int) -> None:
        nonlocal best
        if ti == len(tokens):
            best = max(best, (weight, pi))
            return
        token = tokens[ti]
        if token == STAR_INDEX:
            walk(ti + 1, pi, weight)
        if pi >= len(path):
            return
        w = _token_weight(token, path[pi])
        if w:
            walk(ti + 1, pi + 1, weight * w)

    walk(0, 0, 1)
    return best


def _xml_local(token: PathToken) -> PathToken:
    """An XML rule token without its namespace: XML paths name elements and attributes by
    local name, while clients write the document's prefix (pact-jvm: ``$.ns:users.ns:user``,
    ``$.ns:user['@ns:kind']``) or, like the reference, the namespace URI before the colon."""
    if not isinstance(token, str) or token in (ROOT, STAR, STAR_INDEX) or ":" not in token:
        return token
    marker = "@" if token.startswith("@") else ""
    return marker + token.rsplit(":", 1)[1]


class RuleIndex:
    """The rules of one category keyed by path expression, with cached selection."""

    __slots__ = ("_cache", "_entries", "_xml")

    def __init__(self, rules: Mapping[str, RuleList], *, xml: bool = False) -> None:
        entries: list[tuple[tuple[PathToken, ...], CompiledRules | None, CompiledRules | None]] = []
        for expression, rule_list in rules.items():
            try:
                tokens = parse_path_expression(expression)
            except ValueError:
                continue  # rules.py rejects these when reading a pact; ignore here
            if xml:
                tokens = tuple(_xml_local(t) for t in tokens)
            entries.append(
                (
                    tokens,
                    compile_rules(rule_list),
                    compile_rules(rule_list, cascaded=True),
                )
            )
        self._entries = entries
        self._xml = xml
        self._cache: dict[ConcretePath, CompiledRules | None] = {}

    def __bool__(self) -> bool:
        return bool(self._entries)

    def extended(self, rules: Mapping[str, RuleList]) -> "RuleIndex":
        """This index plus ``rules``, ranked together: ``eachValue`` adds its nested rules for
        the values below one object, winning ties but not against more specific rules here."""
        added = RuleIndex(rules, xml=self._xml)
        combined = RuleIndex({}, xml=self._xml)
        combined._entries = [*added._entries, *self._entries]  # first wins ties
        return combined

    def select(self, path: ConcretePath) -> CompiledRules | None:
        """The rules that govern the value at ``path`` (own or cascaded), or ``None``."""
        try:
            return self._cache[path]
        except KeyError:
            pass
        chosen = self._choose(path)
        if len(self._cache) < 20_000:
            self._cache[path] = chosen
        return chosen

    def _choose(self, path: ConcretePath) -> CompiledRules | None:
        weigh = _weigh_xml if self._xml else _weigh
        best_rank = (0, 0)
        best: CompiledRules | None = None
        for tokens, own, cascaded in self._entries:
            weight, consumed = weigh(tokens, path)
            if weight == 0:
                continue
            rank = (weight, len(tokens))
            if rank > best_rank:
                chosen = own if consumed == len(path) else cascaded
                if chosen is not None:
                    best_rank = rank
                    best = chosen
        return best


ROOT_PATH: Final[ConcretePath] = (ROOT,)
