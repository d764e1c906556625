/*
 * lang.c - a cheap language guess for pages that do not declare one:
 * count very common function words of a few major languages in the first
 * few thousand words of the text and take the clear winner.
 */
#include "base/compat.h"
#include "extract/extract_int.h"

struct lang {
    const char *tag;
    const char *words; /* space-separated, with a space at both ends */
};

static const struct lang langs[] = {
    {"en", " the and of to in is that for with was on are it as by this be from have "},
    {"de", " der die und das ist nicht mit den von zu ein eine sich auch auf dem des im "},
    {"fr", " le la les et des est une pour dans que qui pas sur au du avec ce il "},
    {"es", " el la los las y que del en por con una para es se lo como más pero "},
    {"it", " il di che è la per non una sono della con del gli anche le nel "},
    {"pt", " o a os as e que do da em para com uma não por dos das mais foi "},
    {"nl", " de het een en van is dat op te niet met voor zijn ook aan er "},
    {"ru", " и в не на что с по как это он к из за но для от "},
    {"id", " dan yang di ini itu dengan untuk dari dalam tidak akan pada juga ke "},
};

const char *ex_lang_guess(const char *text)
{
    size_t counts[TD_ARRAY_SIZE(langs)] = {0};
    char word[40];
    size_t nwords = 0;
    const char *p = text;

    if (!text)
        return NULL;
    while (*p && nwords < 3000) {
        while (*p && (td_is_space((unsigned char)*p) || strchr(".,;:!?\"'()«»", *p)))
            p++;
        size_t k = 0;
        word[k++] = ' ';
        while (*p && !td_is_space((unsigned char)*p) && !strchr(".,;:!?\"'()«»", *p)) {
            if (k < sizeof(word) - 2)
                word[k++] = (char)td_ascii_lower((unsigned char)*p);
            p++;
        }
        if (k == 1)
            continue;
        word[k++] = ' ';
        word[k] = '\0';
        nwords++;
        for (size_t i = 0; i < TD_ARRAY_SIZE(langs); i++)
            if (strstr(langs[i].words, word))
                counts[i]++;
    }
    size_t best = 0, second = 0, bi = 0;
    for (size_t i = 0; i < TD_ARRAY_SIZE(langs); i++) {
        if (counts[i] > best) {
            second = best;
            best = counts[i];
            bi = i;
        } else if (counts[i] > second) {
            second = counts[i];
        }
    }
    if (best < 5 || best < 2 * second)
        return NULL;
    return langs[bi].tag;
}
