#!/usr/bin/env bash
# lineage view: save, list, show, rename, delete saved views; bad input in the CLI's words.
source "$(dirname "$0")/lib.sh"

ok init
ok view list
contains "no saved views"
ok view save orders '{"root": "wh.orders", "depth": 2, "positions": {"wh.orders": {"x": 10.5, "y": -4}}}'
contains 'saved view "orders"'
ok view save "a first" '{}' --json
json "assert d == {'saved': 'a first'}"
ok view list --json
json "assert [v['name'] for v in d['views']] == ['a first', 'orders'] and d['total'] == 2
assert d['views'][1]['root'] == 'wh.orders' and d['views'][1]['created_by'] == 'tester'"
ok view list
contains "wh.orders"
ok view show orders --json
json "assert d['view'] == {'depth': 2, 'positions': {'wh.orders': {'x': 10.5, 'y': -4}}, 'root': 'wh.orders'}"
ok view show orders
contains "10.5"
ok view rename orders "orders map"
contains 'renamed view "orders" to "orders map"'
ok view delete "a first"
contains 'deleted view "a first"'
ok view list --json
json "assert [v['name'] for v in d['views']] == ['orders map']"

fails 3 'there is no saved view "orders"' view show orders
fails 3 'there is no saved view "nope"' view delete nope
fails 1 'already saved' view save "orders map" '{}' --new
fails 1 '"depth" must be a whole number from 0 to 1000' view save bad '{"depth": "deep"}'
fails 1 'not valid JSON' view save bad '{"depth": '
fails 1 "contains '/'" view save a/b '{}'
fails 2 'NAME JSON' view save onlyname
ok view list --json
json "assert d['total'] == 1"

echo "ok: $checks checks"
