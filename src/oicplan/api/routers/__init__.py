"""One router per resource; :func:`oicplan.api.app.create_app` mounts them under ``/api``."""
