"""portplan: keep an organisation's port allocation plan true, readable and accountable."""

__version__ = "0.1.0"
