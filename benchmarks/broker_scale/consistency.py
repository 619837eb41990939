"""Does the seeded broker answer like one built through the API? A few answers whose right
value follows from the shape, asked before measuring: latest versions (the branch and tag
heads), the previous distinct pact, pact identities (content hashes), the matrix of the hot
pair, pending status (``branch_verifications``) and the selected pacts for verification. A
wrong derived table or id would show here, not as a fast-but-wrong benchmark."""

import requests

from benchmarks.broker_scale.shape import (
    Shape,
    branch_of,
    consumer_version_number,
    pact_sha,
)

HAL = {"Accept": "application/hal+json"}


class InconsistentSeedError(AssertionError):
    """The seeded data set answers differently from one built through the API."""


def _expect(what: str, found: object, expected: object) -> None:
    if found != expected:
        raise InconsistentSeedError(f"{what}: the broker answers {found!r}, expected {expected!r}")


def _latest_main(shape: Shape) -> int:
    return max(n for n in range(shape.consumer_versions) if branch_of(n) == "main")


def check(base: str, shape: Shape) -> int:
    """Raise :class:`InconsistentSeedError` on the first wrong answer; return the checks made."""
    last = shape.consumer_versions - 1
    checks = 0
    with requests.Session() as s:

        def body(path: str) -> dict[str, object]:
            response = s.get(base + path, headers=HAL)
            if not response.ok:
                raise InconsistentSeedError(f"GET {path}: HTTP {response.status_code}")
            answer: dict[str, object] = response.json()
            return answer

        def number(path: str) -> object:
            return body(path).get("number")

        _expect(
            "latest version",
            number("/pacticipants/C00/latest-version"),
            consumer_version_number(last),
        )
        _expect(
            "latest version tagged prod (tag heads)",
            number("/pacticipants/C00/latest-version/prod"),
            consumer_version_number(last // 50 * 50),
        )
        _expect(
            "latest version of branch main (branch heads)",
            number("/pacticipants/C00/branches/main/latest-version"),
            shape.latest_main_version,
        )
        previous = body(
            f"/pacts/provider/P00/consumer/C00/version/{consumer_version_number(last)}/previous-distinct"
        )
        href = str(previous["_links"]["self"]["href"])  # type: ignore[index]
        _expect(
            "previous distinct pact",
            href.rsplit("/", 1)[1],
            consumer_version_number(last // 10 * 10 - 1),
        )
        latest = body("/pacts/provider/P00/consumer/C00/latest")
        version_href = str(latest["_links"]["pb:pact-version"]["href"])  # type: ignore[index]
        _expect(
            "latest pact's content hash",
            version_href.rsplit("/", 1)[1],
            pact_sha(0, 0, last // 10),
        )
        matrix = body("/matrix?q[][pacticipant]=C00&q[][pacticipant]=P00&latestby=cvpv&limit=100")
        rows = matrix["matrix"]
        assert isinstance(rows, list)
        _expect("matrix of the hot pair: rows (limit 100)", len(rows), 100)
        _expect(
            "matrix of the hot pair: newest row first",
            rows[0]["consumer"]["version"]["number"],
            consumer_version_number(last),
        )
        checks += 6
        selection = s.post(
            f"{base}/pacts/provider/P00/for-verification",
            json={
                "consumerVersionSelectors": [{"mainBranch": True}],
                "includePendingStatus": True,
                "providerVersionBranch": "main",
            },
            headers=HAL,
        ).json()["_embedded"]["pacts"]
        shas = {
            entry["_links"]["self"]["href"].split("/pact-version/")[1].split("/")[0]
            for entry in selection
        }
        main_head = _latest_main(shape)
        _expect(
            "for-verification mainBranch: the pacts of C00's and C49's main heads",
            shas,
            {pact_sha(0, 0, main_head // 10), pact_sha(49, 0, main_head // 10)},
        )
        pending = {entry["verificationProperties"]["pending"] for entry in selection}
        _expect("pending on main (branch_verifications)", pending, {False})
        checks += 2
    return checks
