"""Admin views of the reuse workflow (thin: the work is in the service modules)."""
