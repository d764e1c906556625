/*
 * rouge.h - ROUGE-N and ROUGE-L (Lin, "ROUGE: A Package for Automatic
 * Evaluation of Summaries", ACL 2004 workshop), for evaluating key points.
 *
 * Summaries are given as arrays of sentences.  Tokens are the tokenizer's
 * folded words (no stemming, stop words kept).  ROUGE-N counts clipped
 * n-gram matches, n-grams not crossing sentences.  ROUGE-L is the
 * summary-level form (Lin 2004, section 3.2): for each reference sentence,
 * the union of its longest common subsequences with every candidate
 * sentence, each hit clipped to the token's remaining count in both
 * summaries (as ROUGE-1.5.5 does); P and R divide the summed union sizes by the candidate's and
 * the reference's token counts.  F is the balanced F1 in both.
 */
#ifndef TD_TEXT_ROUGE_H
#define TD_TEXT_ROUGE_H

#include "base/compat.h"
#include "base/str.h"

/* Tokens per sentence beyond this are ignored (bounds the LCS tables). */
#define TD_ROUGE_MAX_TOKENS 2000

struct td_rouge {
    double p, r, f;
};

struct td_rouge td_rouge_n(const struct td_str *cand, size_t ncand, const struct td_str *ref,
                           size_t nref, int n);
struct td_rouge td_rouge_l(const struct td_str *cand, size_t ncand, const struct td_str *ref,
                           size_t nref);

#endif
