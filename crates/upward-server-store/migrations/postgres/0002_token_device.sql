-- Server schema 2 (PostgreSQL): an API token is bound to the device that signed in with it
-- (`POST /api/v1/login {"device"}`), so that a push's operations can be checked against it.
-- NULL for tokens made before, or without a device (Settings, POST /tokens). Never edit once
-- released: add the next file.

ALTER TABLE server_tokens ADD COLUMN device uuid;
