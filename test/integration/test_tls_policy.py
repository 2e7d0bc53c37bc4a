"""The generated db module's TLS rules, without a server: which sslmode, which CAs, which errors.

Run by scripts/suites/integration-tls.sh in the rootfs, once per generated service (asyncpg, psycopg). The
driver and the VERIFY_SERVER floor are module constants rendered from .projenrc.ts; the tests set
them per case, so both drivers' rules are checked in either run.
"""

import math
import os
import ssl

import pytest
from tls_support import CA, SYSTEM_BUNDLE, db

NAME = "ITEST_URL"
REMOTE = "ep-cool-lab-123456.us-east-2.aws.neon.tech"


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    for env in ("PGSSLMODE", "PGSSLROOTCERT", "PGCHANNELBINDING", "SSL_CERT_FILE", "SSL_CERT_DIR"):
        monkeypatch.delenv(env, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))  # no ~/.postgresql/root.crt unless a test makes one


def policy(monkeypatch, query: dict[str, str], host: str = REMOTE, *, driver="asyncpg", floor=False):
    monkeypatch.setattr(db, "DRIVER", driver)
    monkeypatch.setattr(db, "VERIFY_SERVER", floor)
    p = db.tls_policy(NAME, query, host)
    return p.mode, p.root, p.reason


SYSTEM = db.SYSTEM_TRUST
CB = {"sslmode": "require", "channel_binding": "require"}


@pytest.mark.parametrize(
    "query, host, driver, floor, expected",
    [
        # libpq's meanings, floor off
        ({}, REMOTE, "asyncpg", False, ("prefer", None, "sslmode=prefer")),
        ({"sslmode": "disable"}, REMOTE, "asyncpg", False, ("disable", None, "sslmode=disable")),
        ({"sslmode": "allow"}, REMOTE, "asyncpg", False, ("allow", None, "sslmode=allow")),
        ({"sslmode": "require"}, REMOTE, "asyncpg", False, ("require", None, "sslmode=require")),
        # require with a root certificate checks the CA (libpq: "same as verify-ca")
        ({"sslmode": "require", "sslrootcert": CA}, REMOTE, "asyncpg", False, ("require", CA, "sslmode=require")),
        ({"sslmode": "verify-ca", "sslrootcert": CA}, REMOTE, "asyncpg", False, ("verify-ca", CA, "sslmode=verify-ca")),
        ({"sslmode": "verify-full"}, REMOTE, "asyncpg", False, ("verify-full", SYSTEM, "sslmode=verify-full")),
        ({"sslrootcert": "system"}, REMOTE, "asyncpg", False, ("verify-full", SYSTEM, "sslmode=verify-full")),
        # channel_binding=require: asyncpg authenticates the server by certificate instead
        (CB, REMOTE, "asyncpg", False, ("verify-full", SYSTEM, "channel_binding=require")),
        (CB, "localhost", "asyncpg", False, ("verify-full", SYSTEM, "channel_binding=require")),
        ({**CB, "sslrootcert": CA}, REMOTE, "asyncpg", False, ("verify-full", CA, "channel_binding=require")),
        ({"channel_binding": "require"}, REMOTE, "asyncpg", False, ("verify-full", SYSTEM, "channel_binding=require")),
        # ... while libpq (psycopg) binds the channel itself: the URL's sslmode stays
        (CB, REMOTE, "psycopg", False, ("require", None, "sslmode=require")),
        # the floor: every TLS connection to another machine is verify-full
        ({}, REMOTE, "asyncpg", True, ("verify-full", SYSTEM, "VERIFY_SERVER")),
        ({"sslmode": "require"}, REMOTE, "psycopg", True, ("verify-full", SYSTEM, "VERIFY_SERVER")),
        # ... except where libpq's channel binding authenticates the server already
        (CB, REMOTE, "psycopg", True, ("require", None, "sslmode=require")),
        (CB, REMOTE, "asyncpg", True, ("verify-full", SYSTEM, "channel_binding=require")),
        ({"sslmode": "verify-ca", "sslrootcert": CA}, REMOTE, "asyncpg", True, ("verify-full", CA, "VERIFY_SERVER")),
        ({"sslmode": "disable"}, REMOTE, "asyncpg", True, ("disable", None, "sslmode=disable")),
        ({"sslmode": "require"}, "localhost", "asyncpg", True, ("require", None, "sslmode=require")),
        ({"sslmode": "require"}, "127.0.0.1", "psycopg", True, ("require", None, "sslmode=require")),
        ({"sslmode": "require"}, None, "asyncpg", True, ("require", None, "sslmode=require")),
    ],
)
def test_policy(monkeypatch, query, host, driver, floor, expected) -> None:
    assert policy(monkeypatch, query, host, driver=driver, floor=floor) == expected


