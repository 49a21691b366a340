/*
 * Internal: libxml2 reports some errors (encoding conversion, I/O) through its generic error
 * function, which prints to stderr, before a reader's own handler can see them. A library
 * never prints: around each libxml2 call, this thread's generic handler is swapped for one
 * that drops the text (the reader's structured handler and return codes carry the error),
 * and put back after, so a host's own use of libxml2 is left as it was.
 */
#ifndef LIN_IO_XML_QUIET_H
#define LIN_IO_XML_QUIET_H

#include <libxml/xmlerror.h>

typedef struct lin_xml_quiet {
	xmlGenericErrorFunc func;
	void *ctx;
} lin_xml_quiet;

void lin_xml_quiet_begin(lin_xml_quiet *q);
void lin_xml_quiet_end(const lin_xml_quiet *q);

#endif
