"""Connection security against real servers: the generated db module is never weaker than libpq.

Run by scripts/suites/integration-tls.sh in the rootfs, once per generated service (DB_MODULE: the asyncpg
service, then the psycopg one), against PostgreSQL (TLS, scram-sha-256; role app_md5 with md5; a
plain listener for sslmode=disable) and PgBouncer (TLS to clients), both serving a certificate from
a throwaway CA that names "localhost" and ITEST_OTHER_HOST, never 127.0.0.1.

Every case states what the generated module does with each driver and what libpq itself (psycopg
straight, no db.py) does with the same URL, and checks the rule: whenever libpq refuses, so do we.
One deliberate exception: where the URL asks for channel binding and the endpoint cannot bind
(PgBouncer, md5), libpq refuses; asyncpg, which authenticates such URLs by the server's certificate
(verify-full) instead of binding, connects once the certificate is verified.
"""

from dataclasses import dataclass, field

import pytest
from tls_support import CA, NEON, OTHER_HOST, SYSTEM_BUNDLE, chain, connect, db, libpq_verdict, refusal, url


@dataclass(frozen=True)
class Ok:
    ssl: bool | None = True  # pg_stat_ssl of the session (None: not checked, e.g. via PgBouncer)


@dataclass(frozen=True)
class Refused:
    fragments: tuple[str, ...]


def refused(*fragments: str) -> Refused:
    return Refused(fragments)


UNTRUSTED = "certificate verify failed"
ASYNCPG_UNTRUSTED = "could not be authenticated (unable to get local issuer certificate)"
ASYNCPG_WRONG_HOST = "could not be authenticated (IP address mismatch, certificate is not valid for '127.0.0.1'.)"
# libpq's messages (libpq 17)
LIBPQ_NO_BINDING = "channel binding is required, but server did not offer an authentication method that supports channel binding"
LIBPQ_MD5_NO_BINDING = "channel binding required but not supported by server's authentication request"
LIBPQ_HOST_MISMATCH = 'does not match host name "127.0.0.1"'


def asyncpg_refused(*fragments: str) -> Refused:
    """What the generated module says when asyncpg cannot authenticate the server."""
    return refused("DatabaseTLSError: ITEST_URL: connection refused: the server", "could not be authenticated", *fragments)


BINDING_FIX = (
    "The URL asks for channel_binding=require, which asyncpg cannot do, so the server's certificate is "
    "checked instead (as sslmode=verify-full) against ",
    "sslrootcert=/path/to/ca.pem",
    "DatabaseDriver.PSYCOPG",
)
FLOOR_FIX = ("verifyServerCertificate (.projenrc.ts; VERIFY_SERVER here)", "sslmode=disable on a private network")


@dataclass(frozen=True)
class Case:
    id: str
    target: str  # "postgres" (as Alembic, direct) or "pgbouncer" (as the app, pooled)
    query: str
    asyncpg: Ok | Refused
    psycopg: Ok | Refused
    libpq: Ok | Refused  # psycopg straight, without db.py: the reference
    host: str = "localhost"
    user: str = "app"
    floor: bool | None = None  # VERIFY_SERVER; None: as rendered (on by default)
    # asyncpg connects where libpq cannot bind the channel, having verified the certificate instead
    by_certificate: bool = False
    env: dict[str, str] = field(default_factory=dict)


