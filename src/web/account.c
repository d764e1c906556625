/*
 * account.c - sign up, sign in, sign out, and comments.
 *
 * Every POST carries a CSRF token (auth.h) checked before anything else;
 * forms are application/x-www-form-urlencoded only.  Successful posts
 * answer 303 See Other (post/redirect/get), so reloading never re-posts.
 * Failures re-render the form with a message and a 4xx status, keeping what
 * the reader typed (except passwords).
 */
#include "base/compat.h"
#include "base/error.h"
#include "base/log.h"
#include "store/store.h"
#include "web/auth.h"
#include "web/handlers.h"

#include <inttypes.h>
#include <time.h>

#define SESSION_TTL (30 * 86400)
#define COMMENT_MAX 4000 /* bytes of one comment */

/* ---- the reader behind the request ------------------------------------- */

/* Look the session cookie up once per request; r->user stays NULL when signed out. */
static void load_user(struct td_web_req *r)
{
    const char *token = td_web_req_cookie(r, "td_session");
    char hash[TD_AUTH_HASH_HEX_LEN + 1];
    struct td_store *st;

    if (r->user_loaded)
        return;
    r->user_loaded = true;
    if (!token || strlen(token) != TD_AUTH_TOKEN_LEN || !(st = td_web_req_store(r)))
        return;
    td_auth_token_hash(token, hash);
    if (td_store_session_user(st, hash, (int64_t)time(NULL), &r->arena, &r->user) == 0)
        r->session = td_arena_strndup(&r->arena, token, strlen(token));
}

static const char *cookie_attrs(struct td_web_req *r)
{
    return r->app->secure_cookies ? "; Path=/; HttpOnly; SameSite=Lax; Secure"
                                  : "; Path=/; HttpOnly; SameSite=Lax";
}

static void set_cookie(struct td_web_req *r, const char *name, const char *value, long max_age)
{
    size_t n = strlen(name) + strlen(value) + 96;
    char *c = td_arena_alloc(&r->arena, n);

    snprintf(c, n, "%s=%s%s; Max-Age=%ld", name, value, cookie_attrs(r), max_age);
    td_web_req_add_header(r, "Set-Cookie", c);
}

/*
 * The value CSRF tokens are bound to: the session token when signed in,
 * else the td_csrf cookie, which is created (and sent) when missing.
 */
static const char *csrf_binding(struct td_web_req *r, bool create)
{
    const char *c;

    load_user(r);
    if (r->session)
        return r->session;
    c = td_web_req_cookie(r, "td_csrf");
    if (c && strlen(c) == TD_AUTH_TOKEN_LEN)
        return c;
    if (!create)
        return NULL;
    char *t = td_arena_alloc(&r->arena, TD_AUTH_TOKEN_LEN + 1);
    td_auth_token(t);
    set_cookie(r, "td_csrf", t, 365L * 86400);
    return t;
}

static const char *csrf_token(struct td_web_req *r)
{
    char *tok = td_arena_alloc(&r->arena, TD_AUTH_HASH_HEX_LEN + 1);

    td_auth_csrf(csrf_binding(r, true), tok);
    return tok;
}

void td_web_page_of(struct td_web_req *r, struct td_web_page *page)
{
    memset(page, 0, sizeof(*page));
    load_user(r);
    if (r->user) {
        page->user = r->user->name;
        page->csrf = csrf_token(r);
    }
}

void td_web_comments_of(struct td_web_req *r, int64_t id, const struct td_web_page *page,
                        struct td_web_comments *out)
{
    struct td_store *st = td_web_req_store(r);
    struct td_comment *items = NULL;
    size_t n = 0;

