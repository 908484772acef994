import os

# Browser tests run a live server in a thread while Playwright's sync API runs an
# event loop in the test's thread; Django refuses ORM calls from "async" contexts.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
