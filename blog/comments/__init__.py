"""Comments: the API (api.py), the article page's thread and form (views.py), demo threads."""
