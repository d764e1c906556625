/*
 * cmd_user.c - `tidings user add NAME [--admin] [--db PATH]`: create a
 * reader account from the command line (the way to make the first admin).
 *
 * The password is read from standard input: prompted for twice without
 * echo on a terminal, else the first line (so scripts can pipe it in).  It
 * is hashed with argon2id exactly as the sign-up form does.
 */
#include "base/compat.h"
#include "base/error.h"
#include "cli/cli.h"
#include "store/store.h"
#include "web/auth.h"

#include <termios.h>
#include <unistd.h>

static void usage(void)
{
    fprintf(stderr, "usage: tidings user add NAME [--admin] [--db PATH]   (password on stdin)\n");
}

/* One line of stdin into `buf` without its newline; echo off on a terminal. */
static int read_password(const char *prompt, char *buf, size_t size)
{
    struct termios old, quiet;
    bool tty = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &old) == 0;
    int rc = 0;

    if (tty) {
        fprintf(stderr, "%s", prompt);
        quiet = old;
        quiet.c_lflag &= ~(tcflag_t)ECHO;
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    }
    if (!fgets(buf, (int)size, stdin))
        rc = -1;
    if (tty) {
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
        fputc('\n', stderr);
    }
    if (rc == 0) {
        size_t n = strlen(buf);
        if (n && buf[n - 1] != '\n' && !feof(stdin))
            return -2; /* longer than the buffer */
        buf[strcspn(buf, "\r\n")] = '\0';
    }
    return rc;
}

int td_cmd_user(int argc, char **argv)
{
    const char *name = NULL, *db = "tidings.db";
    char pw[TD_AUTH_PASSWORD_MAX + 2], again[TD_AUTH_PASSWORD_MAX + 2];
    char hash[TD_AUTH_PWHASH_MAX];
    struct td_store *st = NULL;
    bool admin = false;
    int64_t id;
    int rc, status = 1;

    if (argc < 3 || strcmp(argv[1], "add") != 0) {
        usage();
        return 2;
    }
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--admin"))
            admin = true;
        else if (!strcmp(argv[i], "--db") && i + 1 < argc)
            db = argv[++i];
        else if (argv[i][0] != '-' && !name)
            name = argv[i];
        else {
            usage();
            return 2;
        }
    }
    if (!name || !*name || strlen(name) > TD_STORE_NAME_MAX) {
        fprintf(stderr, "tidings user: a name of 1 to %d bytes is required\n", TD_STORE_NAME_MAX);
        return 2;
    }
    rc = read_password("Password: ", pw, sizeof(pw));
    if (rc == 0 && isatty(STDIN_FILENO)) {
        rc = read_password("Again: ", again, sizeof(again));
        if (rc == 0 && strcmp(pw, again) != 0) {
            fprintf(stderr, "tidings user: the passwords differ\n");
            goto out;
        }
    }
    if (rc < 0 || strlen(pw) < TD_AUTH_PASSWORD_MIN || strlen(pw) > TD_AUTH_PASSWORD_MAX) {
        fprintf(stderr, "tidings user: give a password of %d to %d bytes on standard input\n",
                TD_AUTH_PASSWORD_MIN, TD_AUTH_PASSWORD_MAX);
        goto out;
    }
    if (td_auth_init() < 0 || td_auth_password_hash(pw, hash) < 0) {
        fprintf(stderr, "tidings user: cannot hash the password\n");
        goto out;
    }
    if ((rc = td_store_open(db, 0, &st)) < 0) {
        fprintf(stderr, "tidings user: cannot open %s: %s\n", db, td_strerror(rc));
        goto out;
    }
    struct td_user u = {.name = name, .pw_hash = hash, .admin = admin};
    if ((rc = td_store_user_add(st, &u, &id)) < 0) {
        fprintf(stderr, "tidings user: %s\n", td_store_errmsg(st));
        goto out;
    }
    printf("user %s added (id %lld%s)\n", name, (long long)id, admin ? ", admin" : "");
    status = 0;
out:
    memset(pw, 0, sizeof(pw));
    memset(again, 0, sizeof(again));
    td_store_close(st);
    return status;
}
