#!/bin/sh
# First start of the postgres container only (empty volume): one database and one role per service.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" <<SQL
CREATE ROLE auth_service LOGIN PASSWORD '${AUTH_DB_PASSWORD}';
CREATE DATABASE auth_db OWNER auth_service;
REVOKE ALL ON DATABASE auth_db FROM PUBLIC;
CREATE ROLE agent_runtime LOGIN PASSWORD '${AGENT_DB_PASSWORD}';
CREATE DATABASE agent_db OWNER agent_runtime;
REVOKE ALL ON DATABASE agent_db FROM PUBLIC;
CREATE ROLE llm_proxy LOGIN PASSWORD '${LLMPROXY_DB_PASSWORD}';
CREATE DATABASE llmproxy_db OWNER llm_proxy;
REVOKE ALL ON DATABASE llmproxy_db FROM PUBLIC;
SQL
