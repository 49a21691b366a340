#include "util.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lineage/asset.h"

char *lin_strdup(const char *s)
{
	return s ? lin_strndup(s, strlen(s)) : NULL;
}

char *lin_strndup(const char *s, size_t n)
{
	char *p;
	if (!s)
		return NULL;
	p = malloc(n + 1);
	if (!p) {
		lin_error_oom();
		return NULL;
	}
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

int lin_utf8_valid(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;
	while (i < len) {
		unsigned c = s[i];
		size_t n;
		uint32_t cp;
		if (c < 0x80) {
			i++;
			continue;
		} else if ((c & 0xE0) == 0xC0) {
			n = 1;
			cp = c & 0x1F;
		} else if ((c & 0xF0) == 0xE0) {
			n = 2;
			cp = c & 0x0F;
		} else if ((c & 0xF8) == 0xF0) {
			n = 3;
			cp = c & 0x07;
		} else {
			return 0;
		}
		if (len - i <= n)
			return 0;
		for (size_t k = 1; k <= n; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return 0;
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
		    cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return 0;
		i += n + 1;
	}
	return 1;
}

/* Length of the leading printable ASCII (0x20..0x7E), eight bytes at a time: the common
 * case of keys and names, which then need no UTF-8 decoding. */
static size_t printable_ascii(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
	size_t i = 0;
	for (; i + 8 <= len; i += 8) {
		uint64_t w, del;
		memcpy(&w, s + i, 8);
		del = w ^ (0x7F * ones);
		/* a byte with its high bit, below 0x20, or 0x7F (exact for "any") */
		if ((w & highs) | ((w - 0x20 * ones) & ~w & highs) | ((del - ones) & ~del & highs))
			break;
	}
	while (i < len && s[i] >= 0x20 && s[i] < 0x7F)
		i++;
	return i;
}

static int has_control(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c == 0x7F)
			return 1;
	}
	return 0;
}

int lin_check_key(const char *key, const char *what)
{
	size_t len, plain;
	if (!key)
		return lin_error_set(LINEAGE_EINVALID, "%s is missing: give the asset's key, such as \"warehouse.sales.orders\"", what);
	len = strlen(key);
	if (len == 0)
		return lin_error_set(LINEAGE_EINVALID, "%s is empty: give the asset's key, such as \"warehouse.sales.orders\"", what);
	if (len > LINEAGE_KEY_MAX)
		return lin_error_set(LINEAGE_EINVALID, "%s is %zu bytes long: keys are at most %d bytes; use a shorter key", what, len, LINEAGE_KEY_MAX);
	if ((plain = printable_ascii(key, len)) < len) {
		if (!lin_utf8_valid(key + plain, len - plain))
			return lin_error_set(LINEAGE_EINVALID, "%s is not valid UTF-8: convert the text to UTF-8", what);
		if (has_control(key + plain, len - plain))
			return lin_error_set(LINEAGE_EINVALID, "%s contains a control character (such as a newline or tab): remove it", what);
	}
	if (isspace((unsigned char)key[0]) || isspace((unsigned char)key[len - 1]))
		return lin_error_set(LINEAGE_EINVALID, "%s \"%.200s\" starts or ends with white space: remove it", what, key);
	return 0;
}

int lin_check_name(const char *value, const char *what)
{
	size_t len, plain;
	if (!value || !*value)
		return lin_error_set(LINEAGE_EINVALID, "%s is missing or empty: give a value such as \"table\"", what);
	len = strlen(value);
	if (len > 256)
		return lin_error_set(LINEAGE_EINVALID, "%s is %zu bytes long: at most 256 bytes are allowed", what, len);
	if ((plain = printable_ascii(value, len)) < len) {
		if (!lin_utf8_valid(value + plain, len - plain))
			return lin_error_set(LINEAGE_EINVALID, "%s is not valid UTF-8: convert the text to UTF-8", what);
		if (has_control(value + plain, len - plain))
			return lin_error_set(LINEAGE_EINVALID, "%s contains a control character: remove it", what);
	}
	return 0;
}

int lin_check_text(const char *value, const char *what, size_t max)
{
	size_t len;
	if (!value)
		return 0;
	len = strlen(value);
	if (len > max)
		return lin_error_set(LINEAGE_EINVALID, "%s is %zu bytes long: at most %zu bytes are allowed", what, len, max);
	if (!lin_utf8_valid(value, len))
		return lin_error_set(LINEAGE_EINVALID, "%s is not valid UTF-8: convert the text to UTF-8", what);
	return 0;
}

int64_t lin_now_ms(void)
{
	struct timespec ts;
	timespec_get(&ts, TIME_UTC);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void lin_format_time(char *buf, size_t size, int64_t ms)
{
	time_t secs = (time_t)(ms / 1000);
	struct tm tm;
	gmtime_r(&secs, &tm);
	snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
		 tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (int)(ms % 1000));
}

uint64_t lin_hash_bytes(uint64_t h, const void *data, size_t len)
{
	const unsigned char *p = data;
	for (size_t i = 0; i < len; i++) {
		h ^= p[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

uint64_t lin_hash_field(uint64_t h, const char *s)
{
	static const unsigned char null_mark = 0xFF, sep = 0x00;
	if (!s)
		return lin_hash_bytes(h, &null_mark, 1);
	h = lin_hash_bytes(h, s, strlen(s));
	return lin_hash_bytes(h, &sep, 1);
}

int lin_strcasecmp(const char *a, const char *b)
{
	for (;; a++, b++) {
		int ca = tolower((unsigned char)*a), cb = tolower((unsigned char)*b);
		if (ca != cb || !ca)
			return ca - cb;
	}
}

int lin_edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	int row[257];
	if (la > 255 || lb > 255)
		return 255;
	for (size_t j = 0; j <= lb; j++)
		row[j] = (int)j;
	for (size_t i = 1; i <= la; i++) {
		int prev = row[0];
		row[0] = (int)i;
		for (size_t j = 1; j <= lb; j++) {
			int cur = row[j];
			int cost = tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]);
			int best = prev + cost;
			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			prev = cur;
		}
	}
	return row[lb] > 255 ? 255 : row[lb];
}

static size_t utf8_len_at(const unsigned char *s, size_t left)
{
	size_t n = s[0] < 0x80 ? 1 : (s[0] & 0xE0) == 0xC0 ? 2 : (s[0] & 0xF0) == 0xE0 ? 3
		 : (s[0] & 0xF8) == 0xF0 ? 4 : 0;
	if (n == 0 || n > left || !lin_utf8_valid((const char *)s, n))
		return 0;
	return n;
}

char *lin_printable(const char *s, size_t len, size_t max)
{
	size_t o = 0, i = 0;
	char *out = malloc(max + 4);
	if (!out) {
		lin_error_oom();
		return NULL;
	}
	while (i < len && o < max) {
		const unsigned char *p = (const unsigned char *)s + i;
		size_t n = utf8_len_at(p, len - i);
		if (n == 0) {
			out[o++] = '?';
			i++;
		} else if (n == 1 && (p[0] < 0x20 || p[0] == 0x7F)) {
			out[o++] = ' ';
			i++;
		} else if (o + n <= max) {
			memcpy(out + o, p, n);
			o += n;
			i += n;
		} else {
			break;
		}
	}
	if (i < len && o + 3 <= max + 3) {
		memcpy(out + o, "...", 3);
		o += 3;
	}
	out[o] = '\0';
	return out;
}
