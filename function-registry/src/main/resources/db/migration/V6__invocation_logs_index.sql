-- Logs of a function's invocations are read in the order they finished (GET /functions/{name}/logs, and
-- `cloudfunc logs NAME --follow` polling for the ones after the last it showed). Only finished invocations have
-- logs, so the index leaves the others out.
CREATE INDEX invocations_function_finished_idx ON invocations (function_name, finished_at, id)
    WHERE finished_at IS NOT NULL;
