"""Pact regexes run on a linear-time engine (RE2), in the dialect pacts are written in.

Pinned here: what the engine answers (whole-value matching, no catastrophic backtracking), the
constructs it refuses and how it says so, the Java/Ruby spellings it rewrites, and where its
semantics differ from Python's ``re`` (which accord used before, issue #20 finding 7).
"""

import random
import re

import pytest

from accord.errors import AccordError, PactRegexError
from accord.matching.datetimes import compile_date_pattern
from accord.matching.matchers import check_value, compile_matcher
from accord.matching.regex_generation import generate_matching
from accord.pact.model import Matcher
from accord.pact.regex import compile_engine_pattern, compile_pact_regex, python_dialect


def matches(pattern: str, value: str) -> bool:
    return compile_pact_regex(pattern).fullmatch(value)


# --- the engine ---------------------------------------------------------------------------


@pytest.mark.timeout(5)
@pytest.mark.parametrize("pattern", ["^(a+)+$", "(a|a)*b", "(a*)*$", "(x+x+)+y", "(\\w+\\s?)*$"])
def test_catastrophic_patterns_answer_in_linear_time(pattern: str) -> None:
    hostile = "a" * 5000 + "!" if "x" not in pattern else "x" * 5000
    assert not matches(pattern, hostile)


def test_a_matcher_matches_the_whole_value() -> None:
    assert matches("red|blue", "red")
    assert matches("red|blue", "blue")
    assert not matches("red|blue", "redx")
    assert not matches("red|blue", "xblue")
    assert not matches("\\d+", "12a")
    assert matches("^\\d+$", "12")  # explicit anchors change nothing


def test_search_finds_the_leftmost_match_and_its_groups() -> None:
    found = compile_pact_regex(".*(\\/pacts\\/\\d+)$").search("http://localhost:8080/pacts/12")
    assert found is not None
    assert found.group(1) == "/pacts/12"
    assert (found.start(), found.end()) == (0, 30)
    assert compile_pact_regex("\\d").search("abc") is None


def test_non_ascii_values_are_matched_as_text() -> None:
    assert matches("caf.", "café")
    assert matches("\\p{L}+", "Ünïcödé")
    assert matches("[^a]+", "日本")


# --- where RE2's semantics differ from Python's re (behaviour change, documented) ---------


@pytest.mark.parametrize(
    ("pattern", "value", "python_re", "accord"),
    [
        # \d, \w, \s and \b are ASCII-only, as in Java and JavaScript: Python's re was Unicode
        ("\\d+", "٣٤", True, False),
        ("\\w+", "éa", True, False),
        ("\\s", "\u00a0", True, False),
        # `$` before a trailing newline: a whole-value match needs the newline consumed anyway
        ("\\d+$", "12\n", False, False),
        ("\\d+\\n", "12\n", True, True),
        # `.` does not match a newline in either
        ("a.b", "a\nb", False, False),
    ],
)
def test_differences_from_python_re_are_pinned(
    pattern: str, value: str, python_re: bool, accord: bool
) -> None:
    assert (re.fullmatch(pattern, value) is not None) is python_re
    assert matches(pattern, value) is accord


def test_unicode_categories_are_unicode_not_ascii_approximations() -> None:
    # Python's re could not spell \p{Lu}: accord used [A-Z]; RE2 knows the category
    assert matches("\\p{Lu}\\p{Ll}+", "Élan")
    assert not matches("\\p{Lu}", "é")
    assert matches("\\p{N}", "²")
    assert matches("\\p{Nd}+", "٣٤")  # Unicode digits, for who means them


# --- constructs a linear-time engine cannot run --------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "what", "construct"),
    [
        ("(a)\\1", "a backreference", "\\1"),
        ("(?<x>a)\\k<x>", "a named backreference", "\\k"),
        ("(?P<x>a)(?P=x)", "a named backreference", "(?P="),
        ("a(?=b)", "a lookahead", "(?="),
        ("a(?!b)", "a negative lookahead", "(?!"),
        ("(?<=a)b", "a lookbehind", "(?<="),
        ("(?<!a)b", "a negative lookbehind", "(?<!"),
        ("(?>a+)b", "an atomic group", "(?>"),
        ("a*+b", "a possessive quantifier", "*+"),
        ("a++b", "a possessive quantifier", "++"),
        ("a?+b", "a possessive quantifier", "?+"),
        ("a{2,3}+", "a possessive quantifier", "{2,3}+"),
        ("(a)?(?(1)b|c)", "a conditional group", "(?("),
    ],
)
def test_constructs_re2_cannot_run_are_refused_by_name(
    pattern: str, what: str, construct: str
) -> None:
    with pytest.raises(PactRegexError) as raised:
        compile_pact_regex(pattern)
    error = raised.value
    assert isinstance(error, AccordError)
    assert error.pattern == pattern
    assert error.construct == construct
    message = str(error)
    assert repr(pattern) in message
    assert what in message
    assert repr(construct) in message
    assert f"at position {pattern.index(construct)}" in message


@pytest.mark.parametrize("pattern", ["[(?=]x", "\\(?=", "[\\1]?", "\\\\1", "a+?", "a{2}?", "[+]+"])
def test_lookalikes_of_refused_constructs_are_not_refused(pattern: str) -> None:
    try:
        compile_pact_regex(pattern)
    except PactRegexError as exc:  # only a syntax error may remain, never a refusal
        assert exc.construct is None, exc


