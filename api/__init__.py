"""The HTTP layer: app factory, thin routers, error mapping and the chat page."""
