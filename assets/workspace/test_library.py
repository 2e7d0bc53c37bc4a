from {{package}} import greeting


def test_greeting() -> None:
    assert greeting("workspace") == "Hello, workspace!"
