"""The mobile app's client of statements: an account's statement as lines to display."""

from dataclasses import dataclass

import requests


@dataclass(frozen=True, slots=True)
class StatementLine:
    """One line as the app shows it: ``2024-05-03  groceries  -25.00``."""

    day: str
    text: str
    cents: int

    def display(self) -> str:
        return f"{self.day}  {self.text}  {self.cents / 100:.2f}"


class StatementsClient:
    """Reads ``GET /accounts/{id}/statement``; uses each entry's date, amount and description."""

    def __init__(self, base_url: str, *, timeout: float = 10) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout

    def statement(self, account_id: int) -> list[StatementLine]:
        response = requests.get(
            f"{self.base_url}/accounts/{account_id}/statement",
            headers={"Accept": "application/json"},
            timeout=self.timeout,
        )
        response.raise_for_status()
        return [
            StatementLine(entry["date"], entry["description"], int(entry["amount"]))
            for entry in response.json()["entries"]
        ]