    memset(out, 0, sizeof(*out));
    load_user(r);
    out->signed_in = r->user != NULL;
    out->admin = r->user && r->user->admin;
    out->csrf = page->csrf;
    if (!st || td_store_comment_list(st, id, out->admin, &r->arena, &items, &n) < 0) {
        out->notice = "Comments could not be loaded.";
        return;
    }
    struct td_web_comment_view *v = td_arena_zalloc(&r->arena, (n ? n : 1) * sizeof(*v));
    for (size_t i = 0; i < n; i++) {
        v[i].id = items[i].id;
        v[i].user = items[i].user_name;
        v[i].created = (time_t)items[i].created_at;
        v[i].body = items[i].body;
        v[i].own = r->user && r->user->id == items[i].user_id;
        v[i].hidden = items[i].hidden;
    }
    out->items = v;
    out->n = n;
}

/* ---- form plumbing --------------------------------------------------------- */

static void redirect(struct td_web_req *r, const char *location)
{
    r->status = 303;
    td_web_req_add_header(r, "Location", location);
    td_buf_reset(&r->out.buf);
    td_web_html_raw(&r->out, "<!doctype html><title>See other</title><a href=\"");
    td_web_html_url(&r->out, td_str_c(location), "/");
    td_web_html_raw(&r->out, "\">Continue</a>\n");
}

/*
 * Parse the POST body into `form` and check its CSRF token.  False (and
 * the answer given: 400 or 403) when the post must not be acted on.
 */
static bool read_form(struct td_web_req *r, struct td_web_form *form)
{
    const char *ct = td_web_req_header(r, "Content-Type");
    int rc;

    memset(form, 0, sizeof(*form));
    if (!ct ||
        !td_str_starts_with_nocase(td_str_c(ct), TD_STR_LIT("application/x-www-form-urlencoded"))) {
        td_web_reply_error(r, 400, "Forms must be sent as application/x-www-form-urlencoded.");
        return false;
    }
    rc = td_web_form_parse(form, td_buf_str(&r->body), &r->arena);
    if (rc < 0) {
        td_web_reply_error(r, 400,
                           rc == TD_ETOOBIG ? "The form has too many fields."
                                            : "The form has a malformed percent-escape or is "
                                              "not UTF-8.");
        return false;
    }
    if (!td_auth_csrf_ok(csrf_binding(r, false), td_web_form_get(form, "csrf", NULL))) {
        td_web_reply_error(r, 403,
                           "This form has expired or did not come from this site. Go back, "
                           "reload the page and try again.");
        return false;
    }
    return true;
}

/* ---- sign up and sign in ----------------------------------------------------- */

static void account_form(struct td_web_req *r, bool signup, int status, const char *message,
                         const char *name)
{
    struct td_web_site site;
    struct td_web_page page;
    const char *csrf = csrf_token(r);

    td_web_site_of(r, &site);
    td_web_page_of(r, &page);
    page.title = signup ? "Sign up" : "Sign in";
    r->status = status;
    td_buf_reset(&r->out.buf);
    td_web_view_begin(&r->out, &site, &page);
    td_web_html_raw(&r->out, signup ? "<h1>Sign up</h1>\n" : "<h1>Sign in</h1>\n");
    if (message) {
        td_web_html_raw(&r->out, "<p class=\"error\" role=\"alert\">");
        td_web_html_textc(&r->out, message);
        td_web_html_raw(&r->out, "</p>\n");
    }
    td_web_html_raw(&r->out,
                    signup ? "<form class=\"account-form\" action=\"/signup\" method=\"post\">"
                           : "<form class=\"account-form\" action=\"/signin\" method=\"post\">");
    td_web_html_raw(&r->out, "<input type=\"hidden\" name=\"csrf\" value=\"");
    td_web_html_textc(&r->out, csrf);
    td_web_html_raw(&r->out, "\"><label for=\"name\">Name</label><input id=\"name\" name=\"name\" "
                             "autocomplete=\"username\" required maxlength=\"64\" value=\"");
    td_web_html_textc(&r->out, name ? name : "");
    td_web_html_printf(&r->out,
                       "\"><label for=\"password\">Password%s</label><input id=\"password\" "
                       "name=\"password\" type=\"password\" required minlength=\"%d\" "
                       "maxlength=\"%d\" autocomplete=\"%s\"><button type=\"submit\">%s</button>"
                       "</form>\n",
                       signup ? " (at least 8 characters)" : "", signup ? TD_AUTH_PASSWORD_MIN : 1,
                       TD_AUTH_PASSWORD_MAX, signup ? "new-password" : "current-password",
                       signup ? "Sign up" : "Sign in");
    td_web_html_raw(&r->out,
                    signup ? "<p>Already have an account? <a href=\"/signin\">Sign in</a>.</p>\n"
                           : "<p>New here? <a href=\"/signup\">Sign up</a>.</p>\n");
    td_web_view_end(&r->out, &site);
}

