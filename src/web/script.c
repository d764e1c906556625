/*
 * script.c - the site's one script, compiled into the binary like the
 * stylesheet and served as /static/app.js.
 *
 * Every page works without it: forms post and redirect, and the Listen
 * section holds a native <audio> element.  Where the browser runs it, the
 * script improves two things:
 *
 *   - posting a comment: the form is sent with fetch() and the comments
 *     section of the page the server redirects to replaces the current one,
 *     so the new comment appears (and takes focus) without a reload; an
 *     error page's message is shown beside the form instead;
 *   - Listen: the <audio> element becomes one "Listen" button, and the
 *     player, which makes the server synthesize the speech, is created only
 *     when the reader asks for it, then starts playing.
 *
 * The page links the script with a version derived from its bytes, so it
 * can be cached for a year and a new build is still fetched at once.  The
 * Content-Security-Policy allows scripts from this origin only: nothing
 * here is inline, and nothing is built from markup strings.
 */
#include "base/compat.h"
#include "web/assets.h"

#include <pthread.h>

const char td_web_app_js[] =
    "'use strict';\n"
    "(function () {\n"
    "  function ids(root) {\n"
    "    return Array.prototype.map.call(root.querySelectorAll('.comment-list > li[id]'),\n"
    "      function (li) { return li.id; });\n"
    "  }\n"
    "\n"
    "  function say(form, text) {\n"
    "    var p = form.querySelector('.js-status');\n"
    "    if (!p) {\n"
    "      p = document.createElement('p');\n"
    "      p.className = 'error js-status';\n"
    "      p.setAttribute('role', 'alert');\n"
    "      form.appendChild(p);\n"
    "    }\n"
    "    p.textContent = text;\n"
    "  }\n"
    "\n"
    "  function commentForm(form) {\n"
    "    form.addEventListener('submit', function (ev) {\n"
    "      var section = form.closest('section.comments');\n"
    "      if (!section || !window.fetch || !window.DOMParser) return;\n"
    "      ev.preventDefault();\n"
    "      var before = ids(section);\n"
    "      var button = form.querySelector('button[type=submit]');\n"
    "      if (button) button.disabled = true;\n"
    "      fetch(form.action, {\n"
    "        method: 'POST',\n"
    "        body: new URLSearchParams(new FormData(form)),\n"
    "        credentials: 'same-origin'\n"
    "      }).then(function (res) {\n"
    "        return res.text().then(function (html) {\n"
    "          var doc = new DOMParser().parseFromString(html, 'text/html');\n"
    "          var fresh = doc.querySelector('section.comments');\n"
    "          if (!res.ok || !fresh) {\n"
    "            var err = doc.querySelector('main .error');\n"
    "            say(form, err ? err.textContent : 'The comment could not be posted (' +\n"
    "              res.status + ').');\n"
    "            if (button) button.disabled = false;\n"
    "            return;\n"
    "          }\n"
    "          fresh = document.adoptNode(fresh);\n"
    "          section.replaceWith(fresh);\n"
    "          var added = ids(fresh).filter(function (id) { return before.indexOf(id) < 0; });\n"
    "          var li = added.length ? document.getElementById(added[added.length - 1]) : null;\n"
    "          if (li) {\n"
    "            li.classList.add('new');\n"
    "            li.setAttribute('tabindex', '-1');\n"
    "            li.focus();\n"
    "          }\n"
    "          enhance(fresh);\n"
    "        });\n"
    "      }).catch(function () {\n"
    "        say(form, 'The site could not be reached. Please try again.');\n"
    "        if (button) button.disabled = false;\n"
    "      });\n"
    "    });\n"
    "  }\n"
    "\n"
    "  function listen(section) {\n"
    "    var audio = section.querySelector('audio[src]');\n"
    "    if (!audio) return;\n"
    "    var src = audio.getAttribute('src');\n"
    "    var button = document.createElement('button');\n"
    "    button.type = 'button';\n"
    "    button.className = 'listen-play';\n"
    "    button.textContent = '\\u25B6 Listen to this article';\n"
    "    audio.replaceWith(button);\n"
    "    button.addEventListener('click', function () {\n"
    "      var player = document.createElement('audio');\n"
    "      player.controls = true;\n"
    "      player.preload = 'auto';\n"
    "      player.src = src;\n"
    "      button.replaceWith(player);\n"
    "      player.focus();\n"
    "      var playing = player.play();\n"
    "      if (playing && playing.catch) playing.catch(function () {});\n"
    "    });\n"
    "  }\n"
    "\n"
    "  function enhance(root) {\n"
    "    Array.prototype.forEach.call(root.querySelectorAll('form.comment-form'), commentForm);\n"
    "  }\n"
    "\n"
    "  function start() {\n"
    "    enhance(document);\n"
    "    Array.prototype.forEach.call(document.querySelectorAll('section.listen'), listen);\n"
    "  }\n"
    "\n"
    "  if (document.readyState === 'loading')\n"
    "    document.addEventListener('DOMContentLoaded', start);\n"
    "  else\n"
    "    start();\n"
    "})();\n";

const size_t td_web_app_js_len = sizeof(td_web_app_js) - 1;

static pthread_once_t url_once = PTHREAD_ONCE_INIT;
static char url[48];

/* FNV-1a over the script: a new build with a changed script gets a new URL. */
static void make_url(void)
{
    uint32_t h = 2166136261u;

    for (size_t i = 0; i < td_web_app_js_len; i++) {
        h ^= (unsigned char)td_web_app_js[i];
        h *= 16777619u;
    }
    snprintf(url, sizeof(url), "/static/app.js?v=%08x", (unsigned)h);
}

const char *td_web_app_js_url(void)
{
    pthread_once(&url_once, make_url);
    return url;
}
