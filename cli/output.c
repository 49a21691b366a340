/* Output helpers: colours, JSON strings, times, JSON rendered for people. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli.h"

const char *cli_sty(const cli_ctx *ctx, cli_style style)
{
	static const char *const codes[] = {"\033[1m",  "\033[2m",  "\033[31m", "\033[32m",
					    "\033[33m", "\033[34m", "\033[36m", "\033[0m"};
	if (!ctx->color || (unsigned)style >= sizeof codes / sizeof codes[0])
		return "";
	return codes[style];
}

const char *cli_source_style(const cli_ctx *ctx, lineage_source source)
{
	switch (source) {
	case LINEAGE_SOURCE_INFERRED: return cli_sty(ctx, CLI_YELLOW);
	case LINEAGE_SOURCE_APPROVED: return cli_sty(ctx, CLI_GREEN);
	case LINEAGE_SOURCE_MANUAL: return cli_sty(ctx, CLI_CYAN);
	case LINEAGE_SOURCE_ANY: break;
	}
	return "";
}

void cli_print_json(char *json)
{
	fputs(json ? json : "null", stdout);
	fputc('\n', stdout);
	lineage_free(json);
}

int cli_print_result_json(cli_ctx *ctx, const lineage_result *result, lineage_json_format format)
{
	char *json = NULL;
	if (lineage_result_to_json(&json, result, format))
		return cli_fail(ctx);
	cli_print_json(json);
	return 0;
}

void cli_json_string(FILE *f, const char *s)
{
	if (!s) {
		fputs("null", f);
		return;
	}
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"': fputs("\\\"", f); break;
		case '\\': fputs("\\\\", f); break;
		case '\n': fputs("\\n", f); break;
		case '\r': fputs("\\r", f); break;
		case '\t': fputs("\\t", f); break;
		default:
			if (*p < 0x20)
				fprintf(f, "\\u%04x", *p);
			else
				fputc(*p, f);
		}
	}
	fputc('"', f);
}

void cli_format_time(char *buf, size_t size, int64_t ms)
{
	time_t secs = (time_t)(ms / 1000);
	struct tm tm;
	if (!gmtime_r(&secs, &tm) || !strftime(buf, size, "%Y-%m-%d %H:%M:%S", &tm))
		snprintf(buf, size, "-");
}

static const char *skip_ws(const char *p)
{
	while (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r')
		p++;
	return p;
}

/* p at '"': the position after the closing quote. */
static const char *skip_string(const char *p)
{
	for (p++; *p && *p != '"'; p++)
		if (*p == '\\' && p[1])
			p++;
	return *p ? p + 1 : p;
}

/* The end of the value at p: a string, a bracketed array or object, or a bare token. */
static const char *skip_value(const char *p)
{
	if (*p == '"')
		return skip_string(p);
	if (*p == '[' || *p == '{') {
		size_t depth = 0;
		while (*p) {
			if (*p == '"') {
				p = skip_string(p);
				continue;
			}
			if (*p == '[' || *p == '{')
				depth++;
			else if ((*p == ']' || *p == '}') && --depth == 0)
				return p + 1;
			p++;
		}
		return p;
	}
	while (*p && *p != ',' && *p != '}' && *p != ']' && *p != ' ' && *p != '\n')
		p++;
	return p;
}

/* Print a JSON string's content without quotes, with the common escapes decoded. */
static void put_unquoted(FILE *f, const char *start, const char *end)
{
	for (const char *p = start + 1; p < end - 1; p++) {
		if (*p == '\\' && p + 1 < end - 1) {
			p++;
			fputc(*p == 'n' ? '\n' : *p == 't' ? '\t' : *p == 'u' ? '\\' : *p, f);
			if (*p == 'u')
				fputc('u', f);
		} else {
			fputc(*p, f);
		}
	}
}

void cli_print_json_human(const cli_ctx *ctx, FILE *f, const char *json, int indent)
{
	const char *p = skip_ws(json);
	int level = 1;
	if (*p != '{') {
		fprintf(f, "%*s%s\n", indent, "", json);
		return;
	}
	p++;
	while (level > 0 && *p) {
		p = skip_ws(p);
		if (*p == ',') {
			p++;
			continue;
		}
		if (*p == '}') {
			level--;
			p++;
			continue;
		}
		if (*p != '"')
			break; /* not the JSON we expect: stop rather than print garbage */
		const char *key = p;
		p = skip_string(p);
		fprintf(f, "%*s%s", indent + 2 * (level - 1), "", cli_sty(ctx, CLI_DIM));
		put_unquoted(f, key, p);
		fprintf(f, ":%s", cli_sty(ctx, CLI_RESET));
		p = skip_ws(p);
		if (*p == ':')
			p = skip_ws(p + 1);
		if (*p == '{') {
			const char *q = skip_ws(p + 1);
			if (*q == '}') {
				fputs(" {}\n", f);
				p = q + 1;
			} else {
				fputc('\n', f);
				level++;
				p++;
			}
			continue;
		}
		const char *end = skip_value(p);
		fputc(' ', f);
		if (*p == '"')
			put_unquoted(f, p, end);
		else
			fwrite(p, 1, (size_t)(end - p), f);
		fputc('\n', f);
		p = end;
	}
}

/* The value of "field" in the flat JSON object starting at `obj` (up to `end`), unescaped
 * into buf; NULL when null or absent. */
const char *cli_json_field(const char *obj, const char *end, const char *name, char *buf, size_t cap)
{
	char pat[64];
	const char *s;
	size_t n = 0;
	snprintf(pat, sizeof pat, "\"%s\":", name);
	s = strstr(obj, pat);
	if (!s || s >= end)
		return NULL;
	s += strlen(pat);
	if (!strncmp(s, "null", 4))
		return NULL;
	if (*s == '"') {
		for (s++; *s && *s != '"'; s++) {
			if (*s == '\\' && s[1])
				s++;
			if (n + 1 < cap)
				buf[n++] = *s;
		}
	} else {
		while (*s && *s != ',' && *s != '}' && n + 1 < cap)
			buf[n++] = *s++;
	}
	buf[n] = '\0';
	return buf;
}