void td_web_h_signup_form(struct td_web_req *r)
{
    account_form(r, true, 200, NULL, NULL);
}

void td_web_h_signin_form(struct td_web_req *r)
{
    account_form(r, false, 200, NULL, NULL);
}

/* Start a session for `user_id` and send its cookie. */
static int start_session(struct td_web_req *r, int64_t user_id)
{
    char *token = td_arena_alloc(&r->arena, TD_AUTH_TOKEN_LEN + 1);
    char hash[TD_AUTH_HASH_HEX_LEN + 1];
    int64_t now = (int64_t)time(NULL);
    struct td_session s = {.token_hash = hash, .user_id = user_id, .expires_at = now + SESSION_TTL};
    int rc;

    td_auth_token(token);
    td_auth_token_hash(token, hash);
    td_store_session_purge(r->store, now);
    if ((rc = td_store_session_add(r->store, &s)) < 0)
        return rc;
    set_cookie(r, "td_session", token, SESSION_TTL);
    return 0;
}

/* A user name: 1..64 bytes of printable UTF-8 (no control characters), trimmed. */
static const char *name_problem(struct td_str name)
{
    if (name.len == 0)
        return "Choose a name.";
    if (name.len > TD_STORE_NAME_MAX)
        return "Names are at most 64 bytes.";
    for (size_t i = 0; i < name.len; i++)
        if ((unsigned char)name.ptr[i] < 0x20 || name.ptr[i] == 0x7f)
            return "Names cannot contain control characters.";
    return NULL;
}

void td_web_h_signup(struct td_web_req *r)
{
    struct td_web_form form;
    struct td_store *st = td_web_req_store(r);
    const char *ip = td_web_req_ip(r);
    char key[80], hash[TD_AUTH_PWHASH_MAX];
    int64_t id;
    int rc;

    if (!read_form(r, &form))
        return;
    struct td_str name = td_str_trim(td_str_c(td_web_form_get(&form, "name", "")));
    const char *pw = td_web_form_get(&form, "password", "");
    const char *nm = td_arena_strndup(&r->arena, name.ptr, name.len);
    const char *problem = name_problem(name);
    if (!problem && strlen(pw) < TD_AUTH_PASSWORD_MIN)
        problem = "Passwords need at least 8 characters.";
    if (!problem && strlen(pw) > TD_AUTH_PASSWORD_MAX)
        problem = "Passwords are at most 256 characters.";
    if (problem) {
        account_form(r, true, 400, problem, nm);
        return;
    }
    snprintf(key, sizeof(key), "signup:%s", ip);
    if (!td_ratelimit_hit(r->app->signup_rl, key, time(NULL))) {
        account_form(r, true, 429, "Too many sign-ups from your address. Try again later.", nm);
        return;
    }
    if (!st) {
        td_web_reply_store_error(r, TD_EDB);
        return;
    }
    if (td_auth_password_hash(pw, hash) < 0) {
        td_web_reply_error(r, 500, "The password could not be hashed.");
        return;
    }
    struct td_user u = {.name = nm, .pw_hash = hash};
    rc = td_store_user_add(st, &u, &id);
    if (rc == TD_EEXIST) {
        account_form(r, true, 409, "That name is taken. Choose another.", nm);
        return;
    }
    if (rc < 0 || (rc = start_session(r, id)) < 0) {
        td_web_reply_store_error(r, rc);
        return;
    }
    td_log_info("signup user=%" PRId64, id);
    redirect(r, "/");
}

