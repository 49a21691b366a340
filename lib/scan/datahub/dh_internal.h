/* Internal: DataHub's metadata files (MetadataChangeProposals and MCEs) read and written. */
#ifndef LIN_SCAN_DH_INTERNAL_H
#define LIN_SCAN_DH_INTERNAL_H

#include "lineage/lineage.h"

/* A dataset URN's parts: urn:li:dataset:(urn:li:dataPlatform:PLATFORM,NAME,ENV). */
typedef struct lin_dh_dataset {
	char *platform, *name, *env; /* decoded, new strings */
} lin_dh_dataset;

/* Parse a dataset URN; 0, or -1 when it is not one. Free with lin_dh_dataset_free(). */
int lin_dh_parse_dataset(lin_dh_dataset *out, const char *urn);
/* Parse urn:li:schemaField:(DATASET_URN,FIELD_PATH): the dataset and the field's path as
 * liblineage names it (the v2 path's "[version=2.0].[type=...]" parts dropped). */
int lin_dh_parse_field(lin_dh_dataset *out, char **field, const char *urn);
void lin_dh_dataset_free(lin_dh_dataset *d);

/* The key of a dataset (the OpenLineage scanner's naming: database relations by their
 * lower-cased name, files and topics as "PLATFORM://NAME"), its kind, and a column's key. */
char *lin_dh_dataset_key(const lin_dh_dataset *d);
const char *lin_dh_dataset_kind(const lin_dh_dataset *d);
char *lin_dh_column_key(const lin_dh_dataset *d, const char *dataset_key, const char *field);

/* URNs built from parts (reserved characters percent-encoded). New strings. */
char *lin_dh_dataset_urn(const char *platform, const char *name, const char *env);
char *lin_dh_field_urn(const char *dataset_urn, const char *field);

/* The stored lineage (result NULL: the whole graph) as a JSON array of DataHub
 * MetadataChangeProposals with the upstreamLineage aspect (export.c), appended to `out`. */
struct lin_strbuf;
int lin_dh_export(lineage_db *db, const lineage_result *result, struct lin_strbuf *out);

#endif
