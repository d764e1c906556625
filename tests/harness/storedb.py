"""storedb.py - a database for an integration test, of the back end under test.

The store's tests run over each back end: TD_TEST_STORE names the one
under test ("sqlite", the default, or "postgresql").  StoreDB(tmpdir,
name) is a fresh database for the real binary's --db: an SQLite file in
`tmpdir`, or a new database on the PostgreSQL server TD_TEST_PG points at
(created and dropped with psql; tools/test.sh starts a throwaway server).
rows() and value() read it back for the test's own checks, execute()
changes it behind the binary's back.  Without TD_TEST_PG a
PostgreSQL run prints a TAP plan that skips everything, and exits.
"""
import os
import re
import sqlite3
import subprocess
import sys

US, RS, NUL = "\x1f", "\x1e", "\x01"


def backend():
    return os.environ.get("TD_TEST_STORE") or "sqlite"


def skip_without_server():
    """Exit with a skipping TAP plan when PostgreSQL is under test and no server is set."""
    if backend() != "sqlite" and not os.environ.get("TD_TEST_PG"):
        print("1..0 # SKIP no PostgreSQL server: set TD_TEST_PG=postgresql://... "
              "(tools/test.sh starts one when PostgreSQL is installed)")
        sys.exit(0)


def _value(v):
    if v == NUL:
        return None
    return int(v) if re.fullmatch(r"-?\d+", v) else v


class StoreDB:
    def __init__(self, tmpdir, name):
        self.pg = backend() != "sqlite"
        if not self.pg:
            self.location = os.path.join(tmpdir, name + ".db")
            return
        self.server = os.environ["TD_TEST_PG"]
        self.name = "td_test_%d_%s" % (os.getpid(), re.sub(r"[^a-z0-9]", "_", name.lower()))
        self._psql(self.server, "DROP DATABASE IF EXISTS %s" % self.name)
        self._psql(self.server, "CREATE DATABASE %s ENCODING 'UTF8' TEMPLATE template0" % self.name)
        # The server's URI with this database's name in its path.
        m = re.match(r"([a-z]+://[^/?]*)(/[^?]*)?(\?.*)?$", self.server)
        self.location = m.group(1) + "/" + self.name + (m.group(3) or "")

    @staticmethod
    def _psql(uri, sql):
        p = subprocess.run(["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
                            "-F", US, "-R", RS, "-P", "null=" + NUL, "-d", uri, "-c", sql],
                           capture_output=True, text=True, timeout=60)
        if p.returncode != 0:
            raise RuntimeError("psql: %s: %s" % (sql, p.stderr.strip()))
        return p.stdout

    def rows(self, sql):
        """The rows of `sql` as tuples; integers as int, NULL as None."""
        if not self.pg:
            con = sqlite3.connect("file:%s?mode=ro" % self.location, uri=True)
            try:
                return con.execute(sql).fetchall()
            finally:
                con.close()
        out = self._psql(self.location, sql).rstrip("\n")
        return [tuple(_value(v) for v in r.split(US)) for r in out.split(RS) if r != ""]

    def execute(self, sql):
        """Run a statement that changes the database, as someone other than the binary."""
        if self.pg:
            self._psql(self.location, sql)
            return
        con = sqlite3.connect(self.location, timeout=5)
        try:
            con.execute(sql)
            con.commit()
        finally:
            con.close()

    def value(self, sql):
        r = self.rows(sql)
        return r[0][0] if r else None

    def drop(self):
        if self.pg:
            self._psql(self.server, "DROP DATABASE IF EXISTS %s WITH (FORCE)" % self.name)
