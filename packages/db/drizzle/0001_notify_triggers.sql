-- Every writer, in any process, announces its changes through Postgres itself, so
-- listeners (workers waiting for work, GraphQL/tRPC subscriptions) never depend on
-- the writer remembering to notify. Payloads are small ids; listeners read the rows.

CREATE OR REPLACE FUNCTION mp_notify_event() RETURNS trigger AS $$
BEGIN
  PERFORM pg_notify('mp_events', NEW.job_id::text || ':' || NEW.id::text);
  RETURN NULL;
END
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER generation_events_notify AFTER INSERT ON generation_events
  FOR EACH ROW EXECUTE FUNCTION mp_notify_event();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION mp_notify_job() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW.state = 'queued' THEN
      PERFORM pg_notify('mp_jobs_queued', NEW.id::text);
    END IF;
  ELSIF NEW.state IS DISTINCT FROM OLD.state
     OR NEW.progress IS DISTINCT FROM OLD.progress
     OR NEW.cancel_requested IS DISTINCT FROM OLD.cancel_requested THEN
    PERFORM pg_notify('mp_jobs', NEW.id::text || ':' || NEW.state || ':' || NEW.cancel_requested::text);
    IF NEW.state = 'queued' AND OLD.state IS DISTINCT FROM 'queued' THEN
      PERFORM pg_notify('mp_jobs_queued', NEW.id::text);
    END IF;
  END IF;
  RETURN NULL;
END
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER generation_jobs_notify AFTER INSERT OR UPDATE ON generation_jobs
  FOR EACH ROW EXECUTE FUNCTION mp_notify_job();
