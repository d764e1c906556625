/*
 * tts.c - espeak-ng synthesis into Ogg Opus or WAV (see tts.h).
 *
 * espeak-ng runs in AUDIO_OUTPUT_SYNCHRONOUS mode: espeak_Synth returns
 * when the whole text is spoken, and meanwhile calls our callback with
 * 16-bit mono PCM at the rate espeak_Initialize reported.  The callback
 * feeds libopusenc (which resamples to Opus's 48 kHz itself) or collects
 * raw samples for the WAV fallback.  A capped output buffer bounds the
 * result: the callback aborts synthesis as soon as the cap is hit.
 */
#include "base/compat.h"
#include "base/error.h"
#include "base/log.h"
#include "tts/tts.h"

#include <espeak-ng/speak_lib.h>
#include <pthread.h>

#ifdef TD_HAVE_OPUSENC
#include <opus/opusenc.h>
#endif

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int rate;         /* samples per second, once initialized */
static bool initialized; /* espeak_Initialize succeeded */

struct job {
    struct td_buf *out;
    int err;
#ifdef TD_HAVE_OPUSENC
    OggOpusEnc *enc;
#endif
    size_t samples;
};

enum td_tts_format td_tts_format(void)
{
#ifdef TD_HAVE_OPUSENC
    return TD_TTS_OPUS;
#else
    return TD_TTS_WAV;
#endif
}

const char *td_tts_mime(enum td_tts_format f)
{
    return f == TD_TTS_OPUS ? "audio/ogg; codecs=opus" : "audio/wav";
}

const char *td_tts_ext(enum td_tts_format f)
{
    return f == TD_TTS_OPUS ? "opus" : "wav";
}

size_t td_tts_cut(const char *text, size_t len, size_t max)
{
    if (len <= max)
        return len;
    /* The last sentence end (". ", "! ", "? ", newline) in the allowed prefix. */
    for (size_t i = max; i > max / 2; i--) {
        char c = text[i - 1];
        if (c == '\n' ||
            ((c == '.' || c == '!' || c == '?') && td_is_space((unsigned char)text[i])))
            return i;
    }
    /* No sentence end: cut at a character boundary. */
    size_t i = max;
    while (i > 0 && ((unsigned char)text[i] & 0xC0) == 0x80)
        i--;
    return i;
}

static int synth_cb(short *wav, int n, espeak_EVENT *ev)
{
    struct job *job = ev ? ev->user_data : NULL;

    if (!job || job->err || !wav || n <= 0)
        return job && job->err ? 1 : 0;
    job->samples += (size_t)n;
#ifdef TD_HAVE_OPUSENC
    if (ope_encoder_write(job->enc, wav, n) != OPE_OK && !job->err)
        job->err = TD_EIO;
#else
    if (td_buf_append(job->out, wav, (size_t)n * sizeof(short)) < 0)
        job->err = TD_ETOOBIG;
#endif
    return job->err ? 1 : 0;
}

#ifdef TD_HAVE_OPUSENC
static int opus_write(void *user, const unsigned char *p, opus_int32 len)
{
    struct job *job = user;

    if (td_buf_append(job->out, p, (size_t)len) < 0) {
        job->err = TD_ETOOBIG;
        return 1;
    }
    return 0;
}

