"""The ``wellspent`` command: a thin edge that parses input, calls a service and renders the output."""
