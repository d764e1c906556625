/*
 * auth.c - passwords, tokens, CSRF and rate limits on libsodium (see auth.h).
 */
#include "base/compat.h"
#include "base/error.h"
#include "web/auth.h"

#include <pthread.h>
#include <sodium.h>

static unsigned char csrf_key[crypto_generichash_KEYBYTES];
static pthread_mutex_t pwhash_lock = PTHREAD_MUTEX_INITIALIZER;

int td_auth_init(void)
{
    if (sodium_init() < 0)
        return TD_EIO;
    randombytes_buf(csrf_key, sizeof(csrf_key));
    return 0;
}

int td_auth_password_hash(const char *password, char out[TD_AUTH_PWHASH_MAX])
{
    int rc;

    _Static_assert(crypto_pwhash_STRBYTES <= TD_AUTH_PWHASH_MAX, "hash buffer");
    pthread_mutex_lock(&pwhash_lock);
    rc = crypto_pwhash_str_alg(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                               crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13);
    pthread_mutex_unlock(&pwhash_lock);
    return rc == 0 ? 0 : TD_ENOMEM;
}

bool td_auth_password_verify(const char *hash, const char *password)
{
    int rc;

    pthread_mutex_lock(&pwhash_lock);
    rc = crypto_pwhash_str_verify(hash, password, strlen(password));
    pthread_mutex_unlock(&pwhash_lock);
    return rc == 0;
}

void td_auth_token(char out[TD_AUTH_TOKEN_LEN + 1])
{
    unsigned char raw[32];

    randombytes_buf(raw, sizeof(raw));
    sodium_bin2base64(out, TD_AUTH_TOKEN_LEN + 1, raw, sizeof(raw),
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

static void keyed_hex(const unsigned char *key, size_t keylen, const char *s,
                      char out[TD_AUTH_HASH_HEX_LEN + 1])
{
    unsigned char h[32];

    crypto_generichash(h, sizeof(h), (const unsigned char *)s, strlen(s), key, keylen);
    sodium_bin2hex(out, TD_AUTH_HASH_HEX_LEN + 1, h, sizeof(h));
}

void td_auth_token_hash(const char *token, char out[TD_AUTH_HASH_HEX_LEN + 1])
{
    keyed_hex(NULL, 0, token, out);
}

void td_auth_csrf(const char *bound_to, char out[TD_AUTH_HASH_HEX_LEN + 1])
{
    keyed_hex(csrf_key, sizeof(csrf_key), bound_to, out);
}

bool td_auth_csrf_ok(const char *bound_to, const char *token)
{
    char want[TD_AUTH_HASH_HEX_LEN + 1];

    if (!bound_to || !*bound_to || !token || strlen(token) != TD_AUTH_HASH_HEX_LEN)
        return false;
    td_auth_csrf(bound_to, want);
    return sodium_memcmp(want, token, TD_AUTH_HASH_HEX_LEN) == 0;
}

#define RL_SLOTS 4096

struct slot {
    uint64_t key; /* keyed hash of the key string; 0: free */
    time_t start; /* window start */
    unsigned count;
};

struct td_ratelimit {
    pthread_mutex_t lock;
    unsigned max, window;
    unsigned char key[crypto_shorthash_KEYBYTES];
    struct slot slots[RL_SLOTS];
};

struct td_ratelimit *td_ratelimit_new(unsigned max, unsigned window)
{
    struct td_ratelimit *rl = td_xcalloc(1, sizeof(*rl));

    pthread_mutex_init(&rl->lock, NULL);
    rl->max = max;
    rl->window = window;
    randombytes_buf(rl->key, sizeof(rl->key));
    return rl;
}

void td_ratelimit_free(struct td_ratelimit *rl)
{
    if (!rl)
        return;
    pthread_mutex_destroy(&rl->lock);
    free(rl);
}

/*
 * The slot for `key`: found by open addressing over 8 probes (SipHash with
 * a random key, so nobody can aim collisions), else the stalest of them.
 */
static struct slot *find(struct td_ratelimit *rl, const char *key, time_t now)
{
    unsigned char h[crypto_shorthash_BYTES];
    uint64_t k;
    struct slot *victim = NULL;

    crypto_shorthash(h, (const unsigned char *)key, strlen(key), rl->key);
    memcpy(&k, h, sizeof(k));
    k |= 1; /* never 0 */
    for (unsigned i = 0; i < 8; i++) {
        struct slot *s = &rl->slots[(k + i) % RL_SLOTS];
        if (s->key == k)
            return s;
        if (s->key == 0) {
            if (!victim || victim->key != 0)
                victim = s;
        } else if (!victim || (victim->key != 0 && s->start < victim->start)) {
            victim = s;
        }
    }
    victim->key = k;
    victim->start = now;
    victim->count = 0;
    return victim;
}

static bool check(struct td_ratelimit *rl, const char *key, time_t now, bool count)
{
    bool ok;

    pthread_mutex_lock(&rl->lock);
    struct slot *s = find(rl, key, now);
    if (now - s->start >= (time_t)rl->window) {
        s->start = now;
        s->count = 0;
    }
    if (count) {
        if (s->count <= rl->max)
            s->count++;
        ok = s->count <= rl->max;
    } else {
        ok = s->count < rl->max;
    }
    pthread_mutex_unlock(&rl->lock);
    return ok;
}

bool td_ratelimit_hit(struct td_ratelimit *rl, const char *key, time_t now)
{
    return check(rl, key, now, true);
}

bool td_ratelimit_blocked(struct td_ratelimit *rl, const char *key, time_t now)
{
    return !check(rl, key, now, false);
}
