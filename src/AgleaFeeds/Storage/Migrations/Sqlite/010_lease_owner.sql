-- Who holds a source's lease (a claim, then the worker polling it: "host-name/…"); kept after the poll as who polled it
-- last. A worker renews only leases it still holds, so one that a dead host's job takes up again is never polled twice.
ALTER TABLE sources ADD COLUMN lease_owner TEXT;
