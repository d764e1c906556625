/*
 * auth.h - the security pieces of accounts, all on libsodium: password
 * hashes (argon2id), random session tokens, CSRF tokens, and an in-memory
 * rate limiter for sign-in attempts and comments.
 *
 * Sessions: the cookie carries a random 256-bit token; the database keeps
 * only its BLAKE2b hash, so a leaked database does not hand out sessions.
 *
 * CSRF: every form carries a token that is a keyed hash (BLAKE2b with a
 * per-process secret) of a value the browser holds in an HttpOnly cookie:
 * the session token when signed in, else a random "td_csrf" cookie.  A
 * cross-site page can neither read the cookie nor compute the token, and
 * nothing has to be stored.  SameSite=Lax on the cookies is a second fence.
 */
#ifndef TD_WEB_AUTH_H
#define TD_WEB_AUTH_H

#include "base/compat.h"

#include <time.h>

#define TD_AUTH_TOKEN_LEN 43    /* base64url of 32 bytes, no padding */
#define TD_AUTH_HASH_HEX_LEN 64 /* hex of a 32-byte hash */
#define TD_AUTH_PWHASH_MAX 128  /* crypto_pwhash_STRBYTES */
#define TD_AUTH_PASSWORD_MIN 8
#define TD_AUTH_PASSWORD_MAX 256

/* Initialize libsodium and the per-process CSRF secret.  TD_EIO on failure. */
int td_auth_init(void);

/*
 * Hash `password` with argon2id (interactive limits) into `out`
 * (TD_AUTH_PWHASH_MAX bytes).  One hash runs at a time: each takes 64 MiB
 * of memory, and serializing them bounds what a flood of sign-ins costs.
 */
int td_auth_password_hash(const char *password, char out[TD_AUTH_PWHASH_MAX]);
/* True if `password` matches `hash` (constant time in the password). */
bool td_auth_password_verify(const char *hash, const char *password);

/* A fresh random token, base64url, NUL-terminated (TD_AUTH_TOKEN_LEN + 1 bytes). */
void td_auth_token(char out[TD_AUTH_TOKEN_LEN + 1]);
/* The hex hash of a token as stored in the database (TD_AUTH_HASH_HEX_LEN + 1 bytes). */
void td_auth_token_hash(const char *token, char out[TD_AUTH_HASH_HEX_LEN + 1]);

/* The CSRF token for the cookie value `bound_to` (hex, TD_AUTH_HASH_HEX_LEN + 1 bytes). */
void td_auth_csrf(const char *bound_to, char out[TD_AUTH_HASH_HEX_LEN + 1]);
/* True if `token` is the CSRF token for `bound_to` (constant time). */
bool td_auth_csrf_ok(const char *bound_to, const char *token);

/*
 * A fixed-size table of counters in time windows: at most `max` events per
 * `window` seconds for each key ("ip:127.0.0.1", "user:42").  When the
 * table is full the stalest slot is reused, so memory stays bounded under
 * any number of keys.  Thread-safe.
 */
struct td_ratelimit;

struct td_ratelimit *td_ratelimit_new(unsigned max, unsigned window);
void td_ratelimit_free(struct td_ratelimit *rl);
/* Count one event for `key` at `now`; false if that exceeds the limit. */
bool td_ratelimit_hit(struct td_ratelimit *rl, const char *key, time_t now);
/* Whether `key` is over its limit at `now`, without counting. */
bool td_ratelimit_blocked(struct td_ratelimit *rl, const char *key, time_t now);

#endif
