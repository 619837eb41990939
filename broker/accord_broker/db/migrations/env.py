"""Alembic environment: runs the broker's migrations against the configured URL."""

from accord_broker.db.engine import make_engine
from accord_broker.db.models import Base
from accord_broker.db.provider_contract_models import ProviderContractContent  # noqa: F401
from accord_broker.db.webhook_models import Webhook  # noqa: F401 - its tables join Base.metadata
from alembic import context

config = context.config
url = config.get_main_option("sqlalchemy.url")
if url is None:  # pragma: no cover - migrate() always sets it
    raise RuntimeError("no sqlalchemy.url in the Alembic configuration")

engine = make_engine(url)
try:
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()
finally:
    engine.dispose()
