"""child.py - a server the Python integration tests start as a child
process: `tidings serve`, the fixture server, or anything that prints its
http://127.0.0.1:PORT/ URL as its first line.  It is asked over HTTP on
loopback and stopped with SIGTERM.
"""
import http.client
import re
import signal
import subprocess


def get(port, path):
    """GET `path` from 127.0.0.1:`port`; return (status, body as text)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    conn.request("GET", path)
    resp = conn.getresponse()
    body = resp.read().decode("utf-8", "replace")
    conn.close()
    return resp.status, body


class Child:
    """Start `args` with stderr to `log_path`; read the port from stdout's first line."""

    def __init__(self, args, log_path):
        self.log = open(log_path, "w")
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=self.log, text=True)
        line = self.proc.stdout.readline()
        m = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        if not m:
            self.stop()
            raise RuntimeError("%s did not start: %r" % (args[0], line))
        self.port = int(m.group(1))

    def get(self, path):
        return get(self.port, path)

    def stop(self):
        """SIGTERM if still running; return the exit status."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            self.proc.wait(timeout=20)
        self.log.close()
        return self.proc.returncode


def serve(tidings, db, log_path):
    """`tidings serve --no-crawl` on DB, on a free loopback port."""
    return Child([tidings, "serve", "--db", db, "--no-crawl", "--listen", "127.0.0.1:0"],
                 log_path)
