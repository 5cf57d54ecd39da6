-- Workers listened to mp_jobs only to hear about cancel requests, so every worker process
-- received every job's every progress and state change (about five per job) and threw nearly
-- all of them away; with N workers that is N deliveries per change, paid by Postgres and by each
-- worker. Now a cancel request gets its own channel, mp_cancel (payload: the job id), and a
-- statement that enqueues many jobs wakes the workers once instead of once per row.
-- mp_jobs and mp_events are unchanged for their listeners (live progress, subscriptions).

CREATE OR REPLACE FUNCTION mp_notify_job() RETURNS trigger AS $$
BEGIN
  IF NEW.state IS DISTINCT FROM OLD.state
     OR NEW.progress IS DISTINCT FROM OLD.progress
     OR NEW.cancel_requested IS DISTINCT FROM OLD.cancel_requested THEN
    PERFORM pg_notify('mp_jobs', NEW.id::text || ':' || NEW.state || ':' || NEW.cancel_requested::text);
    IF NEW.state = 'queued' AND OLD.state IS DISTINCT FROM 'queued' THEN
      PERFORM pg_notify('mp_jobs_queued', NEW.id::text);
    END IF;
    IF NEW.cancel_requested AND NOT OLD.cancel_requested AND NEW.state = 'running' THEN
      PERFORM pg_notify('mp_cancel', NEW.id::text);
    END IF;
  END IF;
  RETURN NULL;
END
$$ LANGUAGE plpgsql;
--> statement-breakpoint
DROP TRIGGER generation_jobs_notify ON generation_jobs;
--> statement-breakpoint
CREATE TRIGGER generation_jobs_notify AFTER UPDATE ON generation_jobs
  FOR EACH ROW EXECUTE FUNCTION mp_notify_job();
--> statement-breakpoint
-- one wake-up per inserting statement; the payload names one of the new claimable jobs
CREATE OR REPLACE FUNCTION mp_notify_jobs_inserted() RETURNS trigger AS $$
DECLARE
  first_id uuid;
BEGIN
  SELECT id INTO first_id FROM inserted_jobs WHERE state = 'queued' LIMIT 1;
  IF first_id IS NOT NULL THEN
    PERFORM pg_notify('mp_jobs_queued', first_id::text);
  END IF;
  RETURN NULL;
END
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER generation_jobs_notify_inserted AFTER INSERT ON generation_jobs
  REFERENCING NEW TABLE AS inserted_jobs
  FOR EACH STATEMENT EXECUTE FUNCTION mp_notify_jobs_inserted();
