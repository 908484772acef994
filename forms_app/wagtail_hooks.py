from forms_app import admin_hooks  # noqa: F401