def test_libpq_environment_fills_in_what_the_url_leaves_out(monkeypatch) -> None:
    monkeypatch.setenv("PGSSLMODE", "verify-ca")
    monkeypatch.setenv("PGSSLROOTCERT", CA)
    assert policy(monkeypatch, {}) == ("verify-ca", CA, "sslmode=verify-ca")
    assert policy(monkeypatch, {"sslmode": "disable"})[0] == "disable"  # the URL wins
    monkeypatch.setenv("PGCHANNELBINDING", "require")
    assert policy(monkeypatch, {"sslmode": "require"})[0:2] == ("verify-full", CA)


def test_the_default_root_certificate_file_is_used_as_libpq_does(monkeypatch, tmp_path) -> None:
    root = tmp_path / ".postgresql" / "root.crt"
    root.parent.mkdir()
    root.write_bytes(open(CA, "rb").read())
    assert policy(monkeypatch, {"sslmode": "require"}) == ("require", str(root), "sslmode=require")
    assert policy(monkeypatch, {"sslmode": "verify-ca"})[1] == str(root)


@pytest.mark.parametrize(
    "query, driver, fragments",
    [
        ({"sslmode": "sometimes"}, "asyncpg", ["ITEST_URL: sslmode=sometimes is not one of", "verify-full"]),
        ({"channel_binding": "always"}, "psycopg", ["channel_binding=always is not one of disable, prefer, require"]),
        (
            {"sslmode": "require", "sslrootcert": "system"},
            "asyncpg",
            ["ITEST_URL: sslrootcert=system needs sslmode=verify-full", "Remove sslmode=require"],
        ),
        (
            {"sslmode": "verify-ca", "sslrootcert": "system"},
            "psycopg",
            ["sslrootcert=system needs sslmode=verify-full"],
        ),
        (
            {"sslmode": "disable", "channel_binding": "require"},
            "asyncpg",
            ["ITEST_URL: channel_binding=require needs TLS, but sslmode=disable", "sslmode=verify-full"],
        ),
        (
            {"sslmode": "verify-ca"},
            "asyncpg",
            ["ITEST_URL: sslmode=verify-ca needs the CA", "sslrootcert=/path/to/ca.pem"],
        ),
    ],
)
def test_contradictions_are_refused_naming_the_variable(monkeypatch, query, driver, fragments) -> None:
    with pytest.raises(db.DatabaseConfigError) as e:
        policy(monkeypatch, query, driver=driver)
    for fragment in fragments:
        assert fragment in str(e.value)


@pytest.mark.parametrize(
    "host, local",
    [
        (None, True),
        ("/var/run/postgresql", True),
        ("localhost", True),
        ("LOCALHOST", True),
        ("127.0.0.1", True),
        ("127.1.2.3", True),
        ("::1", True),
        ("[::1]", True),
        ("10.0.0.1", False),
        ("postgres", False),
        ("localhost.example.com", False),
        ("ep-x-pooler.neon.tech", False),
    ],
)
def test_this_machine_is_a_literal_name_or_address(host, local) -> None:
    assert db.is_local_host(host) is local


# -------------------------------------------------------------------- asyncpg's ssl argument


def asyncpg_ssl(monkeypatch, query: dict[str, str], host: str = REMOTE, *, floor=False):
    monkeypatch.setattr(db, "DRIVER", "asyncpg")
    monkeypatch.setattr(db, "VERIFY_SERVER", floor)
    return db.asyncpg_ssl(NAME, query, host)


def test_asyncpg_ssl_disable_allow_prefer(monkeypatch) -> None:
    assert asyncpg_ssl(monkeypatch, {"sslmode": "disable"}) is False
    assert asyncpg_ssl(monkeypatch, {"sslmode": "allow"}) == "allow"
    assert asyncpg_ssl(monkeypatch, {}) == "prefer"


def test_asyncpg_require_encrypts_without_authenticating(monkeypatch) -> None:
    context = asyncpg_ssl(monkeypatch, {"sslmode": "require"})
    assert context.verify_mode == ssl.CERT_NONE
    assert context.check_hostname is False


def test_asyncpg_neon_url_is_verified_against_the_system_trust_store(monkeypatch) -> None:
    context = asyncpg_ssl(monkeypatch, CB)
    assert context.verify_mode == ssl.CERT_REQUIRED
    assert context.check_hostname is True
    assert context.cert_store_stats()["x509_ca"] > 50  # Debian's ca-certificates bundle