void td_web_h_signin(struct td_web_req *r)
{
    struct td_web_form form;
    struct td_store *st = td_web_req_store(r);
    struct td_user *u = NULL;
    char ipkey[80], namekey[96];
    time_t now = time(NULL);

    if (!read_form(r, &form))
        return;
    struct td_str name = td_str_trim(td_str_c(td_web_form_get(&form, "name", "")));
    const char *pw = td_web_form_get(&form, "password", "");
    const char *nm = td_arena_strndup(&r->arena, name.ptr, name.len);
    /* Failures are limited per address and per account, so neither a spray nor a focus works. */
    snprintf(ipkey, sizeof(ipkey), "ip:%s", td_web_req_ip(r));
    snprintf(namekey, sizeof(namekey), "name:%.80s", nm);
    for (char *p = namekey; *p; p++)
        *p = (char)td_ascii_lower((unsigned char)*p);
    if (td_ratelimit_blocked(r->app->signin_rl, ipkey, now) ||
        td_ratelimit_blocked(r->app->signin_rl, namekey, now)) {
        account_form(r, false, 429, "Too many failed attempts. Wait a few minutes.", nm);
        return;
    }
    if (!st) {
        td_web_reply_store_error(r, TD_EDB);
        return;
    }
    bool ok = name_problem(name) == NULL && strlen(pw) <= TD_AUTH_PASSWORD_MAX &&
              td_store_user_get_by_name(st, nm, &r->arena, &u) == 0 &&
              td_auth_password_verify(u->pw_hash, pw);
    if (!ok) {
        td_ratelimit_hit(r->app->signin_rl, ipkey, now);
        td_ratelimit_hit(r->app->signin_rl, namekey, now);
        account_form(r, false, 401, "That name and password do not match.", nm);
        return;
    }
    int rc = start_session(r, u->id);
    if (rc < 0) {
        td_web_reply_store_error(r, rc);
        return;
    }
    td_log_info("signin user=%" PRId64, u->id);
    redirect(r, "/");
}

void td_web_h_signout(struct td_web_req *r)
{
    struct td_web_form form;
    char hash[TD_AUTH_HASH_HEX_LEN + 1];

    if (!read_form(r, &form))
        return;
    if (r->session && td_web_req_store(r)) {
        td_auth_token_hash(r->session, hash);
        td_store_session_delete(r->store, hash);
    }
    set_cookie(r, "td_session", "", 0);
    redirect(r, "/");
}

/* ---- comments ------------------------------------------------------------------ */

/* The signed-in user for a comment action, or NULL with a 403 answered. */
static struct td_user *need_user(struct td_web_req *r)
{
    load_user(r);
    if (!r->user)
        td_web_reply_error(r, 403, "Sign in to do that.");
    return r->user;
}

/* A comment body from the form: trimmed, non-empty, capped; NULL with a 400 answered. */
static const char *comment_body(struct td_web_req *r, const struct td_web_form *form)
{
    struct td_str b = td_str_trim(td_str_c(td_web_form_get(form, "body", "")));

    if (b.len == 0) {
        td_web_reply_error(r, 400, "A comment needs some text.");
        return NULL;
    }
    if (b.len > COMMENT_MAX) {
        td_web_reply_error(r, 413, "Comments are at most 4000 characters.");
        return NULL;
    }
    return td_arena_strndup(&r->arena, b.ptr, b.len);
}

static const char *article_url(struct td_web_req *r, int64_t article, int64_t comment)
{
    char *s = td_arena_alloc(&r->arena, 64);

    if (comment)
        snprintf(s, 64, "/articles/%" PRId64 "#c%" PRId64, article, comment);
    else
        snprintf(s, 64, "/articles/%" PRId64 "#comments-h", article);
    return s;
}

