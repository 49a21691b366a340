/* Edge kinds and their rules. */
#include "write.h"

#include "common/util.h"

int lineage_edge_kind_define(lineage_db *db, const char *kind, int allows_self_loop,
			     int allows_cycles)
{
	lin_write w;
	int rc;
	if ((rc = lin_check_db(db)) || (rc = lin_check_name(kind, "edge kind")))
		return rc;
	if ((rc = lin_write_begin(db, &w)))
		return rc;
	rc = lin_store_kind_define(db->store, kind, allows_self_loop, allows_cycles);
	return lin_write_end(db, &w, rc);
}

int lineage_edge_kind_rules(lineage_db *db, const char *kind, int *allows_self_loop,
			    int *allows_cycles)
{
	int self = 0, cycles = 1, found = 0;
	int rc;
	if ((rc = lin_check_db(db)) || (rc = lin_check_name(kind, "edge kind")))
		return rc;
	if ((rc = lin_store_kind_rules(db->store, kind, &self, &cycles, &found)))
		return rc;
	if (!found) {
		self = 0;
		cycles = 1;
	}
	if (allows_self_loop)
		*allows_self_loop = self;
	if (allows_cycles)
		*allows_cycles = cycles;
	return 0;
}