def test_asyncpg_verify_ca_and_require_with_root_check_the_ca_not_the_host(monkeypatch) -> None:
    for query in ({"sslmode": "verify-ca", "sslrootcert": CA}, {"sslmode": "require", "sslrootcert": CA}):
        context = asyncpg_ssl(monkeypatch, query)
        assert context.verify_mode == ssl.CERT_REQUIRED
        assert context.check_hostname is False
        assert [c["subject"] for c in context.get_ca_certs()] == [((("commonName", "uvsvc itest CA"),),)]


def test_asyncpg_unreadable_root_certificate_is_a_clear_error(monkeypatch) -> None:
    with pytest.raises(db.DatabaseConfigError, match=r"ITEST_URL: sslrootcert=/nonexistent/ca.pem cannot be read"):
        asyncpg_ssl(monkeypatch, {"sslmode": "verify-full", "sslrootcert": "/nonexistent/ca.pem"})


def test_asyncpg_without_a_system_trust_store_refuses_and_says_what_to_change(monkeypatch) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", "/nonexistent/bundle.pem")
    monkeypatch.setenv("SSL_CERT_DIR", "/nonexistent/certs")
    with pytest.raises(db.DatabaseConfigError) as e:
        asyncpg_ssl(monkeypatch, CB)
    message = str(e.value)
    assert message.startswith("ITEST_URL: The URL asks for channel_binding=require, which asyncpg cannot do")
    assert "no trusted CA certificates" in message
    assert "ca-certificates" in message
    assert "sslrootcert=/path/to/ca.pem" in message
    # ... and with the floor, it names the setting
    with pytest.raises(db.DatabaseConfigError, match="verifyServerCertificate"):
        asyncpg_ssl(monkeypatch, {"sslmode": "require"}, floor=True)


# -------------------------------------------------------------------- psycopg's URL


def psycopg_query(monkeypatch, raw: str, *, floor: bool) -> dict[str, str]:
    monkeypatch.setattr(db, "DRIVER", "psycopg")
    monkeypatch.setattr(db, "VERIFY_SERVER", floor)
    monkeypatch.setenv(NAME, raw)
    url, args = db.connection_settings(NAME, pooled=True)
    assert url.drivername == "postgresql+psycopg"
    # Pooled: psycopg's prepared statements only where the option keeps them (PgBouncer >= 1.21 tracks
    # them); the connect bound from the settings.
    connect_timeout = max(2, math.ceil(db.database_settings().connect_timeout_seconds))
    prepared = {} if db.PREPARED_STATEMENTS else {"prepare_threshold": None}
    assert args == {**prepared, "connect_timeout": connect_timeout}
    return dict(url.query)


def test_psycopg_keeps_channel_binding_for_libpq(monkeypatch) -> None:
    raw = f"postgresql://u:p@{REMOTE}/db?sslmode=require&channel_binding=require"
    assert psycopg_query(monkeypatch, raw, floor=False) == {"sslmode": "require", "channel_binding": "require"}


def test_psycopg_floor_raises_the_url_to_verify_full_with_a_ca_file(monkeypatch) -> None:
    raw = f"postgresql://u:p@{REMOTE}/db?sslmode=require&application_name=api"
    query = psycopg_query(monkeypatch, raw, floor=True)
    # the file Python finds for the system store: works with any libpq build ("system" needs 16+)
    assert os.path.realpath(query.pop("sslrootcert")) == SYSTEM_BUNDLE
    assert query == {"sslmode": "verify-full", "application_name": "api"}
    local = "postgresql://u:p@127.0.0.1/db?sslmode=require"
    assert psycopg_query(monkeypatch, local, floor=True) == {"sslmode": "require"}
    bound = f"postgresql://u:p@{REMOTE}/db?sslmode=require&channel_binding=require"
    assert psycopg_query(monkeypatch, bound, floor=True) == {"sslmode": "require", "channel_binding": "require"}


def test_asyncpg_connection_settings_drop_libpq_parameters(monkeypatch) -> None:
    monkeypatch.setattr(db, "DRIVER", "asyncpg")
    monkeypatch.setattr(db, "VERIFY_SERVER", False)
    monkeypatch.setenv(NAME, f"postgres://u:p@{REMOTE}/db?sslmode=require&channel_binding=require")
    url, args = db.connection_settings(NAME, pooled=False)
    assert url.drivername == "postgresql+asyncpg"
    assert dict(url.query) == {}
    assert args["ssl"].verify_mode == ssl.CERT_REQUIRED and args["ssl"].check_hostname


def test_the_rendered_floor_matches_projenrc() -> None:
    assert db.VERIFY_SERVER is (os.environ.get("ITEST_EXPECT_VERIFY_SERVER", "1") == "1")
