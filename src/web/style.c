/*
 * style.c - the site stylesheet, compiled into the binary so that the site
 * has no external assets and nothing to install beside the executable.
 *
 * One column that reads well on a phone and widens to a comfortable
 * measure on a desktop; colours from custom properties, swapped for dark
 * mode by prefers-color-scheme; text/background pairs chosen for WCAG AA
 * contrast (4.5:1 or better); a visible focus ring on every interactive
 * element for keyboard users.
 */
#include "web/assets.h"

const char td_web_style_css[] =
    ":root{--bg:#fdfdfc;--fg:#1b1b1b;--muted:#555;--accent:#0b57d0;--line:#d9d9d9;"
    "--card:#fff;--focus:#b3261e;color-scheme:light dark}\n"
    "@media (prefers-color-scheme:dark){:root{--bg:#121212;--fg:#ececec;--muted:#b4b4b4;"
    "--accent:#8ab4f8;--line:#3a3a3a;--card:#1d1d1d;--focus:#f2b8b5}}\n"
    "*{box-sizing:border-box}\n"
    "html{font-size:100%;-webkit-text-size-adjust:100%}\n"
    "body{margin:0;background:var(--bg);color:var(--fg);"
    "font:1.0625rem/1.6 system-ui,-apple-system,\"Segoe UI\",Roboto,sans-serif}\n"
    "a{color:var(--accent)}\n"
    "a:focus-visible,button:focus-visible,input:focus-visible,textarea:focus-visible,"
    "summary:focus-visible,main:focus-visible{outline:3px solid var(--focus);outline-offset:2px}\n"
    ".skip{position:absolute;left:-999px;top:0;background:var(--card);padding:.5rem 1rem;"
    "z-index:10}\n.skip:focus{left:.5rem}\n"
    ".vh{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);"
    "white-space:nowrap}\n"
    "header.site{display:flex;flex-wrap:wrap;gap:.75rem 1.25rem;align-items:center;"
    "padding:.75rem 1rem;border-bottom:1px solid var(--line)}\n"
    ".brand{display:flex;gap:.5rem;align-items:center;font-weight:700;font-size:1.25rem;"
    "color:var(--fg);text-decoration:none}\n"
    "header nav ul{display:flex;gap:1rem;list-style:none;margin:0;padding:0}\n"
    ".search{display:flex;gap:.25rem;flex:1 1 14rem}\n"
    ".search input{flex:1;min-width:0}\n"
    ".account{display:flex;gap:.75rem;align-items:center}\n"
    ".account form{margin:0}\n"
    "input,textarea,button{font:inherit;color:inherit;background:var(--card);"
    "border:1px solid var(--muted);border-radius:4px;padding:.35rem .5rem}\n"
    "button{cursor:pointer;background:var(--accent);color:var(--bg);border-color:var(--accent)}\n"
    "main{max-width:44rem;margin:0 auto;padding:1rem;overflow-wrap:break-word}\n"
    "h1{font-size:1.9rem;line-height:1.25;margin:.5rem 0}\n"
    "h2{font-size:1.3rem;margin:2rem 0 .75rem}\n"
    "h3{font-size:1.1rem;margin:0 0 .25rem;line-height:1.35}\n"
    ".meta{color:var(--muted);font-size:.9rem;margin:.25rem 0}\n"
    ".meta .outlet{font-weight:600}\n"
    "img.icon{width:1em;height:1em;vertical-align:-.125em;margin-right:.3em;border-radius:2px}\n"
    "h1 img.icon{width:.8em;height:.8em}\n"
    ".cards{list-style:none;margin:0;padding:0}\n"
    ".cards li{border-bottom:1px solid var(--line);padding:.9rem 0}\n"
    ".cards a{text-decoration:none}\n.cards h3 a:hover{text-decoration:underline}\n"
    ".teaser{margin:.25rem 0 0}\n"
    "figure.lead{margin:1rem 0}\n"
    "figure.lead img{max-width:100%;height:auto;display:block;border-radius:4px}\n"
    "figcaption{color:var(--muted);font-size:.9rem;margin-top:.4rem}\n"
    ".credit{font-style:italic}\n"
    ".body p{margin:0 0 1rem}\n"
    ".listen audio{width:100%}\n"
    ".keypoints ul{margin:0 0 1rem;padding-left:1.25rem}\n.keypoints li{margin:.35rem 0}\n"
    ".tags ul,.topics ul,.tag-cloud{display:flex;flex-wrap:wrap;gap:.4rem;list-style:none;"
    "margin:.75rem 0;padding:0;font-size:.9rem}\n"
    ".tags a,.topics a,.tag-cloud a{display:inline-block;border:1px solid var(--line);"
    "border-radius:1rem;padding:.05rem .6rem;text-decoration:none}\n"
    "header .topics{flex-basis:100%}\n"
    ".comment-list{list-style:none;padding:0}\n"
    ".comment-list li{border-top:1px solid var(--line);padding:.5rem 0}\n"
    ".comment-list li.hidden{opacity:.6}\n"
    ".actions{display:flex;gap:.5rem;flex-wrap:wrap;align-items:flex-start}\n"
    ".comment-form,.account-form{display:flex;flex-direction:column;gap:.5rem;max-width:30rem}\n"
    ".comment-form textarea{width:100%}\n"
    ".notice,.error{border-left:4px solid var(--focus);padding:.25rem .75rem}\n"
    ".pager{display:flex;gap:1rem;justify-content:center;margin:1.5rem 0}\n"
    "mark{background:#ffe38a;color:#1b1b1b}\n"
    "footer.site{border-top:1px solid var(--line);color:var(--muted);text-align:center;"
    "padding:1rem;font-size:.9rem}\n"
    "@media (max-width:40rem){h1{font-size:1.5rem}header.site{gap:.5rem}}\n";

const size_t td_web_style_css_len = sizeof(td_web_style_css) - 1;
