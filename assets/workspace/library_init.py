"""{{description}}"""


def greeting(name: str) -> str:
    """A sample function: replace it with the code your services share."""
    return f"Hello, {name}!"
