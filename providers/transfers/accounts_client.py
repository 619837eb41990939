"""How transfers talks to the accounts service: the ``AccountsGateway`` port and its adapters.

``HttpAccounts`` calls the real accounts API (this is what the transfers → accounts pact
describes). ``InMemoryAccounts`` holds balances in a dict: provider verification of transfers
uses it so that its states do not need a running accounts service.
"""

from dataclasses import dataclass
from typing import Protocol

import requests


class AccountsFailureError(Exception):
    """The accounts service refused or failed a call."""


class UnknownAccountError(AccountsFailureError):
    pass


class OverdraftError(AccountsFailureError):
    def __init__(self, account_id: int, balance: int, requested: int) -> None:
        self.account_id = account_id
        self.balance = balance
        self.requested = requested
        super().__init__(f"account {account_id} has {balance} but {requested} was requested")


@dataclass(frozen=True, slots=True)
class Balance:
    account_id: int
    balance: int
    currency: str


class AccountsGateway(Protocol):
    def balance(self, account_id: int, token: str) -> Balance: ...

    def post_movement(self, account_id: int, amount: int, reference: str, token: str) -> int:
        """Add ``amount`` (negative: debit) and return the new balance."""
        ...


class HttpAccounts:
    """The accounts API over HTTP (``requests``)."""

    def __init__(self, base_url: str, *, http: requests.Session | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.http = http or requests.Session()

    def balance(self, account_id: int, token: str) -> Balance:
        response = self._send("GET", f"/accounts/{account_id}/balance", token)
        if response.status_code == 404:
            raise UnknownAccountError(f"account {account_id} not found")
        self._check(response)
        body = response.json()
        return Balance(int(body["accountId"]), int(body["balance"]), str(body["currency"]))

    def post_movement(self, account_id: int, amount: int, reference: str, token: str) -> int:
        body = {"amount": amount, "reference": reference}
        response = self._send("POST", f"/accounts/{account_id}/movements", token, body)
        if response.status_code == 404:
            raise UnknownAccountError(f"account {account_id} not found")
        if response.status_code == 422:
            body = response.json()
            raise OverdraftError(account_id, int(body["balance"]), int(body["requested"]))
        self._check(response)
        return int(response.json()["balance"])

    def _send(
        self, method: str, path: str, token: str, body: dict[str, object] | None = None
    ) -> requests.Response:
        headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
        try:
            return self.http.request(
                method, self.base_url + path, headers=headers, json=body, timeout=10
            )
        except requests.RequestException as error:
            raise AccountsFailureError(
                f"accounts at {self.base_url} is unreachable: {error}"
            ) from error

    @staticmethod
    def _check(response: requests.Response) -> None:
        if response.status_code >= 400:
            raise AccountsFailureError(
                f"accounts answered {response.status_code} to {response.request.method}"
                f" {response.url}: {response.text[:200]}"
            )


class InMemoryAccounts:
    """Balances in a dict, for provider verification and tests of the transfer rules."""

    def __init__(self) -> None:
        self.balances: dict[int, int] = {}
        self.currency = "EUR"

    def set_balance(self, account_id: int, balance: int) -> None:
        self.balances[account_id] = balance

    def balance(self, account_id: int, token: str) -> Balance:
        if account_id not in self.balances:
            raise UnknownAccountError(f"account {account_id} not found")
        return Balance(account_id, self.balances[account_id], self.currency)

    def post_movement(self, account_id: int, amount: int, reference: str, token: str) -> int:
        current = self.balance(account_id, token).balance
        if current + amount < 0:
            raise OverdraftError(account_id, current, -amount)
        self.balances[account_id] = current + amount
        return self.balances[account_id]
