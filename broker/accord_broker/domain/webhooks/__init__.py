"""Webhooks: definitions, events, template variables, the persisted delivery queue and its worker.

Use from other parts of the broker:

* :func:`emit_pact_published` / :func:`emit_verification_published` — call inside the write
  transaction of a publication or verification; matching webhooks are queued atomically with it.
* :class:`WebhookWorker` — started by the app's lifespan (``create_app``) to deliver the queue.
* :func:`policy_from_settings` / :func:`worker_config_from_settings` — the settings' view.
"""

from accord_broker.domain.webhooks.policy import TargetPolicy
from accord_broker.domain.webhooks.queue import RetrySchedule
from accord_broker.domain.webhooks.triggers import emit_pact_published, emit_verification_published
from accord_broker.domain.webhooks.worker import WebhookWorker, WorkerConfig
from accord_broker.settings import Settings


def policy_from_settings(settings: Settings) -> TargetPolicy:
    return TargetPolicy(
        hosts=tuple(settings.webhook_allowed_hosts),
        schemes=tuple(settings.webhook_allowed_schemes),
        methods=tuple(settings.webhook_allowed_methods),
    )


def worker_config_from_settings(settings: Settings) -> WorkerConfig:
    return WorkerConfig(
        policy=policy_from_settings(settings),
        schedule=RetrySchedule(tuple(settings.webhook_retry_schedule)),
        timeout_seconds=settings.webhook_timeout_seconds,
        poll_interval_seconds=settings.webhook_poll_interval_seconds,
        lease_seconds=settings.webhook_lease_seconds,
        secrets={
            name: secret.get_secret_value() for name, secret in settings.webhook_secrets.items()
        },
    )


__all__ = [
    "RetrySchedule",
    "TargetPolicy",
    "WebhookWorker",
    "WorkerConfig",
    "emit_pact_published",
    "emit_verification_published",
    "policy_from_settings",
    "worker_config_from_settings",
]
