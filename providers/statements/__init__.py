"""statements: account statements, a provider that uses bi-directional contracts (OpenAPI)."""
