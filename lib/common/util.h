/* Internal: small helpers shared by every module: strings, UTF-8, keys, time, hashing. */
#ifndef LIN_COMMON_UTIL_H
#define LIN_COMMON_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

/* strdup that sets ENOMEM; NULL in gives NULL out (check `s && !result` for failure). */
char *lin_strdup(const char *s);
char *lin_strndup(const char *s, size_t n);

/* Non-zero when s[0..len) is valid UTF-8 (no overlongs, no surrogates, <= U+10FFFF). */
int lin_utf8_valid(const char *s, size_t len);

/* Copy at most `max` bytes of `s` as printable UTF-8 into a new string: invalid bytes become
 * "?" and control characters a space; "..." marks a cut. NULL (ENOMEM set) on failure. */
char *lin_printable(const char *s, size_t len, size_t max);

/*
 * Check an asset key: 1..LINEAGE_KEY_MAX bytes, valid UTF-8, no control characters, no
 * leading or trailing white space. `what` names the field in the message ("key",
 * "parent key"). Returns 0 or EINVALID with an actionable message.
 */
int lin_check_key(const char *key, const char *what);

/* Check a short name such as a kind: 1..256 bytes of UTF-8 without control characters. */
int lin_check_name(const char *value, const char *what);

/* Check optional free text: NULL is fine; else valid UTF-8, at most `max` bytes. */
int lin_check_text(const char *value, const char *what, size_t max);

/* Current time, Unix milliseconds. */
int64_t lin_now_ms(void);

/* Format Unix milliseconds as "2026-11-22T05:49:21.123Z" into buf (at least 32 bytes). */
void lin_format_time(char *buf, size_t size, int64_t ms);

/* 64-bit FNV-1a, chainable: pass the previous hash as `h` (start with LIN_HASH_INIT). */
#define LIN_HASH_INIT 0xcbf29ce484222325ULL
uint64_t lin_hash_bytes(uint64_t h, const void *data, size_t len);
/* Hash a string field with a separator, so that ("ab","c") and ("a","bc") differ; NULL too. */
uint64_t lin_hash_field(uint64_t h, const char *s);

/* Case-insensitive ASCII compare. */
int lin_strcasecmp(const char *a, const char *b);

/* Levenshtein distance, capped at 255, for "did you mean" suggestions. */
int lin_edit_distance(const char *a, const char *b);

#endif
