"""Storage: typed models, engine and sessions, and the packaged Alembic migrations."""

from accord_broker.db import history_indexes as _history_indexes  # noqa: F401 (registers indexes)
from accord_broker.db import matrix_indexes as _matrix_indexes  # noqa: F401 (registers indexes)
from accord_broker.db import metric_models as _metric_models  # noqa: F401 (registers tables)
from accord_broker.db import provider_contract_models as _provider_contract_models  # noqa: F401
from accord_broker.db import selector_indexes as _selector_indexes  # noqa: F401 (registers indexes)
from accord_broker.db import version_counts as _version_counts  # noqa: F401 (registers a table)
from accord_broker.db import webhook_models as _webhook_models  # noqa: F401 (registers tables)
from accord_broker.db.engine import Database, make_engine
from accord_broker.db.migrate import migrate

__all__ = ["Database", "make_engine", "migrate"]