def test_a_syntax_error_names_the_pattern_and_the_engine_s_reason() -> None:
    with pytest.raises(PactRegexError) as raised:
        compile_pact_regex("a(b")
    assert raised.value.construct is None
    assert "'a(b'" in str(raised.value)
    assert "missing )" in str(raised.value)


@pytest.mark.parametrize("pattern", ["(a)\\1", "a(?=b)", "a(b"])
def test_a_matcher_whose_regex_cannot_run_is_a_mismatch_never_a_pass(pattern: str) -> None:
    check = compile_matcher(Matcher("regex", {"regex": pattern}))
    assert check.problem is not None
    failure = check_value(check, "aa", "aa", "$.name")
    assert failure is not None
    assert failure.startswith("Cannot check $.name: the regex")
    assert repr(pattern) in failure


def test_nested_each_value_regexes_are_compiled_by_the_same_engine() -> None:
    rules = [{"match": "regex", "regex": "(a)\\1"}, {"match": "regex", "regex": "^(a+)+$"}]
    check = compile_matcher(Matcher("eachValue", {"rules": rules}))
    refused, hostile = check.nested
    assert refused.problem is not None
    assert "backreference" in refused.problem
    assert hostile.pattern is not None
    assert not hostile.pattern.fullmatch("a" * 40 + "!")


# --- the Java/Ruby dialect pacts are written in --------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "accepted", "refused"),
    [
        ("\\p{Alpha}+", "abcXYZ", "ab1"),
        ("[\\p{Alpha}_]+", "ab_c", "ab-c"),
        ("\\p{Digit}{3}", "123", "12a"),
        ("\\p{Alnum}+", "a1B2", "a-1"),
        ("\\p{Upper}\\p{Lower}+", "Hello", "hello"),
        ("\\p{Punct}", "!", "a"),
        ("\\p{XDigit}+", "00ff", "0g"),
        ("\\P{Upper}+", "abc", "aBc"),
        ("a\\hb", "a\tb", "a\nb"),
        ("(?<year>\\d{4})-(?<month>\\d{2})", "2024-05", "2024-5"),
        ("\\Qa.b*c\\E", "a.b*c", "axbc"),
        ("\\u00e9t\\u00e9", "été", "ete"),
        ("ab\\Z", "ab", "ab\n"),
        ("\\e\\cA", "\x1b\x01", "eA"),
    ],
)
def test_java_and_ruby_spellings_run_under_re2(pattern: str, accepted: str, refused: str) -> None:
    assert matches(pattern, accepted)
    assert not matches(pattern, refused)


def test_quoted_text_from_the_compatibility_suite_is_literal() -> None:
    pattern = ".*(\\/\\Qpacts\\E\\/\\Qprovider\\E\\/\\Q{provider}\\E\\/\\Qfor-verification\\E)$"
    found = compile_pact_regex(pattern).search(
        "http://b/pacts/provider/{provider}/for-verification"
    )
    assert found is not None
    assert found.group(1) == "/pacts/provider/{provider}/for-verification"


def test_compiled_regexes_are_cached() -> None:
    assert compile_pact_regex("ord-\\d{6}") is compile_pact_regex("ord-\\d{6}")


# --- the Regex generator reads the same dialect and refuses the same constructs ------------


@pytest.mark.parametrize(
    "pattern",
    [
        "\\p{Alpha}{3}-\\d{2}",
        "[\\p{Upper}_]{4}",
        "(?<id>\\d{4})",
        "\\Qa.b\\E\\d",
        "x\\hy",
        "\\p{Lu}",
    ],
)
def test_generated_values_match_their_own_pattern(pattern: str) -> None:
    for seed in range(10):
        value = generate_matching(pattern, random.Random(seed))
        assert matches(pattern, value), (pattern, value)


def test_generation_refuses_what_the_matchers_refuse() -> None:
    with pytest.raises(PactRegexError, match="backreference"):
        generate_matching("(red|blue)-\\1", random.Random(1))
    with pytest.raises(PactRegexError, match="lookahead"):
        python_dialect("a(?=b)")


# --- date/time formats become regexes too: the same engine runs them -----------------------


@pytest.mark.timeout(5)
def test_a_hostile_date_format_cannot_make_matching_slow() -> None:
    # "AnAn…" becomes \d+\d+\d+…: minutes of backtracking in re for 30 digits and an "x"
    pattern = compile_date_pattern("An" * 12)
    assert not pattern.accepts("1" * 3000 + "x")
    assert pattern.accepts("1" * 30)


def test_date_formats_still_read_their_fields() -> None:
    iso = compile_date_pattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX")
    assert iso.accepts("2024-02-29T13:02:03.123Z")
    assert not iso.accepts("2023-02-29T13:02:03.123Z")  # no 29 February in 2023
    assert not iso.accepts("2024-13-01T13:02:03.123Z")
    assert compile_date_pattern("hh 'o''clock' a").accepts("07 o'clock PM")


def test_engine_patterns_give_groups_for_ascii_and_unicode_text() -> None:
    regex = compile_engine_pattern("(\\d{4})-(\\d{2})(?:x(.))?")
    ascii_match = regex.fullmatch_groups("2024-05")
    assert ascii_match is not None
    assert ascii_match.groups() == ("2024", "05", None)
    unicode_match = regex.fullmatch_groups("2024-05xé")
    assert unicode_match is not None
    assert unicode_match.group(3) == "é"
    assert regex.fullmatch_groups("2024-5") is None
