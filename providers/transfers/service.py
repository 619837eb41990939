"""The business rules of transfers.

A transfer needs a positive amount, two different accounts and enough money in the source
account (otherwise :class:`InsufficientFundsError`, which the API answers with 422). A completed
transfer is recorded with its ``transfer-completed`` event in the outbox, in one transaction.
"""

import uuid

from sqlalchemy.orm import Session

from providers.transfers.accounts_client import AccountsGateway, OverdraftError
from providers.transfers.db import OutboxEvent, Transfer
from providers.transfers.events import TOPIC, transfer_completed_event


class TransferRefusedError(Exception):
    code = "transfer_refused"


class InvalidTransferError(TransferRefusedError):
    code = "invalid_transfer"


class InsufficientFundsError(TransferRefusedError):
    code = "insufficient_funds"

    def __init__(self, account_id: int, balance: int, requested: int) -> None:
        self.account_id = account_id
        self.balance = balance
        self.requested = requested
        super().__init__(f"account {account_id} has {balance} but the transfer needs {requested}")


class TransferNotFoundError(TransferRefusedError):
    code = "transfer_not_found"


def make_transfer(
    session: Session,
    accounts: AccountsGateway,
    token: str,
    *,
    from_account_id: int,
    to_account_id: int,
    amount: int,
) -> Transfer:
    if amount <= 0:
        raise InvalidTransferError("the amount must be a positive number of cents")
    if from_account_id == to_account_id:
        raise InvalidTransferError("a transfer needs two different accounts")
    source = accounts.balance(from_account_id, token)
    if source.balance < amount:
        raise InsufficientFundsError(from_account_id, source.balance, amount)
    transfer_id = f"t-{uuid.uuid4().hex[:12]}"
    try:
        accounts.post_movement(from_account_id, -amount, transfer_id, token)
    except OverdraftError as overdraft:  # the balance changed since we looked
        raise InsufficientFundsError(from_account_id, overdraft.balance, amount) from overdraft
    accounts.post_movement(to_account_id, amount, transfer_id, token)
    transfer = Transfer(
        id=transfer_id,
        from_account_id=from_account_id,
        to_account_id=to_account_id,
        amount=amount,
        currency=source.currency,
        status="completed",
    )
    session.add(transfer)
    session.flush()
    session.add(OutboxEvent(topic=TOPIC, message=transfer_completed_event(transfer)))
    session.flush()
    return transfer


def get_transfer(session: Session, transfer_id: str) -> Transfer:
    transfer = session.get(Transfer, transfer_id)
    if transfer is None:
        raise TransferNotFoundError(f"transfer {transfer_id} not found")
    return transfer