CA_Q = f"sslrootcert={CA}"
CASES = [
    # Neon's URL shape against a certificate the client does not trust
    Case("neon-url/untrusted/postgres", "postgres", NEON,
         asyncpg=asyncpg_refused(ASYNCPG_UNTRUSTED, *BINDING_FIX, "the system's trusted CAs"), psycopg=Ok(), libpq=Ok()),
    Case("neon-url/untrusted/pgbouncer", "pgbouncer", NEON,
         asyncpg=asyncpg_refused(ASYNCPG_UNTRUSTED, *BINDING_FIX, "the system's trusted CAs"),
         psycopg=refused(LIBPQ_NO_BINDING), libpq=refused(LIBPQ_NO_BINDING)),
    # ... with the test CA and the host name the certificate names
    Case("neon-url/test-ca/postgres", "postgres", f"{NEON}&{CA_Q}", asyncpg=Ok(), psycopg=Ok(), libpq=Ok()),
    Case("neon-url/test-ca/pgbouncer", "pgbouncer", f"{NEON}&{CA_Q}", asyncpg=Ok(None), by_certificate=True,
         psycopg=refused(LIBPQ_NO_BINDING), libpq=refused(LIBPQ_NO_BINDING)),
    # ... with a host name the certificate does not name (libpq: require + root = verify-ca, no host check,
    # but channel binding protects the login)
    Case("neon-url/test-ca/wrong-host/postgres", "postgres", f"{NEON}&{CA_Q}", host="127.0.0.1",
         asyncpg=asyncpg_refused(ASYNCPG_WRONG_HOST, *BINDING_FIX), psycopg=Ok(), libpq=Ok()),
    Case("neon-url/test-ca/wrong-host/pgbouncer", "pgbouncer", f"{NEON}&{CA_Q}", host="127.0.0.1",
         asyncpg=asyncpg_refused(ASYNCPG_WRONG_HOST),
         psycopg=refused(LIBPQ_NO_BINDING), libpq=refused(LIBPQ_NO_BINDING)),
    # channel binding against md5 authentication: libpq refuses; asyncpg has the certificate
    Case("neon-url/test-ca/md5", "postgres", f"{NEON}&{CA_Q}", user="app_md5",
         asyncpg=Ok(), by_certificate=True,
         psycopg=refused(LIBPQ_MD5_NO_BINDING), libpq=refused(LIBPQ_MD5_NO_BINDING)),
    # verify-full: the CA and the host name
    Case("verify-full/test-ca", "postgres", f"sslmode=verify-full&{CA_Q}", asyncpg=Ok(), psycopg=Ok(), libpq=Ok()),
    Case("verify-full/test-ca/wrong-host", "postgres", f"sslmode=verify-full&{CA_Q}", host="127.0.0.1",
         asyncpg=asyncpg_refused(ASYNCPG_WRONG_HOST, "The URL asks for sslmode=verify-full"),
         psycopg=refused(LIBPQ_HOST_MISMATCH), libpq=refused(LIBPQ_HOST_MISMATCH)),
    Case("verify-full/test-ca/pgbouncer", "pgbouncer", f"sslmode=verify-full&{CA_Q}",
         asyncpg=Ok(None), psycopg=Ok(None), libpq=Ok()),
    # verify-full with the system trust store, which does not hold the test CA
    Case("verify-full/sslrootcert=system", "postgres", "sslmode=verify-full&sslrootcert=system",
         asyncpg=asyncpg_refused(ASYNCPG_UNTRUSTED, "the system's trusted CAs"),
         psycopg=refused(UNTRUSTED), libpq=refused(UNTRUSTED)),
    Case("verify-full/system-bundle-path", "postgres", f"sslmode=verify-full&sslrootcert={SYSTEM_BUNDLE}",
         asyncpg=asyncpg_refused(ASYNCPG_UNTRUSTED), psycopg=refused(UNTRUSTED), libpq=refused(UNTRUSTED)),
    Case("sslrootcert=system/pgbouncer", "pgbouncer", "sslrootcert=system",
         asyncpg=asyncpg_refused(ASYNCPG_UNTRUSTED), psycopg=refused(UNTRUSTED), libpq=refused(UNTRUSTED)),
    # ... and with a system trust store that does (SSL_CERT_FILE moves it, for Python and libpq alike)
    Case("verify-full/sslrootcert=system/SSL_CERT_FILE", "postgres", "sslmode=verify-full&sslrootcert=system",
         env={"SSL_CERT_FILE": CA}, asyncpg=Ok(), psycopg=Ok(), libpq=Ok()),
    Case("neon-url/SSL_CERT_FILE", "postgres", NEON, env={"SSL_CERT_FILE": CA},
         asyncpg=Ok(), psycopg=Ok(), libpq=Ok()),
    # a weak sslmode with the system's CAs is refused, as libpq does
    Case("require&sslrootcert=system", "postgres", "sslmode=require&sslrootcert=system",
         asyncpg=refused("DatabaseConfigError: ITEST_URL: sslrootcert=system needs sslmode=verify-full"),
         psycopg=refused("DatabaseConfigError: ITEST_URL: sslrootcert=system needs sslmode=verify-full"),
         libpq=refused('weak sslmode "require" may not be used with sslrootcert=system')),
    # sslmode=disable on this machine: no TLS, and it works (the local stack, CI's throwaway database)
    Case("disable/localhost", "postgres", "sslmode=disable", asyncpg=Ok(False), psycopg=Ok(False), libpq=Ok()),
    Case("disable/127.0.0.1", "postgres", "sslmode=disable", host="127.0.0.1",
         asyncpg=Ok(False), psycopg=Ok(False), libpq=Ok()),
    Case("disable&channel_binding=require", "postgres", "sslmode=disable&channel_binding=require",
         asyncpg=refused("DatabaseConfigError: ITEST_URL: channel_binding=require needs TLS"),
         psycopg=refused("DatabaseConfigError: ITEST_URL: channel_binding=require needs TLS"),
         libpq=refused("channel binding required, but SSL not in use")),
    # require on this machine: libpq's meaning (encrypted, not authenticated), even with the floor on
    Case("require/127.0.0.1", "postgres", "sslmode=require", host="127.0.0.1",
         asyncpg=Ok(), psycopg=Ok(), libpq=Ok()),
    # the floor (VERIFY_SERVER): another machine is always verified
    Case("floor/require/untrusted", "postgres", "sslmode=require", host=OTHER_HOST, floor=True,
         asyncpg=asyncpg_refused(ASYNCPG_UNTRUSTED, *FLOOR_FIX),
         psycopg=refused("DatabaseTLSError: ITEST_URL", UNTRUSTED, *FLOOR_FIX), libpq=Ok()),
    Case("floor/no-sslmode/untrusted", "postgres", "", host=OTHER_HOST, floor=True,
         asyncpg=asyncpg_refused(ASYNCPG_UNTRUSTED, *FLOOR_FIX),
         psycopg=refused("DatabaseTLSError: ITEST_URL", UNTRUSTED), libpq=Ok()),
    Case("floor/neon-url/untrusted", "postgres", NEON, host=OTHER_HOST, floor=True,
         asyncpg=asyncpg_refused(ASYNCPG_UNTRUSTED, *BINDING_FIX, "the system's trusted CAs"), psycopg=Ok(), libpq=Ok()),
    Case("floor/require/test-ca", "postgres", f"sslmode=require&{CA_Q}", host=OTHER_HOST, floor=True,
         asyncpg=Ok(), psycopg=Ok(), libpq=Ok()),
    Case("floor/require/test-ca/pgbouncer", "pgbouncer", f"sslmode=require&{CA_Q}", host=OTHER_HOST,
         floor=True, asyncpg=Ok(None), psycopg=Ok(None), libpq=Ok()),
    Case("floor/disable", "postgres", "sslmode=disable", host=OTHER_HOST, floor=True,
         asyncpg=Ok(False), psycopg=Ok(False), libpq=Ok()),
    Case("floor-off/require/untrusted", "postgres", "sslmode=require", host=OTHER_HOST, floor=False,
         asyncpg=Ok(), psycopg=Ok(), libpq=Ok()),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_never_weaker_than_libpq(monkeypatch: pytest.MonkeyPatch, case: Case) -> None:
    for key, value in case.env.items():
        monkeypatch.setenv(key, value)
    if case.floor is not None:
        monkeypatch.setattr(db, "VERIFY_SERVER", case.floor)
    raw = url(case.target, case.query, host=case.host, user=case.user)

    libpq = libpq_verdict(raw)
    if isinstance(case.libpq, Ok):
        assert libpq is None, f"libpq refused: {libpq}"
    else:
        assert libpq is not None, "libpq connected"
        for fragment in case.libpq.fragments:
            assert fragment in libpq

    expected = case.asyncpg if db.DRIVER == "asyncpg" else case.psycopg
    if isinstance(expected, Refused):
        message = chain(refusal(monkeypatch, case.target, raw))
        for fragment in expected.fragments:
            assert fragment in message
        return
    if libpq is not None:
        assert db.DRIVER == "asyncpg" and case.by_certificate, f"connected, but libpq refuses: {libpq}"
        policy = db.tls_policy("ITEST_URL", dict(p.split("=", 1) for p in case.query.split("&")), case.host)
        assert (policy.mode, policy.reason) == ("verify-full", "channel_binding=require")
    session = connect(monkeypatch, case.target, raw)
    assert session.user == case.user
    if expected.ssl is not None and case.target == "postgres":
        assert session.ssl is expected.ssl
