UPDATE accounts a
SET balance = a.balance + t.amount, updated = now()
FROM transfers t
WHERE t.acct = a.id;
