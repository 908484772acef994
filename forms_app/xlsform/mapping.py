"""What the XLSForm reader and writer share: names, appearances and expressions.

XLSForm keeps display logic as XPath (`relevant`, `constraint`); the builder keeps
one {field_key, operator, value} condition per item and numeric or regex limits.
Only the XPath shapes that mean exactly one of those are translated, both ways;
anything else is reported to the user rather than guessed.
"""

import re
from decimal import Decimal, InvalidOperation

from ..blocks import PHONE_VALIDATOR
from ..conditions import Operator
from ..standard_blocks import STANDARD_KEYS
from ..stream import CHOICE_TYPES

# Lists and appearances that mark builder blocks XLSForm has no type for, so that
# a form exported here maps back to the same blocks when imported again.
LOCALITY_LIST = "dlxh_communes"
YES_NO_LIST = "yes_no"
YES_NO_NAMES = ("yes", "no")
RATING_APPEARANCE = "likert"
MATRIX_APPEARANCE = "table-list"
PAGE_APPEARANCE = "field-list"
MULTILINE_APPEARANCE = "multiline"
DROPDOWN_APPEARANCES = {"minimal", "autocomplete", "search"}
PHONE_APPEARANCE = "numbers"
RATING_SCALES = (5, 7)
RESERVED_LISTS = {LOCALITY_LIST, YES_NO_LIST, *STANDARD_KEYS}
IMAGE_EXTENSIONS = "jpg,jpeg,png"

EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
PHONE_PATTERN = PHONE_VALIDATOR.regex.pattern

# Rows that collect device metadata or compute values: nothing to ask, nothing lost.
METADATA_TYPES = {
    "start",
    "end",
    "today",
    "deviceid",
    "subscriberid",
    "simserial",
    "phonenumber",
    "username",
    "email",
    "audit",
    "calculate",
    "hidden",
    "start-geopoint",
    "background-audio",
    "background-geopoint",
    "xml-external",
    "csv-external",
}

# Questions written as select_one or select_multiple, whose answers `selected()`
# tests: every choice question, and ratings (a select_one with the "likert"
# appearance; a Likert matrix is a group of them, never one question).
SELECT_TYPES = CHOICE_TYPES | {"rating"}

TRUE_WORDS = {"yes", "true", "true()", "1"}
FALSE_WORDS = {"", "no", "false", "false()", "0"}

_TOKEN = re.compile(
    r"""\s*(?:
    (?P<ref>\$\{[^}\s]*\})
    |(?P<str>'[^']*'|"[^"]*")
    |(?P<num>-?\d+(?:\.\d+)?)
    |(?P<op>>=|<=|!=|=|>|<)
    |(?P<punct>[(),])
    |(?P<word>[A-Za-z_][\w:-]*|\.)
    )""",
    re.VERBOSE,
)


def tokenize(text):
    """[(kind, value)], or None when the text holds anything unrecognised."""
    tokens, pos, text = [], 0, text or ""
    while pos < len(text):
        if not text[pos:].strip():
            break
        match = _TOKEN.match(text, pos)
        if not match or match.end() == pos:
            return None
        kind = match.lastgroup
        value = match.group(kind)
        if kind == "ref":
            value = value[2:-1]
        elif kind == "str":
            value = value[1:-1]
        elif kind == "word":
            value = value.lower()
        tokens.append((kind, value))
        pos = match.end()
    return tokens


def _strip_parens(tokens):
    while tokens and tokens[0] == ("punct", "(") and tokens[-1] == ("punct", ")"):
        depth = 0
        for index, token in enumerate(tokens):
            depth += {"(": 1, ")": -1}.get(token[1], 0) if token[0] == "punct" else 0
            if depth == 0 and index < len(tokens) - 1:
                return tokens  # "(a) or (b)": the outer pair is not one group
        tokens = tokens[1:-1]
    return tokens


def _split_words(tokens, word):
    parts, current, depth = [], [], 0
    for token in tokens:
        if token[0] == "punct":
            depth += {"(": 1, ")": -1}.get(token[1], 0)
        if depth == 0 and token == ("word", word):
            parts.append(current)
            current = []
        else:
            current.append(token)
    parts.append(current)
    return parts


def _literal(tokens):
    """The value of `'x'`, `5` or `date('x')`, or None."""
    if len(tokens) == 1 and tokens[0][0] in ("str", "num"):
        return tokens[0][1]
    kinds = [kind for kind, _value in tokens]
    if kinds == ["word", "punct", "str", "punct"] and tokens[0][1] == "date":
        return tokens[2][1]
    return None


def _term(tokens):
    """One comparison as (name, test, value), or None."""
    tokens = _strip_parens(tokens)
    kinds = [kind for kind, _value in tokens]
    if (
        kinds == ["word", "punct", "ref", "punct", "str", "punct"]
        and tokens[0][1] in ("selected", "contains")
        and tokens[3][1] == ","
    ):
        return tokens[2][1], tokens[0][1], tokens[4][1]
    if len(tokens) >= 3 and kinds[0] == "ref" and kinds[1] == "op":
        value = _literal(tokens[2:])
        if value is not None:
            return tokens[0][1], tokens[1][1], value
    return None


