-- A function's own CPU limit, in thousandths of a CPU; NULL: the container-manager's default (containers.limits.cpus).
-- Docker's smallest limit is a hundredth of a CPU.
ALTER TABLE functions ADD COLUMN cpu_millis INTEGER CHECK (cpu_millis IS NULL OR cpu_millis >= 10);
ALTER TABLE function_versions ADD COLUMN cpu_millis INTEGER CHECK (cpu_millis IS NULL OR cpu_millis >= 10);
