INSERT INTO rpt.open_tickets (ticket_id, agent_name)
SELECT t.ticket_id, a.name
FROM support.tickets t (NOLOCK)
JOIN support.agents a WITH (NOLOCK, INDEX(ix_agents_id)) ON a.agent_id = t.agent_id
WHERE t.status = 'open'
