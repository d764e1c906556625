"""pytap.py - the TAP helpers shared by the Python integration tests.

A test script registers its cases with @test, asserts with check(), prints
its own plan (`1..N`, which may count cases run outside run_tests) and
calls run_tests() for the registered ones: each case prints `ok` or
`not ok` with the traceback as TAP comments, and one failure does not stop
the others.
"""
import sys
import traceback

TESTS = []


def test(fn):
    """Register `fn` as a test case, in file order."""
    TESTS.append(fn)
    return fn


def check(cond, what):
    if not cond:
        raise AssertionError(what)


def run_tests(tests=None, first=1):
    """Run the cases (default: every registered one), numbered from `first`;
    return how many failed."""
    failed = 0
    for i, fn in enumerate(TESTS if tests is None else tests, first):
        try:
            fn()
            print("ok %d - %s" % (i, fn.__name__))
        except Exception:
            failed += 1
            print("not ok %d - %s" % (i, fn.__name__))
            for line in traceback.format_exc().splitlines():
                print("# " + line)
        sys.stdout.flush()
    return failed
