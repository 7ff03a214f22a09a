#!/bin/sh
# Run once by the postgres image when it initialises an empty data directory
# (/docker-entrypoint-initdb.d): the two database accounts of the app (SEC-3).
#   registrar      owns the database, its schema and tables; only `migrate` connects as it.
#   registrar_app  owns nothing; web, worker and beat connect as it. After each migration,
#                  `manage.py db_app_role --role registrar_app` (run as registrar) grants its rights.
# Neither is a superuser. Passwords come from the container's environment.
set -e
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v db="$POSTGRES_DB" -v owner_password="$OWNER_DB_PASSWORD" -v app_password="$APP_DB_PASSWORD" <<'SQL'
CREATE ROLE registrar LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'owner_password';
CREATE ROLE registrar_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'app_password';
ALTER DATABASE :"db" OWNER TO registrar;
REVOKE ALL ON DATABASE :"db" FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE :"db" TO registrar_app;
SQL
