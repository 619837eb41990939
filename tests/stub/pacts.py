"""Pacts the stub tests serve, written as a consumer's tests would write them (V3 JSON)."""

import json
from pathlib import Path
from typing import Any

ID_RANGE = (100, 200)


def _regex(pattern: str) -> dict[str, Any]:
    return {"matchers": [{"match": "regex", "regex": pattern}]}


def get_account(state: str, status: int, body: dict[str, Any]) -> dict[str, Any]:
    """``GET /accounts/{id}?fields=...`` in ``state``; path, query and Accept by regex."""
    return {
        "description": f"get an account ({state})",
        "providerStates": [{"name": state}],
        "request": {
            "method": "GET",
            "path": "/accounts/12",
            "query": {"fields": ["all"]},
            "headers": {"Accept": "application/json"},
            "matchingRules": {
                "path": _regex(r"/accounts/\d+"),
                "query": {"fields": _regex("all|some")},
                "header": {"Accept": _regex(r"application/.*json")},
            },
        },
        "response": {
            "status": status,
            "headers": {"Content-Type": "application/json"},
            "body": body,
        },
    }


def account_exists() -> dict[str, Any]:
    interaction = get_account("an account exists", 200, {"id": 12, "name": "Alice"})
    interaction["response"]["generators"] = {
        "body": {"$.id": {"type": "RandomInt", "min": ID_RANGE[0], "max": ID_RANGE[1]}}
    }
    return interaction


def no_accounts() -> dict[str, Any]:
    return get_account("no accounts", 404, {"error": "no account 12"})


def create_transfer() -> dict[str, Any]:
    """``POST /transfers`` with a JSON body judged by type, integer, decimal and regex rules."""
    return {
        "description": "create a transfer",
        "request": {
            "method": "POST",
            "path": "/transfers",
            "headers": {"Content-Type": "application/json"},
            "body": {"from": 1, "to": 2, "amount": 10.5, "reference": "rent", "tags": ["a"]},
            "matchingRules": {
                "body": {
                    "$.from": {"matchers": [{"match": "integer"}]},
                    "$.to": {"matchers": [{"match": "integer"}]},
                    "$.amount": {"matchers": [{"match": "decimal"}]},
                    "$.reference": _regex("^[a-z]+$"),
                    "$.tags": {"matchers": [{"match": "type", "min": 1}]},
                }
            },
        },
        "response": {
            "status": 201,
            "headers": {"Content-Type": "application/json", "Location": "/transfers/t-1"},
            "body": {"id": "t-1", "status": "pending"},
        },
    }


def list_accounts() -> dict[str, Any]:
    return {
        "description": "list accounts",
        "request": {
            "method": "GET",
            "path": "/accounts",
            "query": {"page": ["1"]},
            "matchingRules": {"query": {"page": _regex(r"\d+")}},
        },
        "response": {
            "status": 200,
            "headers": {"Content-Type": "application/json"},
            "body": [{"id": 1, "name": "Alice"}, {"id": 2, "name": "Bob"}],
        },
    }


def self_link() -> dict[str, Any]:
    """A response whose link points back at the server (a ``MockServerURL`` generator)."""
    return {
        "description": "the API root",
        "request": {"method": "GET", "path": "/"},
        "response": {
            "status": 200,
            "headers": {"Content-Type": "application/json"},
            "body": {"accounts": "http://localhost:1234/accounts"},
            "generators": {
                "body": {
                    "$.accounts": {
                        "type": "MockServerURL",
                        "example": "http://localhost:1234/accounts",
                        "regex": r".*(/accounts)$",
                    }
                }
            },
        },
    }


def pact_document(
    interactions: list[dict[str, Any]], consumer: str = "Web", provider: str = "Accounts"
) -> dict[str, Any]:
    return {
        "consumer": {"name": consumer},
        "provider": {"name": provider},
        "interactions": interactions,
        "metadata": {"pactSpecification": {"version": "3.0.0"}},
    }


def bank_pact() -> dict[str, Any]:
    """Web's pact with Accounts: every interaction above, the account-exists state first."""
    return pact_document(
        [account_exists(), no_accounts(), create_transfer(), list_accounts(), self_link()]
    )


def write_pact(directory: Path, document: dict[str, Any], name: str | None = None) -> Path:
    path = directory / (
        name or f"{document['consumer']['name']}-{document['provider']['name']}.json"
    )
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")
    return path
