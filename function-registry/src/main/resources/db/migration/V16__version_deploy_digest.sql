-- What the deploying tool says a version holds, as a digest it computed (the CLI's cloudfunc.yml: the folder's files and
-- the declared configuration). Stored as given and shown, never interpreted: a later deploy compares it with its own to
-- leave an unchanged function alone. Null for a version whose deploy gave none (every version before this one).
ALTER TABLE function_versions ADD COLUMN deploy_digest TEXT;
