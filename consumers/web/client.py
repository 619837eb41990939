"""``BankClient``: log in, list accounts, show a balance, make a transfer.

It reads only the fields it needs, which is exactly what its pacts with accounts and transfers
say; a provider that renames one of them breaks this client, and the verification says so
before deployment.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import requests

TIMEOUT_SECONDS = 10


class BankError(Exception):
    """A call to the bank failed; ``status`` is the HTTP status."""

    def __init__(self, status: int, message: str) -> None:
        self.status = status
        super().__init__(message)


class LoginFailedError(BankError):
    pass


class InsufficientFundsError(BankError):
    def __init__(self, balance: int, requested: int) -> None:
        self.balance = balance
        self.requested = requested
        super().__init__(422, f"not enough money: balance {balance}, transfer {requested}")


@dataclass(frozen=True, slots=True)
class Balance:
    account_id: int
    cents: int
    currency: str
    as_of: datetime

    def display(self) -> str:
        return f"{self.cents // 100}.{self.cents % 100:02d} {self.currency}"


@dataclass(frozen=True, slots=True)
class AccountSummary:
    id: int
    currency: str


@dataclass(frozen=True, slots=True)
class Transfer:
    id: str
    status: str
    amount: int


class BankClient:
    def __init__(
        self, accounts_url: str, transfers_url: str, *, http: requests.Session | None = None
    ) -> None:
        self.accounts_url = accounts_url.rstrip("/")
        self.transfers_url = transfers_url.rstrip("/")
        self.http = http or requests.Session()
        self.token: str | None = None

    def login(self, username: str, password: str) -> str:
        response = self.http.post(
            f"{self.accounts_url}/login",
            json={"username": username, "password": password},
            timeout=TIMEOUT_SECONDS,
        )
        if response.status_code == 401:
            raise LoginFailedError(401, "wrong username or password")
        body = self._json(response)
        self.token = str(body["token"])
        return self.token

    def accounts(self) -> list[AccountSummary]:
        body = self._json(self.http.get(f"{self.accounts_url}/accounts", **self._auth()))
        return [AccountSummary(int(a["id"]), str(a["currency"])) for a in body["accounts"]]

    def balance(self, account_id: int) -> Balance:
        url = f"{self.accounts_url}/accounts/{account_id}/balance"
        body = self._json(self.http.get(url, **self._auth()))
        return Balance(
            account_id=int(body["accountId"]),
            cents=int(body["balance"]),
            currency=str(body["currency"]),
            as_of=datetime.fromisoformat(str(body["asOf"])),
        )

    def transfer(self, from_account_id: int, to_account_id: int, amount: int) -> Transfer:
        response = self.http.post(
            f"{self.transfers_url}/transfers",
            json={"fromAccountId": from_account_id, "toAccountId": to_account_id, "amount": amount},
            **self._auth(),
        )
        if response.status_code == 422 and response.json().get("error") == "insufficient_funds":
            body = response.json()
            raise InsufficientFundsError(int(body["balance"]), int(body["requested"]))
        body = self._json(response)
        return Transfer(id=str(body["id"]), status=str(body["status"]), amount=int(body["amount"]))

    def _auth(self) -> dict[str, Any]:
        if self.token is None:
            raise BankError(401, "log in first")
        return {
            "headers": {"Authorization": f"Bearer {self.token}", "Accept": "application/json"},
            "timeout": TIMEOUT_SECONDS,
        }

    @staticmethod
    def _json(response: requests.Response) -> dict[str, Any]:
        if response.status_code >= 400:
            raise BankError(response.status_code, response.text[:200])
        body: dict[str, Any] = response.json()
        return body
