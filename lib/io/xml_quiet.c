/* libxml2's generic error output silenced around a call (see xml_quiet.h). */
#include <libxml/globals.h>

#include "xml_quiet.h"

static void drop(void *ctx, const char *fmt, ...)
{
	(void)ctx;
	(void)fmt;
}

void lin_xml_quiet_begin(lin_xml_quiet *q)
{
	q->func = xmlGenericError; /* this thread's, in a threaded libxml2 */
	q->ctx = xmlGenericErrorContext;
	xmlSetGenericErrorFunc(NULL, drop);
}

void lin_xml_quiet_end(const lin_xml_quiet *q)
{
	xmlSetGenericErrorFunc(q->ctx, q->func);
}