void td_web_h_comment_add(struct td_web_req *r)
{
    int64_t article = td_web_param_id(r, "id");
    struct td_web_form form;
    struct td_article *a = NULL;
    struct td_user *u;
    const char *body;
    char key[48];
    int64_t id;
    int rc;

    if (!read_form(r, &form) || !(u = need_user(r)) || !(body = comment_body(r, &form)))
        return;
    rc = article ? td_store_article_get(r->store, article, &r->arena, &a) : TD_ENOTFOUND;
    if (rc == TD_ENOTFOUND) {
        td_web_reply_error(r, 404, "There is no such article.");
        return;
    }
    snprintf(key, sizeof(key), "comment:%" PRId64, u->id);
    if (rc == 0 && !td_ratelimit_hit(r->app->comment_rl, key, time(NULL))) {
        td_web_reply_error(r, 429, "You are commenting too fast. Wait a minute and try again.");
        return;
    }
    struct td_comment c = {.article_id = article, .user_id = u->id, .body = body};
    if (rc < 0 || (rc = td_store_comment_add(r->store, &c, &id)) < 0) {
        td_web_reply_store_error(r, rc);
        return;
    }
    redirect(r, article_url(r, article, id));
}

/*
 * Load comment {id} for an action by its author (`own`) or an admin; NULL
 * with 403/404 answered.
 */
static struct td_comment *comment_for(struct td_web_req *r, struct td_web_form *form, bool own_ok,
                                      bool admin_ok)
{
    int64_t id = td_web_param_id(r, "id");
    struct td_comment *c = NULL;
    struct td_user *u;

    if (!read_form(r, form) || !(u = need_user(r)))
        return NULL;
    if (!id || td_store_comment_get(r->store, id, &r->arena, &c) < 0) {
        td_web_reply_error(r, 404, "There is no such comment.");
        return NULL;
    }
    if (!((own_ok && c->user_id == u->id) || (admin_ok && u->admin))) {
        td_web_reply_error(r, 403, "That is not yours to change.");
        return NULL;
    }
    return c;
}

void td_web_h_comment_edit(struct td_web_req *r)
{
    struct td_web_form form;
    struct td_comment *c = comment_for(r, &form, true, false);
    const char *body;
    int rc;

    if (!c || !(body = comment_body(r, &form)))
        return;
    if ((rc = td_store_comment_edit(r->store, c->id, body, 0)) < 0) {
        td_web_reply_store_error(r, rc);
        return;
    }
    redirect(r, article_url(r, c->article_id, c->id));
}

void td_web_h_comment_delete(struct td_web_req *r)
{
    struct td_web_form form;
    struct td_comment *c = comment_for(r, &form, true, true);
    int rc;

    if (!c)
        return;
    if ((rc = td_store_comment_delete(r->store, c->id)) < 0) {
        td_web_reply_store_error(r, rc);
        return;
    }
    td_log_info("comment deleted id=%" PRId64 " by=%" PRId64, c->id, r->user->id);
    redirect(r, article_url(r, c->article_id, 0));
}

static void set_hidden(struct td_web_req *r, bool hidden)
{
    struct td_web_form form;
    struct td_comment *c = comment_for(r, &form, false, true);
    int rc;

    if (!c)
        return;
    if ((rc = td_store_comment_set_hidden(r->store, c->id, hidden)) < 0) {
        td_web_reply_store_error(r, rc);
        return;
    }
    td_log_info("comment %s id=%" PRId64 " by=%" PRId64, hidden ? "hidden" : "shown", c->id,
                r->user->id);
    redirect(r, article_url(r, c->article_id, c->id));
}

void td_web_h_comment_hide(struct td_web_req *r)
{
    set_hidden(r, true);
}

void td_web_h_comment_unhide(struct td_web_req *r)
{
    set_hidden(r, false);
}
