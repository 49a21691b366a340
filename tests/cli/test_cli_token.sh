#!/usr/bin/env bash
# lineage token: create (printed once), list (never the secret), revoke; and bad input.
source "$(dirname "$0")/lib.sh"

ok init
ok token create --user ada --role editor --expires 30
token=$out
[[ $token =~ ^lin_[A-Za-z0-9_-]{43}$ ]] || fail "token has an unexpected shape: $token"
grep -q "will not be shown again" "$TMP/err" || fail "no warning that the token is shown once: $(cat "$TMP/err")"
grep -q "token 1 for ada (editor, expires in 30 days)" "$TMP/err" || fail "stderr: $(cat "$TMP/err")"
ok token create --user bob --role admin --json
json "assert d['id'] == 2 and d['user'] == 'bob' and d['role'] == 'admin'
assert d['token'].startswith('lin_') and len(d['token']) == 47"
token2=$($PY -c "import json,sys; print(json.loads(sys.argv[1])['token'])" "$out")
[ "$token" != "$token2" ] || fail "two tokens are the same"

# the secret is nowhere in the file (only its SHA-256 digest)
"$PY" - "$DB" "$token" "$token2" <<'PY' || fail "a token is stored in clear"
import sys
data = open(sys.argv[1], 'rb').read()
for t in sys.argv[2:]:
    assert t.encode() not in data and t[4:].encode() not in data
PY

ok token list
contains "ada"
contains "editor"
contains "active"
grep -qF -- "${token#lin_}" <<<"$out" && fail "token list shows a token"
ok token list --json
json "t = d['tokens']
assert [x['user'] for x in t] == ['ada', 'bob']
assert t[0]['expires_at'] is not None and t[1]['expires_at'] is None
assert all(x['state'] == 'active' and x['created_by'] == 'tester' for x in t)
assert all('token' not in x and 'digest' not in x for x in t)"

ok token revoke 1
contains "revoked token 1"
ok token list --json
json "assert d['tokens'][0]['state'] == 'revoked' and d['tokens'][0]['revoked_at']"

# creation and revocation are in the audit trail, by the actor, without the secret
ok changes
contains "token 1"
contains "revoke"
ok changes --json
json "c = [x for x in d['changes'] if x['entity'] == 'token']
assert [x['action'] for x in c] == ['create', 'create', 'revoke']
assert all(x['actor'] == 'tester' for x in c)"
grep -qF -- "${token#lin_}" <<<"$out" && fail "changes show a token"

# bad input, in the CLI's words
fails 2 '--role "root" is not a role: use viewer, editor, steward or admin' token create --user x --role root
fails 2 '--user NAME is required' token create --role admin
fails 2 '--role ROLE is required' token create --user x
fails 2 "--expires expects a whole number from 1 to 36500, got 'soon'" token create --user x --role viewer --expires soon
fails 2 "--expires expects" token create --user x --role viewer --expires 0
fails 3 'there is no token 9: list the tokens' token revoke 9
fails 1 'token 1 \(user "ada"\) is already revoked' token revoke 1
fails 2 "ID expects a whole number" token revoke abc
fails 1 'control character' token create --user $'a\tb' --role viewer
ok token list --json
json "assert len(d['tokens']) == 2"

rm -f "$DB"
ok init
ok token list
contains "no tokens"

echo "ok: $checks checks"
