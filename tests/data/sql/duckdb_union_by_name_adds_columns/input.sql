CREATE TABLE all_contacts AS
SELECT name, email FROM crm.leads
UNION ALL BY NAME
SELECT email, name, phone FROM crm.customers;
CREATE TABLE merged AS
SELECT * FROM crm.legacy_contacts
UNION ALL
SELECT name, email, phone FROM all_contacts;
