"""Checking a matrix query before answering it: the Pact Broker's messages, all at once."""

from sqlalchemy.orm import Session

from accord_broker.domain.limits import COUNT_MAX
from accord_broker.domain.matrix.lookups import pacticipants_for_question
from accord_broker.domain.matrix.query import MatrixQuery, UnresolvedSelector


def _selector_problems(selector: UnresolvedSelector, suffix: str = "") -> list[str]:
    if selector.pacticipant is None:
        return [f"Please specify the pacticipant name{suffix}"]
    if selector.version is not None and selector.latest_given:
        return [
            "A version number and latest flag cannot both be specified for "
            f"{selector.pacticipant}{suffix}"
        ]
    return []


def query_problems(session: Session, query: MatrixQuery) -> list[str]:
    """One sentence per problem; an empty list means the query can be answered.

    A version that does not exist is *not* a problem: the answer is then "not deployable", with
    the reason (the Pact Broker answers 200 too).
    """
    problems: list[str] = []
    for selector in query.selectors:
        problems.extend(_selector_problems(selector))
    names = [s.pacticipant for s in query.selectors if s.pacticipant is not None]
    options = query.options
    known, environment_known = pacticipants_for_question(
        session, query.selectors, options.environment or None
    )
    problems.extend(f"Pacticipant {name} not found" for name in names if name not in known)
    if not query.selectors:
        problems.append("Please provide 1 or more version selectors.")
    for selector in options.ignore:
        problems.extend(_selector_problems(selector, " to ignore"))
    destinations = [d for d in (options.tag, options.environment, options.main_branch) if d]
    if len(destinations) > 1:
        problems.append("Cannot specify more than one of tag, environment and mainBranch.")
    if options.latest and options.environment:
        problems.append("Cannot specify both latest=true and an environment.")
    if not environment_known:
        problems.append(f"Environment with name '{options.environment}' does not exist")
    if options.raw_limit is not None:
        raw = options.raw_limit
        too_big = raw.isascii() and raw.isdigit() and int(raw) > COUNT_MAX
        wanted = f"{COUNT_MAX} or less" if too_big else "1 or greater"
        problems.append(f"The limit must be {wanted}.")
    return problems
