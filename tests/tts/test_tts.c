/*
 * Tests for Listen's synthesizer: real espeak-ng speech, checked by the
 * container format's magic numbers and by plausible sizes.
 */
#include "base/compat.h"
#include "base/buf.h"
#include "base/error.h"
#include "tts/tts.h"

#include "harness/tap.h"

static void test_speaks_english(void)
{
    struct td_buf out;
    const char *text = "Leaked memo. The quick brown fox jumps over the lazy dog.";

    td_buf_init(&out, 4u << 20);
    ASSERT_OK(td_tts_speak(text, strlen(text), "en-GB", &out));
    if (td_tts_format() == TD_TTS_OPUS) {
        ASSERT_GT(out.len, 1000);
        ASSERT_MEM_EQ(out.buf, "OggS", 4);
        ASSERT_GE(td_str_find(td_buf_str(&out), TD_STR_LIT("OpusHead")), 0);
    } else {
        ASSERT_GT(out.len, 10000);
        ASSERT_MEM_EQ(out.buf, "RIFF", 4);
        ASSERT_MEM_EQ(out.buf + 8, "WAVE", 4);
    }
    ASSERT_STR_EQ(td_tts_ext(td_tts_format()), td_tts_format() == TD_TTS_OPUS ? "opus" : "wav");
    td_buf_release(&out);
    td_tts_shutdown();
}

static void test_other_language_and_unknown_tag(void)
{
    struct td_buf a, b;
    const char *text = "Bonjour tout le monde.";

    td_buf_init(&a, 4u << 20);
    td_buf_init(&b, 4u << 20);
    ASSERT_OK(td_tts_speak(text, strlen(text), "fr", &a));
    ASSERT_OK(td_tts_speak(text, strlen(text), "xx-nonsense", &b));
    ASSERT_GT(a.len, 100);
    ASSERT_GT(b.len, 100);
    td_buf_release(&a);
    td_buf_release(&b);
    td_tts_shutdown();
}

static void test_cap_and_empty(void)
{
    struct td_buf out;
    const char *text = "This sentence is long enough to need more than a hundred bytes of audio.";

    td_buf_init(&out, 100);
    ASSERT_EQ(td_tts_speak(text, strlen(text), "en", &out), TD_ETOOBIG);
    ASSERT_EQ(out.len, 0);
    td_buf_release(&out);
    td_buf_init(&out, 1 << 20);
    ASSERT_EQ(td_tts_speak("", 0, "en", &out), TD_EEMPTY);
    td_buf_release(&out);
    td_tts_shutdown();
}

static void test_cut(void)
{
    const char *t = "One. Two three. Four";

    ASSERT_EQ(td_tts_cut(t, strlen(t), 100), strlen(t));
    ASSERT_EQ(td_tts_cut(t, strlen(t), 18), 15); /* after "three." */
    /* No sentence end: never split a UTF-8 sequence ("é" is 2 bytes). */
    const char *u = "ab\xC3\xA9\xC3\xA9\xC3\xA9";
    size_t n = td_tts_cut(u, strlen(u), 5);
    ASSERT_EQ(n, 4);
}

static const struct tap_test tests[] = {
    TAP_TEST(test_speaks_english),
    TAP_TEST(test_other_language_and_unknown_tag),
    TAP_TEST(test_cap_and_empty),
    TAP_TEST(test_cut),
    TAP_END,
};

int main(void)
{
    return tap_run(tests);
}
