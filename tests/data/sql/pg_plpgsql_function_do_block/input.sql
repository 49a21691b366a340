CREATE OR REPLACE FUNCTION analytics.refresh_user_activity(p_day date)
RETURNS integer
LANGUAGE plpgsql
AS $fn$
DECLARE
    v_rows integer;
    r record;
BEGIN
    DELETE FROM analytics.user_activity WHERE activity_day = p_day;

    INSERT INTO analytics.user_activity (activity_day, user_id, events)
    SELECT p_day, e.user_id, count(e.event_id)
    FROM raw.events e
    WHERE e.created_at::date = p_day
    GROUP BY e.user_id;
    GET DIAGNOSTICS v_rows = ROW_COUNT;

    FOR r IN SELECT user_id FROM analytics.user_activity WHERE activity_day = p_day AND events > 1000 LOOP
        INSERT INTO analytics.heavy_users (user_id, seen_on) VALUES (r.user_id, p_day)
        ON CONFLICT DO NOTHING;
    END LOOP;

    IF v_rows = 0 THEN
        RAISE NOTICE 'no events on %', p_day;
    END IF;
    RETURN v_rows;
EXCEPTION WHEN others THEN
    INSERT INTO analytics.job_errors (job, message) VALUES ('refresh_user_activity', SQLERRM);
    RETURN -1;
END;
$fn$;

DO $$
DECLARE
    v_max timestamptz;
BEGIN
    SELECT max(created_at) INTO v_max FROM raw.events;
    PERFORM analytics.refresh_user_activity(v_max::date);
    UPDATE analytics.watermarks SET loaded_until = v_max WHERE source = 'events';
END
$$;