static int opus_close(void *user)
{
    (void)user;
    return 0;
}
#else
static void put_le(unsigned char *p, uint32_t v, int bytes)
{
    for (int i = 0; i < bytes; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

/* The 44-byte RIFF/WAVE header for 16-bit mono PCM of `data_len` bytes. */
static void wav_header(unsigned char *h, uint32_t data_len)
{
    memcpy(h, "RIFF", 4);
    put_le(h + 4, 36 + data_len, 4);
    memcpy(h + 8, "WAVEfmt ", 8);
    put_le(h + 16, 16, 4);
    put_le(h + 20, 1, 2); /* PCM */
    put_le(h + 22, 1, 2); /* mono */
    put_le(h + 24, (uint32_t)rate, 4);
    put_le(h + 28, (uint32_t)rate * 2, 4);
    put_le(h + 32, 2, 2);
    put_le(h + 34, 16, 2);
    memcpy(h + 36, "data", 4);
    put_le(h + 40, data_len, 4);
}
#endif

/* Pick a voice for a BCP 47 tag: the full tag, then its primary subtag, then English. */
static void set_voice(const char *lang)
{
    char tag[36];
    espeak_VOICE v;

    snprintf(tag, sizeof(tag), "%s", lang && *lang ? lang : "en");
    for (char *p = tag; *p; p++)
        *p = (char)td_ascii_lower((unsigned char)(*p == '_' ? '-' : *p));
    for (int attempt = 0; attempt < 3; attempt++) {
        memset(&v, 0, sizeof(v));
        v.languages = tag;
        if (espeak_SetVoiceByProperties(&v) == EE_OK)
            return;
        char *dash = strchr(tag, '-');
        if (dash)
            *dash = '\0';
        else
            snprintf(tag, sizeof(tag), "en");
    }
}

int td_tts_speak(const char *text, size_t len, const char *lang, struct td_buf *out)
{
    struct job job = {.out = out};
    size_t start = out->len;
    char *copy = NULL;
    int rc = 0;

    len = td_tts_cut(text, len, TD_TTS_TEXT_MAX);
    if (td_str_trim(td_str_make(text, len)).len == 0)
        return TD_EEMPTY;
    pthread_mutex_lock(&lock);
    if (!initialized) {
        rate = espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 500, NULL, espeakINITIALIZE_DONT_EXIT);
        if (rate <= 0) {
            td_log_err("tts: espeak-ng failed to initialize (is espeak-ng-data installed?)");
            rc = TD_EIO;
            goto out;
        }
        espeak_SetSynthCallback(synth_cb);
        initialized = true;
    }
    set_voice(lang);
#ifdef TD_HAVE_OPUSENC
    OpusEncCallbacks cbs = {opus_write, opus_close};
    OggOpusComments *comments = ope_comments_create();
    int oerr = 0;
    job.enc = ope_encoder_create_callbacks(&cbs, &job, comments, rate, 1, 0, &oerr);
    ope_comments_destroy(comments);
    if (!job.enc) {
        td_log_err("tts: opus encoder failed: %s", ope_strerror(oerr));
        rc = TD_EIO;
        goto out;
    }
    /* Speech needs far less than music: 24 kb/s mono is clear and small. */
    ope_encoder_ctl(job.enc, OPUS_SET_BITRATE(24000));
#else
    unsigned char header[44] = {0};
    if ((rc = td_buf_append(out, header, sizeof(header))) < 0)
        goto out;
#endif
    copy = td_xstrndup(text, len);
    if (espeak_Synth(copy, len + 1, 0, POS_CHARACTER, 0, espeakCHARS_UTF8, NULL, &job) != EE_OK &&
        !job.err)
        job.err = TD_EIO;
#ifdef TD_HAVE_OPUSENC
    if (!job.err && ope_encoder_drain(job.enc) != OPE_OK && !job.err)
        job.err = TD_EIO;
    ope_encoder_destroy(job.enc);
#else
    if (!job.err)
        wav_header((unsigned char *)out->buf + start, (uint32_t)(out->len - start - 44));
#endif
    rc = job.err ? job.err : job.samples == 0 ? TD_EEMPTY : 0;
out:
    pthread_mutex_unlock(&lock);
    free(copy);
    if (rc < 0)
        td_buf_truncate(out, start);
    return rc;
}

void td_tts_shutdown(void)
{
    pthread_mutex_lock(&lock);
    if (initialized)
        espeak_Terminate();
    initialized = false;
    pthread_mutex_unlock(&lock);
}