def parse_relevant(text, integer_names=()):
    """A `relevant` expression as (name, operator, value), or None.

    Understood: `${q} = 'x'`, `selected(${q}, 'x')`, `contains(${q}, 'x')`,
    `${q} >= N` (and `> N` on whole numbers), and `or` of equalities or
    `selected()` on one question.
    """
    tokens = tokenize(text)
    if not tokens:
        return None
    tokens = _strip_parens(tokens)
    if ("word", "and") in tokens or ("word", "not") in tokens:
        return None
    terms = [_term(part) for part in _split_words(tokens, "or")]
    if any(term is None for term in terms):
        return None
    if len(terms) == 1:
        name, test, value = terms[0]
        if test == "=":
            return name, Operator.EQUALS.value, value
        if test in ("selected", "contains"):
            return name, Operator.CONTAINS.value, value
        if test == ">=":
            return name, Operator.AT_LEAST.value, value
        if test == ">" and name in integer_names and re.fullmatch(r"-?\d+", value):
            return name, Operator.AT_LEAST.value, str(int(value) + 1)
        return None
    names = {name for name, _test, _value in terms}
    values = [value for _name, _test, value in terms]
    if (
        len(names) != 1
        or any(test not in ("=", "selected") for _name, test, _value in terms)
        or any("," in value or not value.strip() for value in values)
    ):
        return None
    return names.pop(), Operator.ONE_OF.value, ",".join(values)


def quote(value):
    """An XPath string literal (XPath 1.0 has no escapes: pick the other quote)."""
    value = str(value)
    if "'" in value:
        return '"' + value.replace('"', "") + '"'
    return f"'{value}'"


def _is_number(value):
    return bool(re.fullmatch(r"-?\d+(?:\.\d+)?", value))


def format_relevant(condition, target_type=""):
    """The `relevant` expression of a builder condition ("" when there is none).

    `target_type` is the block type of the question the condition reads: choice
    lists test membership with `selected()`, other answers compare as text.
    """
    key = (condition or {}).get("field_key") or ""
    if not key:
        return ""
    operator = condition.get("operator") or Operator.EQUALS
    value = str(condition.get("value") or "").strip()
    ref = "${" + key + "}"
    is_list = target_type == "multiple_choice"
    if operator == Operator.ONE_OF:
        values = [item.strip() for item in value.split(",") if item.strip()]
        if is_list:
            return " or ".join(f"selected({ref}, {quote(v)})" for v in values)
        return " or ".join(f"{ref} = {quote(v)}" for v in values)
    if operator == Operator.CONTAINS:
        if target_type in SELECT_TYPES:
            return f"selected({ref}, {quote(value)})"
        return f"contains({ref}, {quote(value)})"
    if operator == Operator.AT_LEAST:
        if _is_number(value):
            return f"{ref} >= {value}"
        if target_type in ("date", "datetime"):
            return f"{ref} >= date({quote(value)})"
        return f"{ref} >= {quote(value)}"
    return f"{ref} = {quote(value)}"




def _number(value):
    try:
        return Decimal(value)
    except (InvalidOperation, TypeError):
        return None


def parse_number_constraint(text, integer=False):
    """{min_value, max_value} from `. >= 0 and . <= 120`, or None."""
    tokens = tokenize(text)
    if not tokens:
        return None
    limits = {}
    for part in _split_words(_strip_parens(tokens), "and"):
        part = _strip_parens(part)
        kinds = [kind for kind, _value in part]
        if kinds != ["word", "op", "num"] or part[0][1] != ".":
            return None
        op, number = part[1][1], _number(part[2][1])
        if op == ">=":
            limits["min_value"] = number
        elif op == "<=":
            limits["max_value"] = number
        elif op == ">" and integer and number == int(number):
            limits["min_value"] = number + 1
        elif op == "<" and integer and number == int(number):
            limits["max_value"] = number - 1
        else:
            return None
    return limits


def parse_text_constraint(text):
    """{pattern, min_length, max_length} from `regex(., 'p')` and
    `string-length(.) <= N` joined by `and`, or None."""
    tokens = tokenize(text)
    if not tokens:
        return None
    limits = {}
    for part in _split_words(_strip_parens(tokens), "and"):
        part = _strip_parens(part)
        values = [value for _kind, value in part]
        kinds = [kind for kind, _value in part]
        if values[:4] == ["regex", "(", ".", ","] and kinds[4:] == ["str", "punct"]:
            limits["pattern"] = part[4][1]
        elif values[:4] == ["string-length", "(", ".", ")"] and kinds[4:] == [
            "op",
            "num",
        ]:
            op, number = part[4][1], part[5][1]
            if not number.isdigit() or op not in (">=", "<="):
                return None
            limits["min_length" if op == ">=" else "max_length"] = int(number)
        else:
            return None
    return limits


def format_number_constraint(value):
    parts = []
    if value.get("min_value") is not None:
        parts.append(f". >= {_plain(value['min_value'])}")
    if value.get("max_value") is not None:
        parts.append(f". <= {_plain(value['max_value'])}")
    return " and ".join(parts)


def format_text_constraint(value, default_max_length):
    parts = []
    if value.get("pattern"):
        parts.append(f"regex(., {quote(value['pattern'])})")
    if value.get("min_length"):
        parts.append(f"string-length(.) >= {value['min_length']}")
    if value.get("max_length") and value["max_length"] != default_max_length:
        parts.append(f"string-length(.) <= {value['max_length']}")
    return " and ".join(parts)


def _plain(number):
    """5 rather than 5.00: XLSForm readers compare numbers, not their digits."""
    number = Decimal(str(number))
    return str(number.quantize(Decimal(1)) if number == int(number) else number)


def parse_parameters(text):
    """`start=1 end=5 step=1` (spaces, commas or semicolons) as a dict."""
    params = {}
    for part in re.split(r"[\s,;]+", text or ""):
        name, sep, value = part.partition("=")
        if sep:
            params[name.strip().lower()] = value.strip()
    return params
