"""alembic's environment: run the revisions on the connection actiontrack.store.migrations
hands over (config.attributes["connection"]), each in its own transaction."""

from alembic import context

from actiontrack.store.migrations import configure_context

configure_context(context)
